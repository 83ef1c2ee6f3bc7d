#!/usr/bin/python3
"""The soak: the service through simulated days under random faults.

112 units with two addresses each and one task due Mon 15/07/2024 (lead
7 3 1 0 working days, overdue every 3 working days at most 5 times: nine
digest days from Thu 04/07 to Thu 01/08, worked out by hand in
fault_matrix.DAYS), so 2,016 messages to 224 recipients over an SMTP peer
on 127.0.0.1 that takes its time (a day's messages fill half of the
day's share of the run, so that faults fall while they are being sent).  The running deadlined (no
--once) is given each digest day in turn through --now; its clock then
runs from 08:30 that day.  While a day lasts (the run's minutes shared
among the nine days), a fault is injected every 1 to 4 s, one at a time,
lasting 0.5 to 6 s, drawn at random (seeded):

  kill     SIGKILL of the daemon, restarted a simulated minute later
  lock     BEGIN EXCLUSIVE held by the sqlite3 CLI (busy_timeout_ms 500)
  hang     the SMTP peer stops answering at RCPT, in DATA or at QUIT
  full     the file system of the state (database) filled, then freed
           (root only: a 64 MiB tmpfs; otherwise never drawn)

At the end of a day every fault is healed, the day's messages must all be
sent, and the daemon is stopped by SIGTERM (exit 0, timed).  In the end
every one of the 2,016 messages has reached its recipient, and a
recipient holds two copies of a message only if that message was being
sent (leased) when a SIGKILL fell, both with the same Message-ID.  The
figures (faults of each kind, duplicates, SIGTERM times, log bytes,
integrity_check) are printed as the table docs/RELIABILITY.md keeps.

    /usr/bin/python3 tests/stress/soak.py [--minutes 30] [--seed N]
    /usr/bin/python3 tests/stress/fault_matrix.py --soak [--minutes 30]

Not run by ctest (it lasts as long as it is told to).
"""
import argparse
import email
import email.policy
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fault_matrix as fm  # noqa: E402
import outbox_faults as of  # noqa: E402
from timing import scaled, wait_for  # noqa: E402

UNITS = 112
ADDRS = 2


class Soak:
    def __init__(self, tmp, seed, minutes):
        self.tmp = tmp
        self.rng = random.Random(seed)
        self.day_seconds = minutes * 60.0 / len(fm.DAYS)
        # A day's 224 messages take half of its time, so that the faults
        # fall while messages are being sent, not after.
        delay = min(1.0, max(0.02, self.day_seconds / 2 / (UNITS * ADDRS)))
        self.peer = of.RawSmtp(delay=delay)
        self.mnt = None
        state = None
        if os.geteuid() == 0:
            self.mnt = os.path.join(tmp, "statefs")
            if of.mount_tmpfs(self.mnt, "64m") is None:
                state = os.path.join(self.mnt, "state")
            else:
                self.mnt = None
        self.env = of.new_env(tmp, "smtp", UNITS, ADDRS, port=self.peer.port,
                              state_dir=state, settings={
                                  "database": {"busy_timeout_ms": "500"},
                                  "outbox": {"lease_seconds": "10",
                                             "batch_size": "50"}})
        self.daemon = None
        self.runs = 0
        self.in_flight = set()
        self.counts = {"kill": 0, "lock": 0, "hang": 0, "full": 0}
        self.sending_faults = 0     # faults that fell in a day's sending
        self.want = 0
        self.stops = []
        self.log_bytes = 0
        self.notes = []

    def start(self, day, minute):
        self.runs += 1
        self.run_minute = minute
        self.run_t0 = time.monotonic()
        self.daemon = of.Daemon(self.env, fm.clock(day, minute),
                                name="run%04d" % self.runs)

    def retire(self):
        """Adds the log of the daemon just stopped or killed."""
        self.log_bytes += self.daemon.size()

    def fault(self, day, minute):
        """One fault, lasting a random while; returns the minute the
        daemon's clock has reached (a restart moves it on)."""
        kinds = ["kill", "lock", "hang"] + (["full"] if self.mnt else [])
        kind = self.rng.choice(kinds)
        length = self.rng.uniform(0.5, 6.0)
        self.counts[kind] += 1
        if self.peer.count() < self.want:
            self.sending_faults += 1
        if kind == "kill":
            time.sleep(self.rng.uniform(0.0, 2.0))
            self.daemon.kill()
            self.retire()
            self.in_flight |= self.sending()
            # The killed daemon's clock, to the next minute, and one more:
            # every lease it held has run out for the next one.
            ran = time.monotonic() - self.run_t0
            minute = self.run_minute + int(ran // 60) + 2
            self.start(day, minute)
        elif kind == "lock":
            holder = subprocess.Popen(["sqlite3", self.env.db],
                                      stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
            holder.stdin.write(".timeout 10000\n")
            holder.stdin.write("BEGIN EXCLUSIVE;\n.print locked\n")
            holder.stdin.flush()
            holder.stdout.readline()
            time.sleep(length)
            holder.stdin.write("COMMIT;\n.quit\n")
            holder.stdin.close()
            holder.wait(timeout=30)
        elif kind == "hang":
            self.peer.hang_at(self.rng.choice(["hang-rcpt", "hang-data",
                                               "hang-quit"]))
            time.sleep(length)
            self.peer.heal()
        else:
            filler = of.fill(self.mnt)
            time.sleep(length)
            os.unlink(filler)
        return minute

    def sending(self):
        try:
            return {k for k, (s, _, _) in of.rows_state(self.env).items()
                    if s == "sending"}
        except sqlite3.Error:
            return set()

    def day(self, day):
        self.day_t0 = time.monotonic()
        minute = 8 * 60 + 30
        self.want = len(self.env.expected(fm.DAYS[:fm.DAYS.index(day) + 1]))
        self.start(day, minute)
        end = self.day_t0 + self.day_seconds
        while time.monotonic() < end:
            time.sleep(self.rng.uniform(1.0, 4.0))
            minute = self.fault(day, minute)
            if self.daemon.proc.poll() is not None:
                self.notes.append("%s: the daemon exited %d: %s" % (
                    day, self.daemon.proc.returncode,
                    self.daemon.text()[-300:]))
                self.retire()
                minute = self.run_minute + int(
                    (time.monotonic() - self.run_t0) // 60) + 2
                self.start(day, minute)
        want = self.want
        if not wait_for(lambda: of.all_sent(self.env, want), 300):
            self.notes.append("%s: not every message sent 300 s after "
                              "the faults stopped" % day)
        rc, took = self.daemon.stop(30)
        self.retire()
        self.stops.append(took)
        if rc != 0:
            self.notes.append("%s: SIGTERM: exit %s: %s" % (
                day, rc, self.daemon.text()[-300:]))

    def message_ids(self):
        """{Message-ID: outbox key} from the stored bodies."""
        con = sqlite3.connect("file:%s?mode=ro" % self.env.db, uri=True,
                              timeout=30)
        try:
            out = {}
            for key, body in con.execute("SELECT key, body FROM outbox"):
                msg = email.message_from_string(
                    body, policy=email.policy.default)
                out[str(msg["Message-ID"]).strip()] = key
            return out
        finally:
            con.close()

    def account(self):
        ids = self.message_ids()
        expected = self.env.expected(fm.DAYS)
        got = {}
        for rcpt, mid in self.peer.received:
            key = ids.get(mid)
            if key is None or not key.endswith("/" + rcpt):
                self.notes.append("unknown message %s to %s" % (mid, rcpt))
                continue
            got[key] = got.get(key, 0) + 1
        lost = sorted(k for k in expected if got.get(k, 0) == 0)
        dups = {k: c for k, c in got.items() if c > 1}
        bad = {k: c for k, c in dups.items() if k not in self.in_flight}
        if lost:
            self.notes.append("%d messages never received: %s" % (
                len(lost), lost[:3]))
        if bad:
            self.notes.append("%d messages received twice without a "
                              "crash: %s" % (len(bad), sorted(bad)[:3]))
        rows = of.rows_state(self.env)
        unsent = [k for k, (s, _, _) in rows.items() if s != "sent"]
        if unsent:
            self.notes.append("%d rows not sent: %s" % (len(unsent),
                                                        unsent[:3]))
        return len(expected), len(lost), sum(c - 1 for c in dups.values())

    def close(self):
        if self.daemon:
            self.daemon.kill()
        self.peer.stop()
        if self.mnt:
            subprocess.run(["umount", "-l", self.mnt], capture_output=True)


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--minutes", type=float, default=30.0)
    p.add_argument("--seed", type=int, default=fm.SEED)
    args = p.parse_args(argv)
    why = fm.missing()
    if why or shutil.which("sqlite3") is None:
        print("skip: " + (why or "sqlite3 CLI missing"))
        return 77
    tmp = tempfile.mkdtemp(prefix="deadlined-soak-")
    t0 = time.monotonic()
    soak = Soak(tmp, args.seed, args.minutes)
    try:
        for day in fm.DAYS:
            soak.day(day)
            print("%s done at %.0f s: %d received, faults %s" % (
                day, time.monotonic() - t0, soak.peer.count(),
                soak.counts), flush=True)
        messages, lost, dups = soak.account()
        integrity = soak.env.integrity()
    finally:
        soak.close()
        shutil.rmtree(tmp, ignore_errors=True)
    wall = time.monotonic() - t0
    print()
    print("| figure | value |")
    print("|---|---:|")
    for name, value in (
            ("wall time (min)", "%.1f" % (wall / 60)),
            ("simulated digest days", len(fm.DAYS)),
            ("messages (recipients x days)", messages),
            ("received by the SMTP peer", soak.peer.count()),
            ("lost", lost),
            ("duplicates (all leased at a SIGKILL)", dups),
            ("keys leased at a SIGKILL", len(soak.in_flight)),
            ("SIGKILLs", soak.counts["kill"]),
            ("locks (BEGIN EXCLUSIVE, 0.5-6 s)", soak.counts["lock"]),
            ("SMTP hangs (RCPT, DATA or QUIT, 0.5-6 s)",
             soak.counts["hang"]),
            ("disk full, then freed (0.5-6 s)",
             soak.counts["full"] if soak.mnt else "not run (needs root)"),
            ("faults while the day's messages were being sent",
             soak.sending_faults),
            ("SMTP reply delay (s)", "%.2f" % soak.peer.delay),
            ("daemon runs", soak.runs),
            ("SIGTERM to exit, longest (s)", "%.2f" % max(soak.stops)),
            ("log written (bytes, all runs)", soak.log_bytes),
            ("integrity_check", integrity)):
        print("| %s | %s |" % (name, value))
    for note in soak.notes:
        print("FAIL: " + note)
    return 1 if soak.notes or integrity != "ok" else 0


if __name__ == "__main__":
    sys.exit(main())
