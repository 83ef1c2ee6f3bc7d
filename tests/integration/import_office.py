#!/usr/bin/python3
"""deadlinectl import of Word and Excel plans made by python-docx and
openpyxl (Debian's python3-docx and python3-openpyxl) in the test set-up.

- The seed plan as a .docx, made from its text (tests/tools/office_plan.py:
  each page a table of its own with the header row repeated, each <p> of a
  cell a paragraph), imports to exactly the tasks, units, roles and dates
  of the text seed: the two `tasks --format json` differ in nothing but
  the source line (a line of the text, a row of a table).
- A plan written for the test (office_plan.write_features_docx): a header
  table with the number and date, a column-number row marked as a repeated
  header, a section title across four columns, numbered and bulleted
  lists, tracked changes (w:ins kept, w:del dropped, written through
  python-docx's element tree: it has no API for them), units merged down
  two rows, a hyperlink, a field, a deleted row, the table continued in a
  second w:tbl, a second plan table with columns of its own, a signature
  table.  Every expected task below was worked
  out by hand from what that function writes.
- The same kind of plan as a workbook (write_features_xlsx): a notes sheet
  and a hidden sheet before the plan's sheet, merged cells, a date stored
  as a number (1900 and 1904 systems), dates as text, inline strings (as
  openpyxl writes them) and shared strings (post-processed), --sheet.
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import ctl  # noqa: E402
import office_plan  # noqa: E402

SEED_PLAN = "kh-cchc-2024"

# The Word plan, by hand: (ref, title, units, kind, due, time text).
DOCX_TASKS = [
    ("I.1.a", "Ban hành kế hoạch kiểm tra", "noivu:lead", "once",
     "2024-03-31", "Quý I/2024"),
    ("I.1.b", "Theo dõi, tổng hợp kết quả", "vp:lead", "recurring", None,
     "Hàng tháng"),
    # "hằng quý" inserted, "hằng tháng" deleted; "Tháng 5/2024" deleted,
    # "Tháng 6/2024" inserted; the units cell merged over this row and
    # the next.
    ("I.2", "Báo cáo kết quả thực hiện hằng quý", "tuphap:lead", "once",
     "2024-06-30", "Tháng 6/2024"),
    # A hyperlink's text; the field's result, not its instruction.
    ("I.3", "Kiểm tra việc công khai trên Cổng Dịch vụ công", "tuphap:lead",
     "once", "2024-12-31", "Năm 2024"),
    # In the second w:tbl; "trước ngày 15/12" is due the 14th.
    ("I.4", "Tổng kết, đánh giá", "noivu:lead", "once", "2024-12-14",
     "trước ngày 15/12"),
    # The second plan table: its own columns (time before units before
    # content), its own section; the title is its content.
    ("II.1", "Tập huấn nghiệp vụ", "tuphap:lead", "once", "2024-09-30",
     "Tháng 9/2024"),
]

# The workbook's plan sheet, by hand.
XLSX_TASKS = [
    # D7 holds the date 31/05/2024 as a serial number, dd/mm/yyyy.
    ("1", "Rà soát văn bản quy phạm pháp luật", "noivu:lead", "once",
     "2024-05-31", "31/05/2024"),
    # C7:C8 merged: Phòng Nội vụ for this row too.
    ("2", "Báo cáo kết quả rà soát", "noivu:lead", "recurring", None,
     "Hàng quý"),
    # Two lines in each cell (a line break in the cell): two pairs.
    ("3.a", "Tổng hợp danh mục văn bản", "tuphap:lead", "once",
     "2024-12-15", "15/12/2024"),
    ("3.b", "Gửi báo cáo về Sở Tư pháp", "tuphap:lead", "once",
     "2024-12-31", "Tháng 12/2024"),
    ("II.1", "Công khai thủ tục hành chính", "vp:lead", "ongoing", None,
     "Thường xuyên"),
    # After the empty row 12, a table with columns of its own (row 13).
    ("III.1", "Tập huấn nghiệp vụ", "tuphap:lead", "once", "2024-09-30",
     "Tháng 9/2024"),
]


class Ctl(ctl.Ctl):
    """A fresh database in tmp/name, initialised, at --now 2024-03-20."""

    def __init__(self, exe, tmp, name, src):
        self.state = os.path.join(tmp, name)
        os.mkdir(self.state)
        self.db = os.path.join(self.state, "deadlined.db")
        super().__init__(exe, ctl.write_config(
            os.path.join(self.state, "deadlined.ini"), self.state, src),
            "2024-03-20")
        self.must("init")


def without_lines(tasks):
    return [{k: v for k, v in t.items() if k != "line"} for t in tasks]


def check_seed(check, exe, tmp, src):
    seed = os.path.join(src, "tests/fixtures/seed-tuyphuoc-2024.txt")
    docx = os.path.join(tmp, "seed-tuyphuoc-2024.docx")
    office_plan.write_docx(office_plan.Export(seed), docx)
    text_db = Ctl(exe, tmp, "seed-text", src)
    docx_db = Ctl(exe, tmp, "seed-docx", src)
    want = text_db.json("import", seed, "--plan", SEED_PLAN, "--format",
                        "json")
    got = docx_db.json("import", docx, "--plan", SEED_PLAN, "--format",
                       "json")
    # The text seed's figures, worked out by hand in import_seed.py.
    check(got["rows"] == 51 and got["bullets"] == 88 and got["tasks"] == 92,
          "seed.docx: 51 rows, 88 pairs, 92 tasks: %r" % {
              k: got[k] for k in ("rows", "bullets", "tasks")})
    # One issue, as in the text export: "trong tháng 01/2024" is due
    # 31/01/2024, before the import day (--now 20/03/2024).
    issues = [(i["kind"], i["ref"], i.get("detail")) for i in got["issues"]]
    check(issues == [("past-deadline", "VII.DT.5.a", "2024-01-31")] and
          got["number"] is None,
          "seed.docx: the one past deadline, no number ('Số: /KH-UBND' "
          "is a draft's): %r" % issues)
    for k in ("rows", "bullets", "tasks", "kinds", "unit_phrases",
              "unit_matched", "year"):
        check(got[k] == want[k], "seed.docx report %s: %r, text %r" % (
            k, got[k], want[k]))
    tasks_text = text_db.json("tasks", "--format", "json")
    tasks_docx = docx_db.json("tasks", "--format", "json")
    check(len(tasks_docx) == 92, "seed.docx: 92 tasks, got %d" %
          len(tasks_docx))
    a, b = without_lines(tasks_text), without_lines(tasks_docx)
    diff = next(((x, y) for x, y in zip(a, b) if x != y), (len(a), len(b)))
    check(a == b, "seed.docx: tasks differ from the text seed's: first "
          "difference %r" % (diff,))
    # Rows of the document's tables: I.KP.1.a is the 4th row of the first
    # page's table (header, I, "Nội dung cần khắc phục", 1).
    by_ref = {t["ref"]: t for t in tasks_docx}
    check(by_ref["I.KP.1.a"]["line"] == 4, "I.KP.1.a from row 4, got %r" %
          by_ref["I.KP.1.a"]["line"])
    for unit in ("vp", "noivu", "phuocan"):
        check(text_db.json("agenda", "--all", "--unit", unit, "--format",
                           "json") ==
              docx_db.json("agenda", "--all", "--unit", unit, "--format",
                           "json"), "seed.docx: agenda of %s differs" % unit)
    # Imported again from the file name: the code the text seed gets too.
    r = docx_db.json("import", docx, "--dry-run", "--format", "json")
    check(r["plan"] == "seed-tuyphuoc-2024", "code from the file name: %r" %
          r["plan"])


def check_tasks(check, what, tasks, want, plan):
    got = [(t["ref"], t["title"], t["units"], t["kind"], t["due"],
            t["time_text"]) for t in tasks]
    check(got == want, "%s: tasks\n got  %r\n want %r" % (what, got, want))
    check(all(t["plan"] == plan for t in tasks), "%s: plan %s" % (what,
                                                                   plan))


def check_docx(check, exe, tmp, src):
    path = os.path.join(tmp, "ke-hoach-45.docx")
    office_plan.write_features_docx(path)
    db = Ctl(exe, tmp, "features-docx", src)
    out = db.must("import", path).stdout
    check("plan 45-kh-ubnd-2024 (year 2024)" in out and
          "document: Số 45/KH-UBND" in out,
          "report names the document and its code: %r" % out)
    tasks = db.json("tasks", "--format", "json")
    check_tasks(check, "features.docx", tasks, DOCX_TASKS, "45-kh-ubnd-2024")
    texts = json.dumps(tasks, ensure_ascii=False)
    for absent in ("Nhiệm vụ đã xóa", "DOCPROPERTY", "hằng tháng",
                   "Tháng 5/2024", "(1)", "Nơi nhận", "CHỦ TỊCH", "Thời hạn"):
        check(absent not in texts, "features.docx: %r read" % absent)
    # --plan wins over the document's number.
    r = db.json("import", path, "--plan", "cchc", "--dry-run", "--format",
                "json")
    check(r["plan"] == "cchc" and r["number"] == "45/KH-UBND",
          "--plan over the number: %r" % r["plan"])
    p = db.run("import", path, "--sheet", "Kế hoạch")
    check(p.returncode != 0 and "--sheet" in p.stderr and
          "ke-hoach-45.docx" in p.stderr, "--sheet on a .docx: %r" %
          p.stderr)


def check_xlsx(check, exe, tmp, src):
    paths = {}
    for name, epoch, shared in (("inline", False, False),
                                ("epoch1904", True, False),
                                ("shared", False, True)):
        path = os.path.join(tmp, name, "ke-hoach-46.xlsx")
        os.mkdir(os.path.dirname(path))
        office_plan.write_features_xlsx(path, epoch1904=epoch)
        if shared:
            check(office_plan.to_shared_strings(path) > 20,
                  "shared strings written")
        paths[name] = path
    first = None
    for name, path in paths.items():
        db = Ctl(exe, tmp, "xlsx-" + name, src)
        r = db.json("import", path, "--format", "json")
        check(r["plan"] == "46-kh-ubnd-2024" and r["number"] ==
              "46/KH-UBND" and r["issues"] == [],
              "%s.xlsx report: %r" % (name, r))
        tasks = db.json("tasks", "--format", "json")
        check_tasks(check, name + ".xlsx", tasks, XLSX_TASKS,
                    "46-kh-ubnd-2024")
        texts = json.dumps(tasks, ensure_ascii=False)
        check("trang ẩn" not in texts and "Nơi nhận" not in texts,
              "%s.xlsx: the hidden sheet and the signature are not read" %
              name)
        if first is None:
            first = tasks
        check(tasks == first, "%s.xlsx: the same tasks as inline.xlsx" % name)
    db = Ctl(exe, tmp, "xlsx-sheets", src)
    # --sheet reads the hidden sheet, which has no prose: --year 2024.
    db.must("import", paths["inline"], "--sheet", "Ẩn", "--plan", "an",
           "--year", "2024")
    check_tasks(check, "--sheet Ẩn", db.json("tasks", "--format", "json"),
                [("1", "Nhiệm vụ của trang ẩn", "tuphap:lead", "once",
                  "2024-09-30", "Tháng 9/2024")], "an")
    before = db.json("tasks", "--format", "json")
    for sheet, words in (("Không có", ['no sheet named "Không có"',
                                       '"Ghi chú", "Ẩn", "Kế hoạch"']),
                         ("Ghi chú", ['sheet "Ghi chú" has no plan table'])):
        p = db.run("import", paths["inline"], "--sheet", sheet)
        check(p.returncode != 0 and all(w in p.stderr for w in words) and
              "ke-hoach-46.xlsx" in p.stderr, "--sheet %s: %r" % (sheet,
                                                                  p.stderr))
    check(db.json("tasks", "--format", "json") == before,
          "a failed import changed nothing")


def missing():
    """Why the office tests cannot run (no deadlinectl, no SRCDIR, no
    python3-docx or python3-openpyxl), or None."""
    exe = os.environ.get("DEADLINECTL")
    if not exe or not os.access(exe, os.X_OK) or not os.environ.get("SRCDIR"):
        return "DEADLINECTL or SRCDIR not set"
    try:
        import docx  # noqa: F401
        import openpyxl  # noqa: F401
    except ImportError as e:
        return "python3-docx or python3-openpyxl missing (%s)" % e
    return None


def main():
    why = missing()
    if why:
        print(why + ": skipped")
        return 77
    exe, src = os.environ["DEADLINECTL"], os.environ["SRCDIR"]
    checks = office_plan.Checks()
    tmp = tempfile.mkdtemp(prefix="import-office-")
    try:
        check_seed(checks, exe, tmp, src)
        check_docx(checks, exe, tmp, src)
        check_xlsx(checks, exe, tmp, src)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
