#!/usr/bin/python3
"""deadlined as a long-running service (no --once).

Its clock starts at 07:59:50 on Monday 2024-07-15 (--now) and runs from
there.  The test waits for the 08:00 digest, adds a task with deadlinectl
and waits for the second digest of the day (#2), sends SIGHUP with a
broken and then a fixed unit directory, and stops the daemon with SIGTERM.
It runs under JOURNAL_STREAM, so every log line carries a "<N>" prefix.
Under valgrind every time bound is multiplied by DEADLINED_TEST_SLOW
(tests/tools/timing.py).
"""
import email
import email.policy
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from timing import SLOW, scaled, wait_for  # noqa: E402
from checks import Checks  # noqa: E402
from daemon_env import DEADLINED, DEADLINECTL, SRCDIR  # noqa: E402


check = Checks()


UNITS_INI = """\
[unit a]
name = Phòng A
email = a@example.gov.vn
parent = coord

[unit coord]
name = Phòng Nội vụ
email = noivu@example.gov.vn
"""

UNITS_MORE = UNITS_INI + """
[unit d]
name = Phòng D
email = d@example.gov.vn
"""

FIRST = "digest_a_2024-07-15_spool_a@example.gov.vn.eml"
SECOND = "digest_a_2024-07-15_2_spool_a@example.gov.vn.eml"


def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace")


def digest_items(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    body = msg.get_body(("plain",)).get_content()
    return str(msg["Subject"]), re.findall(r"^\d+\. (.*)$", body, re.M), body


def main():
    for name, v in (("DEADLINED", DEADLINED), ("DEADLINECTL", DEADLINECTL),
                    ("SRCDIR", SRCDIR)):
        if not v or not os.path.exists(v):
            print("skip: %s not set" % name)
            return 77
    tmp = tempfile.mkdtemp(prefix="deadlined-service-")
    proc = None
    try:
        state = os.path.join(tmp, "state")
        spool = os.path.join(state, "spool")
        units = os.path.join(tmp, "units.ini")
        cfg = os.path.join(tmp, "deadlined.ini")
        log = os.path.join(tmp, "stderr.log")
        os.mkdir(state)
        with open(units, "w") as f:
            f.write(UNITS_INI)
        with open(cfg, "w") as f:
            f.write("[daemon]\nstate_dir = %s\nunits_file = %s\n"
                    "[calendar]\ndays_off_file = %s\n"
                    "[plan]\ncoordinator = coord\n"
                    "[reminders]\nchannel = spool\nsend_time = 08:00\n"
                    "[report]\nschedule = off\n[http]\nenabled = no\n" % (
                        state, units,
                        os.path.join(SRCDIR, "config", "days-off.ini")))

        def ctl(*args):
            r = subprocess.run([DEADLINECTL, "-c", cfg] + list(args),
                               capture_output=True, text=True,
                               timeout=scaled(30))
            if r.returncode != 0:
                raise RuntimeError("deadlinectl %s: %s" % (args, r.stderr))
            return r.stdout

        ctl("init")
        ctl("--now", "2024-07-01", "task", "add", "Báo cáo tuần",
            "--due", "2024-07-15", "--unit", "a", "--ref", "S1")

        env = dict(os.environ)
        env["JOURNAL_STREAM"] = "8:12345"
        # The daemon's clock is --now plus the wall-clock time since its
        # start (whole seconds): 08:00 comes at least 9 s after this.
        t0 = time.monotonic()
        with open(log, "wb") as err:
            proc = subprocess.Popen([DEADLINED, "-c", cfg, "--now",
                                     "2024-07-15T07:59:50"],
                                    stdout=subprocess.DEVNULL, stderr=err,
                                    env=env)
        check(wait_for(lambda: "started" in read(log), 10),
              "no 'started' line: %s" % read(log))
        first = os.path.join(spool, FIRST)
        check(not os.path.exists(first),
              "a digest was sent before 08:00")

        # The 08:00 digest: the daemon sleeps until then (10 s).
        check(wait_for(lambda: os.path.exists(first), 30),
              "no 08:00 digest within %d s: %s" % (scaled(30), read(log)))
        took = time.monotonic() - t0
        check(took >= 8.5, "the digest came %.1f s after start, before "
              "08:00 of the daemon's clock" % took)
        if os.path.exists(first):
            subject, items, _ = digest_items(first)
            check(subject == "[deadlined] Nhắc hạn công việc ngày Thứ Hai, "
                  "15/07/2024: 1 đến hạn hôm nay", "subject %r" % subject)
            check(items == ["[manual S1] Báo cáo tuần"], "items %s" % items)
        # The spool file appears before the result is recorded: wait for
        # the message to leave 'sending'.
        outbox = []

        def settled():
            outbox[:] = json.loads(ctl("outbox", "--format", "json"))
            return all(r["state"] != "sending" for r in outbox)
        wait_for(settled, 10)
        rows = outbox
        check(len(rows) == 1 and rows[0]["state"] == "sent" and
              rows[0]["when"].startswith("2024-07-15T08:00"),
              "outbox after 08:00: %s" % rows)

        # A change made by deadlinectl is noticed within seconds.
        ctl("--now", "2024-07-15T08:00", "task", "add", "Việc phát sinh",
            "--due", "2024-07-15", "--unit", "a", "--ref", "S2")
        second = os.path.join(spool, SECOND)
        check(wait_for(lambda: os.path.exists(second), 15),
              "no second digest within %d s: %s" % (scaled(15), read(log)))
        if os.path.exists(second):
            subject, items, _ = digest_items(second)
            check(items == ["[manual S2] Việc phát sinh"],
                  "second digest items %s" % items)
        keys = sorted(r["key"] for r in json.loads(
            ctl("outbox", "--format", "json")))
        check(keys == ["digest/a/2024-07-15#2/spool/a@example.gov.vn",
                       "digest/a/2024-07-15/spool/a@example.gov.vn"],
              "outbox keys %s" % keys)

        # SIGHUP with a broken unit directory: keeps running.
        with open(units, "w") as f:
            f.write("[unit a\nname = \x01broken\n= =\n[nonsense]\n")
        proc.send_signal(signal.SIGHUP)
        check(wait_for(lambda: "reload failed" in read(log), 10),
              "no 'reload failed': %s" % read(log))
        check(proc.poll() is None, "the daemon died on a broken reload")

        # SIGHUP with a fixed directory that adds a unit.
        with open(units, "w") as f:
            f.write(UNITS_MORE)
        proc.send_signal(signal.SIGHUP)
        check(wait_for(lambda: "configuration reloaded" in read(log), 10),
              "no 'configuration reloaded': %s" % read(log))
        check("units: 1 added" in read(log), "unit d not synced: %s"
              % read(log))
        check(proc.poll() is None, "the daemon died on reload")
        unit_list = ctl("units")
        check(re.search(r"^\s*d\s", unit_list, re.M) is not None or
              "Phòng D" in unit_list, "unit d not listed: %s" % unit_list)

        # SIGTERM: exit 0 within 5 s.
        status = None
        usage = None
        end = time.monotonic() + scaled(5)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        else:
            end = 0
            check(False, "the daemon was gone before SIGTERM (exit %d)" %
                  proc.returncode)
        while time.monotonic() < end:
            pid, st, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid != 0:
                status, usage = st, ru
                break
            time.sleep(0.02)
        check(status is not None or end == 0,
              "no exit within %d s of SIGTERM" % scaled(5))
        if status is not None:
            proc.returncode = os.waitstatus_to_exitcode(status)
            check(proc.returncode == 0, "exit status %d" % proc.returncode)
            # Busy polling would use about all of the wall time; under
            # valgrind memcheck's own CPU needs more than 3 s.
            cpu = usage.ru_utime + usage.ru_stime
            wall = time.monotonic() - t0
            check(cpu < min(3.0 * SLOW, wall / 3),
                  "%.2f s of CPU in %.0f s: busy polling?" % (cpu, wall))
        text = read(log)
        check("stopping" in text, "no 'stopping' line")
        lines = [ln for ln in text.split("\n") if ln]
        bad = [ln for ln in lines if not re.match(r"^<[0-7]>", ln)]
        check(lines and not bad, "lines without a <N> prefix: %s" % bad)
        check(any(ln.startswith("<4>") and "reload failed" in ln
                  for ln in lines), "'reload failed' is not a warning")
        check(any(ln.startswith("<6>") and "configuration reloaded" in ln
                  for ln in lines), "'configuration reloaded' is not info")

        # Without JOURNAL_STREAM: a timestamp, no prefix.
        env.pop("JOURNAL_STREAM")
        r = subprocess.run([DEADLINED, "-c", cfg, "--once", "--now",
                            "2024-07-16T08:30"], capture_output=True,
                           text=True, timeout=scaled(30), env=env)
        check(r.returncode == 0, "--once exit %d" % r.returncode)
        plain = [ln for ln in r.stderr.split("\n") if ln]
        check(plain and all(re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ",
                                     ln) for ln in plain),
              "stderr without JOURNAL_STREAM: %s" % plain)
    finally:
        if proc is not None and proc.returncode is None and \
                proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
