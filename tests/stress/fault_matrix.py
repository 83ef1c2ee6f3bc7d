#!/usr/bin/python3
"""The fault matrix: the real deadlined against real peers on 127.0.0.1.

Every row builds a fresh state directory with units whose one task is due
Monday 15/07/2024 (lead 7 3 1 0 working days, so digests on Thu 04/07, Wed
10/07, Fri 12/07 and Mon 15/07, worked out by hand), injects one fault,
and steps deadlined --once through simulated time (--now, five minutes a
pass, [outbox] backoff_base = 1) until every outbox row is final.

Rows: SMTP server down, slow (replies after the client's timeout), 421,
451, 550 (permanent), connection dropped in the middle of DATA; webhook
500, 410, 429 with Retry-After, hang (timeout), reset; SIGKILL of the
daemon at random points; the database held by a BEGIN IMMEDIATE of the
sqlite3 CLI longer than busy_timeout_ms; the spool file system full.
Then the rows of outbox_faults.py (issue 16: the database on a full disk
in a pass, a lock in a batch, a second daemon, a lease outlasted, SIGTERM
and SIGHUP in a slow batch, SMTP servers hanging before, in and after
DATA, every webhook of a host hanging), in their own table.  --soak runs
soak.py: 2,000 messages over simulated days under random faults.

For each row: messages lost (expected by hand, never received and not
visibly failed: must be 0), duplicates (a key received twice: allowed only
for a key that was in flight), passes needed after the fault cleared, and
PRAGMA integrity_check.  Run alone:

    /usr/bin/python3 tests/stress/fault_matrix.py [--long] [--row NAME]
    /usr/bin/python3 tests/stress/fault_matrix.py --soak [--minutes N]

--long: 100+ SIGKILLs over 2,000+ messages and more units per row.
Imported by tests/integration/stress_short.py for the short run.

Under valgrind (tests/tools/timing.py) the client timeouts, the peers'
delays that outlast them, the SIGKILL window and every other time bound
are multiplied by DEADLINED_TEST_SLOW; DEADLINED_TEST_KILLS scales the
number of SIGKILLs down.
"""
import argparse
import asyncio
import email
import email.policy
import email.utils
import http.server
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("SRCDIR") or os.path.normpath(
    os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "tools"))
from timing import kill_count, scaled, wait_open  # noqa: E402
from served import free_port  # noqa: E402
from disk import fill, mount_tmpfs  # noqa: E402

BUILDDIR = os.environ.get("BUILDDIR") or os.path.join(SRCDIR, "build")
DEADLINED = os.environ.get("DEADLINED") or os.path.join(BUILDDIR,
                                                        "deadlined")
DEADLINECTL = os.environ.get("DEADLINECTL") or os.path.join(BUILDDIR,
                                                            "deadlinectl")
FROM = "nhachan@example.gov.vn"
SEED = 20240715
DUE = "2024-07-15"
# Digest days for a task due Mon 15/07/2024 with lead 7 3 1 0 working days,
# then the overdue steps (every 3 working days, at most 5): by hand.
DAYS = ["2024-07-04", "2024-07-10", "2024-07-12", "2024-07-15",
        "2024-07-16", "2024-07-19", "2024-07-24", "2024-07-29",
        "2024-08-01"]
STEP_MINUTES = 5
MAX_PASSES = 12
FINAL = ("sent", "failed", "dead")
# The client timeouts of the configuration, and how long the slow SMTP
# peer and the hanging webhook peer hold their answer: past the timeout.
CLIENT_TIMEOUT = scaled(2)
SMTP_SLOW_REPLY = scaled(4)
WEBHOOK_HANG = scaled(3)


class SmtpHandler:
    """aiosmtpd handler whose behaviour the row sets in .mode."""

    def __init__(self):
        self.mode = "ok"
        self.left = 0           # faulty transactions left for slow/drop
        self.reject = set()     # recipients answered 550 (permanent)
        self.received = []      # (recipient, raw bytes)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.reject:
            return "550 5.1.1 <%s>: no such mailbox" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode
        if mode in ("slow", "drop"):
            with self.lock:
                if self.left <= 0:
                    mode = "ok"
                else:
                    self.left -= 1
        if mode == "421":
            return "421 4.3.2 Service shutting down"
        if mode == "451":
            return "451 4.3.0 Temporary failure, try again later"
        if mode == "drop":
            server.transport.abort()
            return "451 4.3.0 never sent"
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, envelope.original_content))
        if mode == "slow":
            # Queued, but the reply comes after the client's timeout.
            await asyncio.sleep(SMTP_SLOW_REPLY)
        return "250 2.0.0 OK"


class SmtpPeer:
    """An aiosmtpd server on 127.0.0.1 that can be stopped and restarted."""

    def __init__(self):
        self.port = free_port()
        self.handler = SmtpHandler()
        self.controller = None
        self.running = False

    def start(self):
        from aiosmtpd.controller import Controller
        if not self.running:
            # A stopped controller's loop is closed: a new one each time.
            self.controller = Controller(self.handler,
                                         hostname="127.0.0.1",
                                         port=self.port)
            self.controller.start()
            self.running = True

    def stop(self):
        if self.running:
            self.controller.stop()
            self.running = False

    def keys(self):
        """The received messages as outbox keys (digest/unit/day/...)."""
        out = []
        for rcpt, raw in self.handler.received:
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            day = msg["Date"].datetime.astimezone(
                msg["Date"].datetime.tzinfo).date().isoformat()
            unit = rcpt.split(".")[0]
            out.append("digest/%s/%s/smtp/%s" % (unit, day, rcpt))
        return out


class WebhookHandler(http.server.BaseHTTPRequestHandler):
    """Answers by the server's .mode; records the webhook-id of a 2xx."""

    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        srv = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        unit = self.path.strip("/").split("/")[-1]
        mode = srv.mode
        with srv.lock:
            if mode in ("hang", "reset") and srv.left <= 0:
                mode = "ok"
            elif mode in ("hang", "reset"):
                srv.left -= 1
        if unit in srv.gone:
            mode = "410"
        if mode == "hang":
            time.sleep(WEBHOOK_HANG)
            return
        if mode == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            return
        if mode in ("500", "410", "429"):
            self.send_response(int(mode))
            if mode == "429":
                self.send_header("Retry-After", "120")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        json.loads(body)
        with srv.lock:
            srv.received.append(self.headers.get("webhook-id"))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


class WebhookPeer:
    def __init__(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                      WebhookHandler)
        self.server.daemon_threads = True
        self.server.mode = "ok"
        self.server.left = 0
        self.server.gone = set()
        self.server.received = []
        self.server.lock = threading.Lock()
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def keys(self):
        return list(self.server.received)


class Env:
    """A state directory, its config, units and tasks.  settings overrides
    or adds keys ({"outbox": {"lease_seconds": "20"}}); state_dir puts the
    state (database, spool) elsewhere, e.g. on a small tmpfs."""

    def __init__(self, tmp, channel, nunits, naddrs, port=0, extra="",
                 spool_dir=None, settings=None, state_dir=None):
        self.tmp = tmp
        self.channel = channel
        self.state = state_dir or os.path.join(tmp, "state")
        self.db = os.path.join(self.state, "deadlined.db")
        self.cfg = os.path.join(tmp, "deadlined.ini")
        self.spool = spool_dir or os.path.join(self.state, "spool")
        os.mkdir(self.state)
        self.units = {}
        text = []
        for i in range(nunits):
            code = "u%03d" % i
            if channel == "webhook":
                addrs = ["http://127.0.0.1:%d/hook/%s" % (port, code)]
                secret = os.path.join(tmp, code + ".whsec")
                fd = os.open(secret, os.O_WRONLY | os.O_CREAT, 0o600)
                os.write(fd, b"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")
                os.close(fd)
                text.append("[unit %s]\nname = Xã %d\nwebhook = %s\n"
                            "webhook_secret_file = %s\n" % (
                                code, i, addrs[0], secret))
            else:
                addrs = ["%s.%d@example.gov.vn" % (code, k)
                         for k in range(naddrs)]
                text.append("[unit %s]\nname = Xã %d\nemail = %s\n" % (
                    code, i, ", ".join(addrs)))
            self.units[code] = addrs
        with open(os.path.join(tmp, "units.ini"), "w") as f:
            f.write("\n".join(text))
        conf = {
            "daemon": {"state_dir": self.state,
                       "units_file": os.path.join(tmp, "units.ini")},
            "calendar": {"days_off_file": os.path.join(SRCDIR, "config",
                                                       "days-off.ini")},
            "reminders": {"channel": channel, "lead_days": "7 3 1 0",
                          "overdue_every": "3", "overdue_max": "5",
                          "escalate_after": "0", "send_time": "08:00"},
            "outbox": {"backoff_base": "1", "backoff_max": "60",
                       "lease_seconds": "10", "batch_size": "50"},
            "smtp": {"url": "smtp://127.0.0.1:%d" % port,
                     "starttls": "no", "from": FROM,
                     "connect_timeout": str(CLIENT_TIMEOUT),
                     "timeout": str(CLIENT_TIMEOUT)},
            "webhook": {"allow_http_loopback": "yes",
                        "connect_timeout": str(CLIENT_TIMEOUT),
                        "timeout": str(CLIENT_TIMEOUT)},
            "spool": {"dir": self.spool},
            "report": {"schedule": "off"},
            "http": {"enabled": "no"},
        }
        for section, keys in (settings or {}).items():
            conf.setdefault(section, {}).update(keys)
        with open(self.cfg, "w") as f:
            for section, keys in conf.items():
                f.write("[%s]\n" % section)
                for k, v in keys.items():
                    f.write("%s = %s\n" % (k, v))
            f.write(extra)
        self.ctl(None, "init")
        for code in self.units:
            self.ctl("2024-07-01", "task", "add", "Báo cáo của " + code,
                     "--due", DUE, "--unit", code)

    def ctl(self, now, *args):
        cmd = [DEADLINECTL, "-c", self.cfg]
        if now:
            cmd += ["--now", now]
        r = subprocess.run(cmd + list(args), capture_output=True, text=True,
                           timeout=scaled(60))
        if r.returncode != 0:
            raise RuntimeError("deadlinectl %s: %s" % (args, r.stderr))
        return r.stdout

    def expected(self, days):
        return {"digest/%s/%s/%s/%s" % (code, day, self.channel, a)
                for day in days for code, addrs in self.units.items()
                for a in addrs}

    def run(self, now, timeout=120):
        """One deadlined --once pass; returns (exit code, stderr)."""
        r = subprocess.run([DEADLINED, "-c", self.cfg, "--once", "--now",
                            now], capture_output=True, text=True,
                           timeout=scaled(timeout))
        return r.returncode, r.stderr

    def rows(self):
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True,
                              timeout=30)
        try:
            return {k: s for k, s in con.execute(
                "SELECT key, state FROM outbox")}
        finally:
            con.close()

    def integrity(self):
        r = subprocess.run(["sqlite3", self.db, "PRAGMA integrity_check"],
                           capture_output=True, text=True, timeout=60)
        return r.stdout.strip()

    def sending(self):
        return {k for k, s in self.rows().items() if s == "sending"}


def clock(day, minute):
    return "%sT%02d:%02d" % (day, minute // 60, minute % 60)


class Row:
    """One row of the table."""

    def __init__(self, name, fault):
        self.name = name
        self.fault = fault
        self.messages = 0
        self.lost = 0
        self.dups = 0
        self.bad_dups = 0
        self.recover = 0
        self.integrity = "-"
        self.crashes = 0
        self.skipped = None
        self.notes = []

    def ok(self):
        return self.skipped is not None or (
            self.lost == 0 and self.bad_dups == 0 and self.crashes == 0 and
            self.integrity == "ok" and not self.notes)


def settle(env, row, day, minute, start_pass=0):
    """Steps passes until every row is final; returns the passes used."""
    for n in range(start_pass, MAX_PASSES):
        rc, err = env.run(clock(day, minute + n * STEP_MINUTES))
        if rc != 0:
            row.crashes += 1
            row.notes.append("%s exit %d: %s" % (day, rc, err[-200:]))
        rows = env.rows()
        if all(s in FINAL for s in rows.values()):
            return n + 1
    row.notes.append("%s: rows not final after %d passes" % (day,
                                                             MAX_PASSES))
    return MAX_PASSES


def account(env, row, days, received, permanent=(), in_flight=()):
    """Counts lost and duplicate messages against the expected keys."""
    expected = env.expected(days)
    rows = env.rows()
    row.messages = len(expected)
    counts = {}
    for k in received:
        counts[k] = counts.get(k, 0) + 1
    for k in expected:
        if k in permanent:
            if rows.get(k) != "failed" or counts.get(k, 0) != 0:
                row.lost += 1
        elif counts.get(k, 0) == 0 or rows.get(k) != "sent":
            row.lost += 1
    for k, c in counts.items():
        if k not in expected:
            row.notes.append("unexpected message %s" % k)
        if c > 1:
            row.dups += c - 1
            if k not in in_flight:
                row.bad_dups += c - 1
    extra = set(rows) - expected
    if extra:
        row.notes.append("unexpected outbox rows %s" % sorted(extra)[:3])
    row.integrity = env.integrity()


def smtp_row(name, fault, mode, days, nunits, faulty_passes, long_mode):
    """An SMTP fault active for the first passes of each day."""
    row = Row(name, fault)
    peer = SmtpPeer()
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    try:
        env = Env(tmp, "smtp", nunits, 1, port=peer.port)
        permanent = set()
        if mode == "550":
            bad = sorted(env.units)[0]
            peer.handler.reject.add(env.units[bad][0])
            permanent = {k for k in env.expected(days)
                         if "/%s/" % bad in k}
        in_flight = set()
        for day in days:
            minute = 8 * 60 + 30
            if mode == "down":
                peer.stop()
            else:
                peer.start()
                peer.handler.mode = mode
                peer.handler.left = 3
            for n in range(faulty_passes):
                rc, err = env.run(clock(day, minute + n * STEP_MINUTES))
                if rc != 0:
                    row.crashes += 1
                    row.notes.append("exit %d: %s" % (rc, err[-200:]))
            if mode == "slow":
                # A reply lost to the timeout: the key was in flight.
                in_flight |= set(peer.keys())
            peer.start()
            peer.handler.mode = "ok"
            used = settle(env, row, day, minute + faulty_passes *
                          STEP_MINUTES)
            row.recover = max(row.recover, used)
        account(env, row, days, peer.keys(), permanent, in_flight)
    finally:
        peer.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def webhook_row(name, fault, mode, days, nunits, faulty_passes):
    """A webhook fault active for the first passes of each day."""
    row = Row(name, fault)
    peer = WebhookPeer()
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    try:
        env = Env(tmp, "webhook", nunits, 1, port=peer.port)
        permanent = set()
        if mode == "410":
            bad = sorted(env.units)[0]
            peer.server.gone.add(bad)
            # After the 410 the endpoint is disabled: only the first
            # day's digest is planned for it.
            permanent = {k for k in env.expected(days[:1])
                         if "/%s/" % bad in k}
        for day in days:
            minute = 8 * 60 + 30
            peer.server.mode = mode if mode != "410" else "ok"
            peer.server.left = 2
            for n in range(faulty_passes):
                rc, err = env.run(clock(day, minute + n * STEP_MINUTES))
                if rc != 0:
                    row.crashes += 1
                    row.notes.append("exit %d: %s" % (rc, err[-200:]))
            peer.server.mode = "ok"
            used = settle(env, row, day, minute + faulty_passes *
                          STEP_MINUTES)
            row.recover = max(row.recover, used)
        in_flight = set(peer.keys()) if mode == "hang" else set()
        if mode == "410":
            bad_keys = {k for k in env.expected(days) if "/%s/" % bad in k}
            planned = set(env.rows())
            for k in bad_keys - permanent:
                if k in planned:
                    row.notes.append("planned for a disabled webhook: " + k)
            expected_days = days
            received = peer.keys()
            account_410(env, row, expected_days, received, permanent,
                        bad_keys)
        else:
            account(env, row, days, peer.keys(), permanent, in_flight)
    finally:
        peer.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def account_410(env, row, days, received, permanent, bad_keys):
    """Like account(), but keys of the disabled endpoint are not expected."""
    expected = env.expected(days) - (bad_keys - permanent)
    saved = env.expected
    env.expected = lambda d: expected
    try:
        account(env, row, days, received, permanent)
    finally:
        env.expected = saved


def kill_row(days, nunits, naddrs, min_kills, per_day, budget, max_delay):
    """SIGKILL at random points of SMTP passes, restart a minute later.
    max_delay (seconds) bounds the random point, counted from the moment
    the pass has its database open; a short pass finishes before a late
    point, so the short run draws from a smaller range."""
    min_kills, per_day = kill_count(min_kills), kill_count(per_day)
    budget, max_delay = scaled(budget), scaled(max_delay)
    row = Row("sigkill", "SIGKILL at random points (0-%d ms into a pass)"
              % int(max_delay * 1000))
    rng = random.Random(SEED)
    peer = SmtpPeer()
    peer.start()
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    kills = 0
    in_flight = set()
    start = time.monotonic()
    try:
        env = Env(tmp, "smtp", nunits, naddrs, port=peer.port)
        for day in days:
            minute = 8 * 60 + 30
            today = 0
            while True:
                proc = subprocess.Popen(
                    [DEADLINED, "-c", env.cfg, "--once", "--now",
                     clock(day, minute)], stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
                want = today < per_day and time.monotonic() - start < budget
                delay = rng.uniform(0.0, max_delay)
                if want:
                    wait_open(proc, env.db)
                t0 = time.monotonic()
                while want and proc.poll() is None and \
                        time.monotonic() - t0 < delay:
                    time.sleep(0.001)
                if want and proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait(timeout=scaled(30))
                    kills += 1
                    today += 1
                    in_flight |= env.sending()
                    minute += 1
                    continue
                rc = proc.wait(timeout=scaled(300))
                if rc != 0:
                    row.crashes += 1
                    row.notes.append("%s: exit %d" % (day, rc))
                break
            used = settle(env, row, day, minute + 1)
            row.recover = max(row.recover, used)
        account(env, row, days, peer.keys(), (), in_flight)
        row.fault = "SIGKILL at random points: %d kills" % kills
        if kills < min_kills:
            row.notes.append("only %d kills" % kills)
    finally:
        peer.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    row.kills = kills
    return row


def locked_row(days, nunits):
    """A BEGIN IMMEDIATE held by the sqlite3 CLI past busy_timeout_ms."""
    row = Row("db-locked", "BEGIN IMMEDIATE held by sqlite3 over a pass, "
              "busy_timeout_ms = 300")
    if shutil.which("sqlite3") is None:
        row.skipped = "sqlite3 CLI missing"
        return row
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    try:
        env = Env(tmp, "spool", nunits, 1,
                  extra="[database]\nbusy_timeout_ms = 300\n")
        logged = False
        for day in days:
            minute = 8 * 60 + 30
            holder = subprocess.Popen(["sqlite3", env.db],
                                      stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
            holder.stdin.write("BEGIN IMMEDIATE;\n.print locked\n")
            holder.stdin.flush()
            if holder.stdout.readline().strip() != "locked":
                row.notes.append("sqlite3 did not take the lock")
            rc, err = env.run(clock(day, minute))
            if rc < 0 or rc > 2:
                row.crashes += 1
                row.notes.append("locked pass exit %d: %s" % (rc, err[-200:]))
            if "lock" in err or "busy" in err:
                logged = True
            time.sleep(0.2)
            holder.stdin.write("COMMIT;\n.quit\n")
            holder.stdin.close()
            holder.wait(timeout=30)
            used = settle(env, row, day, minute + STEP_MINUTES)
            row.recover = max(row.recover, used)
        if not logged:
            row.notes.append("the locked database was not logged")
        spooled = [k for k in env.expected(days)
                   if os.path.exists(spool_path(env, k))]
        account(env, row, days, spooled)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def spool_path(env, key):
    safe = "".join(c if c.isalnum() or c in "-._@" else "_" for c in key)
    return os.path.join(env.spool, safe + ".eml")


def disk_full_row(days, nunits, size="256k"):
    """The spool directory on a full tmpfs of size (large enough for every
    message of the run once the filler is freed: the long run spools about
    a megabyte, which a 256 KiB file system cannot hold at all)."""
    row = Row("disk-full", "spool on a full tmpfs (ENOSPC), then freed")
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    mnt = os.path.join(tmp, "spoolfs")
    why = mount_tmpfs(mnt, size)
    if why:
        shutil.rmtree(tmp, ignore_errors=True)
        row.skipped = "mount -t tmpfs refused: %s" % why
        return row
    try:
        env = Env(tmp, "spool", nunits, 1, spool_dir=os.path.join(mnt, "s"))
        os.mkdir(env.spool)
        for day in days:
            minute = 8 * 60 + 30
            filler = fill(mnt)
            rc, err = env.run(clock(day, minute))
            if rc < 0 or rc > 2:
                row.crashes += 1
                row.notes.append("full pass exit %d: %s" % (rc, err[-200:]))
            half = [n for n in os.listdir(env.spool)
                    if not n.endswith(".eml")]
            if half:
                row.notes.append("partial files left: %s" % half[:3])
            os.unlink(filler)
            used = settle(env, row, day, minute + STEP_MINUTES)
            row.recover = max(row.recover, used)
        spooled = []
        for k in env.expected(days):
            p = spool_path(env, k)
            if os.path.exists(p):
                with open(p, "rb") as f:
                    msg = email.message_from_bytes(
                        f.read(), policy=email.policy.default)
                if msg["Message-ID"] and msg.get_body() is not None:
                    spooled.append(k)
        account(env, row, days, spooled)
    finally:
        subprocess.run(["umount", mnt], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def matrix(long_mode, only=None):
    """Runs the rows; returns them."""
    days = DAYS if long_mode else DAYS[:2]
    n = 40 if long_mode else 4
    fp = 2 if long_mode else 1
    rows = []
    plan = [
        ("smtp-down", "SMTP server down (connection refused)", "smtp",
         "down"),
        ("smtp-slow", "SMTP reply 4 s late, client timeout 2 s", "smtp",
         "slow"),
        ("smtp-421", "SMTP 421 on DATA", "smtp", "421"),
        ("smtp-451", "SMTP 451 on DATA", "smtp", "451"),
        ("smtp-550", "SMTP 550 for one recipient (permanent)", "smtp",
         "550"),
        ("smtp-drop", "connection dropped in the middle of DATA", "smtp",
         "drop"),
        ("webhook-500", "webhook 500", "webhook", "500"),
        ("webhook-410", "webhook 410 for one unit (disables it)", "webhook",
         "410"),
        ("webhook-429", "webhook 429, Retry-After: 120", "webhook", "429"),
        ("webhook-hang", "webhook never answers (timeout 2 s)", "webhook",
         "hang"),
        ("webhook-reset", "webhook connection reset", "webhook", "reset"),
    ]
    for name, fault, kind, mode in plan:
        if only and name not in only:
            continue
        if kind == "smtp":
            rows.append(smtp_row(name, fault, mode, days, n, fp, long_mode))
        else:
            rows.append(webhook_row(name, fault, mode, days, n, fp))
    if not only or "sigkill" in only:
        if long_mode:
            rows.append(kill_row(DAYS, 120, 2, 100, 14, 1200.0, 0.06))
        else:
            rows.append(kill_row(DAYS[:3], 8, 2, 10, 5, 30.0, 0.012))
    if not only or "db-locked" in only:
        rows.append(locked_row(days, n))
    if not only or "disk-full" in only:
        rows.append(disk_full_row(days, 30 if long_mode else 10,
                                  "4m" if long_mode else "256k"))
    return rows


def print_table(rows):
    print("| row | fault | messages | lost | duplicates (in flight) | "
          "passes to recover | integrity_check | result |")
    print("|---|---|---:|---:|---:|---:|---|---|")
    for r in rows:
        if r.skipped:
            print("| %s | %s | - | - | - | - | - | skipped: %s |" % (
                r.name, r.fault, r.skipped))
            continue
        print("| %s | %s | %d | %d | %d (%d) | %d | %s | %s |" % (
            r.name, r.fault, r.messages, r.lost, r.dups,
            r.dups - r.bad_dups, r.recover, r.integrity,
            "ok" if r.ok() else "FAIL"))
    for r in rows:
        for note in r.notes:
            print("FAIL: %s: %s" % (r.name, note))


def missing():
    """The reason the matrix cannot run, or None."""
    for path in (DEADLINED, DEADLINECTL):
        if not os.path.exists(path):
            return "%s not built" % path
    try:
        import aiosmtpd.controller  # noqa: F401
    except ImportError:
        return "python3-aiosmtpd missing"
    return None


def summary(rows, t0):
    """Prints the time since t0 and the rows passed and failed; the exit
    status of the run (1 when a row failed)."""
    good = sum(1 for r in rows if r.ok())
    print("%.0f s" % (time.monotonic() - t0))
    print("%d passed, %d failed" % (good, len(rows) - good))
    return 0 if good == len(rows) else 1


def run(matrix_of, table_of, long_mode, only=None):
    """Runs the rows matrix_of(long_mode, only) makes, prints them with
    table_of and their summary; 77 (skipped) when a peer is missing."""
    why = missing()
    if why:
        print("skip: " + why)
        return 77
    t0 = time.monotonic()
    rows = matrix_of(long_mode, only)
    table_of(rows)
    return summary(rows, t0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--long", action="store_true")
    p.add_argument("--row", action="append")
    p.add_argument("--soak", action="store_true",
                   help="run tests/stress/soak.py instead (its own options "
                   "after --)")
    args, rest = p.parse_known_args()
    if args.soak:
        import soak
        return soak.main(rest)
    why = missing()
    if why:
        print("skip: " + why)
        return 77
    import outbox_faults
    t0 = time.monotonic()
    rows = matrix(args.long, args.row)
    more = outbox_faults.matrix(args.long, args.row)
    if rows:
        print_table(rows)
    if more:
        print()
        outbox_faults.print_table(more)
    return summary(rows + more, t0)


if __name__ == "__main__":
    sys.exit(main())
