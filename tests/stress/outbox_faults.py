#!/usr/bin/python3
"""The outbox under the faults of issue 16: never flood, never duplicate,
never hang.

Rows (each a fault the first fault matrix missed; see fault_matrix.py for
the environment: units with one task due Mon 15/07/2024, lead 7 3 1 0
working days, so a digest per address on Thu 04/07/2024, worked out by
hand):

  db-full          the database on a full tmpfs one second into a pass
                   (SMTP): nothing sent twice, the log stays small, every
                   message delivered once after the disk is freed
  db-full-spool    the same with the spool channel on that tmpfs
  lock-mid-batch   a 2 s exclusive lock by sqlite3 in the middle of a batch
                   (busy_timeout_ms 300): nothing sent twice
  second-daemon    a second deadlined (and a --once) on the same database:
                   refused at once with a message, exit status 1
  lease-renewed    a batch that outlasts the lease: the lease of what is
                   still to send never runs out
  sigterm-slow     SIGTERM in a slow batch (SMTP replies late): exit 0 after
                   the message in flight; the rest sent once after restart
  sighup-slow      SIGHUP in a slow batch: the reload is not kept waiting
                   for the batch
  smtp-hang-rcpt   an SMTP server that stops answering before DATA
  smtp-hang-data   one that stops reading in the middle of DATA
  smtp-hang-quit   one that never answers QUIT
  webhook-hang-all every endpoint (one host) never answers

Each row asserts deliveries per recipient (exactly one; a second copy only
where the server had the message when the client gave up, with the same
Message-ID), the time a pass or a SIGTERM takes, and the growth of the
log.  Time bounds go through tests/tools/timing.py (DEADLINED_TEST_SLOW).
The db-full rows need root (mount -t tmpfs) and are skipped otherwise.
"""
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fault_matrix as fm  # noqa: E402
from timing import scaled, wait_for, wait_open  # noqa: E402
from disk import fill, mount_tmpfs  # noqa: E402

DAY = "2024-07-04"
# What a row lets its daemon write to stderr, at most: a fault is logged
# once, not per message and pass.
LOG_BOUND = 16384
# Lines a daemon may log while its disk stays full: the failure once, the
# pause, and what was in flight, not a line a pass or a message.
FAULT_LINES = 8


class RawSmtp:
    """A small SMTP server on 127.0.0.1 that can stop answering at a chosen
    point: mode "ok", "hang-rcpt" (no reply to RCPT), "hang-data" (stops
    reading in the middle of the message), "hang-quit" (no reply to QUIT).
    delay: seconds before the reply to the end of a message.  Records
    (recipient, Message-ID) of every message it received whole."""

    def __init__(self, delay=0.0):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.mode = "ok"
        self.delay = delay
        self.received = []
        self.connections = 0
        self.hangs = 0
        self.lock = threading.Lock()
        self.release = threading.Event()    # the test ends
        self.unhang = threading.Event()     # hung sessions let go
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.release.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self.session, args=(conn,),
                             daemon=True).start()

    def hang(self):
        with self.lock:
            self.hangs += 1
            until = self.unhang
        until.wait(scaled(300))

    def hang_at(self, mode):
        """Starts hanging at mode; heal() ends it."""
        with self.lock:
            self.unhang = threading.Event()
            self.mode = mode

    def heal(self):
        with self.lock:
            self.mode = "ok"
            self.unhang.set()

    def session(self, conn):
        try:
            self.converse(conn, conn.makefile("rb"))
        except OSError:
            pass
        finally:
            conn.close()

    def converse(self, conn, f):
        def reply(text):
            conn.sendall(text.encode() + b"\r\n")
        reply("220 peer ESMTP")
        rcpts = []
        while True:
            line = f.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                reply("250-peer\r\n250 8BITMIME")
            elif verb == b"HELO":
                reply("250 peer")
            elif verb == b"MAIL":
                rcpts = []
                reply("250 2.1.0 OK")
            elif verb == b"RCPT":
                if self.mode == "hang-rcpt":
                    return self.hang()
                rcpts.append(line.split(b"<", 1)[1].split(b">")[0].decode())
                reply("250 2.1.5 OK")
            elif verb == b"DATA":
                reply("354 go ahead")
                if self.mode == "hang-data":
                    f.readline()
                    return self.hang()
                self.message(f, rcpts, reply)
            elif verb == b"QUIT":
                if self.mode == "hang-quit":
                    return self.hang()
                reply("221 bye")
                return
            else:
                reply("250 OK")

    def message(self, f, rcpts, reply):
        mid = None
        while True:
            line = f.readline()
            if not line or line == b".\r\n":
                break
            if line.lower().startswith(b"message-id:"):
                mid = line.split(b":", 1)[1].strip().decode()
        if not line:
            return
        with self.lock:
            for r in rcpts:
                self.received.append((r, mid))
        if self.delay:
            time.sleep(self.delay)
        reply("250 2.0.0 queued")

    def count(self):
        with self.lock:
            return len(self.received)

    def stop(self):
        self.release.set()
        self.heal()
        self.sock.close()


class Daemon:
    """deadlined as a service (no --once) with its clock started at now;
    its standard error goes to a file whose size the rows bound."""

    def __init__(self, env, now, name="daemon"):
        self.log_path = os.path.join(env.tmp, name + ".log")
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [fm.DEADLINED, "-c", env.cfg, "--now", now],
            stdout=subprocess.DEVNULL, stderr=self.log)
        self.opened = wait_open(self.proc, env.db)
        self.t0 = time.monotonic()

    def text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def size(self):
        return os.path.getsize(self.log_path)

    def signal(self, sig):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    def stop(self, limit):
        """SIGTERM; returns (exit status, seconds to exit), or (None, t)
        after a SIGKILL when it did not exit within limit seconds."""
        t0 = time.monotonic()
        self.signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=scaled(limit))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        self.log.close()
        return rc, time.monotonic() - t0

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.log.close()


class OutboxRow(fm.Row):
    """A row with the time to stop and the log written."""

    def __init__(self, name, fault):
        fm.Row.__init__(self, name, fault)
        self.stop_s = None
        self.pass_s = None
        self.log_bytes = 0

    def note(self, cond, what):
        if not cond:
            self.notes.append(what)


def rows_state(env):
    """{key: (state, attempts, lease_until)} of the outbox."""
    con = sqlite3.connect("file:%s?mode=ro" % env.db, uri=True, timeout=30)
    try:
        return {k: (s, a, lu) for k, s, a, lu in con.execute(
            "SELECT key, state, attempts, lease_until FROM outbox")}
    finally:
        con.close()


def all_sent(env, n):
    try:
        rows = rows_state(env)
    except sqlite3.Error:
        return False
    return len(rows) == n and all(s == "sent" for s, _, _ in rows.values())


def account_smtp(env, row, peer, allowed=()):
    """Each expected recipient received its digest once; a second copy
    only for a recipient in allowed, and then with the same Message-ID."""
    expected = {a for addrs in env.units.values() for a in addrs}
    got = {}
    for rcpt, mid in peer.received:
        got.setdefault(rcpt, []).append(mid)
    row.messages = len(expected)
    for a in expected:
        ids = got.get(a, [])
        if not ids:
            row.lost += 1
        elif len(ids) > 1:
            row.dups += len(ids) - 1
            if a not in allowed or len(ids) > 2 or len(set(ids)) != 1:
                row.bad_dups += len(ids) - 1
    for a in got:
        if a not in expected:
            row.notes.append("unexpected recipient %s" % a)
    rows = rows_state(env)
    bad = [k for k, (s, _, _) in rows.items() if s != "sent"]
    row.note(not bad, "not sent: %s" % bad[:3])
    row.integrity = env.integrity()


def new_env(tmp, channel, nunits, naddrs, port=0, settings=None,
            state_dir=None):
    conf = {"smtp": {"timeout": str(scaled(2)),
                     "connect_timeout": str(scaled(2))}}
    for k, v in (settings or {}).items():
        conf.setdefault(k, {}).update(v)
    return fm.Env(tmp, channel, nunits, naddrs, port=port, settings=conf,
                  state_dir=state_dir)


def db_full_row(channel, nunits, naddrs, size):
    """The database (and the spool) on a small tmpfs, filled one second
    into a pass; freed a few seconds later.  size must hold the run's
    database, its write-ahead log and spool once the filler is gone."""
    name = "db-full" if channel == "smtp" else "db-full-spool"
    row = OutboxRow(name, "database%s on a tmpfs filled in a pass, then "
                    "freed" % (" and spool" if channel == "spool" else ""))
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    mnt = os.path.join(tmp, "statefs")
    why = mount_tmpfs(mnt, size)
    if why:
        shutil.rmtree(tmp, ignore_errors=True)
        row.skipped = "mount -t tmpfs: %s" % why
        return row
    peer = RawSmtp(delay=scaled(0.1)) if channel == "smtp" else None
    daemon = None
    try:
        env = new_env(tmp, channel, nunits, naddrs,
                      port=peer.port if peer else 0,
                      state_dir=os.path.join(mnt, "state"))
        n = nunits * naddrs
        if peer:
            daemon = Daemon(env, DAY + "T08:30")
            row.note(wait_for(lambda: peer.count() >= 3, 30),
                     "no message reached the peer")
        else:
            # A spool pass takes milliseconds: the messages wait, planned
            # (the spool a file, not a folder), and the disk is full when
            # the next pass takes them.
            with open(env.spool, "w"):
                pass
            rc, err = env.run(DAY + "T08:30")
            row.note(rc == 0 and len(rows_state(env)) == n, "planning: "
                     "exit %d, %d rows: %s" % (rc, len(rows_state(env)),
                                               err[-200:]))
            os.unlink(env.spool)
            os.mkdir(env.spool)
        filler = fill(mnt)
        if not peer:
            daemon = Daemon(env, DAY + "T08:31")
        before = daemon.text().count("\n")
        # The fault lasts a while: the daemon must neither flood the peer
        # nor its log, and must keep running.
        time.sleep(scaled(6))
        lines = daemon.text().count("\n") - before
        row.note(lines <= FAULT_LINES, "%d log lines in 6 s of a full disk" %
                 lines)
        if peer:
            row.note(peer.count() <= n, "%d messages for %d recipients "
                     "while the disk was full" % (peer.count(), n))
        row.log_bytes = daemon.size()
        row.note(row.log_bytes <= LOG_BOUND, "%d bytes of log while the "
                 "disk was full" % row.log_bytes)
        row.note(daemon.proc.poll() is None, "the daemon exited: %s" %
                 daemon.text()[-300:])
        os.unlink(filler)
        row.note(wait_for(lambda: all_sent(env, n), 60),
                 "not every message sent after the disk was freed")
        rc, row.stop_s = daemon.stop(10)
        row.note(rc == 0, "SIGTERM: exit %s" % rc)
        row.log_bytes = max(row.log_bytes, daemon.size())
        if peer:
            account_smtp(env, row, peer)
        else:
            files = [f for f in os.listdir(env.spool) if f.endswith(".eml")]
            row.messages = n
            row.lost = n - len(files)
            row.integrity = env.integrity()
            row.note(all_sent(env, n), "not every message sent")
    finally:
        if daemon:
            daemon.kill()
        if peer:
            peer.stop()
        subprocess.run(["umount", "-l", mnt], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def lock_row(nunits, naddrs):
    """sqlite3 holds an exclusive lock for 2 s while a batch is sent."""
    row = OutboxRow("lock-mid-batch", "BEGIN EXCLUSIVE by sqlite3 for 2 s "
                    "in a batch, busy_timeout_ms = 300")
    if shutil.which("sqlite3") is None:
        row.skipped = "sqlite3 CLI missing"
        return row
    peer = RawSmtp(delay=scaled(0.1))
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    daemon = None
    try:
        env = new_env(tmp, "smtp", nunits, naddrs, port=peer.port,
                      settings={"database": {"busy_timeout_ms": "300"}})
        n = nunits * naddrs
        daemon = Daemon(env, DAY + "T08:30")
        row.note(wait_for(lambda: peer.count() >= 3, 30),
                 "no message reached the peer")
        holder = subprocess.Popen(["sqlite3", env.db], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        holder.stdin.write(".timeout 10000\n")
        holder.stdin.write("BEGIN EXCLUSIVE;\n.print locked\n")
        holder.stdin.flush()
        row.note(holder.stdout.readline().strip() == "locked",
                 "sqlite3 did not take the lock")
        time.sleep(2)
        holder.stdin.write("COMMIT;\n.quit\n")
        holder.stdin.close()
        holder.wait(timeout=30)
        row.note(wait_for(lambda: all_sent(env, n), 60),
                 "not every message sent after the lock")
        rc, row.stop_s = daemon.stop(10)
        row.note(rc == 0, "SIGTERM: exit %s" % rc)
        row.log_bytes = daemon.size()
        row.note(row.log_bytes <= LOG_BOUND, "%d bytes of log" %
                 row.log_bytes)
        account_smtp(env, row, peer)
    finally:
        if daemon:
            daemon.kill()
        peer.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def second_daemon_row(nunits, naddrs):
    """A second deadlined and a deadlined --once on a database a running
    one holds: both refused at once."""
    row = OutboxRow("second-daemon", "a second deadlined and a --once on "
                    "the database of a running one")
    peer = RawSmtp(delay=scaled(0.3))
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    first = second = None
    try:
        env = new_env(tmp, "smtp", nunits, naddrs, port=peer.port)
        n = nunits * naddrs
        first = Daemon(env, DAY + "T08:30")
        row.note(wait_for(lambda: peer.count() >= 1, 30),
                 "no message reached the peer")
        # Its clock a minute ahead: past every lease the first holds, if
        # it could claim at all.
        second = Daemon(env, DAY + "T08:31", name="second")
        try:
            rc = second.proc.wait(timeout=scaled(10))
        except subprocess.TimeoutExpired:
            rc = None
        row.note(rc == 1, "the second daemon: exit %s" % rc)
        row.note("already" in second.text(), "the second daemon's message: "
                 "%r" % second.text()[-200:])
        rc, err = env.run(DAY + "T08:31", timeout=10)
        row.note(rc == 1 and "already" in err, "deadlined --once next to "
                 "it: exit %d, %r" % (rc, err[-200:]))
        row.note(wait_for(lambda: all_sent(env, n), 60),
                 "not every message sent")
        rc, row.stop_s = first.stop(10)
        row.note(rc == 0, "SIGTERM: exit %s" % rc)
        row.log_bytes = first.size()
        account_smtp(env, row, peer)
    finally:
        for d in (first, second):
            if d:
                d.kill()
        peer.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def lease_row(nunits, naddrs):
    """A batch longer than the lease: while it runs, no message waiting in
    it has a lease that ran out (another claimer could take it)."""
    row = OutboxRow("lease-renewed", "a batch of 3 x lease_seconds (SMTP "
                    "replies slowly), lease 10 s")
    delay = 0.6
    peer = RawSmtp(delay=delay)
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    daemon = None
    try:
        env = new_env(tmp, "smtp", nunits, naddrs, port=peer.port,
                      settings={"outbox": {"lease_seconds": "10",
                                           "batch_size": "100"}})
        n = nunits * naddrs
        # 2024-07-04T08:30 local (UTC+7) as a Unix time.
        start = 1720056600
        daemon = Daemon(env, DAY + "T08:30")
        worst = None
        end = time.monotonic() + scaled(n * delay + 30)
        while time.monotonic() < end and not all_sent(env, n):
            now = start + (time.monotonic() - daemon.t0)
            try:
                leases = [lu for s, _, lu in rows_state(env).values()
                          if s == "sending"]
            except sqlite3.Error:
                leases = []
            if leases:
                slack = min(leases) - now
                worst = slack if worst is None else min(worst, slack)
            time.sleep(0.2)
        row.note(all_sent(env, n), "not every message sent")
        row.note(worst is not None and worst >= 0, "a waiting message's "
                 "lease ran out %s s before it was sent" %
                 (None if worst is None else -round(worst, 1)))
        rc, row.stop_s = daemon.stop(10)
        row.note(rc == 0, "SIGTERM: exit %s" % rc)
        row.log_bytes = daemon.size()
        account_smtp(env, row, peer)
    finally:
        if daemon:
            daemon.kill()
        peer.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def signal_row(sig, nunits, naddrs):
    """SIGTERM or SIGHUP while a slow batch is sent."""
    name = "sigterm-slow" if sig == signal.SIGTERM else "sighup-slow"
    row = OutboxRow(name, "%s after 3 of %d messages, SMTP replies in "
                    "0.3 s" % (signal.Signals(sig).name, nunits * naddrs))
    delay = 0.3
    peer = RawSmtp(delay=delay)
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    daemon = None
    try:
        env = new_env(tmp, "smtp", nunits, naddrs, port=peer.port)
        n = nunits * naddrs
        daemon = Daemon(env, DAY + "T08:30")
        row.note(wait_for(lambda: peer.count() >= 3, 30),
                 "no message reached the peer")
        if sig == signal.SIGTERM:
            rc, row.stop_s = daemon.stop(n * delay + 30)
            row.note(rc == 0, "SIGTERM: exit %s" % rc)
            # The message in flight finishes (one reply delay), no more.
            row.note(row.stop_s <= scaled(2) + delay, "SIGTERM took "
                     "%.1f s" % row.stop_s)
            got = peer.count()
            rows = rows_state(env)
            sent = sum(1 for s, _, _ in rows.values() if s == "sent")
            row.note(sent == got, "%d sent in the outbox, %d received" %
                     (sent, got))
            row.note(all(s in ("sent", "pending") for s, _, _ in
                         rows.values()), "rows left sending at exit")
            row.note(all(a == 0 for s, a, _ in rows.values()
                         if s == "pending"), "attempts counted for "
                     "messages never tried")
            row.log_bytes = daemon.size()
            daemon = Daemon(env, DAY + "T08:40", name="restart")
        else:
            t0 = time.monotonic()
            daemon.signal(signal.SIGHUP)
            seen = wait_for(lambda: "configuration reloaded" in
                            daemon.text(), n * delay + 30)
            row.pass_s = time.monotonic() - t0
            row.note(seen and row.pass_s <= scaled(2) + delay,
                     "the reload waited %.1f s" % row.pass_s)
        row.note(wait_for(lambda: all_sent(env, n), n * delay + 60),
                 "not every message sent")
        rc, stop_s = daemon.stop(10)
        row.stop_s = max(row.stop_s or 0, stop_s)
        row.note(rc == 0, "SIGTERM: exit %s" % rc)
        row.log_bytes = max(row.log_bytes, daemon.size())
        account_smtp(env, row, peer)
    finally:
        if daemon:
            daemon.kill()
        peer.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def hang_row(mode, nunits, naddrs):
    """An SMTP server that stops answering; one --once pass against it,
    then passes against it healed."""
    what = {"hang-rcpt": "before DATA (no reply to RCPT)",
            "hang-data": "in the middle of DATA (stops reading)",
            "hang-quit": "at QUIT (never answers it)"}[mode]
    row = OutboxRow("smtp-" + mode, "SMTP server hangs %s, timeout %d s" %
                    (what, scaled(2)))
    peer = RawSmtp()
    peer.hang_at(mode)
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    try:
        env = new_env(tmp, "smtp", nunits, naddrs, port=peer.port)
        n = nunits * naddrs
        t0 = time.monotonic()
        try:
            rc, err = env.run(DAY + "T08:30", timeout=40)
        except subprocess.TimeoutExpired:
            rc, err = None, ""
        row.pass_s = time.monotonic() - t0
        row.log_bytes = len(err.encode())
        # One timeout for the one message tried (or for the QUIT), then
        # the rest of the pass leaves this server alone, and closing the
        # dead connection waits for nothing.  Before its QUIT the pass has
        # sent every message: 0.1 s each is allowed for them (20 took 0.5
        # to 0.9 s under ASan on a loaded machine; main waits 120 s).
        sends = n if mode == "hang-quit" else 0
        row.note(row.pass_s <= scaled(2) + scaled(1.5) + scaled(0.1) * sends,
                 "the pass took %.1f s" % row.pass_s)
        row.note(rc is not None and rc <= 1, "exit %s: %s" % (rc,
                                                              err[-200:]))
        rows = rows_state(env)
        if mode != "hang-quit":
            tried = sorted(a for _, a, _ in rows.values())
            row.note(tried == [0] * (n - 1) + [1], "attempts %s, "
                     "expected one message tried once" % tried[-3:])
            row.note(all(s == "pending" for s, _, _ in rows.values()),
                     "states %s" % sorted({s for s, _, _ in
                                           rows.values()}))
        peer.heal()
        for k in range(6):
            if all_sent(env, n):
                break
            env.run(fm.clock(DAY, 8 * 60 + 35 + 5 * k), timeout=60)
        row.recover = k + 1
        account_smtp(env, row, peer)
        row.note(row.log_bytes <= LOG_BOUND, "%d bytes of log" %
                 row.log_bytes)
    finally:
        peer.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def webhook_hang_row(nunits):
    """Every endpoint (one host) hangs: one timeout, not one per unit."""
    row = OutboxRow("webhook-hang-all", "%d endpoints on one host never "
                    "answer, timeout %d s" % (nunits, scaled(2)))
    peer = fm.WebhookPeer()
    peer.server.mode = "hang"
    peer.server.left = 10 ** 6
    tmp = tempfile.mkdtemp(prefix="deadlined-fault-")
    try:
        env = new_env(tmp, "webhook", nunits, 1, port=peer.port,
                      settings={"webhook": {"timeout": str(scaled(2)),
                                            "connect_timeout":
                                            str(scaled(2))}})
        t0 = time.monotonic()
        rc, err = env.run(DAY + "T08:30", timeout=60 + 10 * nunits)
        row.pass_s = time.monotonic() - t0
        row.log_bytes = len(err.encode())
        row.note(row.pass_s <= scaled(2) + scaled(1.5),
                 "the pass took %.1f s" % row.pass_s)
        tried = sorted(a for _, a, _ in rows_state(env).values())
        row.note(tried == [0] * (nunits - 1) + [1], "attempts %s, expected "
                 "one message tried once" % tried[-3:])
        peer.server.mode = "ok"
        for k in range(6):
            if all_sent(env, nunits):
                break
            env.run(fm.clock(DAY, 8 * 60 + 35 + 5 * k), timeout=60)
        row.recover = k + 1
        row.messages = nunits
        got = peer.keys()
        # The hung request may have been answered after the client gave
        # up: then its key comes twice.
        for code in env.units:
            c = sum(1 for k in got if k.startswith("digest/%s/" % code))
            if c == 0:
                row.lost += 1
            elif c > 1:
                row.dups += c - 1
                if c > 2:
                    row.bad_dups += c - 1
        row.note(all_sent(env, nunits), "not every message sent")
        row.integrity = env.integrity()
    finally:
        peer.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return row


def matrix(long_mode, only=None):
    """The rows; short: a dozen messages a row, long: a hundred or more."""
    k = 4 if long_mode else 1
    plan = [
        ("db-full", lambda: db_full_row("smtp", 4 * k, 5, "%dm" % (4 * k))),
        ("db-full-spool", lambda: db_full_row("spool", 10 * k, 3,
                                              "%dm" % (4 * k))),
        ("lock-mid-batch", lambda: lock_row(8 * k, 5)),
        ("second-daemon", lambda: second_daemon_row(2 * k, 5)),
        ("lease-renewed", lambda: lease_row(10 if long_mode else 6, 5)),
        ("sigterm-slow", lambda: signal_row(signal.SIGTERM, 4 * k, 5)),
        ("sighup-slow", lambda: signal_row(signal.SIGHUP, 4 * k, 5)),
        ("smtp-hang-rcpt", lambda: hang_row("hang-rcpt", 4 * k, 5)),
        ("smtp-hang-data", lambda: hang_row("hang-data", 4 * k, 5)),
        ("smtp-hang-quit", lambda: hang_row("hang-quit", 4 * k, 5)),
        ("webhook-hang-all", lambda: webhook_hang_row(10 * k)),
    ]
    rows = []
    for name, run in plan:
        if only and name not in only:
            continue
        rows.append(run())
    return rows


def print_table(rows):
    print("| row | fault | recipients | lost | duplicates (allowed) | "
          "pass (s) | SIGTERM to exit (s) | log bytes | integrity_check | "
          "result |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|---|")
    for r in rows:
        if r.skipped:
            print("| %s | %s | - | - | - | - | - | - | - | skipped: %s |" %
                  (r.name, r.fault, r.skipped))
            continue
        print("| %s | %s | %d | %d | %d (%d) | %s | %s | %d | %s | %s |" % (
            r.name, r.fault, r.messages, r.lost, r.dups, r.dups - r.bad_dups,
            "-" if r.pass_s is None else "%.1f" % r.pass_s,
            "-" if r.stop_s is None else "%.1f" % r.stop_s, r.log_bytes,
            r.integrity, "ok" if r.ok() else "FAIL"))
    for r in rows:
        for note in r.notes:
            print("FAIL: %s: %s" % (r.name, note))


def main(argv):
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("--long", action="store_true")
    p.add_argument("--row", action="append")
    args = p.parse_args(argv)
    return fm.run(matrix, print_table, args.long, args.row)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
