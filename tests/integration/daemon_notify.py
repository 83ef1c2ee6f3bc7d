#!/usr/bin/python3
"""deadlined speaks systemd's notify protocol, and sleeps long when idle.

The test binds a datagram socket, starts the daemon as a service with
NOTIFY_SOCKET pointing at it and WATCHDOG_USEC set (as systemd does for
Type=notify with WatchdogSec=), and reads what it says: READY=1 after the
start-up pass, WATCHDOG=1 at about half the interval while it sleeps,
RELOADING=1 then READY=1 around a SIGHUP, STOPPING=1 on SIGTERM, and exit
0.  The watchdog is fed from the sleep, so its pings do not rewrite the
heartbeat; the heartbeat's next wake-up is ten minutes after the pass
(an idle daemon must not wake once a minute, bench/idle.sh).
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from daemon_env import DEADLINED, Checks, Env, missing  # noqa: E402
from timing import scaled, wait_for  # noqa: E402

UNITS_INI = """\
[unit a]
name = Phòng A
email = a@example.gov.vn

[unit coord]
name = Phòng Nội vụ
email = noivu@example.gov.vn
"""

# Monday 10:00: the day's 08:00 send time has passed, nothing is due
# before midnight, so the only wake-ups are the heartbeat and the watchdog.
NOW = "2024-07-15T10:00"
HEARTBEAT = 600
WATCHDOG_S = 2


def receive(sock, want, limit, seen):
    """Reads notifications into seen until one equals want or scaled(limit)
    seconds pass; True if it came."""
    end = time.monotonic() + scaled(limit)
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            data = sock.recv(4096)
        except socket.timeout:
            return False
        for line in data.decode("utf-8", "replace").splitlines():
            seen.append(line)
            if line == want:
                return True


def meta(env):
    return dict(env.sql("SELECT key, value FROM meta WHERE key IN "
                        "('last_pass', 'next_wake')"))


def main():
    if missing():
        print("skip: %s not set" % missing())
        return 77
    check = Checks()
    with tempfile.TemporaryDirectory(prefix="dl-notify.") as tmp:
        env = Env(tmp, UNITS_INI, check)
        env.ctl(None, "init")
        path = os.path.join(tmp, "notify")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        log = open(os.path.join(tmp, "log"), "w+")
        watchdog = scaled(WATCHDOG_S)
        envp = dict(os.environ, NOTIFY_SOCKET=path,
                    WATCHDOG_USEC=str(watchdog * 1000000))
        envp.pop("WATCHDOG_PID", None)
        envp.pop("JOURNAL_STREAM", None)
        proc = subprocess.Popen([DEADLINED, "-c", env.cfg, "--now", NOW],
                                env=envp, stderr=log)
        seen = []
        try:
            check(receive(sock, "READY=1", 30, seen),
                  "READY=1 after start-up, got %r" % seen)
            # READY=1 precedes the first pass, which records the heartbeat.
            wait_for(lambda: len(meta(env)) == 2, 30)
            first = meta(env)
            check(set(first) == {"last_pass", "next_wake"},
                  "heartbeat recorded at start-up: %r" % first)
            if set(first) == {"last_pass", "next_wake"}:
                gap = int(first["next_wake"]) - int(first["last_pass"])
                check(gap == HEARTBEAT, "next wake-up %d s after the pass, "
                      "expected the %d s heartbeat" % (gap, HEARTBEAT))

            # The pass pings too (while sending and after); what it said
            # is dropped, then the sleep's pings come at half the interval.
            sock.setblocking(False)
            try:
                while sock.recv(4096):
                    pass
            except BlockingIOError:
                pass
            times = []
            while len(times) < 3 and receive(sock, "WATCHDOG=1",
                                             2 * WATCHDOG_S, seen):
                times.append(time.monotonic())
            check(len(times) == 3, "3 WATCHDOG=1 while idle, got %d: %r" % (
                len(times), seen[-5:]))
            gaps = [b - a for a, b in zip(times, times[1:])]
            check(all(0.4 * watchdog <= g <= 1.5 * watchdog for g in gaps),
                  "gaps between pings %r, expected about %.1f s" % (
                      gaps, watchdog / 2))
            check(meta(env) == first,
                  "watchdog pings rewrote the heartbeat: %r -> %r" % (
                      first, meta(env)))

            del seen[:]
            proc.send_signal(signal.SIGHUP)
            check(receive(sock, "RELOADING=1", 20, seen),
                  "RELOADING=1 on SIGHUP, got %r" % seen)
            check(receive(sock, "READY=1", 20, seen),
                  "READY=1 after the reload, got %r" % seen)

            del seen[:]
            proc.send_signal(signal.SIGTERM)
            check(receive(sock, "STOPPING=1", 20, seen),
                  "STOPPING=1 on SIGTERM, got %r" % seen)
            rc = proc.wait(timeout=scaled(20))
            check(rc == 0, "exit %d after SIGTERM" % rc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            sock.close()
        log.seek(0)
        text = log.read()
        if check.failed:
            print(text)
        log.close()
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
