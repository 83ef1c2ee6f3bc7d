#!/usr/bin/env python3
"""Every page of the console and a unit's page in a real browser: Debian's
headless Chromium, driven over the DevTools protocol on a pipe
(tests/tools/cdp.py), loads them from the real deadlined on 127.0.0.1 with
the plan year of console.py.  On each page: the document answers 200, the
console shows no error (a style or script the Content-Security-Policy
blocked would be one), no request leaves 127.0.0.1, the stylesheet is
applied, and at a phone's width (390 px) nothing is wider than the screen.
The overview's table rows and bars are in the rendered DOM.  Without
Chromium the test is skipped (77).

With DEADLINED_SCREENSHOTS=DIR it also writes the overview and the unit's
page at desktop (1280 px) and phone (390 px) widths as PNG files there
(scripts/screenshots does this for docs/img/)."""
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import cdp  # noqa: E402
import console  # noqa: E402
from timing import scaled  # noqa: E402

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def problems(events, port):
    """What a page's load did wrong, from its DevTools events."""
    out = []
    here = ("http://127.0.0.1:%d/" % port, "data:", "about:")
    for e in events:
        m, p = e["method"], e["params"]
        if m == "Network.requestWillBeSent" and not \
                p["request"]["url"].startswith(here):
            out.append("request to " + p["request"]["url"])
        elif m == "Network.loadingFailed":
            out.append("failed load: %s" % p.get("errorText"))
        elif m == "Runtime.consoleAPICalled" and p["type"] in ("error",
                                                               "warning"):
            out.append("console %s: %s" % (p["type"], p.get("args")))
        elif m == "Runtime.exceptionThrown":
            out.append("exception: %s" % p.get("exceptionDetails"))
        elif m == "Log.entryAdded" and p["entry"]["level"] in ("error",
                                                               "warning"):
            out.append("log %s: %s" % (p["entry"]["level"],
                                       p["entry"].get("text")))
        elif m == "Network.responseReceived" and p.get("type") == \
                "Document" and p["response"]["status"] != 200:
            out.append("document status %d" % p["response"]["status"])
    return out


def check_page(b, url, port, what):
    events = b.navigate(url)
    bad = problems(events, port)
    check(not bad, "%s: %s" % (what, bad))
    check(b.evaluate("document.styleSheets.length > 0 && "
                     "document.styleSheets[0].cssRules.length > 0"),
          "%s: the stylesheet is applied" % what)
    b.send("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": 844, "deviceScaleFactor": 1,
        "mobile": True})
    width = b.evaluate("document.documentElement.scrollWidth")
    b.send("Emulation.clearDeviceMetricsOverride")
    check(width is not None and width <= 390,
          "%s: %s px wide on a 390 px phone" % (what, width))


def pages(db, port, unit_path):
    an4 = console.occ_id(db, "xa-an", "4")
    import sqlite3
    con = sqlite3.connect(db)
    task = con.execute("SELECT task_id FROM occurrences WHERE id = ?",
                       (an4,)).fetchone()[0]
    con.close()
    base = "http://127.0.0.1:%d" % port
    return [(base + p, p) for p in (
        "/console", "/console?period=2024-Q2&sort=unit", "/console/overdue",
        "/console/month?month=2024-06", "/console/month?month=2024-06&unit="
        "xa-hoa", "/console/requests", "/console/task/%d" % task,
        "/console/occurrence/%d" % an4, "/console/unit/xa-an")] + [
        (base + unit_path, "unit page")]


def run(tmp, chromium):
    cfg, db, port = console.make_year(tmp)
    proc = subprocess.Popen([console.DEADLINED, "-c", cfg, "--now",
                             console.NOW], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        console.wait_port(port, proc)
        client = console.Client(port)
        console.sign_in(cfg, client, db)
        unit_path = urllib.parse.urlsplit(console.ctl(
            cfg, "unit-link", "xa-an").strip()).path
        b = cdp.Browser(chromium, os.path.join(tmp, "profile"), scaled(30))
        try:
            browse(b, client, db, port, unit_path)
        finally:
            b.close()
    finally:
        console.stop(proc)
    check(console.failed == 0, "console.py's checks of the sign-in")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def browse(b, client, db, port, unit_path):
    b.open_page()
    name, value = client.cookie.split("=", 1)
    b.send("Network.setCookie", {"name": name, "value": value,
                                 "url": "http://127.0.0.1:%d/" % port,
                                 "httpOnly": True, "sameSite": "Strict"})
    for url, what in pages(db, port, unit_path):
        check_page(b, url, port, what)
    b.navigate("http://127.0.0.1:%d/console?period=2024-Q2" % port)
    rows = b.evaluate("document.querySelectorAll('#overview tbody tr')"
                      ".length")
    bars = b.evaluate("[...document.querySelectorAll('#overview svg.bar')]"
                      ".filter(s => s.getBoundingClientRect().width > 0)"
                      ".length")
    check(rows == 3 and bars == 4,
          "overview: %s rows (3 units), %s visible bars (and the total)"
          % (rows, bars))
    shots = os.environ.get("DEADLINED_SCREENSHOTS")
    if shots:
        os.makedirs(shots, exist_ok=True)
        for url, name in (("/console?period=2024-Q2", "console-overview"),
                          (unit_path, "unit-page")):
            b.navigate("http://127.0.0.1:%d%s" % (port, url))
            b.screenshot(os.path.join(shots, name + "-desktop.png"),
                         1280, 800, False)
            b.screenshot(os.path.join(shots, name + "-phone.png"),
                         390, 844, True)


def main():
    if not (console.DEADLINED and console.DEADLINECTL and console.SRCDIR):
        return 77
    chromium = cdp.find_chromium()
    if chromium is None:
        print("SKIP: no chromium")
        return 77
    tmp = tempfile.mkdtemp(prefix="console_browser.")
    try:
        return run(tmp, chromium)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
