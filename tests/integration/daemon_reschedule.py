#!/usr/bin/python3
"""The serving daemon schedules again only the tasks a write touched.

Two one-off tasks, T1 of unit a due 15/8/2024 and T2 of unit b due 20/8,
--now 15/7/2024.  T1's occurrence is marked done, then T1 is moved to 25/8
(task set-due): the done occurrence of 15/8 stays, a date the task no
longer gives.  The daemon (no --once, no HTTP server) starts and schedules
both tasks.  Then, while it runs:

- that old occurrence is reopened: the pass after it schedules T1 alone
  ("scheduled 1 tasks") and, as a scheduling of every task does, sweeps
  the reopened occurrence of a date T1 no longer has (the reason a done
  or reopened occurrence cannot simply be skipped);
- T2's occurrence is marked done: T2 alone is scheduled again;
- a third task is added (a task written: "everything"): every task.

After the daemon stops, `deadlinectl schedule` (every task) changes
nothing: the change log's last number stays where it was.
"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import served  # noqa: E402
import timing  # noqa: E402
from checks import Checks  # noqa: E402
from daemon_env import (DEADLINECTL as CTL, DEADLINED as DAEMON,  # noqa: E402
                        SRCDIR as SRC)

NOW = "2024-07-15T09:00"
SCHEDULED = re.compile(r"scheduled (\d+) tasks, (\d+) occurrences")
check = Checks()


def ctl(cfg, *args):
    r = subprocess.run([CTL, "-c", cfg, "--now", NOW] + list(args),
                       capture_output=True, text=True,
                       timeout=timing.scaled(60))
    if r.returncode != 0:
        sys.exit("deadlinectl %s: exit %d: %s" % (" ".join(args),
                                                  r.returncode, r.stderr))
    return r.stdout


def occurrences(db):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT o.id, t.title, o.nominal, o.status FROM "
                       "occurrences o JOIN tasks t ON t.id = o.task_id "
                       "ORDER BY o.id").fetchall()
    con.close()
    return rows


def top(db):
    con = sqlite3.connect(db)
    r = con.execute("SELECT seq FROM sqlite_sequence WHERE name = "
                    "'changes'").fetchone()
    con.close()
    return r[0]


def wait_lines(log, n):
    """The scheduling lines of the log once there are n, or those there
    are after scaled(60) seconds."""
    end = time.monotonic() + timing.scaled(60)
    while True:
        with open(log) as f:
            lines = SCHEDULED.findall(f.read())
        if len(lines) >= n or time.monotonic() > end:
            return lines
        time.sleep(0.05)


def run(tmp):
    with open(os.path.join(tmp, "units.ini"), "w") as f:
        f.write("[unit a]\nname = Phòng A\nemail = a@example.gov.vn\n"
                "[unit b]\nname = Phòng B\nemail = b@example.gov.vn\n")
    cfg = os.path.join(tmp, "deadlined.ini")
    db = os.path.join(tmp, "state", "deadlined.db")
    with open(cfg, "w") as f:
        f.write("[daemon]\nstate_dir = %s/state\nunits_file = %s/units.ini\n"
                "verbose = 1\n[calendar]\ndays_off_file = %s/config/"
                "days-off.ini\n[reminders]\nchannel = spool\n[report]\n"
                "schedule = off\n[http]\nenabled = no\n" % (tmp, tmp, SRC))
    ctl(cfg, "init")
    ctl(cfg, "task", "add", "Nhiệm vụ một", "--due", "2024-08-15", "--unit",
        "a")
    ctl(cfg, "task", "add", "Nhiệm vụ hai", "--due", "2024-08-20", "--unit",
        "b")
    tasks = {t["title"]: t["id"] for t in json.loads(
        ctl(cfg, "tasks", "--format", "json"))}
    occ = {(title, nominal): oid for oid, title, nominal, _ in
           occurrences(db)}
    old = occ[("Nhiệm vụ một", "2024-08-15")]
    two = occ[("Nhiệm vụ hai", "2024-08-20")]
    ctl(cfg, "done", str(old), "--by", "test")
    ctl(cfg, "task", "set-due", str(tasks["Nhiệm vụ một"]), "2024-08-25")
    rows = occurrences(db)
    check((old, "Nhiệm vụ một", "2024-08-15", "done") in rows and
          any(r[1:] == ("Nhiệm vụ một", "2024-08-25", "open") for r in rows),
          "the done occurrence stays beside the new date: %s" % rows)

    log = os.path.join(tmp, "daemon.log")
    with open(log, "w") as out:
        proc = served.start(DAEMON, cfg, NOW, log=out)
    try:
        lines = wait_lines(log, 1)
        check(lines[:1] == [("2", "2")], "the first pass schedules every "
              "task: %s" % lines)
        ctl(cfg, "reopen", str(old))
        lines = wait_lines(log, 2)
        check(lines[1:2] == [("1", "1")], "a reopen: its task alone: %s"
              % lines)
        rows = occurrences(db)
        check(all(r[0] != old for r in rows), "the reopened occurrence of a "
              "date its task no longer has is swept: %s" % rows)
        ctl(cfg, "done", str(two), "--by", "test")
        lines = wait_lines(log, 3)
        check(lines[2:3] == [("1", "1")], "a done: its task alone: %s"
              % lines)
        ctl(cfg, "task", "add", "Nhiệm vụ ba", "--due", "2024-09-02",
            "--unit", "a")
        lines = wait_lines(log, 4)
        check(lines[3:4] == [("3", "3")], "a task added: every task: %s"
              % lines)
    finally:
        rc = served.stop(proc)
    check(rc == 0, "the daemon stopped cleanly: %d" % rc)
    before = (top(db), occurrences(db))
    ctl(cfg, "schedule")
    check((top(db), occurrences(db)) == before, "scheduling every task "
          "changes nothing more")


def main():
    if not CTL or not DAEMON or not SRC:
        return 77
    tmp = tempfile.mkdtemp(prefix="daemon_reschedule.")
    try:
        run(tmp)
    finally:
        shutil.rmtree(tmp)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
