#!/usr/bin/python3
"""Webhook payload formats against receivers that check each service's shape.

tests/peers/chat_peer.py plays Slack, Telegram (sendMessage), Microsoft
Teams, Google Chat and a plain JSON receiver on 127.0.0.1, and answers 400
to a body that is not what the service documents (Telegram: a text over
4096 characters is "message is too long").  Six units, one webhook each:

  sl  slack       1 task due Mon 15/07/2024
  tg  telegram    1 task due 15/07
  tm  teams       1 task due 15/07
  gc  googlechat  1 task due 15/07
  js  json        1 task due 15/07
  tb  telegram    150 tasks due 15/07, titles of some 150 characters: the
                  text is some 30,000 characters and must be cut to 4096

The real daemon runs one pass at --now 2024-07-15T08:30: every message is
accepted (outbox 'sent', receiver verdict ok), tb's text ends with "[…]".
The five units' titles (TITLE) are over 76 columns: a chat client wraps
the text itself, so the chat texts carry "1. [kh N] TITLE" on one line,
without the mail's hard line breaks.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile

SRCDIR = os.environ.get("SRCDIR") or "."
sys.path.insert(0, os.path.join(SRCDIR, "tests", "tools"))
from daemon_env import Checks, missing  # noqa: E402
from timing import scaled  # noqa: E402

DEADLINED = os.environ.get("DEADLINED")
DEADLINECTL = os.environ.get("DEADLINECTL")
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")
PEER = os.path.join(SRCDIR, "tests", "peers", "chat_peer.py")

check = Checks()

SUBJECT = ("[deadlined] Nhắc hạn công việc ngày Thứ Hai, 15/07/2024: "
           "1 đến hạn hôm nay")
UNITS = [  # code, name, template, path
    ("sl", "Phòng Tư pháp", "slack", "/slack/T000/B000/x"),
    ("tg", "Phòng Y tế", "telegram", "/bot123456:AAtest/sendMessage"
     "?chat_id=-1001"),
    ("tm", "Phòng Văn hóa", "teams", "/teams/webhookb2/x"),
    ("gc", "Phòng Nội vụ", "googlechat", "/chat/v1/spaces/AAA/messages"),
    ("js", "Phòng Kinh tế", "json", "/json/hook"),
    ("tb", "UBND xã Phước An", "telegram", "/bot654321:BBtest/sendMessage"
     "?chat_id=-1002"),
]
TITLE = ("Báo cáo tháng của %s về kết quả cải cách hành chính, chuyển đổi "
         "số và tiếp công dân trên địa bàn")
LONG = ("Rà soát, cập nhật, công khai thủ tục hành chính thuộc thẩm quyền "
        "giải quyết của đơn vị trên Cổng dịch vụ công và tại trụ sở, số %d")


def plan_csv():
    rows = ["STT,Nội dung,Cơ quan thực hiện,Thời gian thực hiện"]
    n = 0
    for code, name, _, _ in UNITS[:5]:
        n += 1
        rows.append('%d,"%s",%s,15/07/2024' % (n, TITLE % name, name))
    for i in range(150):
        n += 1
        rows.append('%d,"%s",UBND xã Phước An,15/07/2024' % (n, LONG % i))
    return "\n".join(rows) + "\n"


def write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, text.encode())
    os.close(fd)


def write_config(tmp, state, port):
    units = []
    for code, name, template, path in UNITS:
        secret = os.path.join(tmp, code + ".whsec")
        write_private(secret, "whsec_%s\n" % base64.b64encode(
            os.urandom(32)).decode())
        units.append("[unit %s]\nname = %s\nwebhook = http://127.0.0.1:%d%s\n"
                     "webhook_secret_file = %s\nwebhook_template = %s\n\n" %
                     (code, name, port, path, secret, template))
    with open(os.path.join(tmp, "units.ini"), "w") as f:
        f.write("".join(units))
    with open(os.path.join(tmp, "plan.csv"), "w") as f:
        f.write(plan_csv())
    cfg = os.path.join(tmp, "deadlined.ini")
    with open(cfg, "w") as f:
        f.write("[daemon]\nstate_dir = %s\nunits_file = %s\n"
                "[calendar]\ndays_off_file = %s\n"
                "[reminders]\nlead_days = 7 3 1 0\nsend_time = 08:00\n"
                "channel = webhook\n[webhook]\nallow_http_loopback = yes\n"
                "connect_timeout = %d\ntimeout = %d\n"
                "[report]\nschedule = off\n[http]\nenabled = no\n" % (
                    state, os.path.join(tmp, "units.ini"),
                    os.path.join(SRCDIR, "config", "days-off.ini"),
                    scaled(5), scaled(10)))
    return cfg


def ctl(cfg, now, *args):
    cmd = [DEADLINECTL, "-c", cfg] + (["--now", now] if now else [])
    r = subprocess.run(cmd + list(args), capture_output=True, text=True,
                       timeout=scaled(60))
    if r.returncode != 0:
        raise RuntimeError("deadlinectl %s: %s" % (args, r.stderr))
    return r.stdout


def requests(log):
    if not os.path.exists(log):
        return {}
    out = {}
    with open(log) as f:
        for line in f:
            r = json.loads(line)
            out[r["path"]] = r
    return out


def check_bodies(reqs):
    by_unit = {code: reqs.get(path) for code, _, _, path in UNITS}
    for code, _, template, path in UNITS:
        r = by_unit[code]
        check(r is not None, "%s (%s): no request" % (code, template))
        if r is not None:
            check(r["verdict"] is None, "%s (%s): receiver says %s" % (
                code, template, r["verdict"]))
    for n, (code, name, _, _) in enumerate(UNITS[:4], 1):
        r = by_unit[code]
        if r is None:
            continue
        if code == "tm":
            body = json.loads(r["body"])["attachments"][0]["content"]
            text = body["body"][1]["text"]
        else:
            text = json.loads(r["body"])["text"]
            check(text.startswith(SUBJECT + "\n\nKính gửi: "),
                  "%s: text %r" % (code, text[:120]))
        heading = "\n1. [kh %d] %s\n" % (n, TITLE % name)
        check(heading in text, "%s: %r not on one line in %r" % (
            code, heading, text))
    r = by_unit["tg"]
    if r is not None:
        check(json.loads(r["body"]).get("disable_web_page_preview") is True,
              "tg: link previews on")
    r = by_unit["tm"]
    if r is not None:
        body = json.loads(r["body"])["attachments"][0]["content"]["body"]
        check(body[0]["text"] == SUBJECT, "tm: first block %r" % body[0])
        check(body[1]["text"].startswith("Kính gửi: Phòng Văn hóa"),
              "tm: second block %r" % body[1]["text"][:80])
    r = by_unit["js"]
    if r is not None:
        doc = json.loads(r["body"])
        check(doc["unit"]["code"] == "js" and doc["counts"]["due_today"] == 1,
              "js: document %s" % r["body"][:200])
    r = by_unit["tb"]
    if r is not None:
        text = json.loads(r["body"])["text"]
        n = len(text.encode("utf-16-le")) // 2
        check(n <= 4096 and n > 3000, "tb: %d characters" % n)
        check(text.endswith("\n[…]"), "tb: the cut is not said: %r" %
              text[-40:])
        check(text.startswith("[deadlined] Nhắc hạn công việc ngày Thứ Hai, "
                              "15/07/2024: 150 đến hạn hôm nay"),
              "tb: subject %r" % text[:100])


def main():
    if missing():
        print("skip: %s not set" % missing())
        return 77
    tmp = tempfile.mkdtemp(prefix="deadlined-chat-")
    log = os.path.join(tmp, "requests.jsonl")
    proc = subprocess.Popen([PYTHON, PEER, "--log", log],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        if not line.startswith("READY "):
            raise RuntimeError("chat peer did not start: %r" % line)
        port = int(line.split()[1])
        state = os.path.join(tmp, "state")
        os.mkdir(state)
        cfg = write_config(tmp, state, port)
        ctl(cfg, None, "init")
        ctl(cfg, "2024-07-01", "import", os.path.join(tmp, "plan.csv"),
            "--plan", "kh")
        r = subprocess.run([DEADLINED, "-c", cfg, "--once", "--now",
                            "2024-07-15T08:30"], capture_output=True,
                           text=True, timeout=scaled(120))
        check(r.returncode == 0, "deadlined exit %d: %s" % (r.returncode,
                                                            r.stderr))
        rows = json.loads(ctl(cfg, None, "outbox", "--format", "json"))
        states = {row["key"].split("/")[1]: row["state"] for row in rows}
        check(states == {code: "sent" for code, _, _, _ in UNITS},
              "outbox %s" % states)
        check_bodies(requests(log))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
