#!/usr/bin/python3
"""What a unit and the coordinator read in their digests (issue 21).

The real daemon plans and renders one day (--now 2024-07-15, a Monday)
into the spool; the messages are parsed back with Python's email module.
Policy (tests/tools/daemon_env.py): lead 7 3 1 0, overdue every 3 working
days at most 5 times, escalation after 5.  June and July 2024 have no
public holiday.  Worked out by hand, working days late on 15/07:

  kh 1  Việc một     Phước An  03/06  30 (June 4-28: 19, July 1-15: 11)
  kh 2  Việc hai     Phước An  14/06  21 (step 7 > 5: no longer reminded)
  kh 3  Việc ba      Phước An  12/07   1 (step 1: reminded)
  kh 4  Việc bốn     Phước An  10/07   3 (step 1: reminded)
  kh 5  Báo cáo quý  Phước An, Phước Hòa, Diêu Trì  05/07  6 (step 2,
        escalated: 6 >= 5)
  kh 6..35  30 ongoing tasks of Phước Hòa ("Thường xuyên")

- Phước An's agenda shows 5 overdue; its digest says "5 quá hạn": kh 3,
  kh 4 and kh 5 one by one, kh 1 and kh 2 in one line.
- Phước Hòa's digest lists 30 ongoing tasks as 30 lines of at most 76
  columns under a count, with none of their fields.
- The coordinator's escalation lists kh 5 once with its three units.
- Replies reach the coordinator (Reply-To: its first address), the footer
  says so, and promises no completion link ([http] is off: no links).
- With a link key and base_url (a second scratch install), Phước An's
  digest ends with its page on the console, the address that
  `deadlinectl unit-link pa` prints at the same --now (the same signed
  token), the ongoing titles point there, and the footer promises the
  completion links the items now carry.
"""
import json
import os
import shutil
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
email = noivu@example.gov.vn, lanhdao@example.gov.vn
"""

ONGOING = ("Tuyên truyền, phổ biến các văn bản về cải cách hành chính đến "
           "cán bộ, công chức và người dân trên địa bàn số %d; lồng ghép "
           "trong các cuộc họp, hội nghị của xã")


def plan_csv():
    rows = ["STT,Nội dung,Cơ quan thực hiện,Thời gian thực hiện",
            "1,Việc một,UBND xã Phước An,03/06/2024",
            "2,Việc hai,UBND xã Phước An,14/06/2024",
            "3,Việc ba,UBND xã Phước An,12/07/2024",
            "4,Việc bốn,UBND xã Phước An,10/07/2024",
            '5,Báo cáo quý,"UBND xã Phước An, UBND xã Phước Hòa, UBND thị '
            'trấn Diêu Trì",05/07/2024']
    for i in range(6, 36):
        rows.append('%d,"%s",UBND xã Phước Hòa,Thường xuyên' % (
            i, ONGOING % i))
    return "\n".join(rows) + "\n"


def flat(text):
    return " ".join(text.split())


def section(body, head):
    """The lines of the text section whose heading starts with head."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(head):
            out = []
            for rest in lines[i + 1:]:
                if rest == "" or rest == "-- ":
                    break
                out.append(rest)
            return out
    return None


def check_unit_digest(env):
    key = "digest/pa/2024-07-15/spool/phuocan@example.gov.vn"
    msg = env.message(key)
    if msg is None:
        check(False, "no digest for Phước An")
        return
    agenda = json.loads(env.ctl("2024-07-15", "agenda", "--unit", "pa",
                                "--overdue", "--format", "json"))
    check(len(agenda) == 5, "the agenda shows %d overdue, expected 5" %
          len(agenda))
    check(str(msg["Subject"]) == "[deadlined] Nhắc hạn công việc ngày "
          "Thứ Hai, 15/07/2024: 5 quá hạn", "subject %r" % str(
              msg["Subject"]))
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    check("I. CÔNG VIỆC ĐÃ QUÁ HẠN (5)\n" in body, "section count")
    for head in ("[kh 5] Báo cáo quý", "[kh 4] Việc bốn", "[kh 3] Việc ba"):
        check(head in body, "reminded one by one: %s" % head)
    for head in ("[kh 1]", "[kh 2]"):
        check(head not in body, "%s listed one by one" % head)
    check("Vẫn quá hạn, đã nhắc trước đây, không nhắc lại từng việc (2): "
          "kh 1 (03/06/2024); kh 2 (14/06/2024)." in flat(body),
          "the one line naming kh 1 and kh 2")
    html = msg.get_body(("html",)).get_content()
    check("<h3>I. CÔNG VIỆC ĐÃ QUÁ HẠN (5)</h3>" in html, "HTML count")
    # Replies: the coordinator's first address, said in the footer.
    check(msg["Reply-To"] is not None and
          msg["Reply-To"].addresses[0].addr_spec == "noivu@example.gov.vn",
          "Reply-To %s" % msg["Reply-To"])
    footer = flat(body.split("\n-- \n", 1)[-1])
    check(footer == "Thư này được gửi tự động từ hệ thống nhắc hạn công "
          "việc (deadlined). Thư trả lời sẽ được gửi đến Phòng Nội vụ "
          "(noivu@example.gov.vn). Khi đã hoàn thành công việc, đề nghị "
          "trả lời thư này để dừng nhắc hạn.", "footer %r" % footer)
    check("đường dẫn" not in body, "a link promised with links off")


def check_ongoing(env):
    key = "digest/ph/2024-07-15/spool/phuochoa@example.gov.vn"
    msg = env.message(key)
    if msg is None:
        check(False, "no digest for Phước Hòa")
        return
    check(str(msg["Subject"]).endswith(": 1 quá hạn, 30 công việc thường "
                                       "xuyên"), "subject %r" %
          str(msg["Subject"]))
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    lines = section(body, "II. CÔNG VIỆC THƯỜNG XUYÊN (30)")
    if lines is None:
        check(False, "no ongoing section")
        return
    check(len(lines) == 31, "ongoing section is %d lines, expected 31" %
          len(lines))
    if len(lines) != 31:
        return
    check(lines[0] == "Chỉ nêu tên nhiệm vụ; nội dung đầy đủ có trong kế "
          "hoạch.", "note %r" % lines[0])
    # References sort as text: kh 10, kh 11, ..., the 6th is kh 15.  With
    # "cán" the line would be 77 columns: cut after "đến" (73).
    check(lines[6] == "6. [kh 15] Tuyên truyền, phổ biến các văn bản về cải "
          "cách hành chính đến…", "line %r" % lines[6])
    check(all(len(x) <= 76 for x in lines), "a line over 76 columns")
    check("Chủ trì" not in "\n".join(lines), "fields in the ongoing list")


def check_escalation(env):
    key = "escalation/coord/2024-07-15/spool/noivu@example.gov.vn"
    msg = env.message(key)
    if msg is None:
        check(False, "no escalation for the coordinator")
        return
    check(str(msg["Subject"]) == "[deadlined] Công việc quá hạn của các "
          "đơn vị ngày Thứ Hai, 15/07/2024: 1 quá hạn", "escalation "
          "subject %r" % str(msg["Subject"]))
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    check(body.count("Báo cáo quý") == 1, "the task listed %d times" %
          body.count("Báo cáo quý"))
    check("Đơn vị chưa hoàn thành (3): UBND thị trấn Diêu Trì, UBND xã "
          "Phước An, UBND xã Phước Hòa" in flat(body), "late units")
    check("Hạn: Thứ Sáu, 05/07/2024 - Đã quá hạn 6 ngày làm việc" in body,
          "escalation due line")


def check_unit_page(tmp):
    """A unit's digest carries its console page when links are on."""
    units = UNITS_INI.split("[unit ph]")[0] + UNITS_INI[UNITS_INI.index(
        "[unit coord]"):]
    plan = ("STT,Nội dung,Cơ quan thực hiện,Thời gian thực hiện\n"
            "1,Việc ba,UBND xã Phước An,15/07/2024\n"
            '2,"%s",UBND xã Phước An,Thường xuyên\n' % (ONGOING % 2))
    env = Env(tmp, units, check, {"plan.csv": plan})
    key = os.path.join(tmp, "link.key")
    with open(key, "w") as f:
        f.write("k3y-for-the-digest-test-0123456789abcdef\n")
    os.chmod(key, 0o600)
    with open(env.cfg) as f:
        cfg = f.read()
    with open(env.cfg, "w") as f:
        f.write(cfg.replace("[http]\nenabled = no\n", "[http]\nenabled = no"
                            "\nbase_url = https://nhachan.example.gov.vn\n"
                            "link_secret_file = %s\n" % key))
    env.ctl(None, "init")
    env.ctl("2024-05-20", "import", os.path.join(tmp, "plan.csv"), "--plan",
            "kh")
    env.run_pass("2024-07-15T08:30")
    msg = env.message("digest/pa/2024-07-15/spool/phuocan@example.gov.vn")
    if msg is None:
        check(False, "no digest for Phước An with links")
        return
    url = env.ctl("2024-07-15T08:30", "unit-link", "pa").strip()
    check(url.startswith("https://nhachan.example.gov.vn/unit/"),
          "unit-link printed %r" % url)
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    check("Trang công việc của đơn vị (nội dung đầy đủ, xác nhận hoàn "
          "thành, xin gia hạn): %s --" % url in flat(body), "no unit page %s "
          "before the footer" % url)
    check("Chỉ nêu tên nhiệm vụ; nội dung đầy đủ trên trang công việc của "
          "đơn vị (đường dẫn ở cuối thư)." in flat(body), "ongoing note")
    html = msg.get_body(("html",)).get_content()
    check('<a href="%s">' % url in html, "no unit page link in the HTML")
    check("bấm vào đường dẫn xác nhận hoàn thành" in flat(body),
          "the footer does not promise the completion links")


def main():
    if missing():
        print("skip: %s not set" % missing())
        return 77
    tmp = tempfile.mkdtemp(prefix="deadlined-recipients-")
    try:
        env = Env(tmp, UNITS_INI, check, {"plan.csv": plan_csv()})
        env.ctl(None, "init")
        env.ctl("2024-05-20", "import", os.path.join(tmp, "plan.csv"),
                "--plan", "kh")
        env.run_pass("2024-07-15T08:30")
        check_unit_digest(env)
        check_ongoing(env)
        check_escalation(env)
        other = os.path.join(tmp, "links")
        os.mkdir(other)
        check_unit_page(other)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
