#!/usr/bin/python3
"""Email delivery end to end: the real deadlined against a real SMTP server.

tests/peers/smtp_peer.py (aiosmtpd) listens on 127.0.0.1 with STARTTLS
required, AUTH required and a certificate made for this run; it refuses one
address of a unit with 550.  Four days of passes (deadlined --once --now):

  15/07  everything delivered over TLS with AUTH; the 550 address 'failed'
  16/07  server down: rows stay 'pending', one tried (attempt 1), the others
         not tried after that in the pass (attempts 0), all due again after
         the backoff; server back on the same port: delivered at 08:35
  17/07  the first DATA is answered 451 after the message bytes went out:
         the retry delivers the very same Message-ID
  18/07  the server offers no STARTTLS: nothing is sent in clear, not even
         AUTH or MAIL; the rows stay pending and go out once TLS is back

Every message is checked with Python's email package: exact Vietnamese
subject, titles in the body, Date, a Message-ID derived from the outbox key,
and a task title carrying "\\r\\nBcc: attacker@..." that adds neither a
header nor a recipient.  Expected values were worked out by hand from the
policy (lead 7 3 1 0, overdue every 3 working days).  Under valgrind every
time bound is multiplied by DEADLINED_TEST_SLOW (tests/tools/timing.py).
"""
import datetime
import email
import email.policy
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", ".."), "tests",
    "tools"))
from timing import scaled  # noqa: E402
from checks import Checks  # noqa: E402
from daemon_env import (DEADLINECTL, SRCDIR, Runs, missing,  # noqa: E402
                        policy_config)

PYTHON = "/usr/bin/python3"
PEER = os.path.join(SRCDIR, "tests", "peers", "smtp_peer.py")

USER = "nhachan"
PASSWORD = "thu-nghiem-7Qx2"
FROM = "nhachan@example.gov.vn"
FROM_NAME = "Nhắc hạn công việc"
REJECTED = "hopthu-cu@example.gov.vn"
ATTACKER = "attacker@example.invalid"

UNITS_INI = """\
[unit tuphap]
name = Phòng Tư pháp
email = tuphap@example.gov.vn

[unit phuocan]
name = UBND xã Phước An
email = phuocan@example.gov.vn, %s

[unit yte]
name = Phòng Y tế
email = yte@example.gov.vn
""" % REJECTED

ADDRS = {"tuphap": ["tuphap@example.gov.vn"],
         "phuocan": ["phuocan@example.gov.vn", REJECTED],
         "yte": ["yte@example.gov.vn"]}
NAMES = {"tuphap": "Phòng Tư pháp", "phuocan": "UBND xã Phước An",
         "yte": "Phòng Y tế"}

HOSTILE = "Rà soát hồ sơ trễ hẹn\r\nBcc: " + ATTACKER
TASKS = [  # ref, title, due, unit
    ("T1", "Báo cáo kết quả cải cách hành chính quý II", "2024-07-15",
     "tuphap"),
    ("T2", HOSTILE, "2024-07-16", "tuphap"),
    ("T3", "Cập nhật thủ tục trên Cổng dịch vụ công", "2024-07-18",
     "phuocan"),
    ("T4", "Niêm yết công khai thủ tục hành chính", "2024-07-16",
     "phuocan"),
    ("T5", "Kiểm tra an toàn thực phẩm đợt hè", "2024-07-12", "yte"),
]
TITLE = {ref: "[manual %s] %s" % (ref, title.split("\r\n")[0])
         for ref, title, _, _ in TASKS}

# Day -> {unit: (subject counts, [refs in the body])}, by hand:
# 15/07: T1 due today, T2 1 working day left, T3 3 left, T4 1 left,
#        T5 overdue by 1 (Fri 12 -> Mon 15).
# 16/07: T1 overdue 1, T2 and T4 due today (T3: stage 3 already said,
#        T5: overdue step 1 already said).
# 17/07: T2 and T4 overdue 1, T3 1 left (T1 overdue 2: step 1 said).
# 18/07: T3 due today, T5 overdue by 4: step 2 (T1/T2/T4 step 1 said).
# An overdue item not said again that day is still counted (and named in
# one line, not by title): 17/07 tuphap's T1, 18/07 phuocan's T4.
DAYS = {
    "2024-07-15": ("Thứ Hai", {
        "tuphap": ("1 đến hạn hôm nay, 1 sắp đến hạn", ["T1", "T2"]),
        "phuocan": ("2 sắp đến hạn", ["T3", "T4"]),
        "yte": ("1 quá hạn", ["T5"])}),
    "2024-07-16": ("Thứ Ba", {
        "tuphap": ("1 quá hạn, 1 đến hạn hôm nay", ["T1", "T2"]),
        "phuocan": ("1 đến hạn hôm nay", ["T4"])}),
    "2024-07-17": ("Thứ Tư", {
        "tuphap": ("2 quá hạn", ["T2"]),
        "phuocan": ("1 quá hạn, 1 sắp đến hạn", ["T4", "T3"])}),
    "2024-07-18": ("Thứ Năm", {
        "phuocan": ("1 quá hạn, 1 đến hạn hôm nay", ["T3"]),
        "yte": ("1 quá hạn", ["T5"])}),
}
ALLOWED_HEADERS = {"date", "from", "to", "subject", "message-id",
                   "mime-version", "auto-submitted",
                   "x-auto-response-suppress", "content-type",
                   "content-transfer-encoding"}

check = Checks()


def subject_of(day, unit):
    weekday, units = DAYS[day]
    d = datetime.date.fromisoformat(day)
    return "[deadlined] Nhắc hạn công việc ngày %s, %s: %s" % (
        weekday, d.strftime("%d/%m/%Y"), units[unit][0])


def message_id_of(key):
    """The Message-ID the design promises: sha256 of the key, sender domain."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    return "<%s@example.gov.vn>" % digest[:32]


def key_of(day, unit, addr):
    return "digest/%s/%s/smtp/%s" % (unit, day, addr)


class Peer:
    """One run of smtp_peer.py with its own maildir."""

    def __init__(self, env, name, args, port=0):
        self.dir = os.path.join(env.tmp, name)
        os.mkdir(self.dir)
        self.proc = subprocess.Popen(
            [PYTHON, PEER, "--maildir", self.dir, "--port", str(port),
             "--log-commands"] + args,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        env.peers.append(self)
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            raise RuntimeError("smtp peer did not start: %r" % line)
        self.port = int(line.split()[1])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def received(self):
        """[(envelope lines, raw bytes, parsed message)] in arrival order."""
        out = []
        n = 1
        while os.path.exists(os.path.join(self.dir, "%d.eml" % n)):
            with open(os.path.join(self.dir, "%d.env" % n)) as f:
                env = f.read().split("\n")[:-1]
            with open(os.path.join(self.dir, "%d.eml" % n), "rb") as f:
                raw = f.read()
            out.append((env, raw, email.message_from_bytes(
                raw, policy=email.policy.default)))
            n += 1
        return out

    def commands(self):
        path = os.path.join(self.dir, "commands")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return f.read().split()

    def connections(self):
        path = os.path.join(self.dir, "connections")
        if not os.path.exists(path):
            return 0
        with open(path) as f:
            return int(f.read())


class Env(Runs):
    def __init__(self, tmp):
        self.tmp = tmp
        self.check = check
        self.db = os.path.join(tmp, "state", "deadlined.db")
        self.peers = []
        self.state = os.path.join(tmp, "state")
        self.cfg = os.path.join(tmp, "deadlined.ini")
        self.cert = os.path.join(tmp, "cert.pem")
        self.key = os.path.join(tmp, "key.pem")
        os.mkdir(self.state)
        with open(os.path.join(tmp, "units.ini"), "w") as f:
            f.write(UNITS_INI)
        self.pwfile = os.path.join(tmp, "smtp.password")
        fd = os.open(self.pwfile, os.O_WRONLY | os.O_CREAT, 0o600)
        os.write(fd, (PASSWORD + "\n").encode())
        os.close(fd)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
             "-subj", "/CN=localhost", "-addext",
             "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2",
             "-keyout", self.key, "-out", self.cert],
            check=True, capture_output=True, timeout=60)

    def write_config(self, port):
        with open(self.cfg, "w") as f:
            f.write(policy_config(
                self.state, os.path.join(self.tmp, "units.ini"), "smtp", 0,
                "[outbox]\nbackoff_base = 60\n"
                "[smtp]\nurl = smtp://127.0.0.1:%d\nstarttls = yes\n"
                "ca_file = %s\nusername = %s\npassword_file = %s\n"
                "from = %s\nfrom_name = %s\ntimeout = %d\n" % (
                    port, self.cert, USER, self.pwfile, FROM, FROM_NAME,
                    scaled(20))))

    def tls_peer(self, name, port, extra=()):
        return Peer(self, name, ["--tls-cert", self.cert, "--tls-key",
                                 self.key, "--auth", USER + ":" + PASSWORD,
                                 "--reject", REJECTED] + list(extra), port)

    def stored(self, key, column):
        return self.value("SELECT %s FROM outbox WHERE key = ?" % column,
                          (key,))


def check_message(env, day, unit, addr, envelope, raw, msg):
    """Checks one received message against what the day's digest must be."""
    key = key_of(day, unit, addr)
    check(envelope == ["<%s>" % FROM, addr] or envelope == [FROM, addr],
          "%s: envelope %s" % (key, envelope))
    check(set(k.lower() for k in msg.keys()) <= ALLOWED_HEADERS,
          "%s: unexpected headers %s" % (key, msg.keys()))
    check(msg.get_all("Bcc") is None and msg.get_all("Cc") is None,
          "%s: a Bcc or Cc header" % key)
    check(str(msg["Subject"]) == subject_of(day, unit),
          "%s: subject %r, expected %r" % (key, str(msg["Subject"]),
                                           subject_of(day, unit)))
    to = msg["To"].addresses
    check(len(to) == 1 and to[0].addr_spec == addr and
          to[0].display_name == NAMES[unit], "%s: To %s" % (key, msg["To"]))
    frm = msg["From"].addresses
    check(len(frm) == 1 and frm[0].addr_spec == FROM and
          frm[0].display_name == FROM_NAME, "%s: From %s" % (key, msg["From"]))
    want_date = datetime.datetime.fromisoformat(day + "T08:30:00+07:00")
    check(msg["Date"] is not None and msg["Date"].datetime == want_date,
          "%s: Date %s" % (key, msg["Date"]))
    check(msg["Message-ID"] == message_id_of(key),
          "%s: Message-ID %s, expected %s" % (key, msg["Message-ID"],
                                              message_id_of(key)))
    check(b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"") and
          b"\r" not in raw.replace(b"\r\n", b""),
          "%s: line endings are not all CRLF" % key)
    # The parser keeps the CRLF of the wire in decoded text.
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    check("\r" not in body, "%s: a bare CR in the body" % key)
    check(body.startswith("Kính gửi: " + NAMES[unit]),
          "%s: greeting %r" % (key, body[:40]))
    refs = DAYS[day][1][unit][1]
    for ref in refs:
        check(TITLE[ref] in body, "%s: body lacks %r" % (key, TITLE[ref]))
    others = [r for r in TITLE if r not in refs]
    for ref in others:
        check(TITLE[ref] not in body, "%s: body has %r" % (key, TITLE[ref]))
    if "T2" in refs:
        # The hostile title: the CR is gone, the rest is an indented line
        # of the body, never a header.
        check(TITLE["T2"] + "\n   Bcc: " + ATTACKER in body,
              "%s: hostile title rendered as %r" % (
                  key, body[body.find("Rà soát"):][:80]))


def check_day(env, peer, day, first=0):
    """Checks every message of a day that peer received from index first."""
    got = peer.received()[first:]
    want = [(u, a) for u in DAYS[day][1] for a in ADDRS[u] if a != REJECTED]
    rcpts = sorted(",".join(e[1:]) for e, _, _ in got)
    check(rcpts == sorted(a for _, a in want),
          "%s: recipients %s, expected %s" % (day, rcpts,
                                              sorted(a for _, a in want)))
    for envelope, raw, msg in got:
        for unit, addr in want:
            if envelope[1:] == [addr]:
                check_message(env, day, unit, addr, envelope, raw, msg)
    return got


def check_rows(env, day, states):
    """Checks the outbox rows of a day: {recipient: state}."""
    rows = {k: r for k, r in env.outbox_by_key().items() if r["day"] == day}
    want = {key_of(day, u, a): a for u in DAYS[day][1] for a in ADDRS[u]}
    check(sorted(rows) == sorted(want), "%s: outbox keys %s, expected %s" % (
        day, sorted(rows), sorted(want)))
    for key, addr in want.items():
        r = rows.get(key)
        if r is None:
            continue
        check(r["state"] == states[addr] and r["recipient"] == addr and
              r["channel"] == "smtp" and r["kind"] == "email",
              "%s: row %s, expected state %s" % (day, r, states[addr]))
    return rows


def day1(env, peer):
    env.run_pass("2024-07-15T08:30")
    got = check_day(env, peer, "2024-07-15")
    check(len(got) == 3, "15/07: %d messages, expected 3" % len(got))
    states = {a: "sent" for u in ADDRS for a in ADDRS[u]}
    states[REJECTED] = "failed"
    rows = check_rows(env, "2024-07-15", states)
    bad = rows.get(key_of("2024-07-15", "phuocan", REJECTED))
    check(bad is not None and "550" in (bad["last_error"] or ""),
          "15/07: rejected row %s" % bad)
    # Each connection: EHLO, STARTTLS, EHLO again, AUTH before any MAIL.
    # libcurl ends a connection after a refused transaction (the 550), so
    # four messages take at most two connections, never one each.
    cmds = peer.commands()
    sessions = []
    for c in cmds:
        if c == "EHLO" and (not sessions or sessions[-1][-1] == "QUIT"):
            sessions.append([])
        if sessions:
            sessions[-1].append(c)
    check(all(s[:4] == ["EHLO", "STARTTLS", "EHLO", "AUTH"] for s in sessions)
          and sessions and sum(len(s) for s in sessions) == len(cmds),
          "15/07: sessions %s" % sessions)
    check(cmds.count("DATA") == 3 and cmds.count("RCPT") == 4,
          "15/07: commands %s" % cmds)
    check(len(sessions) == peer.connections() and peer.connections() <= 2,
          "15/07: %d connections, %d sessions for 4 messages" % (
              peer.connections(), len(sessions)))
    env.run_pass("2024-07-15T09:30")
    check(len(peer.received()) == 3, "15/07: a second pass sent again")


def day2(env, port):
    env.run_pass("2024-07-16T08:30")
    rows = check_rows(env, "2024-07-16", {
        "tuphap@example.gov.vn": "pending",
        "phuocan@example.gov.vn": "pending", REJECTED: "pending"})
    now = datetime.datetime(2024, 7, 16, 8, 30)
    for key, r in rows.items():
        when = datetime.datetime.fromisoformat(r["when"]) if r["when"] \
            else now
        delay = (when - now).total_seconds()
        # First retry after backoff_base (60 s) plus at most 20% jitter,
        # for the one message tried and for those that wait with it.
        check(60 <= delay <= 72, "16/07 server down: %s next attempt in "
              "%.0f s" % (key, delay))
        check(r["last_error"], "16/07: %s has no error recorded" % key)
    # The refused connection is tried once; the pass leaves the server
    # alone after that, and counts no attempt for what it did not try.
    tried = sorted(r["attempts"] for r in rows.values())
    check(tried == [0, 0, 1], "16/07 server down: attempts %s, expected "
          "one message tried once" % tried)
    waiting = [r["last_error"] for r in rows.values() if r["attempts"] == 0]
    check(all(e.startswith("not tried: smtp failed earlier in the pass")
              for e in waiting), "16/07: why they wait: %s" % waiting)
    peer = env.tls_peer("mail2", port)
    check(peer.port == port, "peer restarted on %d, not %d" % (peer.port,
                                                               port))
    env.run_pass("2024-07-16T08:30:50")
    check(peer.received() == [], "16/07: sent before the backoff ran out")
    env.run_pass("2024-07-16T08:35")
    got = check_day(env, peer, "2024-07-16")
    check(len(got) == 2, "16/07: %d messages after the retry, expected 2" %
          len(got))
    check_rows(env, "2024-07-16", {"tuphap@example.gov.vn": "sent",
                                   "phuocan@example.gov.vn": "sent",
                                   REJECTED: "failed"})
    peer.stop()
    return got


def day3(env, port):
    peer = env.tls_peer("mail3", port, ["--tempfail-first", "1",
                                        "--record-tempfail"])
    env.run_pass("2024-07-17T08:30")
    rows = {k: r for k, r in env.outbox_by_key().items()
            if r["day"] == "2024-07-17"}
    pending = [k for k, r in rows.items() if r["state"] == "pending"]
    check(len(pending) == 1, "17/07: pending after a 451: %s" % pending)
    path = os.path.join(peer.dir, "tempfail-1.msg")
    check(os.path.exists(path), "17/07: the peer saw no refused DATA")
    if len(pending) != 1 or not os.path.exists(path):
        peer.stop()
        return []
    key = pending[0]
    check("451" in (rows[key]["last_error"] or ""),
          "17/07: error %s" % rows[key]["last_error"])
    with open(path, "rb") as f:
        refused = email.message_from_bytes(f.read(),
                                           policy=email.policy.default)
    check(len(peer.received()) == 1, "17/07: %d delivered beside the 451" %
          len(peer.received()))
    env.run_pass("2024-07-17T08:40")
    got = check_day(env, peer, "2024-07-17")
    check(len(got) == 2, "17/07: %d messages, expected 2" % len(got))
    retried = [m for e, _, m in got if m["Message-ID"] == refused[
        "Message-ID"]]
    stored = email.message_from_string(env.stored(key, "body"),
                                       policy=email.policy.default)
    check(len(retried) == 1 and refused["Message-ID"] == message_id_of(key)
          and stored["Message-ID"] == refused["Message-ID"],
          "17/07: resend of %s: refused %s, stored %s, delivered %s" % (
              key, refused["Message-ID"], stored["Message-ID"],
              [m["Message-ID"] for _, _, m in got]))
    check(env.outbox_by_key()[key]["attempts"] == 2 and
          env.outbox_by_key()[key]["state"] == "sent",
          "17/07: retried row %s" % env.outbox_by_key()[key])
    peer.stop()
    return got


def day4(env, port):
    # A server that would take AUTH in clear and offers no STARTTLS.
    peer = Peer(env, "mail4", ["--no-starttls", "--auth",
                               USER + ":" + PASSWORD], port)
    env.run_pass("2024-07-18T08:30")
    cmds = peer.commands()
    check("EHLO" in cmds, "18/07: deadlined never talked to the server")
    leaked = [c for c in cmds if c in ("AUTH", "MAIL", "RCPT", "DATA")]
    check(leaked == [], "18/07: sent in clear: %s" % leaked)
    check(peer.received() == [], "18/07: a message went out without TLS")
    check_rows(env, "2024-07-18", {"phuocan@example.gov.vn": "pending",
                                   REJECTED: "pending",
                                   "yte@example.gov.vn": "pending"})
    peer.stop()
    peer = env.tls_peer("mail5", port)
    env.run_pass("2024-07-18T08:45")
    got = check_day(env, peer, "2024-07-18")
    check(len(got) == 2, "18/07: %d messages once TLS is back" % len(got))
    check_rows(env, "2024-07-18", {"phuocan@example.gov.vn": "sent",
                                   REJECTED: "failed",
                                   "yte@example.gov.vn": "sent"})
    peer.stop()
    return got


def setup(env):
    env.ctl(None, "init")
    for ref, title, due, unit in TASKS:
        env.ctl("2024-07-01", "task", "add", title, "--due", due, "--unit",
                unit, "--ref", ref)


def run(env):
    peer = env.tls_peer("mail1", 0)
    port = peer.port
    env.write_config(port)
    setup(env)
    r = subprocess.run([DEADLINECTL, "-c", env.cfg, "check-config"],
                       capture_output=True, text=True, timeout=scaled(30))
    check(r.returncode == 0, "check-config: %s" % r.stderr)
    day1(env, peer)
    received = peer.received()
    peer.stop()
    received += day2(env, port)
    received += day3(env, port)
    received += day4(env, port)
    ids = [m["Message-ID"] for _, _, m in received]
    check(len(ids) == 9 and len(set(ids)) == len(ids),
          "%d messages delivered, %d distinct Message-IDs, expected 9" % (
              len(ids), len(set(ids))))
    everyone = [r for e, _, _ in received for r in e[1:]]
    check(ATTACKER not in everyone and REJECTED not in everyone,
          "envelope recipients %s" % everyone)
    leftover = [r for r in env.outbox_by_key().values()
                if r["state"] not in ("sent", "failed")]
    check(leftover == [], "rows left undelivered: %s" % leftover)


def main():
    why = missing()
    if why:
        print("skip: %s not set" % why)
        return 77
    if shutil.which("openssl") is None:
        print("skip: openssl missing")
        return 77
    if subprocess.run([PYTHON, "-c", "import aiosmtpd"],
                      capture_output=True).returncode != 0:
        print("skip: python3-aiosmtpd missing")
        return 77
    tmp = tempfile.mkdtemp(prefix="deadlined-deliver-smtp-")
    env = None
    started = time.monotonic()
    try:
        env = Env(tmp)
        run(env)
    finally:
        for p in env.peers if env else []:
            p.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    check(time.monotonic() - started < scaled(90),
          "the test took over %d s" % scaled(90))
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
