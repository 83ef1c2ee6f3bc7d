#!/usr/bin/python3
"""[reminders] default_lang: the language of the units that name none.

Unit a names no language, unit b has lang = vi.  With default_lang = en,
a's digest of Monday 15/07/2024 (one task due that day) is in English and
b's in Vietnamese, the directory stores a as en, and a's page (served by
the real deadlined on 127.0.0.1) is an English page, b's a Vietnamese one.
Without the key (default vi) the next pass stores a as vi again.  Subjects
worked out by hand from message.c's words.  Time is --now; bounds go
through tests/tools/timing.py (DEADLINED_TEST_SLOW).
"""
import email
import email.policy
import glob
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
from checks import Checks  # noqa: E402
from daemon_env import DEADLINED  # noqa: E402
from ctl import Ctl, deadlinectl, source_dir  # noqa: E402
import served  # noqa: E402
from timing import scaled  # noqa: E402


UNITS = """\
[unit a]
name = Phòng A
email = a@example.gov.vn

[unit b]
name = Phòng B
email = b@example.gov.vn
lang = vi
"""

SUBJECT = {
    ("a", "en"): "[deadlined] Deadline reminder for Monday, 15/07/2024: "
                 "1 due today",
    ("b", "vi"): "[deadlined] Nhắc hạn công việc ngày Thứ Hai, "
                 "15/07/2024: 1 đến hạn hôm nay",
}

check = Checks()


def write_config(tmp, port, secret, lang_line):
    cfg = os.path.join(tmp, "deadlined.ini")
    with open(cfg, "w") as f:
        f.write("[daemon]\nstate_dir = %s/state\nunits_file = %s/units.ini\n"
                "[calendar]\ndays_off_file = %s/config/days-off.ini\n"
                "[reminders]\nlead_days = 7 3 1 0\nsend_time = 08:00\n"
                "channel = spool\n%s"
                "[report]\nschedule = off\n"
                "[http]\nlisten = 127.0.0.1:%d\n"
                "base_url = http://127.0.0.1:%d\nlink_secret_file = %s\n"
                % (tmp, tmp, source_dir(), lang_line, port, port, secret))
    return cfg


def run_pass(cfg, now):
    r = subprocess.run([DEADLINED, "-c", cfg, "--once", "--now", now],
                       capture_output=True, text=True, timeout=scaled(60))
    check(r.returncode == 0, "deadlined --once %s: %s" % (now, r.stderr))


def subject(spool, unit, day):
    names = glob.glob(os.path.join(spool, "digest_%s_%s_*.eml" % (unit, day)))
    if len(names) != 1:
        return "%d digests" % len(names)
    with open(names[0], "rb") as f:
        return email.message_from_binary_file(
            f, policy=email.policy.default)["Subject"]


def langs(db):
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT code, lang FROM units WHERE "
                                "is_group = 0"))
    finally:
        con.close()


def page_lang(ctl, port, unit):
    """The lang attribute of a unit's page, fetched from its link."""
    path = urllib.parse.urlsplit(ctl.ok("unit-link", unit).strip()).path
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path),
                                timeout=scaled(10)) as r:
        page = r.read().decode()
    start = page.find('<html lang="')
    return page[start + 12:page.find('"', start + 12)] if start >= 0 else None


def main():
    exe = deadlinectl()
    if not exe or not DEADLINED:
        return 77
    tmp = tempfile.mkdtemp(prefix="default-lang-")
    try:
        with open(os.path.join(tmp, "units.ini"), "w") as f:
            f.write(UNITS)
        port = served.free_port()
        secret = served.secret_file(os.path.join(tmp, "link.key"),
                                    "k3y-for-the-lang-test-0123456789abcdef")
        cfg = write_config(tmp, port, secret, "default_lang = en\n")
        ctl = Ctl(exe, cfg, "2024-07-01T09:00", timeout=60)
        ctl.ok("init")
        for ref, unit in (("T1", "a"), ("T2", "b")):
            ctl.ok("task", "add", "Báo cáo " + ref, "--due", "2024-07-15",
                   "--unit", unit, "--ref", ref)
        run_pass(cfg, "2024-07-15T08:30")
        spool = os.path.join(tmp, "state", "spool")
        for unit, lang in SUBJECT:
            got = subject(spool, unit, "2024-07-15")
            check(got == SUBJECT[(unit, lang)],
                  "%s's digest in %s: %r" % (unit, lang, got))
        db = os.path.join(tmp, "state", "deadlined.db")
        check(langs(db) == {"a": "en", "b": "vi"},
              "stored languages: %r" % langs(db))

        proc = served.start(DEADLINED, cfg, "2024-07-15T09:00")
        try:
            served.wait_port(port, proc)
            check(page_lang(ctl, port, "a") == "en", "a's page in English")
            check(page_lang(ctl, port, "b") == "vi", "b's page in Vietnamese")
        finally:
            rc = served.stop(proc)
        check(rc == 0, "deadlined exits 0 on SIGTERM (got %s)" % rc)

        write_config(tmp, port, secret, "")
        run_pass(cfg, "2024-07-16T08:30")
        check(langs(db) == {"a": "vi", "b": "vi"},
              "without default_lang a is vi again: %r" % langs(db))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
