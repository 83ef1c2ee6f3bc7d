"""What the integration tests that step deadlined through days share.

A test makes an Env in a scratch folder (units.ini, deadlined.ini with
the spool channel and the reminder policy of the tests: lead 7 3 1 0,
overdue every 3 working days at most 5 times, escalation after 5), then
runs deadlinectl and `deadlined --once --now` through it and counts its
checks in a Checks.  Not a test itself (tests/tools is not globbed).
"""
import email
import email.policy
import json
import os
import re
import sqlite3
import subprocess
import time

import timing

from checks import Checks  # noqa: F401 (the scripts take it from here)

DEADLINED = os.environ.get("DEADLINED")
DEADLINECTL = os.environ.get("DEADLINECTL")
SRCDIR = os.environ.get("SRCDIR") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))


def missing():
    """The name of a variable the tests need that is unset, or None."""
    for name, v in (("DEADLINED", DEADLINED), ("DEADLINECTL", DEADLINECTL),
                    ("SRCDIR", SRCDIR)):
        if not v or not os.path.exists(v):
            return name
    return None


def spool_name(key):
    """The spool file of an outbox key (the channel's file name rule)."""
    return re.sub(r"[^A-Za-z0-9\-._@]", "_", key) + ".eml"


def policy_config(state, units_file, channel, escalate_after, more=""):
    """The text of a configuration with the reminder policy of the tests
    (lead 7 3 1 0, overdue every 3 working days at most 5 times, at 08:00),
    the channel and escalation given, more sections, no report, no HTTP."""
    return ("[daemon]\nstate_dir = %s\nunits_file = %s\n"
            "[calendar]\ndays_off_file = %s\n"
            "[reminders]\nlead_days = 7 3 1 0\noverdue_every = 3\n"
            "overdue_max = 5\nescalate_after = %d\n"
            "send_time = 08:00\nchannel = %s\n%s"
            "[report]\nschedule = off\n[http]\nenabled = no\n" % (
                state, units_file,
                os.path.join(SRCDIR, "config", "days-off.ini"),
                escalate_after, channel, more))


class Runs:
    """deadlinectl and `deadlined --once` over self.cfg; a failed pass is
    a failed check of self.check, a failed command a RuntimeError."""

    def ctl(self, now, *args):
        cmd = [DEADLINECTL, "-c", self.cfg]
        if now:
            cmd += ["--now", now]
        r = subprocess.run(cmd + list(args), capture_output=True,
                           text=True, timeout=timing.scaled(60))
        if r.returncode != 0:
            raise RuntimeError("deadlinectl %s: %s" % (args, r.stderr))
        return r.stdout

    def run_pass(self, now):
        """One pass at now; its stderr (the seconds it took in self.took)."""
        started = time.monotonic()
        r = subprocess.run([DEADLINED, "-c", self.cfg, "--once", "--now",
                            now], capture_output=True, text=True,
                           timeout=timing.scaled(60))
        self.took = time.monotonic() - started
        self.check(r.returncode == 0, "deadlined --once %s exit %d: %s" % (
            now, r.returncode, r.stderr))
        return r.stderr

    def outbox(self):
        return json.loads(self.ctl(None, "outbox", "--format", "json"))

    def outbox_by_key(self):
        return {r["key"]: r for r in self.outbox()}

    def value(self, query, args=()):
        """The first column of the first row of a query, or None."""
        con = sqlite3.connect(self.db, timeout=10)
        try:
            row = con.execute(query, args).fetchone()
        finally:
            con.close()
        return row[0] if row else None


class Env(Runs):
    def __init__(self, tmp, units_ini, check, files=None):
        self.tmp = tmp
        self.check = check
        self.state = os.path.join(tmp, "state")
        self.spool = os.path.join(self.state, "spool")
        self.db = os.path.join(self.state, "deadlined.db")
        self.cfg = os.path.join(tmp, "deadlined.ini")
        os.mkdir(self.state)
        with open(os.path.join(tmp, "units.ini"), "w") as f:
            f.write(units_ini)
        for name, text in (files or {}).items():
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
        with open(self.cfg, "w") as f:
            f.write(policy_config(self.state, os.path.join(tmp, "units.ini"),
                                  "spool", 5,
                                  "[plan]\ncoordinator = coord\n"))

    def sql(self, query, args=()):
        con = sqlite3.connect(self.db, timeout=10)
        try:
            rows = con.execute(query, args).fetchall()
            con.commit()
        finally:
            con.close()
        return rows

    def message(self, key):
        """The spooled message of an outbox key, parsed, or None."""
        path = os.path.join(self.spool, spool_name(key))
        if not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            return email.message_from_binary_file(
                f, policy=email.policy.default)
