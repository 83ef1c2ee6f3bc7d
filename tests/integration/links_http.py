#!/usr/bin/env python3
"""Completion links end to end: a digest carries a signed link per task; the
link, served by the real deadlined, shows a page on GET (changing nothing)
and marks the occurrence done on POST; a second POST, a tampered token and
an expired one change nothing, and once the occurrence is reopened the link
stops working.  Pages forbid framing and referrers.  While another program
holds the database's write lock, a POST waits on the server's worker and
ends in a 503 page, and the feeds are served all along without delay.
Time is --now; traffic stays on 127.0.0.1.  Under valgrind every time bound
is multiplied by DEADLINED_TEST_SLOW (tests/tools/timing.py)."""
import email
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from email import policy

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from timing import scaled  # noqa: E402
from checks import Checks  # noqa: E402
from daemon_env import DEADLINED, DEADLINECTL, SRCDIR  # noqa: E402
from ctl import Ctl  # noqa: E402
import served  # noqa: E402
from served import free_port, secret_file, wait_port  # noqa: E402

check = Checks()


def ctl(cfg, *args, now="2024-07-15T08:30"):
    """The output of deadlinectl -c cfg --now now args (which must work)."""
    return Ctl(DEADLINECTL, cfg, now, timeout=60).ok(*args)


def status_of(cfg, unit):
    rows = json.loads(ctl(cfg, "agenda", "--all", "--unit", unit,
                          "--format", "json"))
    return [r["status"] for r in rows if r["id"] is not None]


def http(url, data=None, headers=None):
    """(status, body); the headers of the answer go into headers."""
    req = urllib.request.Request(url, data=data)
    try:
        with urllib.request.urlopen(req, timeout=scaled(30)) as r:
            if headers is not None:
                headers.update({k.lower(): v for k, v in r.getheaders()})
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        if headers is not None:
            headers.update({k.lower(): v for k, v in e.headers.items()})
        return e.code, e.read().decode("utf-8")


def check_page_headers(h, what):
    """No framing, no referrer, nothing loaded from elsewhere."""
    csp = h.get("content-security-policy", "")
    check("frame-ancestors 'none'" in csp and "default-src 'none'" in csp,
          "%s: Content-Security-Policy %r" % (what, csp))
    check(h.get("referrer-policy") == "no-referrer",
          "%s: Referrer-Policy %r" % (what, h.get("referrer-policy")))
    check(h.get("x-frame-options") == "DENY", "%s: X-Frame-Options" % what)


def check_reopen(cfg, link, unit):
    """After `deadlinectl reopen` the done link is outdated (410) and
    changes nothing."""
    rows = json.loads(ctl(cfg, "agenda", "--all", "--unit", unit,
                          "--format", "json"))
    occ = [r["id"] for r in rows if r["id"] is not None][0]
    ctl(cfg, "reopen", str(occ), "--note", "chưa đủ hồ sơ")
    check(status_of(cfg, unit) == ["open"], "reopened")
    st, page = http(link)
    check(st == 410 and "không còn hiệu lực" in page and "<form" not in page,
          "GET of a done link after reopen: %d" % st)
    st, page = http(link, b"note=again")
    check(st == 410, "POST of a done link after reopen: %d" % st)
    check(status_of(cfg, unit) == ["open"],
          "the outdated link changed nothing: %s" % status_of(cfg, unit))


def check_locked(cfg, db, link, feed_url):
    """A writer holding the lock past the busy timeout: the POST gets the
    503 page, and feeds are served without waiting for it."""
    con = sqlite3.connect(db, timeout=scaled(10), isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    answer = {}

    def post():
        answer["post"] = http(link, b"note=x")
    t = threading.Thread(target=post)
    t.start()
    times = []
    try:
        while t.is_alive():
            start = time.monotonic()
            st, _ = http(feed_url)
            times.append(time.monotonic() - start)
            check(st == 200, "feed under a held lock: %d" % st)
    finally:
        t.join()
        con.execute("ROLLBACK")
        con.close()
    check(len(times) >= 3 and max(times) < scaled(1.0),
          "feeds served while the POST waited: %d GETs, slowest %.2f s"
          % (len(times), max(times or [0])))
    st, page = answer.get("post", (0, ""))
    check(st == 503 and "Hệ thống đang bận" in page,
          "the POST under the lock gets the busy page: %d" % st)
    check(status_of(cfg, "b") == ["open"], "the refused POST changed nothing")
    st, page = http(link, b"note=x")
    check(st == 200, "the same POST once the lock is gone: %d" % st)
    check(status_of(cfg, "b") == ["done"], "b is done")


def stop(proc):
    rc = served.stop(proc, 10)
    check(rc == 0, "deadlined exits 0 on SIGTERM (got %s)" % rc)


def main():
    if not (DEADLINED and DEADLINECTL and SRCDIR):
        return 77
    tmp = tempfile.mkdtemp(prefix="links_http.")
    try:
        return run(tmp)
    finally:
        shutil.rmtree(tmp)


def run(tmp):
    port = free_port()
    with open(os.path.join(tmp, "units.ini"), "w") as f:
        f.write("[unit a]\nname = Phòng A\nemail = a@example.gov.vn\n"
                "[unit b]\nname = Phòng B\nemail = b@example.gov.vn\n")
    secret = secret_file(os.path.join(tmp, "link.key"),
                         "k3y-for-the-link-test-0123456789abcdef")
    cfg = os.path.join(tmp, "deadlined.ini")
    with open(cfg, "w") as f:
        f.write("[daemon]\nstate_dir = %s/state\nunits_file = %s/units.ini\n"
                "[calendar]\ndays_off_file = %s/config/days-off.ini\n"
                "[database]\nbusy_timeout_ms = %d\n"
                "[report]\nschedule = off\n"
                "[http]\nlisten = 127.0.0.1:%d\nbase_url = http://127.0.0.1:%d\n"
                "link_secret_file = %s\nlink_days = 10\n"
                % (tmp, tmp, SRCDIR, scaled(3000), port, port, secret))
    ctl(cfg, "init")
    ctl(cfg, "task", "add", "Báo cáo quý II", "--due", "2024-07-15",
        "--unit", "a")
    ctl(cfg, "task", "add", "Báo cáo của B", "--due", "2024-07-15",
        "--unit", "b")
    r = subprocess.run([DEADLINED, "-c", cfg, "--once", "--now",
                        "2024-07-15T08:30"], capture_output=True, text=True,
                       timeout=scaled(60))
    check(r.returncode == 0, "one pass: %s" % r.stderr)
    spool = os.path.join(tmp, "state", "spool")
    links = {}
    for name in sorted(os.listdir(spool)):
        with open(os.path.join(spool, name), "rb") as f:
            m = email.message_from_binary_file(f, policy=policy.default)
        body = m.get_body(("plain",)).get_content()
        found = re.findall(r"http://127\.0\.0\.1:%d/done/[A-Za-z0-9_.-]+"
                           % port, body)
        links[m["To"].addresses[0].addr_spec] = found
    check(len(links.get("a@example.gov.vn", [])) == 1,
          "a's digest has one done link: %s" % links)
    check(len(links.get("b@example.gov.vn", [])) == 1,
          "b's digest has one done link")
    link_a = links["a@example.gov.vn"][0]
    link_b = links["b@example.gov.vn"][0]

    proc = served.start(DEADLINED, cfg, "2024-07-15T09:00")
    try:
        wait_port(port, proc)
        h = {}
        st, page = http(link_a, headers=h)
        check(st == 200, "GET shows the page (%d)" % st)
        check_page_headers(h, "GET page")
        check("Báo cáo quý II" in page and "Phòng A" in page
              and "<form" in page, "the page names task, unit, has a form")
        st, _ = http(link_a)
        check(status_of(cfg, "a") == ["open"],
              "GET twice changed nothing: %s" % status_of(cfg, "a"))
        token = link_a.rsplit("/", 1)[1]
        payload, sig = token.split(".", 1)
        forged = link_a[: -len(token)] + payload + "." + (
            "A" if sig[0] != "A" else "B") + sig[1:]
        st, _ = http(forged, urllib.parse.urlencode({"note": "x"}).encode())
        check(st == 403, "a tampered token is refused (%d)" % st)
        check(status_of(cfg, "a") == ["open"], "tampering changed nothing")
        # The form allows 2,000 characters: more are refused, 2,000 of
        # Vietnamese (some 2,700 bytes of UTF-8) are kept whole.
        note = "Đã gửi văn bản số 12" + ", kèm phụ lục số liệu" * 94
        check(len(note) == 1994 and len(note.encode()) > 2600, "note size")
        st, page = http(link_a, urllib.parse.urlencode(
            {"note": note + "1234567"}).encode())
        check(st == 400 and "2000" in page,
              "2,001 characters are refused (%d)" % st)
        check(status_of(cfg, "a") == ["open"], "a refused note changed "
              "nothing")
        note += "123456"
        st, page = http(link_a, urllib.parse.urlencode(
            {"note": note}).encode())
        check(st == 200, "POST completes (%d)" % st)
        check(status_of(cfg, "a") == ["done"], "a's occurrence is done")
        check(status_of(cfg, "b") == ["open"], "b's is untouched")
        h = {}
        st, page = http(link_a, b"note=again", headers=h)
        check(st == 200 and "trước đó" in page,
              "a second POST is harmless (%d)" % st)
        check_page_headers(h, "POST page")
        db = os.path.join(tmp, "state", "deadlined.db")
        log = subprocess.run(["sqlite3", db, "SELECT action, by, note FROM "
                              "occurrence_log"], capture_output=True,
                             text=True).stdout.strip().splitlines()
        check(log == ["done|link:a|" + note],
              "one log row says who and why: %s" % log)
        st, _ = http("http://127.0.0.1:%d/done/" % port)
        check(st == 404, "an empty token is 404 (%d)" % st)
        check_reopen(cfg, link_a, "a")
        feeds = {f["name"]: f["url"] for f in json.loads(
            ctl(cfg, "feed", "list", "--format", "json"))}
        check_locked(cfg, db, link_b, feeds["b"])
    finally:
        stop(proc)
    # Eleven days later the 10-day link has expired.
    ctl(cfg, "reopen", str(json.loads(ctl(cfg, "agenda", "--all", "--unit",
        "b", "--format", "json"))[0]["id"]))
    proc = served.start(DEADLINED, cfg, "2024-07-26T09:00")
    try:
        wait_port(port, proc)
        st, page = http(link_b, b"note=late")
        check(st == 410 and "hết hạn" in page,
              "an expired link is refused (%d)" % st)
        check(status_of(cfg, "b") == ["open"], "expiry changed nothing")
    finally:
        stop(proc)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
