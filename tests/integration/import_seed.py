#!/usr/bin/python3
"""End to end: deadlinectl import of the seed plan (Tuy Phước 2024).

Every expected value below was worked out by hand from
tests/fixtures/seed-tuyphuoc-2024.txt, config/units.ini,
config/days-off.ini and the table "Reading the seed's time column" of the
design: nothing is copied from the program's own output.
"""
import os
import shutil
import sqlite3
import sys
import tempfile

PLAN = "kh-cchc-2024"
COMMUNES = {"tt-tuyphuoc", "tt-dieutri", "phuocan", "phuochiep", "phuochoa",
            "phuochung", "phuocloc", "phuocnghia", "phuocquang", "phuocson",
            "phuocthang", "phuocthanh", "phuocthuan"}
DEPARTMENTS = {"vp", "noivu", "tuphap", "tckh", "kthatang", "vhtt", "tnmt",
               "gddt", "ldtbxh", "nnptnt", "yte", "thanhtra"}

# Bullet pairs of each task row of the seed, counted by hand (51 rows).
ROW_BULLETS = [
    ("I.KP.1", 2), ("I.DT.1", 2), ("I.DT.2", 1), ("I.DT.3", 4),
    ("I.DT.4", 1), ("I.DT.5", 1), ("I.DT.6", 2), ("I.DT.7", 2),
    ("II.KP.1", 1), ("II.DT.1", 3), ("II.DT.2", 1),
    ("III.KP.1", 2), ("III.KP.2", 3), ("III.DT.1", 1), ("III.DT.2", 2),
    ("III.DT.3", 2), ("III.DT.4", 2),
    ("IV.DT.1", 2), ("IV.DT.2", 2), ("IV.DT.3", 1), ("IV.DT.4", 2),
    ("V.KP.1", 3), ("V.KP.2", 1), ("V.DT.1", 1), ("V.DT.2", 1),
    ("V.DT.3", 1), ("V.DT.4", 2), ("V.DT.5", 4),
    ("VI.KP.1", 2), ("VI.DT.1", 1), ("VI.DT.2", 1), ("VI.DT.3", 2),
    ("VI.DT.4", 1), ("VI.DT.5", 1),
    ("VII.KP.1", 2), ("VII.KP.2", 2), ("VII.KP.3", 2), ("VII.KP.4", 3),
    ("VII.KP.5", 2), ("VII.KP.6", 2), ("VII.KP.7", 2),
    ("VII.DT.1", 1), ("VII.DT.2", 2), ("VII.DT.3", 1), ("VII.DT.4", 2),
    ("VII.DT.5", 2),
    ("VIII.KP.1", 1), ("VIII.KP.2", 1), ("VIII.KP.3", 1),
    ("IX.1", 1), ("IX.2", 1),
]
# "Hàng quý, 06 tháng, năm." gives three obligations, "06 tháng, năm" two.
SPLIT = {"I.DT.1.b": 3, "IV.DT.2.b": 2}
# "... gửi ... về Phòng Nội vụ trước ngày 20/11 ..." inside the task text.
MILESTONES = ["IV.DT.3.m1"]

# One task per distinct once-phrase: ref -> (time phrase, nominal due).
ONCE = {
    "I.DT.2": ("Hoàn thành trong tháng 5/2024", "2024-05-31"),
    "IX.1": ("Tháng 5/2024", "2024-05-31"),
    "VII.KP.1.a": ("Tháng 6/2024", "2024-06-30"),
    "I.DT.3.d": ("Tháng 8/2024", "2024-08-31"),
    "V.DT.5.b": ("Tháng 9/2024", "2024-09-30"),
    "I.DT.6.a": ("Quý II/2024", "2024-06-30"),
    "II.DT.1.c": ("Quý III/2024", "2024-09-30"),
    "I.DT.4": ("Hoàn thành trong quý III/2024", "2024-09-30"),
    "II.DT.1.b": ("Năm 2024", "2024-12-31"),
    "V.DT.2": ("Năm 2024", "2024-12-31"),
    "I.DT.7.a": ("Hoàn thành trước tháng 11/2024", "2024-10-31"),
    "IV.DT.3": ("Hoàn thành trước tháng 12/2024", "2024-11-30"),
    "IV.DT.3.m1": ("Hoàn thành trước tháng 12/2024", "2024-11-19"),
    "V.KP.1.b": ("Hoàn thành việc đánh giá trước ngày 15/12", "2024-12-14"),
    "VII.DT.5.a": ("Ban hành DMHS trong tháng 01/2024", "2024-01-31"),
}
ONGOING = ["I.KP.1.b", "I.DT.3.a", "II.DT.1.a", "VI.DT.4", "IX.2"]
ON_EVENT = {
    "I.KP.1.a": "Theo tiến độ tỉnh giao",
    "II.KP.1": "Theo yêu cầu của tỉnh",
    "I.DT.6.b": "Theo yêu cầu của Đoàn kiểm tra",
    "II.DT.2": "Theo quy định",
    "V.DT.3": "Theo quy định",
    "III.DT.3.a": "Khi có hồ sơ trễ hẹn",
    "III.DT.4.b": "Khi có phản ánh, kiến nghị",
    "I.DT.7.b": "Sau khi tổ chức đối thoại",
    "V.DT.1": "Sau khi Đề án được phê duyệt",
}

# The seed's place-and-date line ("Tuy Phước, ngày tháng năm 2024") is a
# draft's: no day, no month.  The plan is imported on 2 January with
# --from 2024-01-01, so every 2024 date of it is ahead and nothing is past.
IMPORT_NOW = "2024-01-02"
FROM = ["--from", "2024-01-01"]

# Month ends of 2024 -> effective date (weekends; 29/4 (swapped, 2450/
# VPCP-KGVX), 30/4, 1/5 off; 31/8..3/9 off).  None: the nominal date is a
# working day.
MONTH_ENDS = [
    ("2024-01-31", None), ("2024-02-29", None),
    ("2024-04-01", "2024-03-31"),           # Sunday
    ("2024-05-02", "2024-04-30"),           # 30/4, 1/5 off
    ("2024-05-31", None),
    ("2024-07-01", "2024-06-30"),           # Sunday
    ("2024-07-31", None),
    ("2024-09-04", "2024-08-31"),           # Saturday, then 1/9..3/9
    ("2024-09-30", None), ("2024-10-31", None),
    ("2024-12-02", "2024-11-30"),           # Saturday
    ("2024-12-31", None),
]
QUARTER_ENDS = [("2024-04-01", "2024-03-31"), ("2024-07-01", "2024-06-30"),
                ("2024-09-30", None), ("2024-12-31", None)]
HALF_YEAR_ENDS = [("2024-07-01", "2024-06-30"), ("2024-12-31", None)]
YEAR_END = [("2024-12-31", None)]
QUARTER_30 = [("2024-04-01", "2024-03-30"),  # Saturday
              ("2024-07-01", "2024-06-30"),  # Sunday
              ("2024-09-30", None), ("2024-12-30", None)]

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
from checks import Checks  # noqa: E402
from ctl import Ctl, deadlinectl, source_dir, write_config  # noqa: E402

check = Checks(sys.stderr)


def expected_refs():
    refs = []
    for row, n in ROW_BULLETS:
        for i in range(n):
            ref = row if n == 1 else "%s.%s" % (row, "abcdefgh"[i])
            if ref in SPLIT:
                refs += ["%s-%d" % (ref, k + 1) for k in range(SPLIT[ref])]
            else:
                refs.append(ref)
    return sorted(refs + MILESTONES)


def units_of(task):
    out = {}
    for word in (task["units"] or "").split():
        code, role = word.split(":")
        out[code] = role
    return out


def dated(agenda, ref):
    """(effective, nominal) pairs of an agenda for one reference."""
    return sorted((a["due"], a["nominal"]) for a in agenda
                  if a["ref"] == ref and a["due"] is not None)


def occurrence_rows(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        rows = con.execute("SELECT id, task_id, unit_id, nominal, "
                           "effective, status, done_on, note "
                           "FROM occurrences ORDER BY id").fetchall()
    finally:
        con.close()
    return rows


def check_report(r):
    check(r["plan"] == PLAN and r["year"] == 2024, "plan code and year")
    check(r["dry_run"] is False, "not a dry run")
    check(r["rows"] == 51, "51 task rows, got %s" % r["rows"])
    check(r["bullets"] == 88, "88 bullet pairs, got %s" % r["bullets"])
    check(r["tasks"] == 92, "92 tasks, got %s" % r["tasks"])
    check(r["added"] == 92, "92 added, got %s" % r["added"])
    check(r["withdrawn"] == 0, "nothing withdrawn on first import")
    check(r["unit_phrases"] > 0 and
          r["unit_phrases"] == r["unit_matched"],
          "every unit phrase matched: %s of %s" % (r["unit_matched"],
                                                   r["unit_phrases"]))
    check(r["issues"] == [], "no issues, got %r" % r["issues"][:3])
    check(r["starts"] == "2024-01-01" and r["starts_from"] == "option",
          "starts 2024-01-01 from --from: %s %s" % (r["starts"],
                                                    r["starts_from"]))
    check((r["partial"], r["unparsed"], r["past"]) == (0, 0, 0),
          "every cell read, nothing past: %r" % ((r["partial"],
                                                 r["unparsed"], r["past"]),))
    k = r["kinds"]
    check(k == {"once": 21, "recurring": 15, "ongoing": 29,
                "on_event": 27, "unparsed": 0}, "kinds by hand, got %r" % k)


def check_times(by_ref):
    for ref, (phrase, due) in ONCE.items():
        t = by_ref.get(ref)
        if t is None:
            check(False, "task %s missing" % ref)
            continue
        check(t["kind"] == "once", "%s is once, got %s" % (ref, t["kind"]))
        check(t["due"] == due, "%s due %s, got %s" % (ref, due, t["due"]))
        check(t["time_text"].startswith(phrase),
              "%s time text %r" % (ref, t["time_text"]))
        check(t["rule"] is None, "%s has no rule" % ref)
    for ref in ONGOING:
        t = by_ref[ref]
        check(t["kind"] == "ongoing" and t["due"] is None,
              "%s ongoing without a date, got %s %s" % (ref, t["kind"],
                                                        t["due"]))
        check(t["time_text"].startswith("Thường xuyên"),
              "%s time text %r" % (ref, t["time_text"]))
    for ref, phrase in ON_EVENT.items():
        t = by_ref[ref]
        check(t["kind"] == "on_event" and t["due"] is None and
              t["rule"] is None, "%s on event, got %s" % (ref, t["kind"]))
        check(t["time_text"].startswith(phrase),
              "%s time text %r" % (ref, t["time_text"]))
    for ref in ("III.KP.2.b", "III.KP.2.c", "III.DT.2.b", "I.DT.1.b-1",
                "I.DT.1.b-2", "I.DT.1.b-3", "IV.DT.2.b-1", "IV.DT.2.b-2",
                "I.DT.5"):
        t = by_ref[ref]
        check(t["kind"] == "recurring" and t["rule"] and
              "FREQ=" in t["rule"] and t["due"] is None,
              "%s recurring with a rule, got %s %s" % (ref, t["kind"],
                                                       t["rule"]))
    for ref in ("I.DT.1.b-1", "I.DT.1.b-2", "I.DT.1.b-3"):
        check(by_ref[ref]["time_text"] == "Hàng quý, 06 tháng, năm.",
              "%s time text %r" % (ref, by_ref[ref]["time_text"]))
    check(by_ref["III.DT.2.b"]["time_text"] ==
          "Ngày 30 tháng cuối cùng của quý", "III.DT.2.b time text")


def check_units(by_ref):
    dept_support = {c: "support" for c in DEPARTMENTS}
    cases = {
        # "Phòng Tư pháp"
        "II.KP.1": {"tuphap": "lead"},
        # "UBND các xã, thị trấn": the 13 communes and towns
        "I.DT.2": {c: "lead" for c in COMMUNES},
        # "Văn phòng HĐND và UBND chủ trì phối hợp với Phòng Nội vụ và
        #  các phòng có liên quan"
        "I.DT.4": dict(dept_support, vp="lead"),
        # "Phòng Kinh tế và Hạ tầng phối hợp với Phòng Tài chính - Kế
        #  hoạch, Ban Quản lý Dự án đầu tư xây dựng và PTQĐ huyện."
        "I.DT.7.a": {"kthatang": "lead", "tckh": "support",
                     "bqlda": "support"},
        # "Trung tâm Văn hóa - Thông tin - Thể thao" (dashes in a name)
        "I.DT.3.a": {"ttvhtt": "lead"},
        # "Phòng Văn hóa và Thông tin chủ trì phối hợp với các phòng, ban
        #  chuyên môn có liên quan."
        "I.DT.3.c": dict(dept_support, vhtt="lead"),
        # "Bộ phận Một cửa huyện; Phòng Tài chính – Kế hoạch": no role
        #  word, so each leads its own share (issue #17)
        "VIII.KP.3": {"motcua": "lead", "tckh": "lead"},
        # "Phòng Văn hoá và Thông tin, Phòng Nội vụ"
        "VII.DT.5.b": {"vhtt": "lead", "noivu": "lead"},
        # "Văn phòng HĐND và UBND huyện" (second bullet of I.KP.1)
        "I.KP.1.b": {"vp": "lead"},
        # "UBND các xã, thị trấn; các đơn vị trường học."
        "V.DT.5.c": dict({c: "lead" for c in COMMUNES}, gddt="lead"),
        # "Phòng Nội vụ" (the three obligations share it)
        "I.DT.1.b-3": {"noivu": "lead"},
    }
    for ref, want in cases.items():
        got = units_of(by_ref[ref])
        check(got == want, "units of %s: want %r got %r" % (ref, want, got))
    # "Phòng Tài chính – Kế hoạch; Chi cục thuế huyện; UBND các xã, thị trấn"
    got = units_of(by_ref["VIII.KP.2"])
    check(set(got.values()) == {"lead"} and "tckh" in got and
          "thue" in got and COMMUNES <= set(got) and len(got) == 15,
          "units of VIII.KP.2: %r" % got)
    for t in by_ref.values():
        check(t["unmatched"] is None, "%s has unmatched %r" % (t["ref"],
                                                              t["unmatched"]))


def check_agenda(ctl):
    vp = ctl.json("agenda", "--all", "--unit", "vp", "--format", "json")
    check(dated(vp, "III.KP.2.b") == MONTH_ENDS,
          "Hàng tháng for vp: %r" % dated(vp, "III.KP.2.b"))
    check(dated(vp, "III.KP.2.c") == QUARTER_ENDS,
          "Hàng quý for vp: %r" % dated(vp, "III.KP.2.c"))
    check(dated(vp, "III.DT.2.b") == QUARTER_30,
          "Ngày 30 tháng cuối của quý for vp: %r" % dated(vp, "III.DT.2.b"))
    rows = [a for a in vp if a["ref"] == "III.KP.2.b"]
    for a in rows:
        check(a["unit"] == "vp" and a["role"] == "lead" and
              a["plan"] == PLAN, "agenda row of vp: %r" % a)
    # --now 2024-06-17 (Monday): 1/7 is 10 working days ahead, 31/5 was
    # 11 working days ago (3/6..17/6).
    left = {a["due"]: (a["working_days_left"], a["status"]) for a in rows}
    check(left.get("2024-07-01") == (10, "open"),
          "working days to 2024-07-01: %r" % (left.get("2024-07-01"),))
    check(left.get("2024-05-31") == (-11, "overdue"),
          "working days since 2024-05-31: %r" % (left.get("2024-05-31"),))
    # I.KP.1.b is ongoing: listed without a date, never with one.
    undated = [a for a in vp if a["ref"] == "I.KP.1.b"]
    check(len(undated) == 1 and undated[0]["due"] is None and
          undated[0]["status"] == "ongoing",
          "ongoing I.KP.1.b in the agenda: %r" % undated)
    ev = [a for a in vp if a["ref"] == "III.KP.1.b"]
    check(len(ev) == 1 and ev[0]["due"] is None and
          ev[0]["status"] == "on_event", "on-event III.KP.1.b: %r" % ev)

    noivu = ctl.json("agenda", "--all", "--unit", "noivu", "--format",
                     "json")
    check(dated(noivu, "I.DT.1.b-1") == QUARTER_ENDS, "Hàng quý of I.DT.1.b")
    check(dated(noivu, "I.DT.1.b-2") == HALF_YEAR_ENDS,
          "06 tháng of I.DT.1.b: %r" % dated(noivu, "I.DT.1.b-2"))
    check(dated(noivu, "I.DT.1.b-3") == YEAR_END,
          "năm of I.DT.1.b: %r" % dated(noivu, "I.DT.1.b-3"))
    check(dated(noivu, "IV.DT.2.b-1") == HALF_YEAR_ENDS, "06 tháng IV.DT.2")
    check(dated(noivu, "IV.DT.2.b-2") == YEAR_END, "năm of IV.DT.2.b")
    check(dated(noivu, "I.DT.5") == YEAR_END, "Hàng năm of I.DT.5")
    # Once: 30/06/2024 is a Sunday (I.DT.6.a, Quý II/2024).
    check(dated(noivu, "I.DT.6.a") == [("2024-07-01", "2024-06-30")],
          "Quý II/2024 for noivu: %r" % dated(noivu, "I.DT.6.a"))
    # 19/11/2024 is a Tuesday; 30/11/2024 a Saturday.
    check(dated(noivu, "IV.DT.3.m1") == [("2024-11-19", None)],
          "milestone 19/11: %r" % dated(noivu, "IV.DT.3.m1"))
    # "trước tháng 12": due 30/11, a Saturday; "before December" never
    # lands in December, so it moves back to Friday 29/11.
    check(dated(noivu, "IV.DT.3") == [("2024-11-29", "2024-11-30")],
          "trước tháng 12: %r" % dated(noivu, "IV.DT.3"))
    # 14/12/2024 is a Saturday: back to Friday 13/12, before the 15th.
    check(dated(noivu, "V.KP.1.b") == [("2024-12-13", "2024-12-14")],
          "trước ngày 15/12: %r" % dated(noivu, "V.KP.1.b"))
    dayoff = {t["ref"]: t["dayoff"] for t in ctl.json(
        "tasks", "--plan", PLAN, "--format", "json")}
    check(dayoff["IV.DT.3"] == "previous" and
          dayoff["V.KP.1.b"] == "previous" and
          dayoff["IV.DT.3.m1"] == "previous" and
          dayoff["I.DT.7.a"] == "previous" and
          dayoff["I.DT.6.a"] is None and dayoff["III.KP.2.b"] is None,
          "the day-off rule of each task: %r" % {
              k: dayoff[k] for k in ("IV.DT.3", "V.KP.1.b", "I.DT.6.a")})

    # A commune leads its share of the quarterly meeting III.KP.2.c
    # ("Văn phòng HĐND và UBND huyện; Bộ phận Một cửa huyện; UBND các xã,
    # thị trấn": no role word).
    phuocan = ctl.json("agenda", "--all", "--unit", "phuocan", "--format",
                       "json")
    check(dated(phuocan, "III.KP.2.c") == QUARTER_ENDS,
          "Hàng quý for phuocan: %r" % dated(phuocan, "III.KP.2.c"))
    roles = {a["role"] for a in phuocan if a["ref"] == "III.KP.2.c"}
    check(roles == {"lead"}, "phuocan leads III.KP.2.c: %r" % roles)
    # 31/5/2024 is a Friday (I.DT.2, Hoàn thành trong tháng 5/2024).
    check(dated(phuocan, "I.DT.2") == [("2024-05-31", None)],
          "tháng 5 for phuocan: %r" % dated(phuocan, "I.DT.2"))
    # 31/8/2024 is a Saturday (V.DT.5.c, Tháng 8/2024).
    check(dated(phuocan, "V.DT.5.c") == [("2024-09-04", "2024-08-31")],
          "Tháng 8/2024 for phuocan: %r" % dated(phuocan, "V.DT.5.c"))


def main():
    exe = deadlinectl()
    if not exe:
        return 77
    src = source_dir()
    seed = os.path.join(src, "tests/fixtures/seed-tuyphuoc-2024.txt")
    csv_sample = os.path.join(src, "tests/fixtures/plan-sample.csv")
    tmp = tempfile.mkdtemp(prefix="import-seed-")
    try:
        os.mkdir(os.path.join(tmp, "state"))
        cfg = write_config(os.path.join(tmp, "deadlined.ini"),
                           os.path.join(tmp, "state"), src)
        db = os.path.join(tmp, "state", "deadlined.db")
        ctl = Ctl(exe, cfg, "2024-06-17")
        ctl.must("init")

        # A dry run on an empty database writes nothing.
        r = ctl.json("import", seed, "--plan", PLAN, "--dry-run",
                     "--format", "json", *FROM, now=IMPORT_NOW)
        check(r["dry_run"] is True and r["tasks"] == 92,
              "dry run reports the 92 tasks")
        check(ctl.json("tasks", "--format", "json") == [],
              "dry run left no task")
        check(occurrence_rows(db) == [], "dry run left no occurrence")

        r = ctl.json("import", seed, "--plan", PLAN, "--format", "json",
                     *FROM, now=IMPORT_NOW)
        check_report(r)
        tasks = ctl.json("tasks", "--plan", PLAN, "--format", "json")
        by_ref = {t["ref"]: t for t in tasks}
        check(len(tasks) == 92 and len(by_ref) == 92,
              "92 distinct tasks, got %d" % len(tasks))
        check(sorted(by_ref) == expected_refs(),
              "references: missing %r, extra %r" % (
                  sorted(set(expected_refs()) - set(by_ref)),
                  sorted(set(by_ref) - set(expected_refs()))))
        check(all(t["plan"] == PLAN and t["status"] == "active"
                  for t in tasks), "all tasks active in the plan")
        lines = {"I.KP.1.a": 32, "I.DT.2": 38, "II.KP.1": 55,
                 "IV.DT.3.m1": 92, "IX.1": 179}
        for ref, line in lines.items():
            check(by_ref[ref]["line"] == line, "%s from line %d, got %s" %
                  (ref, line, by_ref[ref]["line"]))
        check(by_ref["I.DT.2"]["category"] == "maintain" and
              by_ref["I.KP.1.a"]["category"] == "fix" and
              by_ref["III.KP.2.b"]["section"] == "III", "section, category")
        check_times(by_ref)
        check_units(by_ref)
        check_agenda(ctl)

        # Re-importing the same file changes nothing, --from or not: a
        # plan without a date keeps the start of its first import.
        occ_before = occurrence_rows(db)
        r = ctl.json("import", seed, "--plan", PLAN, "--format", "json")
        check(r["starts"] == "2024-01-01" and r["starts_from"] == "kept"
              and r["past"] == 0, "re-import keeps the start: %s %s %s" %
              (r["starts"], r["starts_from"], r["past"]))
        check(r["tasks"] == 92 and r["unchanged"] == 92 and
              r["added"] == 0 and r["changed"] == 0 and r["withdrawn"] == 0,
              "re-import: all 92 unchanged, got %r" % {
                  k: r[k] for k in ("added", "changed", "unchanged",
                                    "withdrawn")})
        check(ctl.json("tasks", "--plan", PLAN, "--format", "json") == tasks,
              "re-import: same tasks, same ids")
        check(occurrence_rows(db) == occ_before,
              "re-import: occurrences unchanged")

        # A dry run of another document under the same code would withdraw
        # every task but II.KP.1 and II.DT.2 (refs the CSV sample also has,
        # so they would be updated): it must write nothing.
        agenda_before = ctl.must("agenda", "--all", "--format", "json").stdout
        r = ctl.json("import", csv_sample, "--plan", PLAN, "--dry-run",
                     "--format", "json")
        check(r["dry_run"] is True and r["withdrawn"] == 90,
              "dry run would withdraw 90, got %s" % r["withdrawn"])
        check(ctl.json("tasks", "--plan", PLAN, "--format", "json") == tasks,
              "dry run left the tasks alone")
        check(occurrence_rows(db) == occ_before,
              "dry run left the occurrences alone")
        check(ctl.must("agenda", "--all", "--format", "json").stdout ==
              agenda_before, "dry run left the agenda alone")

        # Done work stays done when the plan is imported again later.
        vp = ctl.json("agenda", "--all", "--unit", "vp", "--format", "json")
        ids = {a["due"]: a["id"] for a in vp if a["ref"] == "III.KP.2.b"}
        past, future = ids["2024-01-31"], ids["2024-07-01"]
        ctl.must("done", str(past), "--date", "2024-02-01", "--note",
                "đã báo cáo")
        ctl.must("done", str(future), "--date", "2024-06-28")
        r = ctl.json("import", seed, "--plan", PLAN, "--format", "json",
                     now="2024-09-15")
        check(r["unchanged"] == 92, "later re-import: 92 unchanged")
        occ = {row[0]: row for row in occurrence_rows(db)}
        check(occ[past][5:] == ("done", "2024-02-01", "đã báo cáo"),
              "done 31/01 kept: %r" % (occ[past],))
        check(occ[future][5:7] == ("done", "2024-06-28"),
              "done 01/07 kept: %r" % (occ[future],))
        vp = ctl.json("agenda", "--all", "--unit", "vp", "--format", "json",
                      now="2024-09-15")
        status = {a["due"]: a["status"] for a in vp
                  if a["ref"] == "III.KP.2.b"}
        check(status.get("2024-01-31") == "done" and
              status.get("2024-07-01") == "done" and
              status.get("2024-07-31") == "overdue" and
              status.get("2024-09-30") == "open",
              "statuses at 2024-09-15: %r" % status)
        check(dated(vp, "III.KP.2.b") == MONTH_ENDS,
              "later re-import keeps the 12 month ends")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
