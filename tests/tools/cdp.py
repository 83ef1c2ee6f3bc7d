"""A headless Chromium driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ended by NUL, commands written to
the browser's descriptor 3, answers and events read from its descriptor 4),
so no websocket library and no network port is needed.  One page (tab),
its events kept for the caller to read."""
import base64
import json
import os
import select
import shutil
import subprocess
import time


def find_chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    def __init__(self, binary, profile, timeout):
        self.timeout = timeout
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # The browser reads commands on 3 and writes on 4; every other
        # descriptor of ours is close-on-exec (PEP 446).  A pipe that is
        # already 3 or 4 is not changed by dup2: it must be inheritable.
        os.set_inheritable(to_child_r, True)
        os.set_inheritable(from_child_w, True)
        args = [binary, "--headless=new", "--remote-debugging-pipe",
                "--no-first-run", "--no-default-browser-check",
                "--disable-gpu", "--disable-extensions", "--no-sandbox",
                "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--metrics-recording-only",
                "--disable-features=Translate,OptimizationHints,"
                "MediaRouter,AutofillServerCommunication",
                "--user-data-dir=" + profile, "about:blank"]

        def fds():
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL,
                                     preexec_fn=fds, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from chromium")
            r, _, _ = select.select([self.from_child], [], [], left)
            if not r:
                continue
            chunk = os.read(self.from_child, 65536)
            if not chunk:
                raise EOFError("chromium closed its pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True):
        """The result of a command; events met meanwhile are kept."""
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method, timeout=None):
        """Waits for an event not seen yet; returns it."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for i, e in enumerate(self.events):
                if e["method"] == method:
                    return self.events.pop(i)
            m = self._read_message(deadline)
            if "method" in m:
                self.events.append(m)

    def open_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"},
                           session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {
            "targetId": target, "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(domain + ".enable")

    def navigate(self, url):
        """Loads url; the events of the load stay in self.events."""
        self.events = []
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")
        # What the load started (a late request) has time to show.
        self.send("Runtime.evaluate", {"expression": "1"})
        return list(self.events)

    def evaluate(self, expression):
        r = self.send("Runtime.evaluate", {"expression": expression,
                                           "returnByValue": True})
        return r.get("result", {}).get("value")

    def screenshot(self, path, width, height, mobile):
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1,
            "mobile": mobile})
        r = self.send("Page.captureScreenshot", {"format": "png",
                                                 "captureBeyondViewport":
                                                 True})
        with open(path, "wb") as f:
            f.write(base64.b64decode(r["data"]))
        self.send("Emulation.clearDeviceMetricsOverride")

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except (OSError, EOFError, TimeoutError, RuntimeError):
            pass
        try:
            self.proc.wait(self.timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_child)
        os.close(self.from_child)
