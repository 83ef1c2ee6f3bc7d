#!/usr/bin/python3
"""Writes the seed corpora of the office harnesses (tests/fuzz/corpus/docx,
xlsx, odf) from documents made by python-docx, openpyxl and LibreOffice
(office_plan.py): for each document, its XML parts joined by NUL bytes in
the order the harness expects (fuzz_docx.c: document, numbering, and not
the styles, of some 350 KB from either writer;
fuzz_xlsx.c: the plan's sheet, shared strings, styles; fuzz_odf.c:
content, styles), and the smallest archives whole.  Rerun it to refresh
them; the hostile cases (a DTD, entities) are written by hand below.

    /usr/bin/python3 tests/tools/make_office_corpus.py [CORPUS_DIR]
"""
import os
import shutil
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import office_plan  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def parts(path, names):
    with zipfile.ZipFile(path) as z:
        have = set(z.namelist())
        return b"\0".join(z.read(n) if n in have else b"" for n in names)


def write(corpus, kind, name, data):
    os.makedirs(os.path.join(corpus, kind), exist_ok=True)
    with open(os.path.join(corpus, kind, name), "wb") as f:
        f.write(data)


def main():
    top = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        top, "tests", "fuzz", "corpus")
    tmp = tempfile.mkdtemp(prefix="office-corpus-")
    try:
        word = os.path.join(tmp, "features.docx")
        office_plan.write_features_docx(word)
        book = os.path.join(tmp, "features.xlsx")
        office_plan.write_features_xlsx(book)
        shared = os.path.join(tmp, "shared.xlsx")
        shutil.copy(book, shared)
        office_plan.to_shared_strings(shared)
        docx_parts = ["word/document.xml", "word/numbering.xml",
                      "word/styles.xml"]
        xlsx_parts = ["xl/worksheets/sheet3.xml", "xl/sharedStrings.xml",
                      "xl/styles.xml"]
        write(corpus, "docx", "features-python-docx.xml",
              parts(word, docx_parts[:2]))
        write(corpus, "xlsx", "features-openpyxl.xml",
              parts(book, xlsx_parts))
        write(corpus, "xlsx", "features-shared.xml",
              parts(shared, xlsx_parts))
        write(corpus, "xlsx", "features-openpyxl.xlsx",
              open(book, "rb").read())
        if office_plan.libreoffice_missing() is None:
            lo = office_plan.LibreOffice()
            try:
                out = {}
                for name, src, flt in (
                        ("lo.docx", word, "MS Word 2007 XML"),
                        ("lo.odt", word, "writer8"),
                        ("lo.xlsx", book, "Calc MS Excel 2007 XML"),
                        ("lo.ods", book, "calc8")):
                    out[name] = lo.convert(src, os.path.join(tmp, name), flt)
            finally:
                lo.close()
            write(corpus, "docx", "features-libreoffice.xml",
                  parts(out["lo.docx"], docx_parts[:2]))
            write(corpus, "docx", "features-libreoffice.docx",
                  open(out["lo.docx"], "rb").read())
            write(corpus, "xlsx", "features-libreoffice.xml",
                  parts(out["lo.xlsx"], xlsx_parts))
            write(corpus, "odf", "features-libreoffice-odt.xml",
                  parts(out["lo.odt"], ["content.xml", "styles.xml"]))
            write(corpus, "odf", "features-libreoffice-ods.xml",
                  parts(out["lo.ods"], ["content.xml", "styles.xml"]))
            write(corpus, "odf", "features-libreoffice.odt",
                  open(out["lo.odt"], "rb").read())
        # Hostile parts: a DTD with entities, and one before a comment.
        write(corpus, "docx", "dtd-entities.xml", (
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY '
            'b "&a;&a;&a;&a;">]><w:document xmlns:w="%s"><w:body><w:p>'
            '<w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>' %
            W).encode())
        write(corpus, "odf", "dtd-external.xml", (
            '<?xml version="1.0"?><!-- c --><!DOCTYPE d [<!ENTITY x SYSTEM '
            '"file:///etc/passwd">]><office:document-content xmlns:office='
            '"urn:oasis:names:tc:opendocument:xmlns:office:1.0">&x;'
            '</office:document-content>').encode())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
