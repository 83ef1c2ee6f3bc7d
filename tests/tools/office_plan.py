"""Office documents made from a plan's text, for the import tests.

The tests never commit a .docx or .xlsx: they make them here, with real
office software, from plans written as text.  A plan's text export (the
seed, tests/fixtures/seed-tuyphuoc-2024.txt) is prose, then pages of a
tab-separated table whose first line repeats the header and whose cells
are HTML fragments, then prose.  From it this module writes:

- a Word document through python-docx (Debian's python3-docx): the prose
  as paragraphs, each page as a table of its own (a table continued
  across several w:tbl elements) whose header row repeats on every page
  (w:tblHeader, set through python-docx's element tree: it has no API for
  it), each <p> of a cell as a paragraph of the cell;
- an HTML page of the same, for LibreOffice to convert (LibreOffice, with
  a private profile) to .docx, .odt, .xlsx or .ods.

Not a test itself (tests/tools is not globbed).
"""
import html
import html.parser
import os
import shutil
import subprocess
import tempfile

from checks import Checks  # noqa: F401 (the scripts take it from here)

BLOCK_TAGS = {"p", "br", "li", "div", "ul", "ol", "tr", "td", "th",
              "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}


class _Paragraphs(html.parser.HTMLParser):
    """The paragraphs of an HTML fragment: block tags end one."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paras = []
        self.cur = []

    def _end(self):
        text = " ".join("".join(self.cur).split())
        if text:
            self.paras.append(text)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._end()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._end()

    def handle_data(self, data):
        self.cur.append(data)

    def close(self):
        super().close()
        self._end()
        return self.paras


def paragraphs(fragment):
    """The paragraphs of one cell of the export, as plain text."""
    p = _Paragraphs()
    p.feed(fragment)
    return p.close()


class Export:
    """A plan's text export: prose before, pages of rows, prose after."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        self.before, self.pages, self.after = [], [], []
        page = None
        for line in lines:
            line = line.rstrip("\r")
            if "\t" in line and not self.after:
                if page is None:
                    page = []
                    self.pages.append(page)
                page.append(line.split("\t"))
            elif line.strip() == "":
                page = None
            elif self.pages:
                self.after.append(line)
            else:
                self.before.append(line)


def _prose(doc, lines):
    for line in lines:
        if line.strip():
            doc.add_paragraph(line)


def repeat_header(row):
    """Marks a python-docx table row as a header repeated on each page."""
    from docx.oxml import OxmlElement
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def write_docx(export, path):
    """The export as a Word document, through python-docx."""
    import docx
    doc = docx.Document()
    _prose(doc, export.before)
    for page in export.pages:
        ncols = max(len(r) for r in page)
        table = doc.add_table(rows=len(page), cols=ncols)
        table.style = "Table Grid"
        for i, cells in enumerate(page):
            for j, fragment in enumerate(cells):
                cell = table.rows[i].cells[j]
                paras = paragraphs(fragment)
                cell.text = paras[0] if paras else ""
                for text in paras[1:]:
                    cell.add_paragraph(text)
        repeat_header(table.rows[0])
        doc.add_paragraph("")
    _prose(doc, export.after)
    doc.save(path)


def write_html(export, path):
    """The export as an HTML page: each page a table with a <thead>."""
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">"
           "<title>plan</title></head><body>"]
    for line in export.before:
        if line.strip():
            out.append("<p>%s</p>" % html.escape(line))
    for page in export.pages:
        out.append("<table border=\"1\"><thead><tr>")
        out += ["<th>%s</th>" % c for c in page[0]]
        out.append("</tr></thead><tbody>")
        for cells in page[1:]:
            out.append("<tr>" + "".join("<td>%s</td>" % c for c in cells) +
                       "</tr>")
        out.append("</tbody></table><p></p>")
    for line in export.after:
        if line.strip():
            out.append("<p>%s</p>" % html.escape(line))
    out.append("</body></html>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def soffice_path():
    """LibreOffice's soffice, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


class LibreOffice:
    """One headless LibreOffice, driven through UNO (Debian's python3-uno)
    over a named pipe, with a private profile in a scratch folder: the
    conversions of `soffice --headless --convert-to`, a process start of
    ten seconds paid once, and what --convert-to cannot do (a password).
    """

    def __init__(self, limit=120):
        import time
        import uno
        self.uno = uno
        self.profile = tempfile.mkdtemp(prefix="lo-profile-")
        pipe = "deadlined_test_%d" % os.getpid()
        self.proc = subprocess.Popen(
            [soffice_path(), "-env:UserInstallation=file://" + self.profile,
             "--headless", "--invisible", "--norestore", "--nolockcheck",
             "--accept=pipe,name=%s;urp;" % pipe],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        end = time.monotonic() + limit
        while True:
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice."
                                       "ComponentContext" % pipe)
                break
            except Exception:
                if time.monotonic() > end or self.proc.poll() is not None:
                    self.close()
                    raise RuntimeError("LibreOffice did not start")
                time.sleep(0.2)
        self.desktop = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx)

    def _props(self, **kw):
        from com.sun.star.beans import PropertyValue
        out = []
        for name, value in kw.items():
            p = PropertyValue()
            p.Name, p.Value = name, value
            out.append(p)
        return tuple(out)

    def convert(self, src, dst, out_filter, in_filter=None, password=None):
        """Opens src (with in_filter if given), saves it as dst."""
        load = {"Hidden": True}
        if in_filter:
            load["FilterName"] = in_filter
        doc = self.desktop.loadComponentFromURL(
            self.uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
            self._props(**load))
        if doc is None:
            raise RuntimeError("LibreOffice could not open %s" % src)
        store = {"FilterName": out_filter, "Overwrite": True}
        if password:
            store["Password"] = password
        try:
            doc.storeToURL(self.uno.systemPathToFileUrl(
                os.path.abspath(dst)), self._props(**store))
        finally:
            doc.close(True)
        return dst

    def close(self):
        try:
            if getattr(self, "desktop", None) is not None:
                self.desktop.terminate()
        except Exception:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def libreoffice_missing():
    """Why LibreOffice cannot be driven here, or None."""
    if soffice_path() is None:
        return "soffice missing (libreoffice-writer-nogui, -calc-nogui)"
    try:
        import uno  # noqa: F401
    except ImportError:
        return "python3-uno missing"
    return None


# A plan written for the tests, with what Word documents hold and the text
# export has not: a header table with the number and date, merged cells,
# a header row marked to repeat on each page and a column-number row
# under it, numbered and bulleted lists, tracked changes, a field, a
# hyperlink, a deleted row, a table continued in a second w:tbl, a second
# plan table with columns of its own, and a signature table.  The tests
# list what each row must give.

HEADER = ["STT", "Nhiệm vụ", "Cơ quan thực hiện", "Thời gian thực hiện",
          "Ghi chú"]
OTHER_HEADER = ["TT", "Thời hạn hoàn thành", "Đơn vị chủ trì",
                "Nội dung công việc"]


def _w(tag):
    from docx.oxml.ns import qn
    return qn("w:" + tag)


def _el(tag, attrs=None, text=None):
    from docx.oxml import OxmlElement
    e = OxmlElement("w:" + tag)
    for k, v in (attrs or {}).items():
        e.set(_w(k), v)
    if text is not None:
        e.text = text
        if text != text.strip():
            e.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return e


def _run(text, deleted=False):
    r = _el("r")
    r.append(_el("delText" if deleted else "t", text=text))
    return r


def _change(kind, text, rid):
    """A tracked insertion or deletion (w:ins, w:del) holding one run.

    python-docx has no API for tracked changes: the elements are written
    through its element tree, as Word writes them.
    """
    e = _el(kind, {"id": str(rid), "author": "Phòng Nội vụ",
                   "date": "2024-03-11T08:00:00Z"})
    e.append(_run(text, deleted=(kind == "del")))
    return e


def _field(paragraph, instr, result):
    """A complex field: begin, instruction, separate, result, end."""
    p = paragraph._p
    r = _el("r")
    r.append(_el("fldChar", {"fldCharType": "begin"}))
    p.append(r)
    r = _el("r")
    r.append(_el("instrText", text=" %s " % instr))
    p.append(r)
    r = _el("r")
    r.append(_el("fldChar", {"fldCharType": "separate"}))
    p.append(r)
    p.append(_run(result))
    r = _el("r")
    r.append(_el("fldChar", {"fldCharType": "end"}))
    p.append(r)


def _hyperlink(paragraph, text, url):
    part = paragraph.part
    rid = part.relate_to(url, "http://schemas.openxmlformats.org/"
                         "officeDocument/2006/relationships/hyperlink",
                         is_external=True)
    h = _el("hyperlink")
    h.set("{http://schemas.openxmlformats.org/officeDocument/2006/"
          "relationships}id", rid)
    h.append(_run(text))
    paragraph._p.append(h)


def _no_borders(table):
    tblPr = table._tbl.tblPr
    borders = _el("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(side, {"val": "nil"}))
    tblPr.append(borders)


def _set_cell(cell, paras, style=None):
    cell.text = paras[0] if paras else ""
    if style and paras:
        cell.paragraphs[0].style = style
    for text in paras[1:]:
        cell.add_paragraph(text, style=style)


def _vmerge(cell, value):
    tcPr = cell._tc.get_or_add_tcPr()
    tcPr.append(_el("vMerge", {"val": value} if value else None))


def _delete_row(row):
    row._tr.get_or_add_trPr().append(
        _el("del", {"id": "90", "author": "Phòng Nội vụ",
                    "date": "2024-03-11T08:00:00Z"}))
    for cell in row.cells:
        for p in cell.paragraphs:
            for r in list(p._p.iter(_w("r"))):
                for t in r.findall(_w("t")):
                    t.tag = _w("delText")
            runs = list(p._p.findall(_w("r")))
            if runs:
                d = _el("del", {"id": "91", "author": "Phòng Nội vụ",
                                "date": "2024-03-11T08:00:00Z"})
                for r in runs:
                    p._p.remove(r)
                    d.append(r)
                p._p.append(d)


def write_features_docx(path):
    """The feature plan as a Word document, through python-docx."""
    import docx
    doc = docx.Document()
    head = doc.add_table(rows=2, cols=2)
    _no_borders(head)
    _set_cell(head.cell(0, 0), ["ỦY BAN NHÂN DÂN", "HUYỆN TUY PHƯỚC"])
    _set_cell(head.cell(0, 1), ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                "Độc lập - Tự do - Hạnh phúc"])
    _set_cell(head.cell(1, 0), ["Số: 45/KH-UBND"])
    _set_cell(head.cell(1, 1), ["Tuy Phước, ngày 12 tháng 3 năm 2024"])
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Thực hiện công tác cải cách hành chính năm 2024")
    doc.add_paragraph("Căn cứ Quyết định số 264/QĐ-UBND ngày 22/01/2024 "
                      "của UBND tỉnh, UBND huyện ban hành Kế hoạch sau:")

    t = doc.add_table(rows=7, cols=5)
    t.style = "Table Grid"
    for i, h in enumerate(HEADER):
        t.cell(0, i).text = h
    repeat_header(t.rows[0])
    for i in range(5):
        t.cell(1, i).text = "(%d)" % (i + 1)
    repeat_header(t.rows[1])
    # I: a section title across four columns (w:gridSpan).
    t.cell(2, 0).text = "I"
    sec = t.cell(2, 1).merge(t.cell(2, 4))
    sec.text = "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH"
    # 1: a numbered list, a bulleted list, "- " written out.
    t.cell(3, 0).text = "1"
    _set_cell(t.cell(3, 1), ["Ban hành kế hoạch kiểm tra",
                             "Theo dõi, tổng hợp kết quả"], "List Number")
    _set_cell(t.cell(3, 2), ["Phòng Nội vụ", "Văn phòng HĐND và UBND huyện"],
              "List Bullet")
    _set_cell(t.cell(3, 3), ["- Quý I/2024", "- Hàng tháng"])
    # 2: tracked changes; the units merged down two rows (w:vMerge).
    t.cell(4, 0).text = "2"
    p = t.cell(4, 1).paragraphs[0]
    p.add_run("Báo cáo kết quả thực hiện ")
    p._p.append(_change("ins", "hằng quý", 1))
    p._p.append(_change("del", "hằng tháng", 2))
    _vmerge(t.cell(4, 2), "restart")
    t.cell(4, 2).paragraphs[0].add_run("Phòng Tư pháp")
    p = t.cell(4, 3).paragraphs[0]
    p._p.append(_change("del", "Tháng 5/2024", 3))
    p._p.append(_change("ins", "Tháng 6/2024", 4))
    # 3: the merge continues; a hyperlink; a field showing its result.
    t.cell(5, 0).text = "3"
    p = t.cell(5, 1).paragraphs[0]
    p.add_run("Kiểm tra việc công khai trên ")
    _hyperlink(p, "Cổng Dịch vụ công", "https://dichvucong.example.gov.vn/")
    _vmerge(t.cell(5, 2), None)
    _field(t.cell(5, 3).paragraphs[0], "DOCPROPERTY NamKeHoach",
           "Năm 2024")
    # A row deleted with tracked changes: not read.
    for i, text in enumerate(["4", "Nhiệm vụ đã xóa", "Phòng Nội vụ",
                              "Tháng 7/2024", ""]):
        t.cell(6, i).text = text
    _delete_row(t.rows[6])

    doc.add_paragraph("")
    # The table goes on in a second w:tbl that repeats the header.
    t2 = doc.add_table(rows=2, cols=5)
    t2.style = "Table Grid"
    for i, h in enumerate(HEADER):
        t2.cell(0, i).text = h
    repeat_header(t2.rows[0])
    for i, text in enumerate(["4", "Tổng kết, đánh giá", "Phòng Nội vụ",
                              "trước ngày 15/12", "Gửi UBND tỉnh"]):
        t2.cell(1, i).text = text

    doc.add_paragraph("Phụ lục 2")
    # A second plan table with columns of its own, in another order.
    t3 = doc.add_table(rows=3, cols=4)
    t3.style = "Table Grid"
    for i, row in enumerate([OTHER_HEADER,
                             ["II", "", "", "ĐÀO TẠO, BỒI DƯỠNG"],
                             ["1", "Tháng 9/2024", "Phòng Tư pháp",
                              "Tập huấn nghiệp vụ"]]):
        for j, text in enumerate(row):
            t3.cell(i, j).text = text

    doc.add_paragraph("")
    sig = doc.add_table(rows=1, cols=2)
    _no_borders(sig)
    _set_cell(sig.cell(0, 0), ["Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT."])
    _set_cell(sig.cell(0, 1), ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"])
    doc.save(path)


def write_features_xlsx(path, epoch1904=False):
    """The feature plan as an Excel workbook, through openpyxl."""
    import datetime
    import openpyxl
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    notes = wb.active
    notes.title = "Ghi chú"
    notes["A1"] = "Bảng theo dõi, không phải kế hoạch"
    hidden = wb.create_sheet("Ẩn")
    hidden.sheet_state = "hidden"
    hidden.append(HEADER)
    hidden.append([1, "Nhiệm vụ của trang ẩn", "Phòng Tư pháp",
                   "Tháng 9/2024"])
    ws = wb.create_sheet("Kế hoạch")
    ws["A1"] = "ỦY BAN NHÂN DÂN HUYỆN TUY PHƯỚC"
    ws["A2"] = "Số: 46/KH-UBND"
    ws["D2"] = "Tuy Phước, ngày 05 tháng 02 năm 2024"
    ws["A3"] = "KẾ HOẠCH"
    ws.merge_cells("A3:E3")
    ws["A4"] = "Rà soát văn bản năm 2024"
    ws.merge_cells("A4:E4")
    ws.append([])
    ws.append(HEADER)                                   # row 6
    ws.append([1, "Rà soát văn bản quy phạm pháp luật", "Phòng Nội vụ",
               datetime.date(2024, 5, 31)])             # row 7
    ws["D7"].number_format = "dd/mm/yyyy"
    ws.append([2, "Báo cáo kết quả rà soát", None, "Hàng quý"])  # row 8
    ws.merge_cells("C7:C8")
    ws.append([3, "- Tổng hợp danh mục văn bản\n- Gửi báo cáo về Sở Tư "
               "pháp", "- Phòng Tư pháp\n- Phòng Tư pháp",
               "- 15/12/2024\n- Tháng 12/2024"])       # row 9
    ws.append(["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"])    # row 10
    ws.merge_cells("B10:E10")
    ws.append([1, "Công khai thủ tục hành chính", "Văn phòng HĐND và UBND "
               "huyện", "Thường xuyên", "Trên Cổng thông tin"])  # row 11
    ws.append([])
    ws.append(OTHER_HEADER)                             # row 13
    ws.append(["III", None, None, "ĐÀO TẠO, BỒI DƯỠNG"])
    ws.append([1, "Tháng 9/2024", "Phòng Tư pháp", "Tập huấn nghiệp vụ"])
    ws.append([])
    ws.append(["Nơi nhận:", None, None, "CHỦ TỊCH"])    # row 17
    wb.save(path)


def to_shared_strings(path):
    """Rewrites a workbook's inline-string cells as shared strings.

    openpyxl writes every string inline (t="inlineStr"); Excel and
    LibreOffice write shared strings (t="s" and xl/sharedStrings.xml), so
    the workbook is post-processed into that form: the part, its content
    type and the workbook's relationship to it are added.
    """
    import re
    import zipfile
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    strings, index = [], {}

    def shared(m):
        attrs, text = m.group(1), m.group(2)
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return '<c%s t="s"><v>%d</v></c>' % (attrs, index[text])
    for name in sorted(parts):
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            xml = parts[name].decode("utf-8")
            xml = re.sub(r'<c([^>]*?) t="inlineStr"><is><t[^>]*>(.*?)</t>'
                         r'</is></c>', shared, xml, flags=re.S)
            parts[name] = xml.encode("utf-8")
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        'main" count="%d" uniqueCount="%d">%s</sst>' % (
            len(strings), len(strings),
            "".join('<si><t xml:space="preserve">%s</t></si>' % t
                    for t in strings))).encode("utf-8")
    ct = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = ct.replace(
        "</Types>", '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sharedStrings+xml"/></Types>').encode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", '<Relationship Id="rIdShared" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ).encode("utf-8")
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    os.replace(tmp, path)
    return len(strings)
