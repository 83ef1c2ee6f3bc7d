#!/usr/bin/python3
"""deadlinectl import of plans converted by LibreOffice in the test set-up.

One headless LibreOffice (Debian's libreoffice-writer-nogui and
-calc-nogui, driven through python3-uno with a private profile) writes:

- the seed plan, from an HTML page of its text (office_plan.write_html:
  prose, then a table for each page with a <thead>), as .docx and .odt
  through Writer and as .xlsx and .ods through Calc: each imports to
  exactly the tasks and agendas of the text seed (all but the source
  line);
- the Word plan of import_office.py saved again by Writer as .docx and as
  .odt (where merged cells become spans over covered cells), and the
  workbook saved again by Calc as .xlsx (shared strings, its own styles)
  and .ods: each imports to the tasks worked out by hand there;
- the same plan as Word 97 (.doc), Excel 97 (.xls), PDF, and a
  password-protected .odt: each refused with a clear error naming the
  file (and the command that converts it), the database unchanged.

Exits 77 when LibreOffice, python3-uno, python3-docx or python3-openpyxl
is missing.
"""
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
sys.path.insert(0, HERE)
import office_plan  # noqa: E402
import import_office as io  # noqa: E402  (its expected tasks and helpers)

WRITER_DOCX = "MS Word 2007 XML"
CALC_XLSX = "Calc MS Excel 2007 XML"


def convert_all(lo, tmp, src):
    """Every document of the test, by LibreOffice; name -> path."""
    seed = os.path.join(src, "tests/fixtures/seed-tuyphuoc-2024.txt")
    page = os.path.join(tmp, "seed.html")
    office_plan.write_html(office_plan.Export(seed), page)
    word = os.path.join(tmp, "features.docx")
    office_plan.write_features_docx(word)
    book = os.path.join(tmp, "features.xlsx")
    office_plan.write_features_xlsx(book)
    out = os.path.join(tmp, "lo")
    os.mkdir(out)
    jobs = [
        ("seed.docx", page, WRITER_DOCX, "HTML (StarWriter)"),
        ("seed.odt", page, "writer8", "HTML (StarWriter)"),
        ("seed.xlsx", page, CALC_XLSX, "HTML (StarCalc)"),
        ("seed.ods", page, "calc8", "HTML (StarCalc)"),
        ("ke-hoach-45.docx", word, WRITER_DOCX, None),
        ("ke-hoach-45.odt", word, "writer8", None),
        ("ke-hoach-46.xlsx", book, CALC_XLSX, None),
        ("ke-hoach-46.ods", book, "calc8", None),
        ("ke-hoach-45.doc", word, "MS Word 97", None),
        ("ke-hoach-46.xls", book, "MS Excel 97", None),
        ("ke-hoach-45.pdf", word, "writer_pdf_Export", None),
    ]
    paths = {}
    for name, source, out_filter, in_filter in jobs:
        paths[name] = lo.convert(source, os.path.join(out, name),
                                 out_filter, in_filter)
    paths["password.odt"] = lo.convert(word, os.path.join(out, "mat-khau.odt"),
                                       "writer8", password="mật khẩu")
    return paths


def check_seed(check, exe, tmp, src, paths):
    seed = os.path.join(src, "tests/fixtures/seed-tuyphuoc-2024.txt")
    text_db = io.Ctl(exe, tmp, "seed-text", src)
    text_db.must("import", seed, "--plan", io.SEED_PLAN)
    want = io.without_lines(text_db.json("tasks", "--format", "json"))
    agendas = {u: text_db.json("agenda", "--all", "--unit", u, "--format",
                               "json") for u in ("vp", "phuocan")}
    for name in ("seed.docx", "seed.odt", "seed.xlsx", "seed.ods"):
        db = io.Ctl(exe, tmp, name, src)
        r = db.json("import", paths[name], "--plan", io.SEED_PLAN,
                    "--format", "json")
        # One issue, as in the text export: "trong tháng 01/2024" is due
        # 31/01/2024, before the import day (--now 20/03/2024).
        issues = [(i["kind"], i["ref"], i.get("detail")) for i in r["issues"]]
        check(r["rows"] == 51 and r["bullets"] == 88 and r["tasks"] == 92 and
              issues == [("past-deadline", "VII.DT.5.a", "2024-01-31")],
              "%s: 51 rows, 88 pairs, 92 tasks, the one past deadline: %r" % (
                  name, {k: r[k] for k in ("rows", "bullets", "tasks",
                                           "issues")}))
        got = io.without_lines(db.json("tasks", "--format", "json"))
        diff = next(((x, y) for x, y in zip(want, got) if x != y),
                    (len(want), len(got)))
        check(got == want, "%s: tasks differ from the text seed's: %r" % (
            name, diff))
        for unit, agenda in agendas.items():
            check(db.json("agenda", "--all", "--unit", unit, "--format",
                          "json") == agenda,
                  "%s: agenda of %s differs" % (name, unit))


def check_features(check, exe, tmp, src, paths):
    for name, want, code in (
            ("ke-hoach-45.docx", io.DOCX_TASKS, "45-kh-ubnd-2024"),
            ("ke-hoach-45.odt", io.DOCX_TASKS, "45-kh-ubnd-2024"),
            ("ke-hoach-46.xlsx", io.XLSX_TASKS, "46-kh-ubnd-2024"),
            ("ke-hoach-46.ods", io.XLSX_TASKS, "46-kh-ubnd-2024")):
        db = io.Ctl(exe, tmp, name, src)
        r = db.json("import", paths[name], "--format", "json")
        check(r["plan"] == code and r["issues"] == [],
              "%s: plan %s, no issue: %r" % (name, code, r))
        tasks = db.json("tasks", "--format", "json")
        io.check_tasks(check, name, tasks, want, code)
        texts = json.dumps(tasks, ensure_ascii=False)
        for absent in ("Nhiệm vụ đã xóa", "hằng tháng", "trang ẩn",
                       "Nơi nhận"):
            check(absent not in texts, "%s: %r read" % (name, absent))


def check_refused(check, exe, tmp, src, paths):
    db = io.Ctl(exe, tmp, "refused", src)
    db.must("import", paths["ke-hoach-45.docx"])
    before = db.json("tasks", "--format", "json")
    cases = {
        "ke-hoach-45.doc": ["Word 97-2003", "soffice --headless "
                            "--convert-to docx"],
        "ke-hoach-46.xls": ["Excel 97-2003", "soffice --headless "
                            "--convert-to xlsx"],
        "ke-hoach-45.pdf": ["PDF", "soffice --headless --convert-to docx"],
        "password.odt": ["password-protected"],
    }
    for name, words in cases.items():
        p = db.run("import", paths[name])
        check(p.returncode != 0 and os.path.basename(paths[name]) in
              p.stderr and all(w in p.stderr for w in words),
              "%s refused with %r: %r" % (name, words, p.stderr))
    check(db.json("tasks", "--format", "json") == before,
          "refused imports changed nothing")


def main():
    why = io.missing() or office_plan.libreoffice_missing()
    if why:
        print(why + ": skipped")
        return 77
    exe, src = os.environ["DEADLINECTL"], os.environ["SRCDIR"]
    checks = office_plan.Checks()
    tmp = tempfile.mkdtemp(prefix="import-office-lo-")
    try:
        lo = office_plan.LibreOffice()
        try:
            paths = convert_all(lo, tmp, src)
        finally:
            lo.close()
        check_seed(checks, exe, tmp, src, paths)
        check_features(checks, exe, tmp, src, paths)
        check_refused(checks, exe, tmp, src, paths)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
