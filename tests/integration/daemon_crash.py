#!/usr/bin/python3
"""The durable outbox under SIGKILL.

80 units with 2-4 addresses each, one task each due Monday 2024-07-15,
and passes of deadlined --once on the days that bring a reminder (lead
7/3/1/0 on 04, 10, 12, 15 July, overdue steps on 16, 19, 24, 29 July and
1 August).  Each pass is killed with SIGKILL at a random point 0-50 ms
after it has opened its database (seeded, so the run is reproducible) and
restarted one minute of --now later (more than lease_seconds = 10) until a
pass completes.  Then every expected message is sent and spooled exactly
once per key, only messages leased at a kill were attempted twice, and the
database is intact.

Under valgrind (tests/tools/timing.py) the window and every time bound
are multiplied by DEADLINED_TEST_SLOW, and DEADLINED_TEST_KILLS scales the
number of kills and units down.
"""
import email
import email.policy
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from timing import kill_count, scaled, wait_open  # noqa: E402
from checks import Checks  # noqa: E402
from daemon_env import DEADLINED, DEADLINECTL, SRCDIR  # noqa: E402


SEED = 20240715
NUNITS = kill_count(80)
MIN_KILLS = kill_count(30)
KILLS_PER_DAY = kill_count(12)     # 9 days x 12: about 100 kills in all
TIME_BUDGET = scaled(90.0)
KILL_WINDOW = scaled(0.05)

# The days with a reminder for a task due Mon 15/07/2024, worked out by
# hand: lead 7 wd before = Thu 04/07, 3 = Wed 10/07, 1 = Fri 12/07, 0 =
# 15/07; overdue 1, 4, 7, 10, 13 wd after = 16/07, 19/07, 24/07, 29/07,
# 01/08.
DAYS = ["2024-07-04", "2024-07-10", "2024-07-12", "2024-07-15",
        "2024-07-16", "2024-07-19", "2024-07-24", "2024-07-29",
        "2024-08-01"]

check = Checks()


def spool_name(key):
    return re.sub(r"[^A-Za-z0-9\-._@]", "_", key) + ".eml"


def make_units(rng):
    units = {}
    text = []
    for i in range(NUNITS):
        code = "u%02d" % i
        addrs = ["%s.%d@example.gov.vn" % (code, k)
                 for k in range(rng.randint(2, 4))]
        units[code] = addrs
        text.append("[unit %s]\nname = Xã Thử nghiệm %d\nemail = %s\n" % (
            code, i, ", ".join(addrs)))
    text.append("[unit coord]\nname = Phòng Nội vụ\n"
                "email = noivu@example.gov.vn\n")
    return units, "\n".join(text)


def ctl(cfg, *args):
    r = subprocess.run([DEADLINECTL, "-c", cfg] + list(args),
                       capture_output=True, text=True, timeout=scaled(60))
    if r.returncode != 0:
        raise RuntimeError("deadlinectl %s: %s" % (args, r.stderr))
    return r.stdout


def sending_ids(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    try:
        return {r[0] for r in con.execute(
            "SELECT id FROM outbox WHERE state = 'sending'")}
    finally:
        con.close()


def run_day(cfg, db, rng, day, stats):
    """Kills passes of day until one completes; returns when it did."""
    minute = 8 * 60 + 30
    kills_today = 0
    while True:
        now = "%sT%02d:%02d" % (day, minute // 60, minute % 60)
        proc = subprocess.Popen([DEADLINED, "-c", cfg, "--once", "--now",
                                 now], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        want_kill = kills_today < KILLS_PER_DAY and \
            time.monotonic() - stats["start"] < TIME_BUDGET
        delay = rng.uniform(0.0, KILL_WINDOW)
        if want_kill:
            wait_open(proc, db)
        t0 = time.monotonic()
        while want_kill and proc.poll() is None and \
                time.monotonic() - t0 < delay:
            time.sleep(0.001)
        if want_kill and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=scaled(30))
            proc.stderr.close()
            stats["kills"] += 1
            kills_today += 1
            stats["in_flight"] |= sending_ids(db)
            minute += 1
            continue
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        rc = proc.wait(timeout=scaled(60))
        check(rc == 0, "%s: completed pass exit %d: %s" % (now, rc, err))
        stats["passes"] += 1
        return


def main():
    for name, v in (("DEADLINED", DEADLINED), ("DEADLINECTL", DEADLINECTL),
                    ("SRCDIR", SRCDIR)):
        if not v or not os.path.exists(v):
            print("skip: %s not set" % name)
            return 77
    rng = random.Random(SEED)
    tmp = tempfile.mkdtemp(prefix="deadlined-crash-")
    try:
        state = os.path.join(tmp, "state")
        spool = os.path.join(state, "spool")
        db = os.path.join(state, "deadlined.db")
        cfg = os.path.join(tmp, "deadlined.ini")
        os.mkdir(state)
        units, text = make_units(rng)
        with open(os.path.join(tmp, "units.ini"), "w") as f:
            f.write(text)
        with open(cfg, "w") as f:
            f.write("[daemon]\nstate_dir = %s\nunits_file = %s\n"
                    "[calendar]\ndays_off_file = %s\n"
                    "[plan]\ncoordinator = coord\n"
                    "[reminders]\nchannel = spool\nescalate_after = 0\n"
                    "[outbox]\nlease_seconds = 10\nbatch_size = 25\n"
                    "[report]\nschedule = off\n[http]\nenabled = no\n" % (
                        state, os.path.join(tmp, "units.ini"),
                        os.path.join(SRCDIR, "config", "days-off.ini")))
        ctl(cfg, "init")
        for code in units:
            ctl(cfg, "--now", "2024-07-01", "task", "add",
                "Báo cáo của " + code, "--due", "2024-07-15", "--unit", code)
        stats = {"kills": 0, "passes": 0, "in_flight": set(),
                 "start": time.monotonic()}
        rounds = 0
        while True:
            for day in DAYS:
                run_day(cfg, db, rng, day, stats)
            rounds += 1
            # Later rounds find nothing new to plan; they only exercise
            # the restart path until enough kills have landed.
            if stats["kills"] >= MIN_KILLS or rounds >= 20:
                break
        elapsed = time.monotonic() - stats["start"]
        print("%d kills, %d completed passes, %d rounds, %.1f s" % (
            stats["kills"], stats["passes"], rounds, elapsed))
        check(stats["kills"] >= MIN_KILLS, "only %d kills" % stats["kills"])

        expected = {}
        for day in DAYS:
            for code, addrs in units.items():
                for a in addrs:
                    expected["digest/%s/%s/spool/%s" % (code, day, a)] = a
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
        rows = con.execute("SELECT id, key, state, attempts FROM outbox"
                           ).fetchall()
        deliveries = dict(con.execute(
            "SELECT outbox_id, count(*) FROM deliveries GROUP BY outbox_id"
        ).fetchall())
        sent_deliveries = dict(con.execute(
            "SELECT outbox_id, count(*) FROM deliveries WHERE result = "
            "'sent' GROUP BY outbox_id").fetchall())
        integrity = con.execute("PRAGMA integrity_check").fetchall()
        con.close()
        check(integrity == [("ok",)], "integrity_check: %s" % integrity)
        r = subprocess.run(["sqlite3", db, "PRAGMA integrity_check"],
                           capture_output=True, text=True, timeout=30) \
            if shutil.which("sqlite3") else None
        if r is not None:
            check(r.stdout.strip() == "ok", "sqlite3 CLI integrity_check: %s"
                  % r.stdout)
        keys = [row[1] for row in rows]
        check(len(keys) == len(set(keys)), "duplicate outbox keys")
        check(set(keys) == set(expected), "outbox keys: %d, expected %d; "
              "missing %s, extra %s" % (
                  len(keys), len(expected),
                  sorted(set(expected) - set(keys))[:5],
                  sorted(set(keys) - set(expected))[:5]))
        not_sent = [row[1] for row in rows if row[2] != "sent"]
        check(not_sent == [], "not sent: %s" % not_sent[:5])
        twice = 0
        for oid, key, st, attempts in rows:
            n = deliveries.get(oid, 0)
            check(sent_deliveries.get(oid, 0) >= 1,
                  "%s: no 'sent' delivery" % key)
            if n > 1 or attempts > 1:
                twice += 1
                check(oid in stats["in_flight"],
                      "%s: %d deliveries, %d attempts, but never leased at "
                      "a kill" % (key, n, attempts))
        print("%d of %d messages were attempted again after a kill" % (
            twice, len(rows)))
        files = os.listdir(spool)
        eml = sorted(f for f in files if f.endswith(".eml"))
        tmpfiles = [f for f in files if f.endswith(".tmp")]
        check(tmpfiles == [], "temporary files left: %s" % tmpfiles[:5])
        check(sorted(spool_name(k) for k in expected) == eml,
              "spool holds %d files, expected %d" % (len(eml),
                                                     len(expected)))
        for key, addr in expected.items():
            path = os.path.join(spool, spool_name(key))
            if not os.path.exists(path):
                check(False, "missing %s" % path)
                continue
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(
                    f, policy=email.policy.default)
            ok = msg["To"] is not None and \
                msg["To"].addresses[0].addr_spec == addr and \
                msg.get_body(("plain",)) is not None and \
                "Kính gửi: Xã Thử nghiệm" in \
                msg.get_body(("plain",)).get_content()
            check(ok, "%s: not a complete message" % key)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
