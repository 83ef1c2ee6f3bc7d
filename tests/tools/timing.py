"""Time bounds of the integration tests, for runs where deadlined is slow.

DEADLINED_TEST_SLOW (a whole number, default 1) multiplies every bound a
test puts on deadlined or deadlinectl: how long it waits for the daemon to
be ready or for a file or message to appear, subprocess timeouts, the SMTP
and webhook client timeouts written into a test's configuration (with the
peer delays that must outlast them), CPU limits and SIGKILL windows.
Every wait for an event is a poll that ends when the event comes and fails
at the scaled deadline, so a larger factor costs time only where a test
means to hit a timeout (a peer that never answers).  scripts/test sets it
for the valgrind stage, where both programs run under memcheck.

DEADLINED_TEST_KILLS (a share in (0, 1], default 1) scales the number of
SIGKILLs and units of the crash tests (daemon_crash, the sigkill row of
the fault matrix): under valgrind each killed pass costs a second or more
of start-up.  The checks stay the same.

Not a test itself (tests/tools is not globbed).
"""
import math
import os
import time


def _number(name, default, whole):
    text = os.environ.get(name, "")
    if text == "":
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        raise SystemExit("%s=%r: not a number" % (name, text))
    if value <= 0 or (not whole and value > 1):
        raise SystemExit("%s=%r: out of range" % (name, text))
    return value


SLOW = _number("DEADLINED_TEST_SLOW", 1, True)
KILL_SHARE = _number("DEADLINED_TEST_KILLS", 1.0, False)


def scaled(seconds):
    """A bound of seconds, multiplied by DEADLINED_TEST_SLOW."""
    return seconds * SLOW


def kill_count(count):
    """A count of SIGKILLs (or units) scaled by DEADLINED_TEST_KILLS."""
    return max(1, int(math.ceil(count * KILL_SHARE)))


def wait_for(cond, limit, step=0.05):
    """Polls cond every step seconds until it holds or scaled(limit)
    seconds have passed; returns its last value."""
    end = time.monotonic() + scaled(limit)
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return cond()


def has_open(pid, path):
    """True if process pid has path open (read from /proc/PID/fd)."""
    fds = "/proc/%d/fd" % pid
    try:
        for fd in os.listdir(fds):
            try:
                if os.readlink(os.path.join(fds, fd)) == path:
                    return True
            except OSError:
                pass
    except OSError:
        pass
    return False


def wait_open(proc, path, limit=30):
    """Waits until proc has path open or has exited (1 ms polls, at most
    scaled(limit) seconds); True if it has it open.  Under valgrind a
    process spends a second or more starting before it runs any of
    deadlined's code: a SIGKILL window counted from this point still falls
    where the daemon does its work."""
    path = os.path.realpath(path)
    end = time.monotonic() + scaled(limit)
    while proc.poll() is None and time.monotonic() < end:
        if has_open(proc.pid, path):
            return True
        time.sleep(0.001)
    return False
