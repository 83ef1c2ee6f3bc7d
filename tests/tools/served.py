"""deadlined serving HTTP on loopback, as the integration tests run it.

free_port() and can_bind() choose loopback addresses, secret_file() writes
a token or key file of mode 0600, start() runs `deadlined -c CFG --now
NOW` (its output to a log file or to pipes) and stop() ends it with
SIGTERM and gives its exit status.  Every bound goes through
timing.scaled() (DEADLINED_TEST_SLOW).

Not a test itself (tests/tools is not globbed).
"""
import os
import signal
import socket
import subprocess
import time

import timing


def free_port():
    """A loopback port nobody listens on now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def can_bind(addr):
    """True if a socket can be bound to the loopback address addr."""
    try:
        s = socket.socket()
        s.bind((addr, 0))
        s.close()
        return True
    except OSError:
        return False


def secret_file(path, text):
    """Writes text and a newline to path, mode 0600; returns path."""
    with open(path, "w") as f:
        f.write(text + "\n")
    os.chmod(path, 0o600)
    return path


def start(exe, cfg, now, log=None, umask=None):
    """deadlined -c cfg --now now, its output to the file object log (both
    streams) or to pipes (text); umask set in the child if given."""
    out = log if log is not None else subprocess.PIPE
    err = subprocess.STDOUT if log is not None else subprocess.PIPE
    pre = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.Popen([exe, "-c", cfg, "--now", now], stdout=out,
                            stderr=err, text=log is None, preexec_fn=pre)


def wait_port(port, proc, limit=10):
    """Waits until 127.0.0.1:port accepts a connection; SystemExit if proc
    exits first or scaled(limit) seconds pass."""
    end = time.monotonic() + timing.scaled(limit)
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("deadlined exited: %s" % (
                proc.stderr.read() if proc.stderr else proc.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("deadlined did not listen on %d" % port)


def stop(proc, limit=20):
    """SIGTERM, then proc's exit status within scaled(limit) seconds, or
    -1 after a SIGKILL."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timing.scaled(limit))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return -1
