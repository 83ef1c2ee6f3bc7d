#!/usr/bin/python3
"""The reminder policy of deadlined, day by day over 2024-07-01 .. 2024-08-15.

Every expected digest below (which units, which items, which status, in
which order) was worked out by hand from the policy: lead stages 7/3/1/0
working days before the effective due date, overdue reminders on the 1st
working day after it and then every 3 working days (at most 5),
escalation to the coordinator after 5 working days overdue, ongoing tasks
in the first digest of each month, catch-up after a skipped week.

July/August 2024 have no public holidays; 31/08..03/09 are days off.
"""
import datetime
import email
import email.policy
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from daemon_env import Checks, Env, missing, spool_name  # noqa: E402

check = Checks()


UNITS_INI = """\
[unit a]
name = Phòng A
email = a@example.gov.vn
parent = coord

[unit b]
name = Office B
email = b@example.gov.vn
parent = coord
lang = en

[unit c]
name = Phòng C
email = c1@example.gov.vn, c2@example.gov.vn

[unit coord]
name = Phòng Nội vụ
email = noivu@example.gov.vn
"""

PLAN_CSV = """\
STT,Nội dung,Nhiệm vụ,Cơ quan thực hiện,Thời gian thực hiện
1,Tuyên truyền cải cách hành chính,Đăng tin trên cổng thông tin,Phòng C,Thường xuyên
2,Giải quyết kiến nghị,Trả lời kiến nghị của công dân,Phòng A,Theo yêu cầu của UBND huyện
3,Báo cáo quý III,Tổng hợp số liệu,Phòng Nội vụ,Tháng 9/2024
"""

ADDRS = {"a": ["a@example.gov.vn"], "b": ["b@example.gov.vn"],
         "c": ["c1@example.gov.vn", "c2@example.gov.vn"],
         "coord": ["noivu@example.gov.vn"]}
LANG = {"a": "vi", "b": "en", "c": "vi", "coord": "vi"}

# Section headers of the plain text body.
OV, TD, SN, ON = "CÔNG VIỆC ĐÃ QUÁ HẠN", "CÔNG VIỆC ĐẾN HẠN HÔM NAY", \
    "CÔNG VIỆC SẮP ĐẾN HẠN", "CÔNG VIỆC THƯỜNG XUYÊN"
EOV, ETD, ESN = "OVERDUE", "DUE TODAY", "DUE SOON"

T1 = "[manual T1] Báo cáo tổng kết"          # a, due Mon 15/07
T2 = "[manual T2] Kiểm tra hồ sơ"            # a, due Thu 11/07
T4 = "[manual T4] Quarterly statistics"      # b, due Fri 26/07
T5 = "[manual T5] Rà soát thủ tục"           # c, due Fri 02/08
TM = "[manual TM] Monthly report"            # b, last day of each month
T6 = "[manual T6] Gửi danh sách"             # a, due Fri 05/07, added 04/07
ONG = "[kh-test 1] Tuyên truyền cải cách hành chính"   # c, Thường xuyên


def vi_due(day, status):
    return "Hạn: " + day + " - " + status


def en_due(day, status):
    return "Due: " + day + " - " + status


D1 = "Thứ Hai, 15/07/2024"
D2 = "Thứ Năm, 11/07/2024"
D4 = "Friday, 26/07/2024"
D5 = "Thứ Sáu, 02/08/2024"
DM = "Wednesday, 31/07/2024"
D6 = "Thứ Sáu, 05/07/2024"


def soon(n):
    return "Còn %d ngày làm việc" % n


def late(n):
    return "Đã quá hạn %d ngày làm việc" % n


def esoon(n):
    return "%d working day%s left" % (n, "" if n == 1 else "s")


def elate(n):
    return "Overdue by %d working day%s" % (n, "" if n == 1 else "s")


# The ongoing item: one line, its title, no fields.
ONG_ITEM = (ON, ONG, None)

# Overdue items a unit's digest does not remind one by one that day
# (between two overdue steps): counted in the subject and named in one
# line.  a: T1 (due 15/07) was said 16/07 and 19/07, T2 (due 11/07,
# reopened 17/07) 17/07, 22/07, 31/07; on each day one of them is said,
# the other is overdue too.  By hand: 17/07 T1, 19/07 T2, 22/07 T1,
# 01/08 T2 (T1 said at 13 days late).  b's and c's overdue items are
# said every time they have a digest.
QUIET = {("2024-07-17", "a"): ["manual T1 (15/07/2024)"],
         ("2024-07-19", "a"): ["manual T2 (11/07/2024)"],
         ("2024-07-22", "a"): ["manual T1 (15/07/2024)"],
         ("2024-08-01", "a"): ["manual T2 (11/07/2024)"]}
QUIET_LINE = "Vẫn quá hạn, đã nhắc trước đây, không nhắc lại từng việc "

# pass time -> {(kind, unit, seq): [(section, heading, due line or
# "Đơn vị: ..." for escalations)]}, in digest order.
EXPECT = [
    ("2024-07-01T07:59", {}),
    ("2024-07-01T08:30", {("digest", "c", 1): [ONG_ITEM]}),
    ("2024-07-02T08:30", {("digest", "a", 1): [
        (SN, T2, vi_due(D2, soon(7)))]}),
    ("2024-07-03T08:30", {}),
    ("2024-07-04T08:30", {("digest", "a", 1): [
        (SN, T1, vi_due(D1, soon(7)))]}),
    ("2024-07-04T09:00", {}),
    ("ADD T6", None),
    ("2024-07-04T10:00", {("digest", "a", 2): [
        (SN, T6, vi_due(D6, soon(1)))]}),
    ("2024-07-05T08:30", {("digest", "a", 1): [
        (TD, T6, vi_due(D6, "Hạn hôm nay"))]}),
    ("DONE T6", None),
    ("2024-07-06T08:30", {}),           # Saturday
    ("2024-07-08T08:30", {("digest", "a", 1): [
        (SN, T2, vi_due(D2, soon(3)))]}),
    ("2024-07-09T08:30", {}),
    ("2024-07-10T08:30", {("digest", "a", 1): [
        (SN, T2, vi_due(D2, soon(1))), (SN, T1, vi_due(D1, soon(3)))]}),
    ("2024-07-11T08:30", {("digest", "a", 1): [
        (TD, T2, vi_due(D2, "Hạn hôm nay"))]}),
    ("DONE T2", None),
    ("2024-07-12T08:30", {("digest", "a", 1): [
        (SN, T1, vi_due(D1, soon(1)))]}),
    ("2024-07-15T08:30", {("digest", "a", 1): [
        (TD, T1, vi_due(D1, "Hạn hôm nay"))]}),
    ("2024-07-16T08:30", {("digest", "a", 1): [
        (OV, T1, vi_due(D1, late(1)))]}),
    ("REOPEN T2", None),
    ("2024-07-17T08:30", {
        ("digest", "a", 1): [(OV, T2, vi_due(D2, late(4)))],
        ("digest", "b", 1): [(ESN, T4, en_due(D4, esoon(7)))]}),
    ("2024-07-18T08:30", {("escalation", "coord", 1): [
        (OV, T2, vi_due(D2, late(5)), "Đơn vị: Phòng A")]}),
    ("2024-07-19T08:30", {("digest", "a", 1): [
        (OV, T1, vi_due(D1, late(4)))]}),
    ("2024-07-22T08:30", {
        ("digest", "a", 1): [(OV, T2, vi_due(D2, late(7)))],
        ("digest", "b", 1): [(ESN, TM, en_due(DM, esoon(7)))],
        ("escalation", "coord", 1): [
            (OV, T1, vi_due(D1, late(5)), "Đơn vị: Phòng A")]}),
    # 23/07 .. 30/07: the daemon does not run.  Catch-up on 31/07: the
    # current stage of each occurrence, once, no stale lead reminders.
    ("2024-07-31T08:30", {
        ("digest", "a", 1): [(OV, T2, vi_due(D2, late(14))),
                             (OV, T1, vi_due(D1, late(12)))],
        ("digest", "b", 1): [(EOV, T4, en_due(D4, elate(3))),
                             (ETD, TM, en_due(DM, "Due today"))],
        ("digest", "c", 1): [(SN, T5, vi_due(D5, soon(2)))]}),
    ("2024-07-31T11:00", {}),
    ("2024-08-01T08:30", {
        ("digest", "a", 1): [(OV, T1, vi_due(D1, late(13)))],
        ("digest", "b", 1): [(EOV, T4, en_due(D4, elate(4))),
                             (EOV, TM, en_due(DM, elate(1)))],
        ("digest", "c", 1): [(SN, T5, vi_due(D5, soon(1))), ONG_ITEM]}),
    ("2024-08-02T08:30", {
        ("digest", "c", 1): [(TD, T5, vi_due(D5, "Hạn hôm nay"))],
        ("escalation", "coord", 1): [
            (OV, T4, "Hạn: Thứ Sáu, 26/07/2024 - " + late(5),
             "Đơn vị: Office B")]}),
    ("2024-08-03T08:30", {}),           # Saturday
    ("2024-08-05T08:30", {("digest", "c", 1): [
        (OV, T5, vi_due(D5, late(1)))]}),
    ("2024-08-06T08:30", {("digest", "b", 1): [
        (EOV, T4, en_due(D4, elate(7))), (EOV, TM, en_due(DM, elate(4)))]}),
    ("2024-08-07T08:30", {("escalation", "coord", 1): [
        (OV, TM, "Hạn: Thứ Tư, 31/07/2024 - " + late(5),
         "Đơn vị: Office B")]}),
    ("2024-08-08T08:30", {("digest", "c", 1): [
        (OV, T5, vi_due(D5, late(4)))]}),
    ("2024-08-09T08:30", {
        ("digest", "b", 1): [(EOV, T4, en_due(D4, elate(10))),
                             (EOV, TM, en_due(DM, elate(7)))],
        ("escalation", "coord", 1): [
            (OV, T5, vi_due(D5, late(5)), "Đơn vị: Phòng C")]}),
    ("2024-08-12T08:30", {}),
    ("2024-08-13T08:30", {("digest", "c", 1): [
        (OV, T5, vi_due(D5, late(7)))]}),
    ("2024-08-14T08:30", {("digest", "b", 1): [
        (EOV, T4, en_due(D4, elate(13))), (EOV, TM, en_due(DM, elate(10)))]}),
    ("2024-08-15T08:30", {}),
    ("2024-09-02T08:30", {}),           # Quốc khánh, a day off
]

# Total messages: one per recipient of each expected digest, counted by
# hand: 07-01 c(2); 07-02..07-16: a x 10; 07-17 a,b; 07-18 coord;
# 07-19 a; 07-22 a,b,coord; 07-31 a,b,c(2); 08-01 a,b,c(2); 08-02 c(2),
# coord; 08-05 c(2); 08-06 b; 08-07 coord; 08-08 c(2); 08-09 b,coord;
# 08-13 c(2); 08-14 b.
TOTAL_MESSAGES = 2 + 10 + 2 + 1 + 1 + 3 + 4 + 4 + 3 + 2 + 1 + 1 + 2 + 2 \
    + 2 + 1

VI_DAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy",
           "Chủ nhật"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
           "Saturday", "Sunday"]
VI_COUNT = {OV: "quá hạn", TD: "đến hạn hôm nay", SN: "sắp đến hạn",
            ON: "công việc thường xuyên"}
EN_COUNT = {EOV: "overdue", ETD: "due today", ESN: "due soon"}


def expected_subject(kind, unit, day, items):
    d = datetime.date.fromisoformat(day)
    vn = d.strftime("%d/%m/%Y")
    counts = {}
    for it in items:
        counts[it[0]] = counts.get(it[0], 0) + 1
    if kind == "digest" and (day, unit) in QUIET:
        counts[OV] = counts.get(OV, 0) + len(QUIET[(day, unit)])
    if LANG[unit] == "en":
        head = "[deadlined] Deadline reminder for %s, %s: " % (
            EN_DAYS[d.weekday()], vn)
        order, words = [EOV, ETD, ESN], EN_COUNT
    elif kind == "escalation":
        head = "[deadlined] Công việc quá hạn của các đơn vị ngày %s, %s: " % (
            VI_DAYS[d.weekday()], vn)
        order, words = [OV, TD, SN, ON], VI_COUNT
    else:
        head = "[deadlined] Nhắc hạn công việc ngày %s, %s: " % (
            VI_DAYS[d.weekday()], vn)
        order, words = [OV, TD, SN, ON], VI_COUNT
    parts = ["%d %s" % (counts[s], words[s]) for s in order if s in counts]
    return head + ", ".join(parts)


def parse_body(text):
    """[(section, heading, [field lines])] of a plain text digest."""
    items = []
    section = None
    cur = None
    field_cont = False
    for line in text.split("\n"):
        if line == "-- ":
            break
        m = re.match(r"^(I|II|III|IV|V)\. (.+) \((\d+)\)$", line)
        if m:
            section = m.group(2)
            cur = None
            continue
        m = re.match(r"^(\d+)\. (.*)$", line)
        if m and section is not None:
            cur = [section, m.group(2), []]
            items.append(cur)
            field_cont = False
            continue
        if cur is None:
            continue
        m = re.match(r"^   (\S[^:]*): (.*)$", line)
        if m:
            cur[2].append(m.group(1) + ": " + m.group(2))
            field_cont = True
        elif line.startswith("     ") and field_cont:
            cur[2][-1] += " " + line.strip()
        elif line.startswith("   ") and line.strip() and not cur[2]:
            cur[1] += " " + line.strip()
    return items


def occurrence(env, ref):
    rows = json.loads(env.ctl("2024-07-01", "agenda", "--all", "--format",
                              "json"))
    ids = [r["id"] for r in rows if r["ref"] == ref]
    if len(ids) != 1:
        raise RuntimeError("occurrence of %s: %s" % (ref, ids))
    return str(ids[0])


def setup(env):
    env.ctl(None, "init")
    env.ctl("2024-07-01", "import", os.path.join(env.tmp, "plan.csv"),
            "--plan", "kh-test")
    for ref, title, due, unit in [
            ("T1", "Báo cáo tổng kết", "2024-07-15", "a"),
            ("T2", "Kiểm tra hồ sơ", "2024-07-11", "a"),
            ("T4", "Quarterly statistics", "2024-07-26", "b"),
            ("T5", "Rà soát thủ tục", "2024-08-02", "c")]:
        env.ctl("2024-07-01", "task", "add", title, "--due", due, "--unit",
                unit, "--ref", ref)
    env.ctl("2024-07-01", "task", "add", "Monthly report", "--every",
            "month", "--unit", "b", "--ref", "TM", "--from", "2024-07-01")


def action(env, what):
    if what == "ADD T6":
        env.ctl("2024-07-04T09:30", "task", "add", "Gửi danh sách", "--due",
                "2024-07-05", "--unit", "a", "--ref", "T6")
    elif what == "DONE T6":
        env.ctl("2024-07-05T10:00", "done", occurrence(env, "T6"))
    elif what == "DONE T2":
        env.ctl("2024-07-11T10:00", "done", occurrence(env, "T2"))
    elif what == "REOPEN T2":
        env.ctl("2024-07-17T07:00", "reopen", occurrence(env, "T2"))


def check_message(env, path, key, kind, unit, day, addr, items):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    check(msg["To"].addresses[0].addr_spec == addr,
          "%s: To %s, expected %s" % (key, msg["To"], addr))
    subject = expected_subject(kind, unit, day, items)
    check(str(msg["Subject"]) == subject, "%s: subject %r, expected %r" % (
        key, str(msg["Subject"]), subject))
    body = msg.get_body(("plain",)).get_content()
    if LANG[unit] == "en":
        check(body.startswith("Dear "), "%s: English greeting" % key)
    else:
        check(body.startswith("Kính gửi: "), "%s: Vietnamese greeting" % key)
    got = parse_body(body)
    want_heads = [(it[0], it[1]) for it in items]
    got_heads = [(g[0], g[1]) for g in got]
    check(got_heads == want_heads, "%s: items %s, expected %s" % (
        key, got_heads, want_heads))
    for g, it in zip(got, items):
        due = [fl for fl in g[2] if fl.startswith(("Hạn:", "Due:"))]
        if it[2] is None:
            check(due == [], "%s: %s has a due line %s" % (key, it[1], due))
            check(g[2] == [], "%s: ongoing item fields %s" % (key, g[2]))
        else:
            check(due == [it[2]], "%s: %s due %s, expected %s" % (
                key, it[1], due, it[2]))
        if len(it) > 3:
            check(it[3] in g[2], "%s: %s fields %s lack %s" % (
                key, it[1], g[2], it[3]))
    flat = " ".join(body.split())
    quiet = QUIET.get((day, unit)) if kind == "digest" else None
    if quiet:
        line = "%s(%d): %s." % (QUIET_LINE, len(quiet), "; ".join(quiet))
        check(line in flat, "%s: no line %r" % (key, line))
    else:
        check(QUIET_LINE not in flat, "%s: a quiet line" % key)
    if "Kiến nghị" in body or "kiến nghị" in body:
        check(False, "%s: an on-event task was listed" % key)


def main():
    if missing():
        print("skip: %s not set" % missing())
        return 77
    tmp = tempfile.mkdtemp(prefix="deadlined-policy-")
    try:
        env = Env(tmp, UNITS_INI, check, {"plan.csv": PLAN_CSV})
        setup(env)
        seen_ids = set()
        total = 0
        for now, expect in EXPECT:
            if expect is None:
                action(env, now)
                continue
            day = now[:10]
            env.run_pass(now)
            rows = [r for r in env.outbox() if r["id"] not in seen_ids]
            seen_ids.update(r["id"] for r in rows)
            total += len(rows)
            want = {}
            for (kind, unit, seq), items in expect.items():
                base = "%s/%s/%s" % (kind, unit, day)
                if seq > 1:
                    base += "#%d" % seq
                for addr in ADDRS[unit]:
                    want["%s/spool/%s" % (base, addr)] = (kind, unit, addr,
                                                          items)
            got_keys = sorted(r["key"] for r in rows)
            check(got_keys == sorted(want), "%s: messages %s, expected %s" % (
                now, got_keys, sorted(want)))
            for r in rows:
                if r["key"] not in want:
                    continue
                kind, unit, addr, items = want[r["key"]]
                check(r["state"] == "sent" and r["unit"] == unit and
                      r["recipient"] == addr and r["day"] == day and
                      r["channel"] == "spool",
                      "%s: outbox row %s" % (now, r))
                path = os.path.join(env.spool, spool_name(r["key"]))
                check(os.path.exists(path), "%s: no spool file %s" % (
                    now, path))
                if os.path.exists(path):
                    check_message(env, path, r["key"], kind, unit, day,
                                  addr, items)
        check(total == TOTAL_MESSAGES, "%d messages in all, expected %d" % (
            total, TOTAL_MESSAGES))
        files = [f for f in os.listdir(env.spool) if f.endswith(".eml")]
        check(len(files) == TOTAL_MESSAGES, "%d spool files, expected %d" % (
            len(files), TOTAL_MESSAGES))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
