#!/usr/bin/python3
"""End to end: deadlinectl task, tasks, done, reopen, agenda, holidays.

Dates are worked out by hand for 2024 with config/days-off.ini: weekends,
1/1, Tết 8/2..14/2, Giỗ Tổ 18/4, 30/4, 1/5, 2/5 off (4/5 a working
Saturday), 31/8..3/9 off.  The clock is --now, never the wall clock.
"""
import csv
import io
import os
import shutil
import sys
import tempfile

COLUMNS = ["id", "plan", "ref", "section", "category", "kind", "due", "rule",
           "units", "title", "time_text", "content", "status", "unmatched",
           "line", "notes", "starts", "dayoff", "quality", "leftover"]

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
from checks import Checks  # noqa: E402
from ctl import Ctl, deadlinectl, source_dir, write_config  # noqa: E402

check = Checks(sys.stderr)


def dated(agenda, ref, year="2024"):
    return sorted((a["due"], a["nominal"]) for a in agenda
                  if a["ref"] == ref and a["due"] is not None and
                  (a["nominal"] or a["due"]).startswith(year))


def rows(agenda):
    return sorted((a["ref"], a["due"], a["unit"]) for a in agenda)


def test_add(ctl):
    p = ctl.run("task", "add", "Báo cáo tháng", "--every", "month", "--day",
                "31", "--unit", "tuphap")
    check(p.returncode == 0, "task add --every month: %s" % p.stderr)
    check("M1" in p.stdout, "task add names its reference M1: %r" % p.stdout)
    p = ctl.run("task", "add", "Báo cáo quý", "--every", "quarter", "--day",
                "30", "--unit", "vp", "--from", "2024-01-01", "--until",
                "2024-12-31")
    check(p.returncode == 0 and "4 occurrences" in p.stdout,
          "quarterly task: 4 occurrences: %r %s" % (p.stdout, p.stderr))
    p = ctl.run("task", "add", "Nộp kế hoạch", "--due", "2024-03-15",
                "--unit", "noivu")
    check(p.returncode == 0 and "1 occurrences" in p.stdout,
          "one-off task: %r %s" % (p.stdout, p.stderr))
    p = ctl.run("task", "add", "Họp giao ban", "--rrule",
                "FREQ=MONTHLY;BYMONTHDAY=15", "--unit", "noivu", "--unit",
                "vp", "--from", "2024-01-01", "--until", "2024-06-30")
    check(p.returncode == 0 and "12 occurrences" in p.stdout,
          "rrule task: 6 months x 2 units: %r %s" % (p.stdout, p.stderr))

    tuphap = ctl.json("agenda", "--all", "--unit", "tuphap", "--format",
                      "json")
    check(dated(tuphap, "M1") == [
        ("2024-01-31", None), ("2024-02-29", None),
        ("2024-04-01", "2024-03-31"), ("2024-05-02", "2024-04-30"),
        ("2024-05-31", None), ("2024-07-01", "2024-06-30"),
        ("2024-07-31", None), ("2024-09-04", "2024-08-31"),
        ("2024-09-30", None), ("2024-10-31", None),
        ("2024-12-02", "2024-11-30"), ("2024-12-31", None)],
        "day 31 every month: 29/2 and 30/4 included: %r" %
        dated(tuphap, "M1"))
    vp = ctl.json("agenda", "--all", "--unit", "vp", "--format", "json")
    check(dated(vp, "M2") == [("2024-04-01", "2024-03-30"),
                              ("2024-07-01", "2024-06-30"),
                              ("2024-09-30", None), ("2024-12-30", None)],
          "day 30 every quarter: %r" % dated(vp, "M2"))
    fifteenth = [("2024-01-15", None), ("2024-02-15", None),
                 ("2024-03-15", None), ("2024-04-15", None),
                 ("2024-05-15", None), ("2024-06-17", "2024-06-15")]
    check(dated(vp, "M4") == fifteenth, "rrule for vp: %r" % dated(vp, "M4"))
    noivu = ctl.json("agenda", "--all", "--unit", "noivu", "--format",
                     "json")
    check(dated(noivu, "M4") == fifteenth, "rrule for noivu")
    check(dated(noivu, "M3") == [("2024-03-15", None)], "one-off 15/03")
    roles = {(a["unit"], a["role"]) for a in noivu + vp if a["ref"] == "M4"}
    check(roles == {("noivu", "lead"), ("vp", "support")},
          "first unit leads, the next supports: %r" % roles)


def test_listing(ctl):
    tasks = ctl.json("tasks", "--format", "json")
    refs = [t["ref"] for t in tasks]
    check(refs == ["M1", "M2", "M3", "M4"], "four tasks M1..M4: %r" % refs)
    if sorted(refs) != ["M1", "M2", "M3", "M4"]:
        print("FAIL: task add did not create M1..M4; stopping",
              file=sys.stderr)
        check.summary()
        sys.exit(1)
    by = {t["ref"]: t for t in tasks}
    check(by["M3"]["kind"] == "once" and by["M3"]["due"] == "2024-03-15" and
          by["M3"]["units"] == "noivu:lead" and
          by["M3"]["title"] == "Nộp kế hoạch" and
          by["M3"]["plan"] == "manual", "M3 fields: %r" % by["M3"])
    check(by["M1"]["kind"] == "recurring" and by["M1"]["due"] is None and
          by["M1"]["rule"] and "FREQ=MONTHLY" in by["M1"]["rule"],
          "M1 fields: %r" % by["M1"])
    check(by["M4"]["rule"] == "FREQ=MONTHLY;BYMONTHDAY=15",
          "M4 keeps its rule: %r" % by["M4"]["rule"])

    text = ctl.ok("tasks", "--format", "csv")
    recs = list(csv.reader(io.StringIO(text)))
    check(recs and recs[0] == COLUMNS, "CSV header: %r" % recs[:1])
    body = [dict(zip(recs[0], r)) for r in recs[1:]]
    check(len(body) == 4, "CSV has 4 rows, got %d" % len(body))
    csv_by = {r["ref"]: r for r in body}
    check(csv_by.get("M3", {}).get("due") == "2024-03-15" and
          csv_by["M3"]["title"] == "Nộp kế hoạch", "CSV row M3")
    check(csv_by.get("M1", {}).get("rule") == by["M1"]["rule"],
          "CSV keeps a rule with commas in one field")
    check(csv_by.get("M4", {}).get("units") == "noivu:lead vp:support",
          "CSV units of M4")

    table = ctl.ok("tasks")
    check("Báo cáo quý" in table and "Họp giao ban" in table and
          table.splitlines()[0].split()[:3] == ["id", "plan", "ref"],
          "table listing")

    shown = ctl.json("task", "show", str(by["M2"]["id"]), "--format=json")
    check(len(shown) == 1 and shown[0]["ref"] == "M2" and
          shown[0]["title"] == "Báo cáo quý", "task show: %r" % shown)
    p = ctl.run("task", "show", "9999", "--format=json")
    check(p.returncode == 1, "task show of a missing task: exit %d" %
          p.returncode)
    return by


def test_change(ctl, by):
    p = ctl.run("task", "set-due", str(by["M3"]["id"]), "2024-04-19")
    check(p.returncode == 0, "set-due: %s" % p.stderr)
    noivu = ctl.json("agenda", "--all", "--unit", "noivu", "--format",
                     "json")
    check(dated(noivu, "M3") == [("2024-04-19", None)],
          "set-due moved 15/03 to 19/04: %r" % dated(noivu, "M3"))
    shown = ctl.json("task", "show", str(by["M3"]["id"]), "--format=json")
    check(shown[0]["due"] == "2024-04-19", "task shows the new due date")

    p = ctl.run("task", "set-rule", str(by["M2"]["id"]),
                "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=15")
    check(p.returncode == 0, "set-rule: %s" % p.stderr)
    vp = ctl.json("agenda", "--all", "--unit", "vp", "--format", "json")
    # 15/6/2024 Saturday, 15/12/2024 Sunday.
    check(dated(vp, "M2") == [("2024-06-17", "2024-06-15"),
                              ("2024-12-16", "2024-12-15")],
          "set-rule regenerated M2: %r" % dated(vp, "M2"))
    p = ctl.run("task", "set-rule", str(by["M2"]["id"]), "FREQ=SOMETIMES")
    check(p.returncode != 0, "a bad rule is refused")
    vp2 = ctl.json("agenda", "--all", "--unit", "vp", "--format", "json")
    check(dated(vp2, "M2") == dated(vp, "M2"), "bad rule changed nothing")


def test_done(ctl):
    tuphap = ctl.json("agenda", "--all", "--unit", "tuphap", "--format",
                      "json")
    jan = [a["id"] for a in tuphap if a["ref"] == "M1" and
           a["due"] == "2024-01-31"][0]
    p = ctl.run("done", str(jan), "--date", "2024-01-30", "--note",
                "đã gửi báo cáo")
    check(p.returncode == 0, "done: %s" % p.stderr)
    st = {a["id"]: a["status"] for a in ctl.json(
        "agenda", "--all", "--unit", "tuphap", "--format", "json")}
    check(st.get(jan) == "done", "done shows in agenda --all: %r" %
          st.get(jan))
    open_ids = [a["id"] for a in ctl.json("agenda", "--unit", "tuphap",
                                          "--days", "60", "--format",
                                          "json")]
    check(jan not in open_ids, "a done occurrence leaves the open agenda")
    p = ctl.run("reopen", str(jan))
    check(p.returncode == 0, "reopen: %s" % p.stderr)
    st = {a["id"]: a["status"] for a in ctl.json(
        "agenda", "--all", "--unit", "tuphap", "--format", "json")}
    check(st.get(jan) == "open", "reopened: %r" % st.get(jan))
    # 2024-02-05: 31/01 is overdue again.
    st = {a["id"]: a["status"] for a in ctl.json(
        "agenda", "--all", "--unit", "tuphap", "--format", "json",
        now="2024-02-05")}
    check(st.get(jan) == "overdue", "open and past: overdue: %r" %
          st.get(jan))


def test_agenda(ctl):
    # --now 2024-02-05: overdue = open and before today.
    over = ctl.json("agenda", "--overdue", "--format", "json",
                    now="2024-02-05")
    check(rows(over) == [("M1", "2024-01-31", "tuphap"),
                         ("M4", "2024-01-15", "noivu"),
                         ("M4", "2024-01-15", "vp")],
          "agenda --overdue: %r" % rows(over))
    check(all(a["status"] == "overdue" and a["working_days_left"] < 0
              for a in over), "overdue rows say so")
    # --now 2024-01-15: the next 10 days hold only today's M4 meetings.
    soon = ctl.json("agenda", "--days", "10", "--format", "json")
    check(rows(soon) == [("M4", "2024-01-15", "noivu"),
                         ("M4", "2024-01-15", "vp")],
          "agenda --days 10: %r" % rows(soon))
    check(all(a["working_days_left"] == 0 for a in soon),
          "due today: 0 working days left")
    month = ctl.json("agenda", "--days", "20", "--format", "json")
    check(rows(month) == [("M1", "2024-01-31", "tuphap"),
                          ("M4", "2024-01-15", "noivu"),
                          ("M4", "2024-01-15", "vp")],
          "agenda --days 20: %r" % rows(month))
    # 16/1..31/1 minus weekends: 12 working days.
    left = [a["working_days_left"] for a in month if a["ref"] == "M1"]
    check(left == [12], "working days to 31/01: %r" % left)
    vp = ctl.json("agenda", "--unit", "vp", "--days", "20", "--format",
                  "json")
    check(rows(vp) == [("M4", "2024-01-15", "vp")],
          "agenda --unit vp: %r" % rows(vp))
    text = ctl.ok("agenda", "--unit", "tuphap", "--days", "20", "--format",
                  "csv")
    recs = list(csv.reader(io.StringIO(text)))
    check(recs[0] == ["id", "due", "nominal", "working_days_left", "status",
                      "unit", "role", "plan", "ref", "title"] and
          len(recs) == 2 and recs[1][1] == "2024-01-31" and
          recs[1][9] == "Báo cáo tháng", "agenda CSV: %r" % recs)


def test_exit_codes(ctl):
    before = ctl.ok("tasks", "--format", "json")
    cases = [
        (1, ["task", "add", "X", "--due", "2024-05-10", "--unit", "nosuch"]),
        (1, ["done", "9999"]),
        (1, ["reopen", "9999"]),
        (1, ["task", "set-due", "9999", "2024-05-10"]),
        (2, ["task", "add"]),
        (2, ["task", "add", "X", "--unit", "vp"]),
        (2, ["task", "add", "X", "--due", "2024-05-10"]),
        (2, ["task", "add", "X", "--due", "32/13/2024", "--unit", "vp"]),
        (2, ["task", "add", "X", "--due", "2024-02-30", "--unit", "vp"]),
        (2, ["done"]),
        (2, ["done", "abc"]),
        (2, ["tasks", "--format", "xml"]),
        (2, ["agenda", "--format", "yaml"]),
        (2, ["agenda", "--days", "abc"]),
        (2, ["holidays"]),
        (2, ["holidays", "2024", "--format", "xml"]),
        (2, ["no-such-command"]),
    ]
    for want, args in cases:
        p = ctl.run(*args)
        check(p.returncode == want, "%s: exit %d, want %d" % (
            " ".join(args), p.returncode, want))
        check(p.stderr.strip() != "", "%s: says why on stderr" %
              " ".join(args))
    check(ctl.ok("tasks", "--format", "json") == before,
          "failed commands wrote nothing")
    for cmd in ("import", "task", "tasks", "done", "reopen", "agenda",
                "holidays", "schedule"):
        p = ctl.run(cmd, "--help")
        check(p.returncode == 0 and "usage" in p.stdout,
              "%s --help: exit %d" % (cmd, p.returncode))
    p = ctl.run("--help")
    check(p.returncode == 0 and "usage" in p.stdout, "deadlinectl --help")


def test_holidays(ctl):
    recs = list(csv.reader(io.StringIO(ctl.ok("holidays", "2024", "--format",
                                              "csv"))))
    check(recs[0] == ["date", "kind", "name", "origin"],
          "holidays header: %r" % recs[0])
    h = {r[0]: r for r in recs[1:]}
    check(h.get("2024-02-10", [None, None])[1] == "day-off",
          "Tết (mùng 1) 10/02/2024 off")
    # Văn bản 2450/VPCP-KGVX: Monday 29/04 off, made up on Saturday 04/05.
    check(h.get("2024-05-04", [None] * 4)[1] == "working-day" and
          h["2024-05-04"][3] == "decided", "make-up Saturday 04/05/2024")
    check(h.get("2024-04-29", [None] * 4)[1] == "day-off" and
          h["2024-04-29"][3] == "decided", "swapped day off 29/04/2024")
    check("2024-05-02" not in h, "02/05/2024 is a working day")
    for d in ("2024-01-01", "2024-04-18", "2024-04-30", "2024-05-01",
              "2024-09-02", "2024-09-03"):
        check(h.get(d, [None, None])[1] == "day-off", "%s off" % d)
    check(h.get("2024-04-18", [None] * 4)[3] == "computed",
          "Giỗ Tổ 18/04/2024 computed from the lunar calendar")
    check("2024-06-17" not in h and "2024-02-15" not in h,
          "ordinary days are not listed")
    recs = list(csv.reader(io.StringIO(ctl.ok("holidays", "2023", "--format",
                                              "csv"))))
    h = {r[0]: r for r in recs[1:]}
    # 2023: Giỗ Tổ on Saturday 29/4, 30/4 Sunday -> Tuesday 2/5 and
    # Wednesday 3/5 off in compensation (1/5 Monday is itself a holiday).
    check(h.get("2023-05-02", [None, None])[1] == "day-off" and
          h.get("2023-05-03", [None, None])[1] == "day-off",
          "2023 compensatory days 02/05 and 03/05")
    check(h.get("2023-04-29", [None, None])[1] == "day-off",
          "Giỗ Tổ 2023 on 29/04")
    check(h.get("2023-05-04") is None, "04/05/2023 is a working day")


def main():
    exe = deadlinectl()
    if not exe:
        return 77
    tmp = tempfile.mkdtemp(prefix="cli-tasks-")
    try:
        os.mkdir(os.path.join(tmp, "state"))
        cfg = write_config(os.path.join(tmp, "deadlined.ini"),
                           os.path.join(tmp, "state"), source_dir())
        ctl = Ctl(exe, cfg, "2024-01-15", timeout=60)
        ctl.ok("init")
        test_add(ctl)
        by = test_listing(ctl)
        test_done(ctl)
        test_agenda(ctl)
        test_change(ctl, by)
        test_exit_codes(ctl)
        test_holidays(ctl)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
