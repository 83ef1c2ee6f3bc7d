#!/usr/bin/python3
"""The feeds against the agenda, read by three independent parsers.

Staff read the feeds in Thunderbird, Google Calendar, Outlook and phones,
whose parsers expand rules in their own ways.  For every test plan (the
seed, the CSV sample, the provincial CSV of tests/fixtures/dongnai-2026),
every unit feed, every group feed and "all", as `deadlined --once` writes
them for the clients, is expanded by

  - python3-icalendar with python3-recurring-ical-events,
  - libical (tests/tools/ics_expand.c: libical's parser and iterator only),
  - ical.js, the parser of Thunderbird (tests/tools/icaljs_expand.mjs, run
    by node; ical.js is installed from the npm registry into the build tree
    on first use, through npm's cache),

each of which must give exactly the multiset of (date, title) of the
agenda's dated rows (effective dates; a group's agenda is the sum of its
members', read from units.ini independently), done and overdue marks
removed.  The VTODO variant gives the same multiset (python).  In the seed,
two occurrences are marked done (one past, one ahead) and two quarterly
tasks get monthly rules in July, "the last day" and "day 30 or the last",
which leave occurrences of the old rule behind: done and moved instances,
changed rules and a rule no client form can say (a monthly day 30) are
all met.  Exits 77 when a parser is missing (ical.js cannot be installed).
"""
import collections
import datetime
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import timing  # noqa: E402
from daemon_env import (DEADLINECTL as CTL, DEADLINED as DAEMON,  # noqa: E402
                        SRCDIR as SRC)

try:
    import icalendar
    import recurring_ical_events
except ImportError:
    print("python3-icalendar or python3-recurring-ical-events missing")
    sys.exit(77)

BUILD = os.environ.get("BUILDDIR")
MARKS = ("[Đã xong] ", "[Quá hạn] ")
ICALJS_VERSION = "2.2.1"

# name, plan, unit directory, --now, year of its deadlines, changes
PLANS = [
    ("seed", "tests/fixtures/seed-tuyphuoc-2024.txt", "config/units.ini",
     "2024-07-15", 2024, True),
    ("csv", "tests/fixtures/plan-sample.csv", "config/units.ini",
     "2024-07-15", 2024, False),
    ("dongnai", "tests/fixtures/dongnai-2026/plan.csv",
     "tests/fixtures/dongnai-2026/units.ini", "2026-05-15", 2026, False),
]


def run(cmd, what):
    """Runs a command; its stdout, or the test fails with its stderr."""
    r = subprocess.run(cmd, capture_output=True, text=True,
                       timeout=timing.scaled(120))
    if r.returncode != 0:
        sys.exit("%s failed (%d): %s" % (what, r.returncode, r.stderr))
    return r.stdout


def icaljs_module():
    """ical.js's module file, installed into the build tree if need be."""
    if os.environ.get("DEADLINED_ICALJS"):
        return os.environ["DEADLINED_ICALJS"]
    prefix = os.path.join(BUILD or tempfile.gettempdir(), "icaljs")
    module = os.path.join(prefix, "node_modules", "ical.js", "dist",
                          "ical.js")
    if os.path.exists(module):
        return module
    try:
        r = subprocess.run(["npm", "install", "--prefix", prefix,
                            "--no-save", "--no-package-lock", "--no-audit",
                            "--no-fund", "--prefer-offline",
                            "ical.js@" + ICALJS_VERSION],
                           capture_output=True, text=True,
                           timeout=timing.scaled(300))
    except (OSError, subprocess.TimeoutExpired) as e:
        print("cannot install ical.js: %s" % e)
        return None
    if r.returncode != 0 or not os.path.exists(module):
        print("cannot install ical.js: %s" % r.stderr[-2000:])
        return None
    return module


class Plan:
    def __init__(self, tmp, name, plan, units, now, year):
        self.name = name
        self.now = now
        self.year = year
        self.units_ini = os.path.join(SRC, units)
        self.dir = os.path.join(tmp, name)
        os.mkdir(self.dir)
        self.conf = os.path.join(self.dir, "deadlined.ini")
        self.feeds = os.path.join(self.dir, "feeds")
        key = os.path.join(self.dir, "link.key")
        with open(key, "w") as f:
            f.write("a link key for the feed agreement test\n")
        os.chmod(key, 0o600)
        # Alarms and URLs on: each event carries a VALARM and a URL that
        # none of the parsers may take for another event or date.
        with open(self.conf, "w") as f:
            f.write("[daemon]\nstate_dir = %s\nunits_file = %s\n"
                    "[calendar]\ndays_off_file = %s/config/days-off.ini\n"
                    "[reminders]\nchannel = spool\n[report]\n"
                    "schedule = off\n[feeds]\nalarm_days = 3\n[http]\n"
                    "enabled = no\nbase_url = https://lich.example.gov.vn\n"
                    "link_secret_file = %s\n"
                    % (self.dir, self.units_ini, SRC, key))
        self.ctl("init")
        self.ctl("import", os.path.join(SRC, plan), "--plan", name)

    def ctl(self, *args):
        """Runs deadlinectl with the plan's config and fixed clock."""
        return run([CTL, "-c", self.conf, "--now", self.now] + list(args),
                   "deadlinectl %s" % " ".join(args))

    def write_feeds(self):
        """Every feed of the plan, written by one pass of the daemon."""
        run([DAEMON, "-c", self.conf, "--once", "--now",
             self.now + "T08:30"], "deadlined --once")

    def agenda(self, unit):
        """(date, title) multiset of the agenda's dated rows."""
        args = ["agenda", "--all", "--format", "json"]
        if unit is not None:
            args += ["--unit", unit]
        rows = json.loads(self.ctl(*args))
        return collections.Counter((r["due"], r["title"]) for r in rows
                                   if r["due"] is not None)

    def directory(self):
        """Unit codes and {group: members}, read from units.ini here."""
        units, groups, cur, key = [], {}, None, None
        with open(self.units_ini, encoding="utf-8") as f:
            for line in f:
                s = line.split(";")[0].rstrip()
                if s.startswith("["):
                    kind, _, code = s.strip("[]").partition(" ")
                    cur = (kind, code)
                    if kind == "unit":
                        units.append(code)
                    else:
                        groups[code] = []
                    key = None
                    continue
                if not s or cur is None or cur[0] != "group":
                    continue
                if s[0] in " \t" and key == "members":
                    groups[cur[1]] += s.split()
                elif "=" in s:
                    key, v = (x.strip() for x in s.split("=", 1))
                    if key == "members":
                        groups[cur[1]] += v.split()
        return units, groups

    def window(self):
        return (datetime.date(self.year, 1, 1),
                datetime.date(self.year + 2, 1, 1))


def strip_mark(s):
    """The title without the done or overdue mark."""
    for m in MARKS:
        if s.startswith(m):
            return s[len(m):]
    return s


def python_expand(path, start, end, todo):
    """(date, summary) multiset of a feed, by recurring_ical_events."""
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    c = collections.Counter()
    if todo:
        for t in cal.walk("VTODO"):
            c[(t.decoded("DUE").isoformat(),
               strip_mark(str(t["SUMMARY"])))] += 1
        return c
    for ev in recurring_ical_events.of(cal).between(start, end):
        c[(ev.decoded("DTSTART").isoformat(),
           strip_mark(str(ev["SUMMARY"])))] += 1
    return c


def tool_expand(cmd, paths):
    """{path: (date, summary) multiset} from an expander's output lines."""
    out = {p: collections.Counter() for p in paths}
    for line in run(cmd + paths, cmd[0]).splitlines():
        path, day, summary = line.split("\t", 2)
        out[path][(day, strip_mark(summary))] += 1
    return out


def change_seed(plan):
    """Marks two occurrences done and changes two tasks' rules."""
    rows = json.loads(plan.ctl("agenda", "--unit", "phuocan", "--all",
                               "--format", "json"))
    dated = [r for r in rows if r["due"] is not None]
    done = [r["id"] for r in dated if r["due"] < plan.now][:1]
    done += [r["id"] for r in dated if r["due"] > "2024-09-01"][:1]
    for i in done:
        plan.ctl("done", str(i), "--date", plan.now)
    tasks = {t["ref"]: t["id"] for t in json.loads(
        plan.ctl("tasks", "--format", "json"))}
    plan.ctl("task", "set-rule", str(tasks["III.KP.2.c"]),
             "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1")
    plan.ctl("task", "set-rule", str(tasks["III.DT.2.b"]),
             "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1")


def check_plan(plan, icaljs, expander):
    """Compares every feed of a plan with its agenda; the failures."""
    units, groups = plan.directory()
    names = units + sorted(groups) + ["all"]
    want, paths = {}, {}
    for name in units:
        want[name] = plan.agenda(name)
    want["all"] = plan.agenda(None)
    for name in groups:
        want[name] = sum((want[m] for m in groups[name]),
                         collections.Counter())
    plan.write_feeds()
    for name in names:
        paths[name] = os.path.join(plan.feeds, "%s.ics" % name)
    start, end = plan.window()
    files = [paths[n] for n in names]
    days = [start.isoformat(), end.isoformat()]
    parsers = {
        "libical": tool_expand([expander] + days, files),
        "ical.js": tool_expand(["node", os.path.join(
            SRC, "tests", "tools", "icaljs_expand.mjs"), icaljs] + days,
            files),
    }
    failed, dated = 0, 0
    for name in names:
        got = dict((k, v[paths[name]]) for k, v in parsers.items())
        got["python"] = python_expand(paths[name], start, end, False)
        todo = os.path.join(plan.feeds, "%s-todo.ics" % name)
        got["vtodo"] = python_expand(todo, start, end, True)
        dated += sum(want[name].values())
        for parser, c in sorted(got.items()):
            if c == want[name]:
                continue
            failed += 1
            print("%s %s %s: agenda %d, feed %d" % (
                plan.name, name, parser, sum(want[name].values()),
                sum(c.values())))
            for k in sorted(set(want[name]) | set(c)):
                if want[name][k] != c[k]:
                    print("   ", k[0], want[name][k], c[k], k[1][:60])
    with open(paths["all"], "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    alarms = len(list(cal.walk("VALARM")))
    urls = sum(1 for ev in cal.walk("VEVENT") if "URL" in ev)
    if alarms == 0 or urls == 0:
        print("%s all: %d alarms, %d URLs: the feed does not have what "
              "it is tested with" % (plan.name, alarms, urls))
        failed += 1
    print("%-8s %3d feeds, %5d dated rows, %d alarms, 3 parsers and VTODO: "
          "%s" % (plan.name, len(names), dated, alarms, "ok" if not failed
                  else "%d MISMATCHES" % failed))
    if dated == 0:
        failed += 1
    return failed


def main():
    if not CTL or not DAEMON or not SRC or not BUILD:
        print("DEADLINECTL, DEADLINED, SRCDIR and BUILDDIR are needed")
        return 77
    expander = os.path.join(BUILD, "tests", "ics_expand")
    if not os.access(expander, os.X_OK):
        print("%s missing: skipped" % expander)
        return 77
    try:
        subprocess.run(["node", "--version"], capture_output=True,
                       timeout=timing.scaled(30), check=True)
    except (OSError, subprocess.SubprocessError):
        print("node missing: skipped")
        return 77
    icaljs = icaljs_module()
    if icaljs is None:
        return 77
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, path, units, now, year, changes in PLANS:
            plan = Plan(tmp, name, path, units, now, year)
            if changes:
                change_seed(plan)
            failed += check_plan(plan, icaljs, expander)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
