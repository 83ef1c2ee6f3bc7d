#!/usr/bin/python3
"""After one write, the daemon renders only the feeds that show its unit.

The example directory (config/units.ini) and the seed plan, --now 15/7/2024.
A unit that belongs to a group has one occurrence marked done; then:

- `deadlined --once` (no HTTP server) renders again the feeds of that unit,
  of its groups and "all" (each .ics and -todo.ics) and keeps every other
  file unread (its debug line says how many), and stores where it stopped
  in the change log (meta feeds_state);
- the folder it leaves is byte for byte what the full pass of before leaves
  from a copy of the same database and folder (a copy under another feeds
  folder: another signature, so every feed rendered and compared);
- against a full rendering into a new folder at the same time, the files
  rewritten are byte-identical and the files kept differ in their DTSTAMP
  lines only (the time a file was written: kept files keep theirs, as a
  full pass over the folder also does);
- python3-icalendar reads every file, kept and rewritten (exit 77 without
  it), and the done occurrence shows as done in the unit's feed;
- a second pass with nothing changed renders nothing and touches no file;
- a setting changed (refresh_minutes) renders every feed again.

Then the serving daemon on loopback: after a first pass, another unit's
occurrence is marked done; once its feed's ETag changes, every feed is
fetched again: the bytes are the file's, the kept feeds keep their ETag
(If-None-Match gives 304) and Last-Modified, the rewritten ones have the
new file's, and they are exactly that unit's, its groups' and all's.
"""
import email.utils
import filecmp
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import served  # noqa: E402
import timing  # noqa: E402
from checks import Checks  # noqa: E402
from daemon_env import (DEADLINECTL as CTL, DEADLINED as DAEMON,  # noqa: E402
                        SRCDIR as SRC)

try:
    import icalendar
except ImportError:
    print("python3-icalendar missing")
    sys.exit(77)

DAY = "2024-07-15"
check = Checks()
RENDERED = re.compile(r"feeds: (\d+) files rendered, (\d+) kept unread "
                      r"\(([a-z ]+)\)")


def run(args, what):
    r = subprocess.run(args, capture_output=True, text=True,
                       timeout=timing.scaled(120))
    if r.returncode != 0:
        sys.exit("%s: exit %d: %s" % (what, r.returncode, r.stderr))
    return r


class Install:
    """A configuration, its state folder and its feeds folder."""

    def __init__(self, tmp, name, http="enabled = no\n", feeds=""):
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir, exist_ok=True)
        self.conf = os.path.join(self.dir, "deadlined.ini")
        self.db = os.path.join(self.dir, "deadlined.db")
        self.feeds = os.path.join(self.dir, "feeds")
        self.http = http
        self.write(feeds)

    def write(self, feeds=""):
        with open(self.conf, "w") as f:
            f.write("[daemon]\nverbose = 1\nstate_dir = %s\nunits_file = %s/config/"
                    "units.ini\n[calendar]\ndays_off_file = %s/config/"
                    "days-off.ini\n[report]\nschedule = off\n[feeds]\n%s"
                    "[http]\nbase_url = https://lich.example.gov.vn/\n"
                    "link_secret_file = %s/../link.key\n%s"
                    % (self.dir, SRC, SRC, feeds, self.dir, self.http))

    def ctl(self, *args, now=DAY + "T09:00"):
        return run([CTL, "-c", self.conf, "--now", now] + list(args),
                   "deadlinectl %s" % " ".join(args)).stdout

    def once(self, now):
        """One pass; (rendered, kept, why) from its debug line."""
        r = run([DAEMON, "-c", self.conf, "--once", "--now", now],
                "deadlined --once")
        m = RENDERED.search(r.stderr)
        check(m is not None, "no feeds line in: %s" % r.stderr[-2000:])
        return (int(m.group(1)), int(m.group(2)), m.group(3)) if m else None

    def files(self):
        return {n[:-4]: os.path.join(self.feeds, n)
                for n in sorted(os.listdir(self.feeds)) if n.endswith(".ics")}

    def copy_to(self, other):
        """The database (a consistent copy) and the feeds folder."""
        src = sqlite3.connect(self.db)
        dst = sqlite3.connect(other.db)
        src.backup(dst)
        dst.close()
        src.close()
        shutil.copytree(self.feeds, other.feeds)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def dtstamp(data):
    return re.search(rb"\r\nDTSTAMP:([0-9TZ]+)\r\n", data).group(1)


def without_dtstamp(data):
    return re.sub(rb"\r\nDTSTAMP:[0-9TZ]+(?=\r\n)", b"", data)


def open_occurrence(db, skip=()):
    """An open occurrence (id, unit code) of a unit in a group."""
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT o.id, u.code FROM occurrences o JOIN units u ON u.id = "
        "o.unit_id JOIN tasks t ON t.id = o.task_id WHERE o.status = 'open' "
        "AND t.status = 'active' AND o.effective > ? AND EXISTS (SELECT 1 "
        "FROM group_members m JOIN units g ON g.id = m.group_id WHERE "
        "m.unit_id = u.id AND g.retired_at IS NULL) ORDER BY o.id",
        (DAY,)).fetchall()
    con.close()
    for occ, unit in rows:
        if unit not in skip:
            return occ, unit
    sys.exit("no open occurrence of a group's member")


def feeds_of(db, unit):
    """The files that show unit: its own, its groups', all; with -todo."""
    con = sqlite3.connect(db)
    groups = [r[0] for r in con.execute(
        "SELECT g.code FROM group_members m JOIN units g ON g.id = "
        "m.group_id JOIN units u ON u.id = m.unit_id WHERE u.code = ? AND "
        "g.retired_at IS NULL", (unit,))]
    con.close()
    names = ["all", unit] + groups
    return set(names) | {n + "-todo" for n in names}, groups


def once_passes(tmp):
    a = Install(tmp, "a")
    a.ctl("init")
    a.ctl("import", os.path.join(SRC, "tests/fixtures/seed-tuyphuoc-2024.txt"),
          "--plan", "kh-cchc")
    first = a.once(DAY + "T08:30")
    check(first is not None and first[1] == 0 and first[2] == "every feed",
          "the first pass renders every feed: %s" % (first,))
    before = {n: read(p) for n, p in a.files().items()}
    check(len(before) > 20, "feeds written: %d" % len(before))

    occ, unit = open_occurrence(a.db)
    expect, groups = feeds_of(a.db, unit)
    check(len(groups) >= 1, "%s is in a group" % unit)
    a.ctl("done", str(occ), "--by", "test")
    # b: the same database and folder, under another feeds folder.
    b = Install(tmp, "b")
    a.copy_to(b)
    # c: the same database, a new folder.
    c = Install(tmp, "c")
    a.copy_to(c)
    shutil.rmtree(c.feeds)

    got = a.once(DAY + "T09:30")
    check(got == (len(expect), len(before) - len(expect), "changed units"),
          "after %s's write: %s rendered, expected %d: %s"
          % (unit, got, len(expect), sorted(expect)))
    after = {n: read(p) for n, p in a.files().items()}
    check(sorted(after) == sorted(before), "the same files")
    rewritten = {n for n in after if after[n] != before[n]}
    check(rewritten == expect, "rewritten %s, expected %s"
          % (sorted(rewritten), sorted(expect)))
    con = sqlite3.connect(a.db)
    state = con.execute("SELECT value FROM meta WHERE key = "
                        "'feeds_state'").fetchone()
    top = con.execute("SELECT seq FROM sqlite_sequence WHERE name = "
                      "'changes'").fetchone()
    con.close()
    check(state is not None and re.fullmatch(r"[0-9a-f]{64} %d" % top[0],
                                             state[0]) is not None,
          "feeds_state is the signature and the last change: %s (%s)"
          % (state, top))

    full = b.once(DAY + "T09:30")
    check(full is not None and full[1] == 0 and full[2] == "every feed",
          "the copy under another folder renders every feed: %s" % (full,))
    bf = b.files()
    check(sorted(bf) == sorted(after), "the full pass's files")
    for n in after:
        check(n in bf and filecmp.cmp(a.files()[n], bf[n], shallow=False),
              "%s: incremental and full pass differ" % n)

    fresh = c.once(DAY + "T09:30")
    check(fresh is not None and fresh[2] == "every feed", "fresh: %s"
          % (fresh,))
    cf = c.files()
    check(sorted(cf) == sorted(after), "the new folder's files")
    for n in after:
        new = read(cf[n])
        if n in expect:
            check(after[n] == new, "%s: rewritten, differs from a new "
                  "folder's" % n)
        else:
            check(after[n] != new and without_dtstamp(after[n]) ==
                  without_dtstamp(new), "%s: kept, differs from a new "
                  "folder's beyond DTSTAMP" % n)
            check(dtstamp(after[n]) == dtstamp(before[n]), "%s: kept its "
                  "DTSTAMP" % n)

    # python3-icalendar reads every file, kept or rewritten.
    for n, data in after.items():
        try:
            cal = icalendar.Calendar.from_ical(data)
            ok = cal.name == "VCALENDAR"
        except ValueError as e:
            ok = False
            print(n, e)
        check(ok, "%s: python3-icalendar cannot read it" % n)
    cal = icalendar.Calendar.from_ical(after[unit + "-todo"])
    done = [t for t in cal.walk("VTODO")
            if str(t.get("STATUS")) == "COMPLETED"]
    check(len(done) >= 1, "%s-todo shows a completed item" % unit)

    mtimes = {n: os.stat(p).st_mtime_ns for n, p in a.files().items()}
    again = a.once(DAY + "T10:00")
    check(again == (0, len(after), "changed units"),
          "nothing changed: nothing rendered: %s" % (again,))
    check(mtimes == {n: os.stat(p).st_mtime_ns
                     for n, p in a.files().items()}, "no file touched")
    a.write("refresh_minutes = 120\n")
    setting = a.once(DAY + "T10:30")
    check(setting is not None and setting[:2] == (len(after), 0),
          "a setting changed: every feed rendered: %s" % (setting,))
    check(all(read(p) != after[n] for n, p in a.files().items()),
          "every file rewritten for the new REFRESH-INTERVAL")


def fetch(url, etag=None):
    """(status, body, headers) of a GET, with If-None-Match if etag."""
    req = urllib.request.Request(url)
    if etag is not None:
        req.add_header("If-None-Match", etag)
    try:
        with urllib.request.urlopen(req, timeout=timing.scaled(30)) as r:
            return r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers


def last_modified(path):
    return email.utils.formatdate(os.stat(path).st_mtime, usegmt=True)


def serving(tmp):
    port = served.free_port()
    s = Install(tmp, "s", http="listen = 127.0.0.1:%d\n" % port)
    s.ctl("init")
    s.ctl("import", os.path.join(SRC, "tests/fixtures/seed-tuyphuoc-2024.txt"),
          "--plan", "kh-cchc")
    log = open(os.path.join(tmp, "serving.log"), "w+")
    proc = subprocess.Popen([DAEMON, "-c", s.conf, "--now",
                             DAY + "T10:00"], stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        served.wait_port(port, proc)
        urls = {f["name"]: f["url"].replace("https://lich.example.gov.vn/",
                                            "http://127.0.0.1:%d/" % port)
                for f in json.loads(s.ctl("feed", "list", "--format",
                                          "json"))}
        files = s.files
        # The first pass is over once it says so.
        end = time.monotonic() + timing.scaled(60)
        while time.monotonic() < end:
            with open(log.name) as f:
                if len(RENDERED.findall(f.read())) >= 1:
                    break
            time.sleep(0.1)
        paths = files()
        names = sorted(paths)
        check(len(names) > 20, "the service wrote the feeds")
        urls.update({n + "-todo": urls[n] + "&kind=todo"
                     if "?" in urls[n] else urls[n] + "?kind=todo"
                     for n in list(urls)})
        first = {}
        for n in names:
            st, body, h = fetch(urls[n])
            check(st == 200 and body == read(paths[n]), "%s: served as its "
                  "file (%d)" % (n, st))
            first[n] = (h["ETag"], h["Last-Modified"], body)
        occ, unit = open_occurrence(s.db, skip=("noivu",))
        expect, _ = feeds_of(s.db, unit)
        with open(log.name) as f:
            seen = len(RENDERED.findall(f.read()))
        s.ctl("done", str(occ), "--by", "test", now=DAY + "T10:00")
        # The pass after it has served its feeds once it says so (the
        # table is swapped entry by entry: one new ETag is not enough).
        end = time.monotonic() + timing.scaled(60)
        while time.monotonic() < end:
            with open(log.name) as f:
                if any(int(r[0]) > 0 for r in
                       RENDERED.findall(f.read())[seen:]):
                    break
            time.sleep(0.1)
        changed = set()
        for n in names:
            st, body, h = fetch(urls[n])
            check(st == 200 and body == read(paths[n]), "%s: served as its "
                  "file after the write (%d)" % (n, st))
            check(h["Last-Modified"] == last_modified(paths[n]),
                  "%s: Last-Modified %s, file %s" % (n, h["Last-Modified"],
                                                     last_modified(paths[n])))
            if body != first[n][2]:
                changed.add(n)
                check(h["ETag"] != first[n][0], "%s: a new ETag" % n)
            else:
                check(h["ETag"] == first[n][0] and
                      h["Last-Modified"] == first[n][1],
                      "%s: kept, its validators too" % n)
                st, _, _ = fetch(urls[n], etag=first[n][0])
                check(st == 304, "%s: kept, If-None-Match gives %d" % (n, st))
        check(changed == expect, "served anew: %s, expected %s"
              % (sorted(changed), sorted(expect)))
    finally:
        rc = served.stop(proc)
        log.seek(0)
        text = log.read()
        if rc != 0:
            print("the service's log:\n" + text[-4000:])
    check(rc == 0, "the service stopped cleanly: %d" % rc)
    lines = RENDERED.findall(text)
    check(len(lines) >= 2 and lines[0][2] == "every feed" and
          ("%d" % len(expect), "%d" % (len(names) - len(expect)),
           "changed units") in lines,
          "the service's passes: %s" % lines)
    log.close()


def main():
    if not CTL or not DAEMON or not SRC:
        return 77
    tmp = tempfile.mkdtemp(prefix="feed_incremental.")
    try:
        with open(os.path.join(tmp, "link.key"), "w") as f:
            f.write("the link key of the incremental feed test\n")
        os.chmod(os.path.join(tmp, "link.key"), 0o600)
        once_passes(tmp)
        serving(tmp)
    finally:
        shutil.rmtree(tmp)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
