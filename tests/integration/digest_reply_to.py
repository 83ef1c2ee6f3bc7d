#!/usr/bin/python3
"""Whom a digest's replies reach: a plan's own Reply-To (issue 21).

The real daemon plans one day (--now 2024-07-15, a Monday) and delivers
over SMTP to tests/peers/smtp_peer.py (python3-aiosmtpd) on 127.0.0.1;
the messages are parsed back with Python's email module.  Worked out by
hand (lead days 7 3 1 0, so an item due 15/07 is said on 15/07):

  plan kh: kh 1 Việc một (Phước An), kh 2 Việc hai (Phước Hòa), both 15/07
  plan cc: cc 1 Việc ba (Phước Hòa), 15/07
  `deadlinectl plan reply-to kh vanphong@example.gov.vn`
  [smtp] reply_to = hotro@example.gov.vn

- Phước An's digest has kh 1 only, all of plan kh: Reply-To
  vanphong@example.gov.vn, and the footer names that address alone.
- Phước Hòa's digest has kh 2 and cc 1, two plans: [smtp] reply_to,
  hotro@example.gov.vn, in the header and the footer.
- `plan reply-to` refuses an address with CR/LF, two addresses and an
  unknown plan, changing nothing; `plan list` shows the address and,
  after --clear, none.
"""
import email
import email.policy
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from daemon_env import Checks, Env, missing, SRCDIR  # noqa: E402
from timing import scaled  # noqa: E402

PYTHON = "/usr/bin/python3"
check = Checks()

UNITS_INI = """\
[unit pa]
name = UBND xã Phước An
email = phuocan@example.gov.vn

[unit ph]
name = UBND xã Phước Hòa
email = phuochoa@example.gov.vn

[unit coord]
name = Phòng Nội vụ
email = noivu@example.gov.vn
"""

KH = ("STT,Nội dung,Cơ quan thực hiện,Thời gian thực hiện\n"
      "1,Việc một,UBND xã Phước An,15/07/2024\n"
      "2,Việc hai,UBND xã Phước Hòa,15/07/2024\n")
CC = ("STT,Nội dung,Cơ quan thực hiện,Thời gian thực hiện\n"
      "1,Việc ba,UBND xã Phước Hòa,15/07/2024\n")

AUTO = "Thư này được gửi tự động từ hệ thống nhắc hạn công việc (deadlined)."


class Peer:
    """smtp_peer.py without TLS or AUTH, its maildir in tmp."""

    def __init__(self, tmp):
        self.dir = os.path.join(tmp, "mail")
        os.mkdir(self.dir)
        self.proc = subprocess.Popen(
            [PYTHON, os.path.join(SRCDIR, "tests", "peers", "smtp_peer.py"),
             "--maildir", self.dir], stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError("smtp peer did not start: %r" % line)
        self.port = int(line.split()[1])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=scaled(10))

    def received(self):
        """{recipient: parsed message}."""
        out = {}
        n = 1
        while os.path.exists(os.path.join(self.dir, "%d.eml" % n)):
            with open(os.path.join(self.dir, "%d.env" % n)) as f:
                rcpt = f.read().split("\n")[1]
            with open(os.path.join(self.dir, "%d.eml" % n), "rb") as f:
                out[rcpt] = email.message_from_binary_file(
                    f, policy=email.policy.default)
            n += 1
        return out


def smtp_config(env, port):
    """The spool configuration of Env, sent over SMTP to the peer."""
    with open(env.cfg) as f:
        cfg = f.read()
    cfg = cfg.replace("channel = spool\n", "channel = smtp\n")
    cfg += ("[smtp]\nurl = smtp://127.0.0.1:%d\nstarttls = no\n"
            "from = nhachan@example.gov.vn\nreply_to = hotro@example.gov.vn\n"
            "timeout = %d\n" % (port, scaled(20)))
    with open(env.cfg, "w") as f:
        f.write(cfg)


def ctl_fails(env, args, what):
    """deadlinectl args must fail with a message naming what."""
    r = subprocess.run([os.environ["DEADLINECTL"], "-c", env.cfg] + args,
                       capture_output=True, text=True, timeout=scaled(30))
    check(r.returncode == 1 and what in r.stderr, "%s: exit %d, %r" % (
        args, r.returncode, r.stderr))


def plans(env):
    """{plan code: reply_to} from `plan list --format json`."""
    rows = json.loads(env.ctl(None, "plan", "list", "--format", "json"))
    return {r["code"]: r["reply_to"] for r in rows}


def footer(msg):
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    return " ".join(body.split("\n-- \n", 1)[-1].split())


def check_cli(env):
    env.ctl(None, "plan", "reply-to", "kh", "vanphong@example.gov.vn")
    ctl_fails(env, ["plan", "reply-to", "kh",
                    "x@example.gov.vn\r\nBcc: y@example.gov.vn"], "kh")
    ctl_fails(env, ["plan", "reply-to", "kh",
                    "a@example.gov.vn, b@example.gov.vn"], "one address")
    ctl_fails(env, ["plan", "reply-to", "nope", "a@example.gov.vn"],
              "unknown plan 'nope'")
    got = plans(env)
    check(got == {"cc": None, "kh": "vanphong@example.gov.vn"},
          "plans after the refused changes: %s" % got)
    table = env.ctl(None, "plan")
    check("vanphong@example.gov.vn" in table, "plan table: %r" % table)


def check_digests(received):
    msg = received.get("phuocan@example.gov.vn")
    if msg is None:
        check(False, "no digest for Phước An: %s" % list(received))
    else:
        rt = msg["Reply-To"]
        check(rt is not None and [a.addr_spec for a in rt.addresses] ==
              ["vanphong@example.gov.vn"], "Phước An Reply-To %s" % rt)
        check(footer(msg) == AUTO + " Thư trả lời sẽ được gửi đến "
              "vanphong@example.gov.vn. Khi đã hoàn thành công việc, đề "
              "nghị trả lời thư này để dừng nhắc hạn.", "Phước An footer %r"
              % footer(msg))
    msg = received.get("phuochoa@example.gov.vn")
    if msg is None:
        check(False, "no digest for Phước Hòa: %s" % list(received))
    else:
        body = msg.get_body(("plain",)).get_content()
        check("[kh 2]" in body and "[cc 1]" in body, "Phước Hòa items")
        rt = msg["Reply-To"]
        check(rt is not None and [a.addr_spec for a in rt.addresses] ==
              ["hotro@example.gov.vn"], "Phước Hòa Reply-To %s" % rt)
        check("gửi đến hotro@example.gov.vn." in footer(msg),
              "Phước Hòa footer %r" % footer(msg))


def main():
    if missing():
        print("skip: %s not set" % missing())
        return 77
    if subprocess.run([PYTHON, "-c", "import aiosmtpd"],
                      capture_output=True).returncode != 0:
        print("skip: python3-aiosmtpd missing")
        return 77
    tmp = tempfile.mkdtemp(prefix="deadlined-reply-to-")
    peer = None
    try:
        peer = Peer(tmp)
        env = Env(tmp, UNITS_INI, check, {"kh.csv": KH, "cc.csv": CC})
        smtp_config(env, peer.port)
        env.ctl(None, "init")
        for plan in ("kh", "cc"):
            env.ctl("2024-05-20", "import", os.path.join(tmp, plan + ".csv"),
                    "--plan", plan)
        check_cli(env)
        env.run_pass("2024-07-15T08:30")
        check_digests(peer.received())
        env.ctl(None, "plan", "reply-to", "kh", "--clear")
        got = plans(env)
        check(got == {"cc": None, "kh": None}, "after --clear: %s" % got)
    finally:
        if peer is not None:
            peer.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
