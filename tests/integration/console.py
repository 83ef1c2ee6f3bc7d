#!/usr/bin/env python3
"""The coordinator's console and a unit's page, end to end on the real
deadlined over 127.0.0.1, time fixed by --now (Monday 15 July 2024).

A plan year of three communes and four tasks due in the second quarter
(work done early, on time, late, and never) plus one due in July.  The
figures expected below are worked out by hand from that table, never read
from the program:

    task  due (Q2 2024)   xa-an           xa-hoa          xa-son
    T1    Mon 15/04       done 10/04 ok   done 20/04 LATE done 15/04 ok
    T2    Wed 15/05       done 15/05 ok   open: overdue   done 10/05 ok
    T3    Fri 14/06       done 20/06 LATE open: overdue   done 13/06 ok
    T4    Fri 28/06       open: overdue   done 28/06 ok   open: overdue
    T5    Wed 31/07       (Q3: not in the quarter, not yet due)

Checked: a console-link signs in once (cookie HttpOnly, SameSite=Strict);
the overview's figures and rates; the overdue page has one row per task
with its late units and working days overdue; an extension moves the
occurrence out of the quarter (the figures change as worked out, the feed
keeps the UID with a higher SEQUENCE); a waiver leaves the denominator; a
unit's token acts on its own occurrences only; POSTs without a CSRF token,
with a forged one, from another Origin, replayed, or without a session are
refused and change nothing; GETs change nothing; every page carries a CSP
without script, frame-ancestors 'none' and Cache-Control: no-store.
Every time bound goes through tests/tools/timing.py."""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from served import free_port  # noqa: E402
from timing import scaled  # noqa: E402

DEADLINED = os.environ.get("DEADLINED")
DEADLINECTL = os.environ.get("DEADLINECTL")
SRCDIR = os.environ.get("SRCDIR")
NOW = "2024-07-15T09:00"
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def ctl(cfg, *args, now="2024-07-15T08:30"):
    r = subprocess.run([DEADLINECTL, "-c", cfg, "--now", now] + list(args),
                       capture_output=True, text=True, timeout=scaled(60))
    if r.returncode != 0:
        raise SystemExit("deadlinectl %s: %s" % (args, r.stderr))
    return r.stdout


class Client:
    """HTTP/1.1 to the daemon; never follows a redirect."""

    def __init__(self, port):
        self.port = port
        self.cookie = None

    def request(self, method, path, form=None, headers=None,
                cookie=True):
        h = dict(headers or {})
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
        if cookie and self.cookie:
            h["Cookie"] = self.cookie
        c = http.client.HTTPConnection("127.0.0.1", self.port,
                                       timeout=scaled(30))
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            text = r.read().decode("utf-8")
            hdrs = {}
            for k, v in r.getheaders():
                hdrs.setdefault(k.lower(), []).append(v)
            return r.status, {k: v[0] for k, v in hdrs.items()}, text
        finally:
            c.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form, **kw):
        return self.request("POST", path, form=form, **kw)


def state(db):
    """What an action may change, to compare before and after."""
    con = sqlite3.connect(db)
    try:
        return (con.execute("SELECT id, status, effective, extended, "
                            "sequence, done_on, snooze_until FROM "
                            "occurrences ORDER BY id").fetchall(),
                con.execute("SELECT count(*) FROM occurrence_log")
                .fetchone()[0],
                con.execute("SELECT count(*) FROM occurrence_moves")
                .fetchone()[0],
                con.execute("SELECT count(*) FROM extension_requests")
                .fetchone()[0],
                con.execute("SELECT count(*) FROM console_sessions WHERE "
                            "revoked_at IS NULL").fetchone()[0])
    finally:
        con.close()


def occ_id(db, unit, ref):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT o.id FROM occurrences o JOIN units u ON "
                           "u.id = o.unit_id JOIN tasks t ON t.id = "
                           "o.task_id WHERE u.code = ? AND t.ref = ?",
                           (unit, ref)).fetchone()[0]
    finally:
        con.close()


def hidden(page, name):
    """The value of the first hidden field `name` of a page."""
    m = re.search(r'<input type="hidden" name="%s" value="([^"]*)"' % name,
                  page)
    return m.group(1) if m else None


def form_of(page, occ, op):
    """The hidden fields of the form of `op` on occurrence `occ`."""
    for m in re.finditer(r"<form [^>]*>(.*?)</form>", page, re.S):
        fields = dict(re.findall(r'<input type="hidden" name="([a-z]+)" '
                                 r'value="([^"]*)"', m.group(1)))
        if fields.get("op") == op and fields.get("occ") == str(occ):
            return {k: v.replace("&amp;", "&") for k, v in fields.items()}
    return None


def overview_rows(page):
    """{unit name: [due, on time, late, overdue, waived, extended,
    not yet due, rate]} and the total under "TOTAL"."""
    rows = {}
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        if len(cells) != 10:
            continue
        name = re.sub(r"<[^>]+>", "", cells[1]).strip()
        nums = [int(c) for c in cells[2:9]]
        rate = re.sub(r"<svg.*?</svg>", "", cells[9], flags=re.S).strip()
        rows["TOTAL" if cells[0] == "" else name] = nums + [rate]
    return rows


def overdue_rows(page):
    """[(task reference, lead, [(unit, days)])] of the overdue page."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    out = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        ref = re.sub(r"<[^>]+>", "", cells[0].split("<br>")[0]).strip()
        units = re.findall(r"([^,]+?) \((\d+)\)", cells[3])
        out.append((ref, cells[1].strip(),
                    [(u.strip(), int(d)) for u, d in units]))
    return out


def check_headers(h, what, private=True):
    csp = h.get("content-security-policy", "")
    check("default-src 'none'" in csp and "frame-ancestors 'none'" in csp
          and "script-src" not in csp and "unsafe-inline" not in csp,
          "%s: CSP without script and framing: %r" % (what, csp))
    check(h.get("x-frame-options") == "DENY", "%s: X-Frame-Options" % what)
    check(h.get("referrer-policy") == "no-referrer",
          "%s: Referrer-Policy" % what)
    if private:
        check(h.get("cache-control") == "no-store",
              "%s: Cache-Control %r" % (what, h.get("cache-control")))


def check_markup(page, what):
    """No script and no inline style: the CSP would block them."""
    check("<script" not in page.lower() and not re.search(
        r"\son[a-z]+=", page) and " style=" not in page and "<style"
        not in page, "%s: no script, no inline style" % what)
    check(not re.search(r'\ssrc="[a-z]*:?//', page),
          "%s: nothing loaded from anywhere else" % what)
    others = [u for u in re.findall(r'href="([a-z]*:?//[^/"]*)', page)
              if not re.match(r"(https?|webcal)://127\.0\.0\.1:\d+$", u)]
    check(not others, "%s: links to other hosts: %s" % (what, others))


def sign_in(cfg, client, db):
    """console-link, GET (nothing used), POST (cookie), POST again."""
    url = ctl(cfg, "console-link", "Lan").strip()
    path = urllib.parse.urlsplit(url).path
    check(path.startswith("/console/login/"), "a login link: %r" % url)
    before = state(db)
    st, h, page = client.get(path)
    check(st == 200 and "Lan" in page, "login page: %d" % st)
    check_headers(h, "login page")
    check(state(db) == before, "GET of the login link changed nothing")
    csrf = hidden(page, "csrf")
    st, h, _ = client.post(path, {})
    check(st == 403 and "set-cookie" not in h,
          "login POST without its token refused: %d" % st)
    st, h, _ = client.post(path, {"csrf": csrf})
    cookie = h.get("set-cookie", "")
    check(st == 303 and h.get("location") == "/console",
          "login POST: %d -> %r" % (st, h.get("location")))
    attrs = [a.strip() for a in cookie.split(";")]
    check("HttpOnly" in attrs and "SameSite=Strict" in attrs and
          "Secure" not in attrs and "Path=/" in attrs and
          "Max-Age=43200" in attrs,
          "session cookie attributes: %r" % cookie)
    client.cookie = attrs[0]
    st, h, _ = client.post(path, {"csrf": csrf}, cookie=False)
    check(st == 410 and "set-cookie" not in h,
          "the login link works once: %d" % st)
    sessions = json.loads(ctl(cfg, "sessions", "--format", "json"))
    check(len(sessions) == 1 and sessions[0].get("user") == "Lan",
          "one session for Lan: %s" % sessions)


def check_overview(client, want, what):
    st, h, page = client.get("/console?period=2024-Q2")
    check(st == 200, "%s: overview %d" % (what, st))
    check_headers(h, what)
    check_markup(page, what)
    rows = overview_rows(page)
    check(rows == want, "%s: overview\n got  %s\n want %s" % (what, rows,
                                                              want))
    check(list(rows) == list(want), "%s: worst first: %s" % (what,
                                                             list(rows)))
    return page


def check_overdue(client, want, what):
    st, h, page = client.get("/console/overdue")
    check(st == 200, "%s: overdue page %d" % (what, st))
    check_headers(h, what + " overdue")
    got = overdue_rows(page)
    check(got == want, "%s: overdue\n got  %s\n want %s" % (what, got,
                                                            want))


def feed_event(cfg, tmp, unit, day):
    """(UID, SEQUENCE) of the unit's feed event on an all-day date."""
    out = os.path.join(tmp, "feed-%s.ics" % unit)
    ctl(cfg, "feed", unit, "-o", out)
    with open(out, encoding="utf-8") as f:
        text = f.read().replace("\r\n ", "")
    for ev in text.split("BEGIN:VEVENT")[1:]:
        if "DTSTART;VALUE=DATE:%s" % day in ev:
            uid = re.search(r"^UID:(.*)$", ev, re.M).group(1).strip()
            seq = re.search(r"^SEQUENCE:(\d+)", ev, re.M)
            return uid, int(seq.group(1)) if seq else 0
    return None, None


def check_refused(client, db, occ, page):
    """CSRF-less, forged, cross-origin, session-less and replayed POSTs."""
    form = form_of(page, occ, "waive")
    check(form is not None, "the occurrence page has a waive form")
    if form is None:
        return
    form["reason"] = "thử"
    before = state(db)
    bad = dict(form)
    del bad["csrf"]
    st, _, _ = client.post("/console/action", bad)
    check(st == 403, "POST without a CSRF token: %d" % st)
    bad = dict(form)
    bad["csrf"] = ("A" if form["csrf"][0] != "A" else "B") + form["csrf"][1:]
    st, _, _ = client.post("/console/action", bad)
    check(st == 403, "POST with a forged CSRF token: %d" % st)
    st, _, _ = client.post("/console/action", form,
                           headers={"Origin": "http://evil.invalid"})
    check(st == 403, "POST from another Origin: %d" % st)
    st, _, _ = client.post("/console/action", form, cookie=False)
    check(st in (401, 403), "POST without a session: %d" % st)
    st, _, _ = client.post("/console/action", form,
                           headers={"Cookie": client.cookie[:-2] + "xx"},
                           cookie=False)
    check(st in (401, 403), "POST with a forged session: %d" % st)
    st, _, _ = client.get("/console/action?" + urllib.parse.urlencode(form))
    check(st in (404, 405), "GET of the action URL: %d" % st)
    check(state(db) == before, "refused requests changed nothing")


def make_year(tmp):
    """The plan year of the table above in tmp: (config, database, port).
    Also used by console_browser.py."""
    port = free_port()
    with open(os.path.join(tmp, "units.ini"), "w") as f:
        f.write("[unit noivu]\nname = Phòng Nội vụ\n"
                "email = noivu@example.gov.vn\n"
                "[unit xa-an]\nname = Xã Phước An\n"
                "email = an@example.gov.vn\n"
                "[unit xa-hoa]\nname = Xã Phước Hòa\n"
                "email = hoa@example.gov.vn\n"
                "[unit xa-son]\nname = Xã Phước Sơn\n"
                "email = son@example.gov.vn\n")
    secret = os.path.join(tmp, "link.key")
    with open(secret, "w") as f:
        f.write("k3y-for-the-console-test-0123456789abcdef\n")
    os.chmod(secret, 0o600)
    cfg = os.path.join(tmp, "deadlined.ini")
    with open(cfg, "w") as f:
        f.write("[daemon]\nstate_dir = %s/state\nunits_file = %s/units.ini\n"
                "[calendar]\ndays_off_file = %s/config/days-off.ini\n"
                "[plan]\ncoordinator = noivu\n"
                "[report]\nschedule = off\n"
                "[http]\nlisten = 127.0.0.1:%d\nbase_url = http://127.0.0.1:%d\n"
                "link_secret_file = %s\n"
                "[console]\nsession_hours = 12\n"
                % (tmp, tmp, SRCDIR, port, port, secret))
    ctl(cfg, "init")
    units = ["--unit", "xa-an", "--unit", "xa-hoa", "--unit", "xa-son"]
    for ref, due, title in (("1", "2024-04-15", "Báo cáo quý I"),
                            ("2", "2024-05-15", "Rà soát thủ tục"),
                            ("3", "2024-06-14", "Kiểm tra nội bộ"),
                            ("4", "2024-06-28", "Báo cáo 6 tháng"),
                            ("5", "2024-07-31", "Báo cáo tháng 7")):
        ctl(cfg, "task", "add", title, "--due", due, "--plan", "cchc",
            "--ref", ref, *units)
    db = os.path.join(tmp, "state", "deadlined.db")
    for unit, ref, day in (("xa-an", "1", "2024-04-10"),
                           ("xa-an", "2", "2024-05-15"),
                           ("xa-an", "3", "2024-06-20"),
                           ("xa-hoa", "1", "2024-04-20"),
                           ("xa-hoa", "4", "2024-06-28"),
                           ("xa-son", "1", "2024-04-15"),
                           ("xa-son", "2", "2024-05-10"),
                           ("xa-son", "3", "2024-06-13")):
        ctl(cfg, "done", str(occ_id(db, unit, ref)), "--date", day)
    return cfg, db, port


def run(tmp):
    cfg, db, port = make_year(tmp)
    proc = subprocess.Popen([DEADLINED, "-c", cfg, "--now", NOW],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        wait_port(port, proc)
        scenario(cfg, tmp, db, port)
    finally:
        stop(proc)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def scenario(cfg, tmp, db, port):
    client = Client(port)
    st, h, _ = client.get("/console")
    check(st in (401, 403) and "set-cookie" not in h,
          "no session, no console: %d" % st)
    sign_in(cfg, client, db)

    # Rate = on time / (on time + late + overdue), to a tenth of a percent;
    # the worst rate first, the total last.
    an, hoa, son = "Xã Phước An", "Xã Phước Hòa", "Xã Phước Sơn"
    check_overview(client, {
        hoa: [4, 1, 1, 2, 0, 0, 0, "25,0%"],
        an: [4, 2, 1, 1, 0, 0, 0, "50,0%"],
        son: [4, 3, 0, 1, 0, 0, 0, "75,0%"],
        "TOTAL": [12, 6, 2, 4, 0, 0, 0, "50,0%"]}, "start")
    # Working days in (due, 15/07]: T2 43, T3 21, T4 11 (no holidays).
    # Tasks with the most late units first, then the oldest.
    check_overdue(client, [
        ("cchc 4", "Xã Phước An", [(an, 11), (son, 11)]),
        ("cchc 2", "Xã Phước An", [(hoa, 43)]),
        ("cchc 3", "Xã Phước An", [(hoa, 21)])], "start")

    # GETs of every page change nothing.
    before = state(db)
    an4, hoa2, hoa3 = (occ_id(db, "xa-an", "4"), occ_id(db, "xa-hoa", "2"),
                       occ_id(db, "xa-hoa", "3"))
    task4 = sqlite3.connect(db).execute("SELECT task_id FROM occurrences "
                                        "WHERE id = ?", (an4,)).fetchone()[0]
    for path in ("/console", "/console/overdue", "/console/month?month="
                 "2024-06", "/console/requests", "/console/task/%d" % task4,
                 "/console/occurrence/%d" % an4, "/console/unit/xa-an",
                 "/console/logout"):
        st, h, page = client.get(path)
        check(st in (200, 404, 405), "GET %s: %d" % (path, st))
        check_headers(h, "GET " + path)
        check_markup(page, "GET " + path)
    check(state(db) == before, "GETs changed nothing")
    uid, seq = feed_event(cfg, tmp, "xa-an", "20240628")
    check(uid is not None, "xa-an's feed has T4 on 28/06")

    # Extend T4 of xa-an to 31/07: out of Q2, into Q3 as extended.
    st, _, page = client.get("/console/occurrence/%d" % an4)
    form = form_of(page, an4, "extend")
    check(form is not None, "the occurrence page has an extend form")
    form.update({"date": "2024-07-31", "reason": "Chờ số liệu của tỉnh"})
    st, h, _ = client.post("/console/action", form)
    check(st == 303 and "ok=extend" in h.get("location", ""),
          "extend: %d %r" % (st, h.get("location")))
    st, _, _ = client.post("/console/action", form)
    check(st == 409, "the same extend form replayed is refused: %d" % st)
    check_overview(client, {
        hoa: [4, 1, 1, 2, 0, 0, 0, "25,0%"],
        an: [3, 2, 1, 0, 0, 0, 0, "66,7%"],
        son: [4, 3, 0, 1, 0, 0, 0, "75,0%"],
        "TOTAL": [11, 6, 2, 3, 0, 0, 0, "54,5%"]}, "extended")
    st, _, page = client.get("/console?period=2024-Q3")
    q3 = overview_rows(page)
    check(q3.get(an) == [2, 0, 0, 0, 0, 1, 2, "-"] and
          q3.get("TOTAL") == [4, 0, 0, 0, 0, 1, 4, "-"],
          "Q3 counts the extension against 31/07: %s" % q3)
    uid2, seq2 = feed_event(cfg, tmp, "xa-an", "20240731")
    check(uid2 == uid and seq2 is not None and seq2 > seq,
          "feed: same UID %r/%r, SEQUENCE %s -> %s" % (uid, uid2, seq, seq2))
    moves = sqlite3.connect(db).execute(
        "SELECT old_due, new_due, reason, by FROM occurrence_moves").fetchall()
    check(moves == [("2024-06-28", "2024-07-31", "Chờ số liệu của tỉnh",
                     "console:Lan")], "the move is recorded: %s" % moves)

    # Waive T2 of xa-hoa: out of the denominator.
    st, _, page = client.get("/console/occurrence/%d" % hoa2)
    check_refused(client, db, hoa2, page)
    form = form_of(page, hoa2, "waive")
    form["reason"] = "Xã không có thủ tục này"
    st, h, _ = client.post("/console/action", form)
    check(st == 303, "waive: %d" % st)
    check_overview(client, {
        hoa: [4, 1, 1, 1, 1, 0, 0, "33,3%"],
        an: [3, 2, 1, 0, 0, 0, 0, "66,7%"],
        son: [4, 3, 0, 1, 0, 0, 0, "75,0%"],
        "TOTAL": [11, 6, 2, 2, 1, 0, 0, "60,0%"]}, "waived")
    check_overdue(client, [
        ("cchc 3", "Xã Phước An", [(hoa, 21)]),
        ("cchc 4", "Xã Phước An", [(son, 11)])], "waived")

    check_unit_page(cfg, client, db, hoa3)
    st, h, _ = client.post("/console/logout", {"csrf": hidden(
        client.get("/console")[2], "csrf")})
    check(st == 200 and "Max-Age=0" in h.get("set-cookie", ""),
          "sign-out: %d" % st)
    st, _, _ = client.get("/console")
    check(st in (401, 403), "the session is over: %d" % st)


def check_unit_page(cfg, client, db, other):
    """xa-an's token: its page, its own work; never xa-hoa's."""
    url = ctl(cfg, "unit-link", "xa-an").strip()
    path = urllib.parse.urlsplit(url).path
    anon = Client(client.port)
    st, h, page = anon.get(path)
    check(st == 200 and "Xã Phước An" in page and "Xã Phước Hòa" not in page,
          "xa-an's page: %d" % st)
    check_headers(h, "unit page")
    check_markup(page, "unit page")
    check("webcal://" in page and "<svg" in page,
          "the unit page shows its feed (webcal) and a QR code")
    an5 = occ_id(db, "xa-an", "5")
    form = form_of(page, an5, "done")
    check(form is not None, "the unit page has a Done form for T5")
    if form is None:
        return
    before = state(db)
    theirs = dict(form, occ=str(other))
    st, _, _ = anon.post(path, theirs)
    check(st == 403, "xa-an's token on xa-hoa's occurrence: %d" % st)
    st, _, _ = anon.post(path, dict(form, csrf="x" + form["csrf"][1:]))
    check(st == 403, "unit page POST with a forged CSRF token: %d" % st)
    st, _, _ = anon.get("/console", headers={"Cookie": "x=" + path})
    check(st in (401, 403), "a unit token does not open the console")
    check(state(db) == before, "the unit's refused POSTs changed nothing")
    st, h, _ = anon.post(path, form)
    check(st == 303, "xa-an marks T5 done: %d" % st)
    row = sqlite3.connect(db).execute(
        "SELECT o.status, l.by FROM occurrences o JOIN occurrence_log l ON "
        "l.occurrence_id = o.id WHERE o.id = ? ORDER BY l.id DESC LIMIT 1",
        (an5,)).fetchone()
    check(row == ("done", "unit:xa-an"), "T5 done by unit:xa-an: %s" % (row,))
    st, _, _ = anon.post(path, form)
    check(st == 409, "the Done form replayed: %d" % st)
    # A link given on 1 May with link_days 30 ended on 31 May.
    old = urllib.parse.urlsplit(ctl(cfg, "unit-link", "xa-an",
                                    now="2024-05-01T08:00").strip()).path
    st, _, page = anon.get(old)
    check(st == 410 and "<form" not in page, "an expired unit link: %d" % st)


def wait_port(port, proc):
    end = time.monotonic() + scaled(10)
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("deadlined exited: %s" % proc.stderr.read())
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("deadlined did not listen on %d" % port)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(scaled(10))
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = -1
    err = proc.stderr.read()
    check(rc == 0, "deadlined exits cleanly: %s %s" % (rc, err[-500:]))


def main():
    if not (DEADLINED and DEADLINECTL and SRCDIR):
        return 77
    tmp = tempfile.mkdtemp(prefix="console.")
    try:
        return run(tmp)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
