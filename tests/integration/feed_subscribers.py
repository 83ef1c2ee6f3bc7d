#!/usr/bin/python3
"""What calendar subscribers get, read back by python3-icalendar.

- `deadlinectl feed url NAME` prints the feed's address twice, https then
  webcal, and nothing else; --format json and csv give the row of `feed
  list`; `feed list` never cuts an address (compared with its JSON);
  a loopback base_url is warned about on stderr only.
- [feeds] alarm_days: no VALARM by default; with 2, one DISPLAY alarm two
  days before the start of every event still to do, none on an overdue or
  done one.
- Each event's URL is a completion link naming its own occurrence (the
  token's payload read here, not through deadlined's code).
- UIDs end in the install's own domain (base_url's host).  An install whose
  feeds went out before the domain was recorded (tokens, no record: what an
  older deadlined leaves) keeps "@deadlined"; [feeds] uid_domain moves it,
  and the test shows what a subscriber then sees: the same events, every
  UID new (removed and added again), and the choice stays when the key is
  removed.

Dates: --now 2024-07-15 (a Monday).  The one-off task is due Friday
5/7/2024, overdue; the quarterly one due the 30th of the quarter's last
month: 30/9 (Monday) and 30/12 (Monday) to come, 30/6 (Sunday, moved to
Monday 1/7) overdue.  Exits 77 without python3-icalendar.
"""
import base64
import datetime
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import timing  # noqa: E402
from daemon_env import (DEADLINECTL as CTL, DEADLINED as DAEMON,  # noqa: E402
                        SRCDIR as SRC)
from checks import Checks  # noqa: E402

try:
    import icalendar
except ImportError:
    print("python3-icalendar missing")
    sys.exit(77)

NOW = "2024-07-15"
BASE = "https://lich.example.gov.vn/ubnd-huyen/nhac-han-cong-viec"
check = Checks()


class Install:
    """A configuration and database in its own directory."""

    def __init__(self, tmp, name, feeds="", http=""):
        self.dir = os.path.join(tmp, name)
        os.mkdir(self.dir)
        self.conf = os.path.join(self.dir, "deadlined.ini")
        key = os.path.join(self.dir, "link.key")
        with open(key, "w") as f:
            f.write("khoa bi mat cua lien ket hoan thanh\n")
        os.chmod(key, 0o600)
        self.write(feeds, "base_url = %s\n%s" % (BASE, http))

    def write(self, feeds, http):
        with open(self.conf, "w") as f:
            f.write("[daemon]\nstate_dir = %s\nunits_file = %s/config/"
                    "units.ini\n[calendar]\ndays_off_file = %s/config/"
                    "days-off.ini\n[report]\nschedule = off\n[feeds]\n%s"
                    "[http]\nenabled = no\nlink_secret_file = link.key\n%s"
                    % (self.dir, SRC, SRC, feeds, http))

    def run(self, *args, check_rc=True):
        r = subprocess.run([CTL, "-c", self.conf, "--now", NOW] + list(args),
                           capture_output=True, text=True,
                           timeout=timing.scaled(60))
        if check_rc and r.returncode != 0:
            sys.exit("deadlinectl %s: exit %d: %s" % (" ".join(args),
                                                      r.returncode, r.stderr))
        return r

    def ctl(self, *args):
        return self.run(*args).stdout

    def setup(self):
        self.ctl("init")
        self.ctl("task", "add", "Rà soát thủ tục hành chính", "--unit",
                 "phuocan", "--due", "2024-07-05", "--plan", "kh1")
        self.ctl("task", "add", "Báo cáo cải cách hành chính quý",
                 "--unit", "phuocan", "--every", "quarter", "--day", "30",
                 "--plan", "kh1", "--from", "2024-01-01", "--until",
                 "2024-12-31")

    def feeds(self):
        """Writes the feeds as the daemon does; {name: Calendar}."""
        r = subprocess.run([DAEMON, "-c", self.conf, "--once", "--now",
                            NOW + "T08:30"], capture_output=True, text=True,
                           timeout=timing.scaled(120))
        if r.returncode != 0:
            sys.exit("deadlined --once: %s" % r.stderr)
        out = {}
        for name in ("phuocan", "all"):
            with open(os.path.join(self.dir, "feeds", name + ".ics"),
                      "rb") as f:
                out[name] = icalendar.Calendar.from_ical(f.read())
        return out


def events(cal):
    return list(cal.walk("VEVENT"))


def check_url_commands(inst):
    """feed url, feed list: whole addresses, https and webcal forms."""
    listing = json.loads(inst.ctl("feed", "list", "--format", "json"))
    row = [r for r in listing if r["name"] == "phuocan"][0]
    token = row["token"]
    https = "%s/feeds/%s/phuocan.ics" % (BASE, token)
    webcal = "webcal://" + https[len("https://"):]
    r = inst.run("feed", "url", "phuocan")
    check(r.stdout == https + "\n" + webcal + "\n",
          "feed url: %r" % r.stdout)
    check(r.stderr == "", "feed url printed on stderr: %r" % r.stderr)
    check(row["url"] == https and row["webcal"] == webcal and
          row["todo_url"] == "%s/feeds/%s/phuocan-todo.ics" % (BASE, token),
          "feed list json: %r" % row)
    got = json.loads(inst.ctl("feed", "url", "phuocan", "--format", "json"))
    check(got == [row], "feed url --format json: %r" % got)
    csv = inst.ctl("feed", "url", "phuocan", "--format=csv").splitlines()
    check(csv == ["name,token,url,webcal,todo_url",
                  "phuocan,%s,%s,%s,%s" % (token, https, webcal,
                                           row["todo_url"])],
          "feed url --format csv: %r" % csv)
    # The table: every address whole, as long as it is (> 60 columns).
    table = inst.ctl("feed", "list").splitlines()
    check(table[0].split() == ["name", "url"], "table header %r" % table[0])
    rows = dict(line.split() for line in table[1:])
    check(len(https) > 100 and len(rows) == len(listing) and
          all(rows[r["name"]] == r["url"] for r in listing),
          "feed list cut or lost an address: %r" % table[:3])
    check("…" not in "\n".join(table), "feed list has a cut cell")
    r = inst.run("feed", "url", "no-such-unit", check_rc=False)
    check(r.returncode == 1 and "no feed 'no-such-unit'" in r.stderr and
          r.stdout == "", "feed url of no feed: %d %r" % (r.returncode,
                                                          r.stderr))
    r = inst.run("feed", "url", check_rc=False)
    check(r.returncode == 2, "feed url without a name: %d" % r.returncode)
    r = inst.run("feed", "url", "phuocan", "--format", "xml",
                 check_rc=False)
    check(r.returncode == 2, "feed url --format xml: %d" % r.returncode)


def check_loopback(tmp):
    """A loopback base_url: a warning on stderr, the addresses on stdout."""
    inst = Install(tmp, "loopback")
    inst.write("", "base_url = http://127.0.0.1:8087\n")
    inst.ctl("init")
    r = inst.run("feed", "url", "all")
    lines = r.stdout.splitlines()
    check(len(lines) == 2 and lines[0].startswith(
        "http://127.0.0.1:8087/feeds/") and lines[1].startswith(
        "webcal://127.0.0.1:8087/feeds/"), "loopback feed url: %r" % lines)
    check("warning: http.base_url http://127.0.0.1:8087 is this machine's "
          "loopback address" in r.stderr, "no loopback warning: %r" %
          r.stderr)


def link_payload(url):
    """The payload fields of a completion link (not verified here)."""
    token = url.rsplit("/done/", 1)[1]
    payload = token.split(".")[0]
    payload += "=" * (-len(payload) % 4)
    return base64.urlsafe_b64decode(payload).decode().split("|")


def check_alarms_and_urls(tmp):
    """VALARM absent by default, present two days before with 2."""
    inst = Install(tmp, "alarms")
    inst.setup()
    cal = inst.feeds()["phuocan"]
    check(cal.walk("VALARM") == [], "alarms without alarm_days")
    inst.write("alarm_days = 2\n", "base_url = %s\n" % BASE)
    cal = inst.feeds()["phuocan"]
    want = {
        # (DTSTART, RECURRENCE-ID or None): has an alarm
        (datetime.date(2024, 7, 5), None): False,       # overdue
        (datetime.date(2024, 3, 30), None): True,       # the rule
        (datetime.date(2024, 4, 1), datetime.date(2024, 3, 30)): False,
        (datetime.date(2024, 7, 1), datetime.date(2024, 6, 30)): False,
    }
    got = {}
    for ev in events(cal):
        rid = ev.decoded("RECURRENCE-ID") if "RECURRENCE-ID" in ev else None
        alarms = ev.walk("VALARM")
        got[(ev.decoded("DTSTART"), rid)] = len(alarms) == 1
        for a in alarms:
            check(str(a["ACTION"]) == "DISPLAY" and
                  a.decoded("TRIGGER") == datetime.timedelta(days=-2) and
                  str(a["DESCRIPTION"]) == str(ev["SUMMARY"]),
                  "alarm %r" % a.to_ical())
    check(got == want, "alarms: %r" % got)
    # URLs: each names the occurrence of its date, of unit phuocan.
    rows = json.loads(inst.ctl("agenda", "--all", "--unit", "phuocan",
                               "--format", "json"))
    ids = {r["due"]: r["id"] for r in rows}
    for ev in events(cal):
        check("URL" in ev, "an event without a URL")
        if "URL" not in ev:
            continue
        fields = link_payload(str(ev["URL"]))
        day = ev.decoded("DTSTART").isoformat()
        if "RRULE" in ev:
            day = "2024-09-30"      # the rule's: the next one open
        check(str(ev["URL"]).startswith(BASE + "/done/") and
              fields[1] == str(ids.get(day)) and fields[2] == "phuocan" and
              fields[3] == "done", "URL of %s: %r" % (day, fields))


def uids(cal):
    return sorted(str(ev["UID"]) for ev in events(cal))


def dated(cal):
    return sorted((ev.decoded("DTSTART").isoformat(), str(ev["SUMMARY"]))
                  for ev in events(cal))


def check_uid_domain(tmp):
    """A new install's own domain; an old one's kept; the opt-in."""
    new = Install(tmp, "new")
    new.setup()
    cal = new.feeds()["all"]
    check(len(uids(cal)) == 4 and all(
        u.endswith("@lich.example.gov.vn") for u in uids(cal)),
        "new install's UIDs: %r" % uids(cal))

    old = Install(tmp, "old")
    old.setup()
    old.ctl("feed", "list")
    # What an older deadlined left: feed tokens and no recorded domain.
    db = sqlite3.connect(os.path.join(old.dir, "deadlined.db"))
    with db:
        n = db.execute("DELETE FROM meta WHERE key = 'feed_uid_domain'"
                       ).rowcount
    db.close()
    check(n == 1, "the domain was not recorded at the first token")
    before = old.feeds()["all"]
    check(all(u.endswith("@deadlined") for u in uids(before)),
          "old install's UIDs changed: %r" % uids(before))
    old.write("", "base_url = https://nhachan.example.gov.vn\n")
    check(uids(old.feeds()["all"]) == uids(before),
          "a new base_url changed the UIDs")
    # The administrator opts in: what subscribers see.
    old.write("uid_domain = tuyphuoc.example.gov.vn\n",
              "base_url = %s\n" % BASE)
    after = old.feeds()["all"]
    check(dated(after) == dated(before), "opt-in changed the events")
    check(not set(uids(after)) & set(uids(before)) and all(
        u.endswith("@tuyphuoc.example.gov.vn") for u in uids(after)),
        "opt-in: every UID new: %r" % uids(after))
    old.write("", "base_url = %s\n" % BASE)
    check(uids(old.feeds()["all"]) == uids(after),
          "the opted-in domain did not stay")


def main():
    if not CTL or not DAEMON or not SRC:
        print("DEADLINECTL, DEADLINED and SRCDIR are needed")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        inst = Install(tmp, "urls")
        inst.setup()
        check_url_commands(inst)
        check_loopback(tmp)
        check_alarms_and_urls(tmp)
        check_uid_domain(tmp)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
