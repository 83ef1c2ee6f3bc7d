#!/usr/bin/python3
"""The HTTP server cannot be starved (#16 item 7), against the real daemon.

deadlined runs with [http] timeout = T (6 s) and max_connections = 200, so
that one address may hold 100 connections, and trusts 127.0.0.2 as a
reverse proxy.

1. 100 slow clients on 127.0.0.1 each send a request line byte by byte,
   one byte every T/3 seconds: libmicrohttpd's idle timeout never fires.
   While they hold the address's share, a client from 127.0.0.1 is
   refused even when it names another client in X-Forwarded-For (127.0.0.1
   is not a trusted proxy), and a client from 127.0.0.3 is served at once.
   Every slow connection is closed by the server within T plus a margin of
   its start (a whole-request deadline), and then the client of 127.0.0.1
   gets its feed.  Before the deadline existed the slow clients held their
   connections for ever and kept that client out.
2. Through the proxy (connections from 127.0.0.2 with X-Forwarded-For):
   100 requests of client 203.0.113.7 whose bodies drip hold that
   client's share; its 101st request gets 429, while client 198.51.100.9
   on a 101st and a 102nd connection of the same proxy gets its feed.
   Before, the proxy's own address was limited to 100 connections and
   every client behind it shared that limit.

Everything stays on loopback (127.0.0.1-3).  Bounds go through
tests/tools/timing.py (DEADLINED_TEST_SLOW).
"""
import http.client
import json
import os
import select
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from timing import scaled, wait_for  # noqa: E402
from checks import Checks  # noqa: E402
from daemon_env import DEADLINED, DEADLINECTL, SRCDIR  # noqa: E402
import ctl  # noqa: E402
from served import (can_bind, free_port, secret_file,  # noqa: E402
                    start, stop)

NOW = "2024-07-15T08:00"
TIMEOUT = scaled(6)		# [http] timeout
DRIP = TIMEOUT / 3.0		# seconds between two bytes of a slow client
MARGIN = scaled(2)
SLOW = 100			# half of max_connections

check = Checks()


def connect(port, source):
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(scaled(10))
    s.connect(("127.0.0.1", port))
    return s


def get(port, path, source="127.0.0.1", headers=None):
    """The status of a GET from a source address, or None if refused."""
    try:
        s = connect(port, source)
    except OSError:
        return None
    try:
        text = "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" % path
        for k, v in (headers or {}).items():
            text += "%s: %s\r\n" % (k, v)
        s.sendall((text + "\r\n").encode())
        answer = b""
        while b"\r\n" not in answer:
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
    except OSError:
        return None
    finally:
        s.close()
    parts = answer.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


class Drippers:
    """Connections that send their text one byte every DRIP seconds and
    note when the server closes them."""

    def __init__(self, port, source, text, n):
        self.text = text.encode()
        self.socks = []
        self.sent = {}
        self.start = {}
        self.closed = {}
        for _ in range(n):
            s = connect(port, source)
            s.setblocking(False)
            self.socks.append(s)
            self.sent[s] = 0
            self.start[s] = time.monotonic()

    def open(self):
        return [s for s in self.socks if s not in self.closed]

    def step(self, until):
        """Drips and watches until the monotonic time until."""
        while time.monotonic() < until and self.open():
            r, _, _ = select.select(self.open(), [], [],
                                    max(0, min(DRIP, until -
                                               time.monotonic())))
            for s in r:
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    self.closed[s] = time.monotonic()
            for s in self.open():
                if time.monotonic() - self.start[s] >= \
                        self.sent[s] * DRIP and \
                        self.sent[s] < len(self.text):
                    try:
                        s.send(self.text[self.sent[s]:self.sent[s] + 1])
                        self.sent[s] += 1
                    except OSError:
                        self.closed[s] = time.monotonic()

    def close(self):
        for s in self.socks:
            s.close()


def slow_clients(port, path):
    """Part 1: 100 slow clients on 127.0.0.1."""
    d = Drippers(port, "127.0.0.1", "GET %s HTTP/1.1\r\nHost: t\r\n" % path
                 + "X-Padding: " + "x" * 64 + "\r\n\r\n", SLOW)
    try:
        d.step(time.monotonic() + DRIP * 1.5)
        check(len(d.open()) == SLOW, "the slow clients hold %d connections"
              % len(d.open()))
        status = get(port, path, headers={"X-Forwarded-For": "198.51.100.9"})
        check(status is None, "127.0.0.1 past its share is refused, its "
              "X-Forwarded-For ignored (got %s)" % status)
        status = get(port, path, source="127.0.0.3")
        check(status == 200, "another address is served meanwhile: %s"
              % status)
        served_at = None
        end = time.monotonic() + TIMEOUT + MARGIN * 2
        while time.monotonic() < end:
            d.step(time.monotonic() + DRIP / 2)
            if served_at is None and get(port, path) == 200:
                served_at = time.monotonic()
            if served_at is not None and not d.open():
                break
        late = [d.closed[s] - d.start[s] for s in d.closed]
        check(not d.open() and max(late) <= TIMEOUT + MARGIN,
              "every slow connection closed at its deadline: %d open, "
              "slowest %.1f s (timeout %d s)" % (len(d.open()),
                                                max(late or [0]), TIMEOUT))
        first = min(d.start.values())
        check(served_at is not None and
              served_at - first <= TIMEOUT + MARGIN * 2,
              "127.0.0.1 served again within the deadline: %s" %
              (None if served_at is None else "%.1f s" %
               (served_at - first)))
    finally:
        d.close()


def proxied_clients(port, path, link):
    """Part 2: clients behind a trusted proxy on 127.0.0.2."""
    head = ("POST %s HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 10.9.8.7, "
            "203.0.113.7\r\nContent-Type: application/x-www-form-"
            "urlencoded\r\nContent-Length: 40\r\n\r\n" % link)
    socks = []
    try:
        for _ in range(SLOW):
            s = connect(port, "127.0.0.2")
            s.sendall(head.encode())
            socks.append(s)
        # Answered at once, well before any deadline or idle timeout
        # could free a connection; by then the server has read the
        # headers of the 100 sent before.
        status = get(port, path, "127.0.0.2",
                     {"X-Forwarded-For": "198.51.100.9"})
        check(status == 200, "another client behind the proxy is served "
              "on a 101st connection of the proxy: %s" % status)
        status = get(port, path, "127.0.0.2",
                     {"X-Forwarded-For": "198.51.100.9, 203.0.113.7"})
        check(status == 429, "the 101st request of 203.0.113.7: %s" % status)
        status = get(port, path, "127.0.0.2",
                     {"X-Forwarded-For": "198.51.100.9"})
        check(status == 200, "198.51.100.9 again: %s" % status)
    finally:
        for s in socks:
            s.close()


def main():
    if not DEADLINED or not DEADLINECTL or not SRCDIR:
        return 77
    if not can_bind("127.0.0.2") or not can_bind("127.0.0.3"):
        print("127.0.0.2 and 127.0.0.3 are not usable here")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        secret = secret_file(os.path.join(tmp, "link.key"),
                             "k3y-for-the-slow-test-0123456789")
        conf = ctl.write_config(
            os.path.join(tmp, "deadlined.ini"), tmp, SRCDIR,
            more="[report]\nschedule = off\n[http]\nlisten = "
            "127.0.0.1:%d\nbase_url = http://127.0.0.1:%d\n"
            "max_connections = 200\ntimeout = %d\n"
            "trusted_proxies = 127.0.0.2\nlink_secret_file = %s\n"
            % (port, port, TIMEOUT, secret))
        deadlinectl = ctl.Ctl(DEADLINECTL, conf, NOW, timeout=60)
        deadlinectl.ok("init")
        deadlinectl.ok("task", "add", "Báo cáo quý II", "--due",
                       "2024-07-31", "--unit", "noivu")
        url = {f["name"]: f["url"] for f in json.loads(
            deadlinectl.ok("feed", "list", "--format", "json"))}["noivu"]
        path = url[len("http://127.0.0.1:%d" % port):]
        log = open(os.path.join(tmp, "deadlined.log"), "w")
        d = start(DEADLINED, conf, NOW, log=log)
        try:
            if not wait_for(lambda: get(port, path) == 200, 30):
                raise RuntimeError("the feed is not served")
            slow_clients(port, path)
            proxied_clients(port, path, "/done/not.a-token")
        except (OSError, RuntimeError, http.client.HTTPException) as e:
            check(False, str(e))
        finally:
            rc = stop(d, 30)
            log.close()
        check(rc == 0, "exit status on SIGTERM: %d" % rc)
        if check.failed:
            with open(os.path.join(tmp, "deadlined.log")) as f:
                sys.stdout.write(f.read()[-3000:])
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
