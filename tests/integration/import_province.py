#!/usr/bin/python3
"""A provincial plan as CSV with lead and support columns, end to end.

tests/fixtures/dongnai-2026/plan.csv is written from the plan the People's
Committee of Đồng Nai issued to carry out Resolution 257/2025/QH15 and
Government Resolution 424/NQ-CP (its tasks and the departments it names
after the 2025 reorganisation, dongnai.gov.vn); the rows, the time column
and the extra columns are this test's own, in the form such plans take:
"Cơ quan chủ trì" and "Cơ quan phối hợp" columns, "Sản phẩm", a column
nobody here knows ("Nguồn kinh phí"), "Ghi chú", bullets pairing leads,
supports and times in one row, and two collectives the directory lacks.
tests/fixtures/dongnai-2026/units.ini is its unit directory.

Every expected task, unit, role, date and note below was worked out by
hand from those two files: 31/03/2026 is a Tuesday, 30/06/2026 a Tuesday,
30/11/2026 a Monday, 31/12/2026 a Thursday; none is a day off.
"""
import email
import email.policy
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import timing  # noqa: E402
from checks import Checks  # noqa: E402
from ctl import Ctl  # noqa: E402

PLAN = "kh-dn-2026"
NOW = "2026-01-20"
WARDS = {"p-bienhoa", "p-tranbien", "p-longkhanh", "x-phuly", "x-tanphu"}

check = Checks(sys.stderr)


def roles(*pairs, **kw):
    """{code: role} from (codes, role) pairs and code=role words."""
    out = {}
    for codes, role in pairs:
        for c in codes:
            out[c] = role
    out.update(kw)
    return out


# ref: (kind, due, line, units, unmatched, notes)
WANT = {
    # Lead column one unit, support column a known name with a comma
    # and the group of wards.
    "I.1": ("once", "2026-03-31", 3,
            roles((WARDS, "support"), sdttg="lead", svhttdl="support"),
            None, "Sản phẩm: Hội nghị quán triệt\n"
            "Nguồn kinh phí: Ngân sách tỉnh"),
    "I.2": ("ongoing", None, 4, {"svhttdl": "lead", "vpubnd": "support"},
            None, None),
    # Two supports separated by a comma; "Ghi chú" first in the notes.
    "II.1": ("once", "2026-06-30", 6,
             {"stp": "lead", "sdttg": "support", "stc": "support"}, None,
             "Hoàn thành để trình HĐND tỉnh tại kỳ họp giữa năm\n"
             "Sản phẩm: Báo cáo rà soát"),
    # "..., Sở Dân tộc và Tôn giáo và các hội, đoàn thể tỉnh": the unknown
    # collective whole; the coordinator supports beside it.
    "II.2": ("once", "2026-03-31", 7,
             {"stc": "lead", "snnmt": "support", "sdttg": "support",
              "snv": "support"}, "các hội, đoàn thể tỉnh",
             "Sản phẩm: Phương án phân bổ vốn\n"
             "Nguồn kinh phí: Ngân sách trung ương"),
    # The group of wards in the lead column: every ward leads.
    "III.1": ("once", "2026-12-31", 9,
              roles((WARDS, "lead"), snnmt="support"), None, None),
    # Two leads named without role words: each leads its share.
    "III.2": ("recurring", None, 10,
              roles((WARDS, "support"), sdttg="lead", snnmt="lead",
                    cat="support"), None, "Sản phẩm: Biên bản kiểm tra"),
    # Bullets pair lead, support and time cells.
    "III.3.a": ("once", "2026-06-30", 11,
                {"sdttg": "lead", "snv": "support"},
                "Các sở, ngành liên quan", "Sản phẩm: Báo cáo"),
    "III.3.b": ("once", "2026-11-30", 11,
                roles((WARDS, "lead"), sdttg="support"), None,
                "Sản phẩm: Báo cáo"),
}


def units_of(task):
    return dict(w.split(":") for w in (task["units"] or "").split())


def ics_descriptions(text):
    """The unfolded, unescaped DESCRIPTION values of an iCalendar text."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    out = []
    for line in unfolded.splitlines():
        if line.startswith("DESCRIPTION:"):
            v = line[len("DESCRIPTION:"):]
            v = re.sub(r"\\([nN,;\\])", lambda m: "\n" if m.group(1) in
                       "nN" else m.group(1), v)
            out.append(v)
    return out


def check_import(r):
    check((r["rows"], r["bullets"], r["tasks"], r["added"]) ==
          (7, 8, 8, 8), "7 rows, 8 pairs, 8 tasks added: %r" %
          ((r["rows"], r["bullets"], r["tasks"], r["added"]),))
    check(r["kinds"] == {"once": 6, "recurring": 1, "ongoing": 1,
                         "on_event": 0, "unparsed": 0},
          "kinds: %r" % r["kinds"])
    # Lead + support phrases: 3 + 2 + 3 + 4 + 2 + 4 + 2 + 2.
    check((r["unit_phrases"], r["unit_matched"]) == (22, 20),
          "22 unit phrases, 20 matched: %r" % ((r["unit_phrases"],
                                                r["unit_matched"]),))
    issues = [(i["kind"], i["ref"], i["line"], i["text"])
              for i in r["issues"]]
    check(issues == [
        ("unknown-column", "column", 1, "Nguồn kinh phí"),
        ("unmatched-unit", "II.2", 7, "các hội, đoàn thể tỉnh"),
        ("unmatched-unit", "III.3.a", 11, "Các sở, ngành liên quan")],
        "issues: %r" % issues)


def check_tasks(ctl):
    tasks = {t["ref"]: t for t in ctl.json("tasks", "--plan", PLAN,
                                           "--format", "json")}
    check(sorted(tasks) == sorted(WANT), "refs: %r" % sorted(tasks))
    for ref, want in WANT.items():
        t = tasks.get(ref)
        if t is None:
            continue
        got = (t["kind"], t["due"], t["line"], units_of(t), t["unmatched"],
               t["notes"])
        check(got == want, "%s:\n  want %r\n  got  %r" % (ref, want, got))
    one = ctl.json("task", "show", str(tasks["I.1"]["id"]))
    check(one and one[0]["notes"] == WANT["I.1"][5],
          "task show I.1 notes: %r" % one)
    return tasks


def check_feed(ctl):
    desc = ics_descriptions(ctl.ok("feed", "sdttg"))
    check(any(d.startswith("Tổ chức quán triệt") and
              d.endswith("\nGhi chú: Sản phẩm: Hội nghị quán triệt\n"
                         "Nguồn kinh phí: Ngân sách tỉnh") for d in desc),
          "feed DESCRIPTION of I.1 ends with its notes: %r" % desc[:1])
    check(any("Phối hợp: Sở Dân tộc và Tôn giáo; Sở Tài chính" in d and
              "Chủ trì: Sở Tư pháp" in d for d in desc),
          "II.1 in sdttg's feed, as support")


def check_digest(exe_daemon, cfg, spool):
    # 31/03/2026 is 7 working days after Friday 20/03 (23-27, 30, 31).
    p = subprocess.run([exe_daemon, "-c", cfg, "--once", "--now",
                        "2026-03-20T08:30"], capture_output=True, text=True,
                       timeout=timing.scaled(60))
    check(p.returncode == 0, "deadlined --once: %d %s" % (p.returncode,
                                                         p.stderr))
    path = os.path.join(spool, "digest_sdttg_2026-03-20_spool_"
                        "sdttg@example.gov.vn.eml")
    if not os.path.exists(path):
        check(False, "no digest for sdttg in %r" % os.listdir(spool))
        return
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    body = msg.get_body(("plain",)).get_content()
    check("Ghi chú: Sản phẩm: Hội nghị quán triệt\n" in body and
          "Nguồn kinh phí: Ngân sách tỉnh" in body,
          "digest item I.1 shows its notes:\n%s" % body)
    check("Chủ trì: Sở Dân tộc và Tôn giáo; Sở Nông nghiệp và Môi trường"
          in body, "III.2: both lead in the digest")


def main():
    exe = os.environ.get("DEADLINECTL")
    exe_daemon = os.environ.get("DEADLINED")
    src = os.environ.get("SRCDIR")
    if not exe or not exe_daemon or not src:
        print("DEADLINECTL, DEADLINED or SRCDIR not set: skipped")
        return 77
    fixtures = os.path.join(src, "tests", "fixtures", "dongnai-2026")
    tmp = tempfile.mkdtemp(prefix="import-province-")
    try:
        state = os.path.join(tmp, "state")
        os.mkdir(state)
        cfg = os.path.join(tmp, "deadlined.ini")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write("[daemon]\nstate_dir = %s\nunits_file = %s/units.ini\n"
                    "[calendar]\ndays_off_file = %s/config/days-off.ini\n"
                    "[plan]\ncoordinator = snv\n"
                    "[reminders]\nlead_days = 7 3 1 0\nsend_time = 08:00\n"
                    "channel = spool\n[report]\nschedule = off\n"
                    "[http]\nenabled = no\n" % (state, fixtures, src))
        ctl = Ctl(exe, cfg, NOW, timeout=60)
        ctl.ok("init")
        plan = os.path.join(fixtures, "plan.csv")
        check_import(ctl.json("import", plan, "--plan", PLAN, "--format",
                              "json"))
        before = check_tasks(ctl)
        check_feed(ctl)

        # A revision that changes only a note is a change of the task.
        with open(plan, encoding="utf-8", newline="") as f:
            text = f.read()
        v2 = os.path.join(tmp, "plan-v2.csv")
        with open(v2, "w", encoding="utf-8", newline="") as f:
            f.write(text.replace("tại kỳ họp giữa năm",
                                 "tại kỳ họp cuối năm"))
        r = ctl.json("import", v2, "--plan", PLAN, "--format", "json")
        check((r["added"], r["changed"], r["unchanged"]) == (0, 1, 7),
              "v2: the note of II.1 changed: %r" %
              ((r["added"], r["changed"], r["unchanged"]),))
        after = {t["ref"]: t for t in ctl.json("tasks", "--plan", PLAN,
                                               "--format", "json")}
        check(after["II.1"]["notes"].startswith("Hoàn thành để trình HĐND "
                                                "tỉnh tại kỳ họp cuối năm"),
              "II.1 new note: %r" % after["II.1"]["notes"])
        check(after["II.1"]["id"] == before["II.1"]["id"], "II.1 keeps id")

        check_digest(exe_daemon, cfg, os.path.join(state, "spool"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
