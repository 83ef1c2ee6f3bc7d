#!/usr/bin/python3
"""End to end: deadlinectl import of the CSV sample, then of a revision.

tests/fixtures/plan-sample.csv has its own column order (time before task,
"Cơ quan chủ trì", extra columns), CRLF line ends, a BOM, quoted cells with
line breaks and doubled quotes.  tests/fixtures/plan-sample-v2.csv is the
same plan with row I.KP.3 removed, row II.DT.1 moved from "Năm 2024" to
"Quý III/2024" and a row II.DT.3 ("Tháng 9/2024", Phòng Kinh tế và Hạ tầng)
added.  Expected values are worked out by hand from those files,
config/units.ini and config/days-off.ini.
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
MONTH_ENDS = [
    ("2024-01-31", None), ("2024-02-29", None),
    ("2024-04-01", "2024-03-31"), ("2024-05-02", "2024-04-30"),
    ("2024-05-31", None), ("2024-07-01", "2024-06-30"),
    ("2024-07-31", None), ("2024-09-04", "2024-08-31"),
    ("2024-09-30", None), ("2024-10-31", None),
    ("2024-12-02", "2024-11-30"), ("2024-12-31", None),
]
QUARTER_ENDS = [("2024-04-01", "2024-03-31"), ("2024-07-01", "2024-06-30"),
                ("2024-09-30", None), ("2024-12-31", None)]

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
from checks import Checks  # noqa: E402
from ctl import Ctl, deadlinectl, source_dir, write_config  # noqa: E402

check = Checks(sys.stderr)


def units_of(task):
    return dict(w.split(":") for w in (task["units"] or "").split())


def dated(agenda, ref):
    return sorted((a["due"], a["nominal"]) for a in agenda
                  if a["ref"] == ref and a["due"] is not None)


def occurrences(db, task_id):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute("SELECT id, nominal, effective, status, done_on, "
                           "note FROM occurrences WHERE task_id = ? "
                           "ORDER BY id", (task_id,)).fetchall()
    finally:
        con.close()


def check_first_import(ctl, r):
    check(r["rows"] == 9, "9 task rows, got %s" % r["rows"])
    check(r["bullets"] == 11, "11 bullet pairs, got %s" % r["bullets"])
    check(r["tasks"] == 13 and r["added"] == 13, "13 tasks added")
    check(r["issues"] == [], "no issues: %r" % r["issues"])
    check(r["unit_phrases"] == r["unit_matched"] == 12,
          "12 unit phrases all matched: %s/%s" % (r["unit_matched"],
                                                  r["unit_phrases"]))
    check(r["kinds"] == {"once": 6, "recurring": 4, "ongoing": 1,
                         "on_event": 2, "unparsed": 0},
          "kinds: %r" % r["kinds"])
    # 4 quarters + 2 + 1 + 2 + 12 months + 2 half-years + 1 year + 13
    check(r["occurrences"] == 37, "37 occurrences, got %s" %
          r["occurrences"])

    tasks = ctl.json("tasks", "--plan", PLAN, "--format", "json")
    t = {x["ref"]: x for x in tasks}
    check(sorted(t) == sorted([
        "I.KP.1", "I.KP.2.a", "I.KP.2.b", "I.KP.3", "I.DT.1", "I.DT.2.a",
        "I.DT.2.b", "II.KP.1", "II.KP.2-1", "II.KP.2-2", "II.KP.2-3",
        "II.DT.1", "II.DT.2"]), "references: %r" % sorted(t))
    want = {
        "I.KP.1": ("recurring", None, {"noivu": "lead"}, 4),
        "I.KP.2.a": ("once", "2024-11-19", {"vp": "lead"}, 5),
        "I.KP.2.b": ("once", "2024-11-19", {"vp": "lead"}, 5),
        "I.KP.3": ("once", "2024-06-30", {"tuphap": "lead"}, 7),
        "I.DT.1": ("ongoing", None, {"vhtt": "lead"}, 9),
        "I.DT.2.a": ("once", "2024-06-30", {"noivu": "lead"}, 10),
        "I.DT.2.b": ("once", "2024-12-31", {"noivu": "lead"}, 10),
        "II.KP.1": ("on_event", None, {"tuphap": "lead"}, 16),
        "II.KP.2-1": ("recurring", None, {"tckh": "lead"}, 17),
        "II.DT.1": ("once", "2024-12-31", {c: "lead" for c in COMMUNES},
                    19),
        # "Phòng Nội vụ; UBND các xã, thị trấn": no role word, each leads
        "II.DT.2": ("on_event", None, dict({c: "lead" for c in COMMUNES},
                                           noivu="lead"), 20),
    }
    for ref, (kind, due, units, line) in want.items():
        x = t[ref]
        got = (x["kind"], x["due"], units_of(x), x["line"])
        check(got == (kind, due, units, line),
              "%s: want %r got %r" % (ref, (kind, due, units, line), got))
    check(t["I.KP.2.a"]["title"] ==
          'Xây dựng báo cáo "tự đánh giá" Chỉ số CCHC năm 2024',
          "doubled quotes: %r" % t["I.KP.2.a"]["title"])
    check(t["I.KP.2.b"]["title"] == "Gửi hồ sơ về Sở Nội vụ đúng hạn",
          "second bullet title %r" % t["I.KP.2.b"]["title"])
    check(t["I.KP.2.a"]["content"] == "Tự đánh giá, chấm điểm Chỉ số CCHC",
          "content column: %r" % t["I.KP.2.a"]["content"])
    check(t["II.KP.2-1"]["title"] ==
          "Tổng hợp số liệu thu, chi ngân sách & báo cáo UBND huyện",
          "entity decoded: %r" % t["II.KP.2-1"]["title"])
    check(t["II.DT.1"]["title"] == "Ban hành Kế hoạch thực hiện giai đoạn "
          "2021 - 2025 của xã, thị trấn", "'2021 - 2025' is no bullet")
    check(t["I.KP.3"]["time_text"] == "Quý 2/2024", "time text I.KP.3")
    check(t["I.KP.1"]["category"] == "fix" and
          t["I.DT.1"]["category"] == "maintain" and
          t["II.DT.1"]["section"] == "II", "section and category")

    noivu = ctl.json("agenda", "--all", "--unit", "noivu", "--format",
                     "json")
    check(dated(noivu, "I.KP.1") == QUARTER_ENDS,
          "Hàng quý: %r" % dated(noivu, "I.KP.1"))
    check(dated(noivu, "I.DT.2.a") == [("2024-07-01", "2024-06-30")],
          "Tháng 6/2024: %r" % dated(noivu, "I.DT.2.a"))
    tckh = ctl.json("agenda", "--all", "--unit", "tckh", "--format", "json")
    check(dated(tckh, "II.KP.2-1") == MONTH_ENDS,
          "Hàng tháng: %r" % dated(tckh, "II.KP.2-1"))
    check(dated(tckh, "II.KP.2-2") == [("2024-07-01", "2024-06-30"),
                                       ("2024-12-31", None)], "06 tháng")
    check(dated(tckh, "II.KP.2-3") == [("2024-12-31", None)], "năm")
    return t


def main():
    exe = deadlinectl()
    if not exe:
        return 77
    src = source_dir()
    v1 = os.path.join(src, "tests/fixtures/plan-sample.csv")
    v2 = os.path.join(src, "tests/fixtures/plan-sample-v2.csv")
    tmp = tempfile.mkdtemp(prefix="import-csv-")
    try:
        os.mkdir(os.path.join(tmp, "state"))
        cfg = write_config(os.path.join(tmp, "deadlined.ini"),
                           os.path.join(tmp, "state"), src)
        db = os.path.join(tmp, "state", "deadlined.db")
        ctl = Ctl(exe, cfg, "2024-06-17")
        ctl.must("init")
        # The CSV names no date: imported on 2 January from the 1st, so
        # every 2024 date of it is ahead (none past at import).
        r = ctl.json("import", v1, "--plan", PLAN, "--from", "2024-01-01",
                     "--format", "json", now="2024-01-02")
        t1 = check_first_import(ctl, r)

        # Work done before the revision arrives.
        noivu = ctl.json("agenda", "--all", "--unit", "noivu", "--format",
                         "json")
        kept = [a["id"] for a in noivu if a["ref"] == "I.DT.2.a"][0]
        ctl.must("done", str(kept), "--date", "2024-06-20", "--note",
                "đã kiểm tra 5 xã")
        tuphap = ctl.json("agenda", "--all", "--unit", "tuphap", "--format",
                          "json")
        gone = [a["id"] for a in tuphap if a["ref"] == "I.KP.3"][0]
        ctl.must("done", str(gone), "--date", "2024-06-14")
        old_dt1 = occurrences(db, t1["II.DT.1"]["id"])
        check(len(old_dt1) == 13 and
              all(o[1:4] == ("2024-12-31", "2024-12-31", "open")
                  for o in old_dt1), "II.DT.1: 13 open on 31/12")

        r = ctl.json("import", v2, "--plan", PLAN, "--format", "json")
        check(r["rows"] == 9 and r["tasks"] == 13,
              "v2: 9 rows, 13 tasks: %s %s" % (r["rows"], r["tasks"]))
        check((r["added"], r["changed"], r["unchanged"], r["withdrawn"]) ==
              (1, 1, 11, 1), "v2: 1 added, 1 changed, 11 unchanged, 1 "
              "withdrawn, got %r" % ((r["added"], r["changed"],
                                      r["unchanged"], r["withdrawn"]),))
        check(r["issues"] == [], "v2: no issues")
        tasks = ctl.json("tasks", "--plan", PLAN, "--format", "json")
        t2 = {x["ref"]: x for x in tasks}
        check(len(tasks) == 14, "13 active + 1 withdrawn listed, got %d" %
              len(tasks))
        for ref, x in t1.items():
            check(t2[ref]["id"] == x["id"], "%s keeps its id" % ref)
        # Removed row: withdrawn, still listed, its history kept.
        check(t2["I.KP.3"]["status"] == "withdrawn",
              "I.KP.3 withdrawn, got %s" % t2["I.KP.3"]["status"])
        check(t2["I.KP.3"]["due"] == "2024-06-30", "withdrawn keeps its due")
        check(occurrences(db, t1["I.KP.3"]["id"]) ==
              [(gone, "2024-06-30", "2024-07-01", "done", "2024-06-14",
                None)], "withdrawn task keeps its done occurrence")
        open_agenda = ctl.json("agenda", "--days", "400", "--format", "json")
        check(not [a for a in open_agenda if a["ref"] == "I.KP.3"],
              "no open deadline of a withdrawn task")
        check(all(x["status"] == "active" for ref, x in t2.items()
                  if ref != "I.KP.3"), "every other task active")
        # Changed row: same id, new due date, occurrences regenerated.
        dt1 = t2["II.DT.1"]
        check(dt1["due"] == "2024-09-30" and dt1["kind"] == "once" and
              dt1["time_text"] == "Quý III/2024",
              "II.DT.1 now due 2024-09-30: %s %s" % (dt1["due"],
                                                     dt1["time_text"]))
        occ = occurrences(db, dt1["id"])
        check(len(occ) == 13 and
              all(o[1:4] == ("2024-09-30", "2024-09-30", "open")
                  for o in occ), "II.DT.1: 13 open on 30/09: %r" % occ[:2])
        phuocan = ctl.json("agenda", "--all", "--unit", "phuocan",
                           "--format", "json")
        check(dated(phuocan, "II.DT.1") == [("2024-09-30", None)],
              "phuocan II.DT.1 only 30/09: %r" % dated(phuocan, "II.DT.1"))
        # Added row.
        dt3 = t2.get("II.DT.3")
        check(dt3 is not None and dt3["kind"] == "once" and
              dt3["due"] == "2024-09-30" and
              units_of(dt3) == {"kthatang": "lead"} and dt3["line"] == 20,
              "new II.DT.3: %r" % dt3)
        kth = ctl.json("agenda", "--unit", "kthatang", "--days", "200",
                       "--format", "json")
        check(dated(kth, "II.DT.3") == [("2024-09-30", None)],
              "II.DT.3 in kthatang's agenda: %r" % dated(kth, "II.DT.3"))
        # Done work of another task stays done.
        check(occurrences(db, t1["I.DT.2.a"]["id"]) ==
              [(kept, "2024-06-30", "2024-07-01", "done", "2024-06-20",
                "đã kiểm tra 5 xã")], "I.DT.2.a stays done")
        noivu = ctl.json("agenda", "--all", "--unit", "noivu", "--format",
                         "json")
        st = [a["status"] for a in noivu if a["ref"] == "I.DT.2.a"]
        check(st == ["done"], "agenda shows I.DT.2.a done: %r" % st)
        check(dated(noivu, "I.KP.1") == QUARTER_ENDS, "I.KP.1 untouched")

        # The same revision again: nothing changes.
        r = ctl.json("import", v2, "--plan", PLAN, "--format", "json")
        check(r["added"] == 0 and r["changed"] == 0 and r["unchanged"] == 13,
              "v2 again: all unchanged, got %r" % ((r["added"], r["changed"],
                                                    r["unchanged"]),))
        check(ctl.json("tasks", "--plan", PLAN, "--format", "json") == tasks,
              "v2 again: same listing")

        # "(qua Phòng Nội vụ)": where the report goes, not who does it.
        qua = os.path.join(tmp, "qua.csv")
        with open(qua, "w", encoding="utf-8") as f:
            f.write("STT,Nhiệm vụ,Cơ quan thực hiện,Thời gian thực hiện\n"
                    "1,Báo cáo kết quả,Phòng Tư pháp (qua Phòng Nội vụ),"
                    "Trước ngày 20/11/2024\n")
        r = ctl.json("import", qua, "--plan", "kh-qua", "--format", "json")
        check(r["tasks"] == 1 and r["issues"] == [],
              "qua: one task, no issues: %r" % r)
        q = ctl.json("tasks", "--plan", "kh-qua", "--format", "json")
        check(len(q) == 1 and units_of(q[0]) == {"tuphap": "lead",
                                                 "noivu": "report_to"},
              "qua: tuphap leads, noivu receives: %r" % q)
        check(q and q[0]["due"] == "2024-11-19", "qua: due the day before "
              "20/11: %r" % (q[0]["due"] if q else None))

        # A row the database refuses: the error names the file and line,
        # and nothing of the import is left.
        con = sqlite3.connect(db)
        con.execute("CREATE TRIGGER boom BEFORE INSERT ON tasks WHEN "
                    "NEW.title = 'Nổ' BEGIN SELECT RAISE(ABORT, 'refused'); "
                    "END")
        con.commit()
        con.close()
        bad = os.path.join(tmp, "bad.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("STT,Nhiệm vụ,Cơ quan thực hiện,Thời gian thực hiện\n"
                    "1,Báo cáo,Phòng Tư pháp,Quý II/2024\n"
                    "2,Nổ,Phòng Tư pháp,Quý III/2024\n")
        p = ctl.run("import", bad, "--plan", "kh-bad")
        check(p.returncode != 0 and "%s:3: " % bad in p.stderr and
              "refused" in p.stderr, "refused row named: %d %r" %
              (p.returncode, p.stderr))
        check(ctl.json("tasks", "--plan", "kh-bad", "--format", "json") ==
              [], "refused import left no task")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
