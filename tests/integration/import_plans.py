#!/usr/bin/python3
"""Two plans nobody here wrote, imported end to end (issue #17).

tests/fixtures/plan-longphung-2025.txt is a commune's plan after the
reorganisation of 1 July 2025 (issued 18/07/2025), with its own units
(tests/fixtures/units/longphung.ini); tests/fixtures/plan-thanhhoa-2025.txt
a province's (issued 27/06/2025, tests/fixtures/units/thanhhoa.ini).  Both
are written in the wording of published plans of other provinces, and
their time cells are real phrases (see tests/unit/test_timeexpr.c).

Every task, kind, rule, date and day-off rule below was worked out by
hand.  The calendar is the computed one alone (no days-off file), so the
dates do not hang on a file other work changes: in the second half of
2025 the days off are the weekends and 1/9, 2/9; in 2026 1/1 and Tết
16/2..20/2 (29 tháng Chạp to mùng 4).  Weekdays: 2025-07-01 and
2025-09-30 are Tuesdays, 2025-12-01 a Monday, 2026-02-16 a Monday.

Then the daemon's planning pass: the commune's coordinator (vp) is told
of the cells that need review every day until fixed and of the deadline
that had passed at the import once, and no unit is chased for it.
"""
import email
import email.policy
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from daemon_env import Checks, Env, missing, spool_name  # noqa: E402

check = Checks()

QUARTERLY_END = ("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30,31;"
                 "BYSETPOS=-1")
HALF_END = "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
YEAR_END = "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"

# ref -> (kind, due, rule, starts, dayoff, quality, leftover)
LONGPHUNG_TASKS = {
    # Tháng 7/2025
    "I.1": ("once", "2025-07-31", None, None, None, "exact", None),
    # Tháng 6/2025: before the plan was imported (21/07)
    "I.2": ("once", "2025-06-30", None, None, None, "exact", None),
    # Hằng quý (trước ngày 18 tháng cuối quý): the 17th, moved back
    "I.3": ("recurring", None,
            "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=17", "2025-07-18",
            "previous", "exact", None),
    # Định kỳ 6 tháng (trước 10/6 và 10/12): the 9th of June, December
    "I.4": ("recurring", None, "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=9",
            "2025-07-18", "previous", "exact", None),
    # Tuần đầu tiên của tháng: within the first week, by the 7th
    "I.5": ("recurring", None, "FREQ=MONTHLY;BYMONTHDAY=7", "2025-07-18",
            "previous", "exact", None),
    "I.6": ("ongoing", None, None, None, None, "exact", None),
    # Trước ngày 30/9/2025
    "II.1": ("once", "2025-09-29", None, None, "previous", "exact", None),
    # Từ tháng 8 đến tháng 10/2025: one task, from 1/8 to 31/10
    "II.2": ("once", "2025-10-31", None, "2025-08-01", None, "exact", None),
    # Hằng năm (trước ngày 05/12)
    "II.3": ("recurring", None, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=4",
             "2025-07-18", "previous", "exact", None),
    "II.4": ("on_event", None, None, None, None, "exact", None),
    "III.1": ("on_event", None, None, None, None, "exact", None),
    # Trước Tết Nguyên đán: Tết Bính Ngọ is 17/02/2026, its eve 16/02
    "III.2": ("once", "2026-02-16", None, None, "previous", "exact", None),
    # Chậm nhất vào ngày 25 của tháng cuối kỳ báo cáo: which period?
    "III.3": ("unparsed", None, None, None, None, "unparsed",
              "Chậm nhất vào ngày 25 của tháng cuối kỳ"),
    # Định kỳ 6 tháng, hằng năm, đầu kỳ, giữa kỳ, cuối kỳ hoặc đột xuất...
    "III.4-1": ("recurring", None, HALF_END, "2025-07-18", None, "partial",
                "đầu kỳ; giữa kỳ; cuối kỳ"),
    "III.4-2": ("recurring", None, YEAR_END, "2025-07-18", None, "partial",
                "đầu kỳ; giữa kỳ; cuối kỳ"),
}

# ref -> [(effective, nominal or None when the same)], from 18/07/2025.
LONGPHUNG_DATES = {
    "I.1": [("2025-07-31", None)],
    "I.2": [("2025-06-30", None)],
    "I.3": [("2025-09-17", None), ("2025-12-17", None)],
    "I.4": [("2025-12-09", None)],
    # 7/9 and 7/12 are Sundays: Friday before, still in the first week.
    "I.5": [("2025-08-07", None), ("2025-09-05", "2025-09-07"),
            ("2025-10-07", None), ("2025-11-07", None),
            ("2025-12-05", "2025-12-07")],
    "II.1": [("2025-09-29", None)],
    "II.2": [("2025-10-31", None)],
    "II.3": [("2025-12-04", None)],
    # 16/02/2026 is itself a day off (29 tháng Chạp): Friday 13/02.
    "III.2": [("2026-02-13", "2026-02-16")],
    "III.4-1": [("2025-12-31", None)],
    "III.4-2": [("2025-12-31", None)],
}

THANHHOA_TASKS = {
    "1": ("once", "2025-07-31", None, None, None, "exact", None),
    "2": ("once", "2025-06-30", None, None, None, "exact", None),
    # Hằng tháng, trước ngày 22
    "3": ("recurring", None, "FREQ=MONTHLY;BYMONTHDAY=21", "2025-06-27",
          "previous", "exact", None),
    # Định kỳ hằng quý
    "4": ("recurring", None, QUARTERLY_END, "2025-06-27", None, "exact",
          None),
    # trước 25/11 hằng năm
    "5": ("recurring", None, "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=24",
          "2025-06-27", "previous", "exact", None),
    # Tháng 8-10/2025
    "6": ("once", "2025-10-31", None, "2025-08-01", None, "exact", None),
    # Quý III-IV/2025
    "7": ("once", "2025-12-31", None, "2025-07-01", None, "exact", None),
    # Từ 15/7/2025 đến 15/9/2025
    "8": ("once", "2025-09-15", None, "2025-07-15", None, "exact", None),
    # Tuần cuối mỗi quý: the quarter's last day, moved back
    "9": ("recurring", None, QUARTERLY_END, "2025-06-27", "previous",
          "exact", None),
    "10": ("ongoing", None, None, None, None, "exact", None),
    "11": ("on_event", None, None, None, None, "exact", None),
    # Năm 2025 và những năm tiếp theo: the years after are not this plan's
    "12": ("once", "2025-12-31", None, None, None, "exact", None),
    # Trước, trong và sau Tết Nguyên đán: the day after Tết is read,
    # "Trước" (before what?) is left over
    "13": ("once", "2026-02-18", None, None, "next", "partial", "Trước"),
    # Trước ngày 15/12/2025
    "14": ("once", "2025-12-14", None, None, "previous", "exact", None),
}

THANHHOA_DATES = {
    "1": [("2025-07-31", None)],
    "2": [("2025-06-30", None)],
    # 21/9 and 21/12 are Sundays: Friday 19th.
    "3": [("2025-07-21", None), ("2025-08-21", None),
          ("2025-09-19", "2025-09-21"), ("2025-10-21", None),
          ("2025-11-21", None), ("2025-12-19", "2025-12-21")],
    "4": [("2025-06-30", None), ("2025-09-30", None), ("2025-12-31", None)],
    "5": [("2025-11-24", None)],
    "6": [("2025-10-31", None)],
    "7": [("2025-12-31", None)],
    "8": [("2025-09-15", None)],
    "9": [("2025-06-30", None), ("2025-09-30", None), ("2025-12-31", None)],
    "12": [("2025-12-31", None)],
    # 18/02/2026 is mùng 2 Tết, off until Friday 20/02: Monday 23/02.
    "13": [("2026-02-23", "2026-02-18")],
    # 14/12/2025 is a Sunday: Friday 12/12, before the 15th.
    "14": [("2025-12-12", "2025-12-14")],
}
WARDS = {"hacthanh", "samson", "nghison"}


def config(env, units, coordinator):
    """deadlined.ini of the test: computed calendar, spool channel."""
    with open(env.cfg, "w") as f:
        f.write("[daemon]\nstate_dir = %s\nunits_file = %s\n"
                "[calendar]\ndays_off_file =\n"
                "[plan]\ncoordinator = %s\n"
                "[reminders]\nlead_days = 7 3 1 0\noverdue_every = 3\n"
                "overdue_max = 5\nescalate_after = 5\n"
                "send_time = 08:00\nchannel = spool\n"
                "[report]\nschedule = off\n[http]\nenabled = no\n" % (
                    env.state, units, coordinator))


def ctl_json(env, now, *args):
    return json.loads(env.ctl(now, *args, "--format", "json"))


def check_tasks(tasks, want, plan):
    by = {t["ref"]: t for t in tasks}
    check(sorted(by) == sorted(want), "%s: tasks %s, expected %s" % (
        plan, sorted(by), sorted(want)))
    for ref, (kind, due, rule, starts, dayoff, quality, left) in \
            want.items():
        t = by.get(ref)
        if t is None:
            continue
        got = (t["kind"], t["due"], t["rule"], t["starts"], t["dayoff"],
               t["quality"], t["leftover"])
        check(got == (kind, due, rule, starts, dayoff, quality, left),
              "%s %s: %r, expected %r" % (plan, ref, got, (
                  kind, due, rule, starts, dayoff, quality, left)))
    return by


def check_dates(agenda, want, plan):
    got = {}
    for a in agenda:
        if a["due"] is None:
            continue
        got.setdefault(a["ref"], set()).add((a["due"], a["nominal"]))
    got = {ref: sorted(v) for ref, v in got.items()}
    check(got == want, "%s: dates %s, expected %s" % (plan, got, want))


def import_longphung(env, src):
    config(env, os.path.join(src, "tests/fixtures/units/longphung.ini"), "vp")
    env.ctl("2025-07-21", "init")
    plan = os.path.join(src, "tests/fixtures/plan-longphung-2025.txt")
    r = ctl_json(env, "2025-07-21", "import", plan)
    # The code comes from the document's number, "Số: 119/KH-UBND" of 2025.
    check(r["plan"] == "119-kh-ubnd-2025" and r["year"] == 2025,
          "longphung: code and year %s %s" % (r["plan"], r["year"]))
    check(r["starts"] == "2025-07-18" and r["starts_from"] == "document",
          "longphung starts 18/07 from its date line: %s %s" % (
              r["starts"], r["starts_from"]))
    check((r["rows"], r["bullets"], r["tasks"]) == (14, 14, 15),
          "longphung: 14 rows, 14 pairs, 15 tasks: %r" % (
              (r["rows"], r["bullets"], r["tasks"]),))
    check(r["kinds"] == {"once": 5, "recurring": 6, "ongoing": 1,
                         "on_event": 2, "unparsed": 1},
          "longphung kinds: %r" % r["kinds"])
    check((r["partial"], r["unparsed"], r["past"]) == (2, 1, 1),
          "longphung: 2 partial, 1 unparsed, 1 past: %r" % (
              (r["partial"], r["unparsed"], r["past"]),))
    check(r["occurrences"] == 16, "longphung: 16 occurrences, got %s" %
          r["occurrences"])
    issues = sorted((i["kind"], i["ref"], i["line"], i["detail"])
                    for i in r["issues"])
    check(issues == [
        ("partial-time", "III.4", 37, "đầu kỳ; giữa kỳ; cuối kỳ"),
        ("past-deadline", "I.2", 23, "2025-06-30"),
        ("unparsed-time", "III.3", 36,
         "Chậm nhất vào ngày 25 của tháng cuối kỳ")],
        "longphung issues: %r" % issues)
    tasks = ctl_json(env, "2025-07-21", "tasks")
    by = check_tasks(tasks, LONGPHUNG_TASKS, "longphung")
    agenda = ctl_json(env, "2025-07-21", "agenda", "--all")
    check_dates(agenda, LONGPHUNG_DATES, "longphung")
    review = [t["ref"] for t in ctl_json(env, "2025-07-21", "tasks",
                                         "--needs-review")]
    check(review == ["III.3", "III.4-1", "III.4-2"],
          "needs review: %r" % review)
    return by


def digest_of(env, unit, day):
    """The plain text of the day's digest to unit, or None."""
    for r in env.outbox():
        if r["unit"] == unit and r["day"] == day and r["kind"] == "email" \
                and r["key"].startswith("digest/"):
            path = os.path.join(env.spool, spool_name(r["key"]))
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(
                    f, policy=email.policy.default)
            return msg.get_body(("plain",)).get_content()
    return None


def review_refs(body, plan="119-kh-ubnd-2025"):
    """The references listed under the review section of a digest."""
    if body is None or "THỜI HẠN CẦN XEM LẠI" not in body:
        return []
    part = body.split("THỜI HẠN CẦN XEM LẠI", 1)[1].split("\n-- \n")[0]
    refs = []
    for line in part.splitlines():
        if line[:1].isdigit() and "[%s " % plan in line:
            refs.append(line.split("[%s " % plan, 1)[1].split("]", 1)[0])
    return refs


def passes_longphung(env, by):
    # 21/07: vp's own deadlines are all beyond 7 working days; the
    # digest holds the review section only.
    env.run_pass("2025-07-21T09:00")
    body = digest_of(env, "vp", "2025-07-21")
    check(body is not None, "21/07: a digest for the coordinator vp")
    refs = review_refs(body)
    # Undated first, then by date: I.2 (30/06) last.
    check(refs == ["III.3", "III.4-1", "III.4-2", "I.2"],
          "21/07 review section: %r" % refs)
    if body is not None:
        check("CÔNG VIỆC ĐÃ QUÁ HẠN" not in body,
              "21/07: I.2 is not sent as overdue")
        check("hạn đã qua trước khi kế hoạch được nhập" in body,
              "21/07: I.2 named as past at import")
        check("phần chưa đọc: đầu kỳ; giữa kỳ; cuối kỳ" in
              " ".join(body.split()), "21/07: the words left over are named")
    rows = [r for r in env.outbox() if r["unit"] != "vp"]
    check(all("I.2" not in (r.get("body") or "") for r in rows),
          "21/07: no other unit hears of I.2")
    # 22/07: the review section again, the past deadline not again.
    env.run_pass("2025-07-22T09:00")
    refs = review_refs(digest_of(env, "vp", "2025-07-22"))
    check(refs == ["III.3", "III.4-1", "III.4-2"],
          "22/07 review section: %r" % refs)
    # A second pass the same day says nothing more.
    before = len(env.outbox())
    env.run_pass("2025-07-22T15:00")
    check(len(env.outbox()) == before, "22/07: a second pass adds nothing")
    # The coordinator sets a date: III.3 leaves the review list.
    out = env.ctl("2025-07-23T07:00", "task", "set-due",
                  str(by["III.3"]["id"]), "2025-09-25")
    check("1 occurrences" in out, "set-due III.3: %r" % out)
    t = json.loads(env.ctl("2025-07-23", "task", "show",
                           str(by["III.3"]["id"]), "--format=json"))
    check(t and (t[0]["kind"], t[0]["due"], t[0]["quality"],
                 t[0]["leftover"]) == ("once", "2025-09-25", "exact", None),
          "III.3 after set-due: %r" % t)
    env.run_pass("2025-07-23T09:00")
    refs = review_refs(digest_of(env, "vp", "2025-07-23"))
    check(refs == ["III.4-1", "III.4-2"], "23/07 review section: %r" % refs)
    # A rule for III.4-1 (the half-year ends it was read into): it leaves
    # the list too, reviewed, from the day it is set (after the plan's
    # 18/07), its words left over gone.
    env.ctl("2025-07-24T07:00", "task", "set-rule", str(by["III.4-1"]["id"]),
            HALF_END)
    t = json.loads(env.ctl("2025-07-24", "task", "show",
                           str(by["III.4-1"]["id"]), "--format=json"))
    check(t and (t[0]["kind"], t[0]["rule"], t[0]["starts"],
                 t[0]["quality"], t[0]["leftover"]) ==
          ("recurring", HALF_END, "2025-07-24", "exact", None),
          "III.4-1 after set-rule: %r" % t)
    review = [t["ref"] for t in ctl_json(env, "2025-07-24", "tasks",
                                         "--needs-review")]
    check(review == ["III.4-2"], "needs review after set-rule: %r" % review)
    env.run_pass("2025-07-24T09:00")
    refs = review_refs(digest_of(env, "vp", "2025-07-24"))
    check(refs == ["III.4-2"], "24/07 review section: %r" % refs)


def passes_thanhhoa(env):
    """
    30/06 (tasks 2, 4 and 9) is inside the window of the passes of 7 and
    8 July: 5 working days late on the 7th, the escalation day of the
    policy.  Past at import, it is neither sent nor escalated: snv (lead
    of 2 and 9) hears of it as the coordinator only, skhcn (4) not at all.
    """
    env.run_pass("2025-07-07T09:00")
    body = digest_of(env, "snv", "2025-07-07")
    refs = review_refs(body, "kh-cds-2025")
    check(refs == ["2", "4", "9", "13"],
          "07/07 snv review section: %r" % refs)
    check(body is not None and "CÔNG VIỆC ĐÃ QUÁ HẠN" not in body,
          "07/07: no overdue section for snv")
    check([r["key"] for r in env.outbox() if r["unit"] == "skhcn"] == [],
          "07/07: nothing to skhcn")
    env.run_pass("2025-07-08T09:00")
    keys = [r["key"] for r in env.outbox()]
    check(not [k for k in keys if k.startswith("escalation/")],
          "no escalation of a deadline past at import: %r" % keys)
    check(review_refs(digest_of(env, "snv", "2025-07-08"), "kh-cds-2025") ==
          ["13"], "08/07: the partial cell again, the past ones not")


def import_thanhhoa(env, src):
    config(env, os.path.join(src, "tests/fixtures/units/thanhhoa.ini"),
           "snv")
    env.ctl("2025-07-07", "init")
    plan = os.path.join(src, "tests/fixtures/plan-thanhhoa-2025.txt")
    r = ctl_json(env, "2025-07-07", "import", plan, "--plan", "kh-cds-2025")
    check(r["starts"] == "2025-06-27" and r["starts_from"] == "document" and
          r["year"] == 2025, "thanhhoa starts 27/06/2025: %s %s %s" % (
              r["starts"], r["starts_from"], r["year"]))
    check((r["rows"], r["tasks"]) == (14, 14),
          "thanhhoa: 14 rows, 14 tasks: %r" % ((r["rows"], r["tasks"]),))
    check(r["kinds"] == {"once": 8, "recurring": 4, "ongoing": 1,
                         "on_event": 1, "unparsed": 0},
          "thanhhoa kinds: %r" % r["kinds"])
    check((r["partial"], r["unparsed"], r["past"]) == (1, 0, 3),
          "thanhhoa: 1 partial, 3 past: %r" % (
              (r["partial"], r["unparsed"], r["past"]),))
    check(r["occurrences"] == 39, "thanhhoa: 39 occurrences, got %s" %
          r["occurrences"])
    issues = sorted((i["kind"], i["ref"], i["detail"]) for i in r["issues"])
    check(issues == [("partial-time", "13", "Trước"),
                     ("past-deadline", "2", "2025-06-30"),
                     ("past-deadline", "4", "2025-06-30"),
                     ("past-deadline", "9", "2025-06-30")],
          "thanhhoa issues: %r" % issues)
    by = check_tasks(ctl_json(env, "2025-07-07", "tasks"), THANHHOA_TASKS,
                     "thanhhoa")
    units = {ref: {w.split(":")[0] for w in (t["units"] or "").split()}
             for ref, t in by.items()}
    check(units.get("3") == WARDS and units.get("13") == WARDS,
          "UBND các xã, phường: the three wards: %r" % units.get("3"))
    check(units.get("6") == {"skhcn"} and units.get("14") == {"snv"},
          "one unit each: %r %r" % (units.get("6"), units.get("14")))
    agenda = ctl_json(env, "2025-07-07", "agenda", "--all")
    check_dates(agenda, THANHHOA_DATES, "thanhhoa")
    # A plan without a date line starts the day it is first imported, and
    # --year alone does not move the plan's date to the clock's year.
    nodate = os.path.join(env.tmp, "khong-ngay.txt")
    with open(plan, encoding="utf-8") as f:
        text = f.read().replace("Thanh Hóa, ngày 27 tháng 6 năm 2025\n", "")
    with open(nodate, "w", encoding="utf-8") as f:
        f.write(text)
    # Imported on 04/08: tasks 1 (31/07) and 2 (30/06) are past; the
    # monthly 3 starts with 21/08.
    r = ctl_json(env, "2025-08-04", "import", nodate, "--plan", "kh-nodate",
                 "--dry-run")
    check(r["starts"] == "2025-08-04" and r["starts_from"] == "today" and
          r["year"] == 2025 and r["past"] == 2,
          "no date line: starts the day of the import: %s %s %s %s" % (
              r["starts"], r["starts_from"], r["year"], r["past"]))
    # From 01/07: 21/07 of the monthly 3 is past too.
    r = ctl_json(env, "2025-08-04", "import", nodate, "--plan", "kh-nodate",
                 "--from", "2025-07-01", "--dry-run")
    check(r["starts"] == "2025-07-01" and r["starts_from"] == "option" and
          r["past"] == 3, "--from 2025-07-01: tasks 1, 2, 3 past: "
          "%s %s %s" % (r["starts"], r["starts_from"], r["past"]))


def main():
    if missing():
        print("skip: %s not set" % missing())
        return 77
    src = os.environ["SRCDIR"]
    tmp = tempfile.mkdtemp(prefix="import-plans-")
    try:
        os.mkdir(os.path.join(tmp, "lp"))
        env = Env(os.path.join(tmp, "lp"), "", check)
        by = import_longphung(env, src)
        passes_longphung(env, by)
        os.mkdir(os.path.join(tmp, "th"))
        env = Env(os.path.join(tmp, "th"), "", check)
        import_thanhhoa(env, src)
        passes_thanhhoa(env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
