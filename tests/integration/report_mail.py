#!/usr/bin/python3
"""The monthly report mail the coordinator opens (issue 21).

The real daemon queues and spools the report of May 2024 on its first
working day after, Monday 03/06/2024 (--now), to the coordinator.  The
message is parsed back with Python's email module; the .xlsx is opened
with openpyxl (Debian's python3-openpyxl).

Tasks and completions, worked out by hand (no holiday 15/05..03/06):
  Phước An  A1 due Wed 15/05 done 14/05 (on time), A2 due Mon 20/05 done
            20/05 (on time): due 2, on time 2, rate 100,0
  Phước Hòa H1 due 15/05 done Fri 17/05 (late: 16, 17 = 2 days), H2 due
            20/05 open: overdue (21..24, 27..31, 03/06 = 10 days):
            due 2, on time 0, late 1, overdue 1, rate 0,0
  Diêu Trì  D1 due 15/05 open (16, 17, 20..24, 27..31, 03/06 = 13 days),
            D2 due 20/05 open (10 days), D3 due Wed 22/05 done 22/05:
            due 3, on time 1, overdue 2 (23 days), rate 33,3
  Tổng cộng due 7, on time 3, late 1, overdue 3: 3/7 = 42,857 -> 42,9
Worst first: Phước Hòa (0,0), Diêu Trì (33,3), Phước An (100,0).
"""
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from daemon_env import Checks, Env, missing  # noqa: E402

check = Checks()

UNITS_INI = """\
[unit pa]
name = UBND xã Phước An
email = phuocan@example.gov.vn

[unit ph]
name = UBND xã Phước Hòa
email = phuochoa@example.gov.vn

[unit dt]
name = UBND thị trấn Diêu Trì
email = dieutri@example.gov.vn

[unit coord]
name = Phòng Nội vụ
email = noivu@example.gov.vn
"""

TASKS = [  # ref, unit, due, done on (or None)
    ("A1", "pa", "2024-05-15", "2024-05-14"),
    ("A2", "pa", "2024-05-20", "2024-05-20"),
    ("H1", "ph", "2024-05-15", "2024-05-17"),
    ("H2", "ph", "2024-05-20", None),
    ("D1", "dt", "2024-05-15", None),
    ("D2", "dt", "2024-05-20", None),
    ("D3", "dt", "2024-05-22", "2024-05-22"),
]

# name, due, on_time, late, overdue, rate (text), worst first; then total.
ROWS = [("UBND xã Phước Hòa", 2, 0, 1, 1, "0,0"),
        ("UBND thị trấn Diêu Trì", 3, 1, 0, 2, "33,3"),
        ("UBND xã Phước An", 2, 2, 0, 0, "100,0")]
TOTAL = ("Tổng cộng", 7, 3, 1, 3, "42,9")
# The full figures: unit -> (late_days, overdue_days).
DAYS = {"ph": (2, 10), "dt": (0, 23), "pa": (0, 0), "TOTAL": (2, 33)}
CODES = {"UBND xã Phước Hòa": "ph", "UBND thị trấn Diêu Trì": "dt",
         "UBND xã Phước An": "pa"}

KEY = "report/coord/2024-05/spool/noivu@example.gov.vn"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def setup(env):
    env.ctl(None, "init")
    for ref, unit, due, _ in TASKS:
        env.ctl("2024-05-02", "task", "add", "Việc " + ref, "--due", due,
                "--unit", unit, "--ref", ref)
    rows = {r["ref"]: r["id"] for r in __import__("json").loads(
        env.ctl("2024-05-02", "agenda", "--all", "--format", "json"))}
    for ref, _, _, done in TASKS:
        if done:
            env.ctl(done + "T16:00", "done", str(rows[ref]))
    with open(env.cfg) as f:
        cfg = f.read()
    with open(env.cfg, "w") as f:
        f.write(cfg.replace("[report]\nschedule = off\n",
                            "[report]\nschedule = monthly\n"))


def check_text(msg):
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    lines = body.split("\n")
    check(all(len(x) <= 76 for x in lines), "a text line over 76 columns: "
          "%s" % [x for x in lines if len(x) > 76])
    table = [x for x in lines if x[:3].strip().isdigit()]
    # STT 3, 2 spaces, name 36, four counts of 6 and the rate of 8: 73.
    head = [x for x in lines if x.startswith("STT  Đơn vị")]
    total = [x for x in lines if x.strip().startswith("Tổng cộng")]
    check(len(head) == 1 and head[0].endswith("Hạn  Đúng   Trễ   Quá   Tỷ "
                                               "lệ"), "text header %s" % head)
    check([len(x) for x in head + table + total] == [73] * 5,
          "text table not aligned: %s" % (head + table + total))
    got = [x.split() for x in table]
    want = []
    for i, (name, due, ok, late, over, rate) in enumerate(ROWS):
        want.append([str(i + 1)] + name.split() + [str(due), str(ok),
                                                    str(late), str(over),
                                                    rate])
    check(got == want, "text rows %s, expected %s" % (got, want))
    total = [x.split() for x in lines if x.strip().startswith("Tổng cộng")]
    check(total == [["Tổng", "cộng", "7", "3", "1", "3", "42,9"]],
          "text total %s" % total)


def check_html(msg):
    import html.parser

    class Table(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(self.cell)
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    part = msg.get_body(("html",))
    check(part is not None, "no HTML part")
    if part is None:
        return
    t = Table()
    t.feed(part.get_content())
    # The text table's columns, the rank before the name: it fits a phone.
    check(t.rows[:1] == [["Đơn vị", "Hạn", "Đúng", "Trễ", "Quá",
                          "Tỷ lệ (%)"]], "HTML header %s" % t.rows[:1])
    want = [["%d. %s" % (i + 1, n), str(d), str(o), str(la), str(ov), r]
            for i, (n, d, o, la, ov, r) in enumerate(ROWS)]
    want.append([TOTAL[0], "7", "3", "1", "3", "42,9"])
    check(t.rows[1:] == want, "HTML rows %s, expected %s" % (t.rows[1:],
                                                             want))


def attachments(msg):
    out = {}
    for part in msg.iter_attachments():
        out[part.get_filename()] = (part.get_content_type(),
                                    part.get_payload(decode=True))
    return out


def check_csv(att):
    ctype, data = att.get("bao-cao-2024-05.csv", (None, b""))
    check(ctype == "text/csv", "CSV type %s" % ctype)
    check(data.startswith(b"\xef\xbb\xbf"), "CSV lacks the UTF-8 BOM")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"),
                                           newline="")))
    got = {r["unit"]: (r["name"], int(r["due"]), int(r["on_time"]),
                       int(r["late"]), int(r["late_days"]),
                       int(r["overdue"]), int(r["overdue_days"]))
           for r in rows}
    for name, due, ok, late, over, _ in ROWS + [TOTAL]:
        code = CODES.get(name, "TOTAL")
        want = (name, due, ok, late, DAYS[code][0], over, DAYS[code][1])
        check(got.get(code) == want, "CSV %s: %s, expected %s" % (
            code, got.get(code), want))


def check_xlsx(att, tmp):
    ctype, data = att.get("bao-cao-2024-05.xlsx", (None, b""))
    check(ctype == XLSX_TYPE, "xlsx type %s" % ctype)
    path = os.path.join(tmp, "r.xlsx")
    with open(path, "wb") as f:
        f.write(data)
    script = r"""
import json, sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
print(json.dumps({
    "title": ws.title, "freeze": ws.freeze_panes,
    "widths": {k: v.width for k, v in ws.column_dimensions.items()},
    "rows": [[c for c in r] for r in ws.iter_rows(values_only=True)],
    "formats": [ws.cell(row=2, column=13).number_format]}))
"""
    r = subprocess.run([os.environ.get("PYTHON", "/usr/bin/python3"), "-c",
                        script, path], capture_output=True, text=True,
                       timeout=60)
    if r.returncode != 0 and "No module named 'openpyxl'" in r.stderr:
        return 77
    check(r.returncode == 0, "openpyxl: %s" % r.stderr[-300:])
    if r.returncode != 0:
        return 0
    doc = __import__("json").loads(r.stdout)
    check(doc["title"] == "Báo cáo", "sheet %r" % doc["title"])
    check(doc["freeze"] == "A2", "header not frozen: %s" % doc["freeze"])
    # Widths as set (Excel adds a padding of 0.71 to a character count).
    w = doc["widths"]
    check(w.get("C", 0) >= 36 and w.get("A", 0) >= 5 and
          w.get("M", 0) >= 19, "column widths %s" % w)
    rows = doc["rows"]
    check(rows[0][:3] == ["STT", "Mã đơn vị", "Đơn vị"] and
          rows[0][12] == "Tỷ lệ đúng hạn (%)" and
          rows[0][14] == "Được gia hạn", "header %s" % rows[0])
    check([r[14] for r in rows[1:]] == [0, 0, 0, 0], "nothing extended: %s"
          % [r[14] for r in rows[1:]])
    want = []
    for i, (name, due, ok, late, over, rate) in enumerate(ROWS + [TOTAL]):
        code = CODES.get(name, "TOTAL")
        want.append([i + 1 if code != "TOTAL" else None, code, name, due,
                     ok, late, DAYS[code][0], over, DAYS[code][1],
                     float(rate.replace(",", "."))])
    got = [[r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[8], r[9], r[12]]
           for r in rows[1:]]
    check(got == want, "xlsx rows %s, expected %s" % (got, want))
    check(doc["formats"] == ["0.0"], "rate format %s" % doc["formats"])
    return 0


def main():
    if missing():
        print("skip: %s not set" % missing())
        return 77
    tmp = tempfile.mkdtemp(prefix="deadlined-report-mail-")
    try:
        env = Env(tmp, UNITS_INI, check)
        setup(env)
        env.run_pass("2024-06-03T08:30")
        msg = env.message(KEY)
        if msg is None:
            check(False, "no report mail %s: %s" % (KEY, [
                r["key"] for r in env.outbox()]))
            return check.summary()
        check(str(msg["Subject"]) == "Báo cáo tiến độ thực hiện kế hoạch "
              "tháng 05/2024", "subject %r" % str(msg["Subject"]))
        check(msg.defects == [] and all(p.defects == [] for p in
                                        msg.walk()), "MIME defects")
        check_text(msg)
        check_html(msg)
        att = attachments(msg)
        check(sorted(att) == ["bao-cao-2024-05.csv", "bao-cao-2024-05.xlsx"],
              "attachments %s" % sorted(att))
        check_csv(att)
        if check_xlsx(att, tmp) == 77:
            print("skip: python3-openpyxl missing")
            return 77
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
