"""The feeds against the agenda, read by independent parsers.

The seed plan is imported with deadlinectl; for several units, a group and
"all", `deadlinectl feed` is parsed with python3-icalendar and expanded
with recurring_ical_events over 2024, and must give exactly the multiset
of (date, summary) of the agenda's dated rows (effective dates), with the
done and overdue marks removed; the VTODO variant gives the same multiset.
First two occurrences are marked done (one past, one ahead) and one
quarterly task gets a monthly rule in July, which leaves occurrences of the
old rule behind: done and moved instances and a changed rule are all met.
"""
import collections
import datetime
import json
import os
import subprocess
import sys
import tempfile

try:
    import icalendar
    import recurring_ical_events
except ImportError:
    print("python3-icalendar or python3-recurring-ical-events missing")
    sys.exit(77)

CTL = os.environ.get("DEADLINECTL")
SRC = os.environ.get("SRCDIR")
NOW = "2024-07-15"
MARKS = ("[Đã xong] ", "[Quá hạn] ")
FEEDS = ("noivu", "vp", "phuocan", "tuphap", "xa", "all")


def ctl(conf, *args):
    """Runs deadlinectl with the test config and the fixed clock."""
    r = subprocess.run([CTL, "-c", conf, "--now", NOW] + list(args),
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("deadlinectl %s failed: %s" % (" ".join(args), r.stderr))
    return r.stdout


def strip_mark(s):
    """The title without the done or overdue mark."""
    for m in MARKS:
        if s.startswith(m):
            return s[len(m):]
    return s


def agenda(conf, unit):
    """(date, title) multiset of the agenda's dated rows."""
    args = ["agenda", "--all", "--format", "json"]
    if unit is not None:
        args += ["--unit", unit]
    rows = json.loads(ctl(conf, *args))
    return collections.Counter((r["due"], r["title"]) for r in rows
                               if r["due"] is not None)


def group_agenda(conf, members):
    """The agenda of a group: the sum of its members'."""
    c = collections.Counter()
    for m in members:
        c += agenda(conf, m)
    return c


def feed(conf, name, todo, path):
    """(date, summary) multiset of a feed expanded over 2024."""
    args = ["feed", name, "-o", path] + (["--todo"] if todo else [])
    ctl(conf, *args)
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    c = collections.Counter()
    if todo:
        for t in cal.walk("VTODO"):
            c[(t.decoded("DUE").isoformat(), strip_mark(str(t["SUMMARY"])))] += 1
        return c
    for ev in recurring_ical_events.of(cal).between(
            datetime.date(2024, 1, 1), datetime.date(2025, 1, 1)):
        d = ev.decoded("DTSTART")
        c[(d.isoformat(), strip_mark(str(ev["SUMMARY"])))] += 1
    return c


def members(code):
    """Member codes of a group in units.ini (an independent reading)."""
    out, inside, cur = [], False, None
    with open(os.path.join(SRC, "config", "units.ini"), encoding="utf-8") as f:
        for line in f:
            s = line.split(";")[0].rstrip()
            if s.startswith("["):
                inside = s == "[group %s]" % code
                cur = None
                continue
            if not inside or not s:
                continue
            if s[0] in " \t" and cur == "members":
                out += s.split()
            elif "=" in s:
                cur, v = (x.strip() for x in s.split("=", 1))
                if cur == "members":
                    out += v.split()
    return out


def change_some(conf):
    """Marks two occurrences done and changes one task's rule."""
    rows = json.loads(ctl(conf, "agenda", "--unit", "phuocan", "--all",
                          "--format", "json"))
    dated = [r for r in rows if r["due"] is not None]
    done = [r["id"] for r in dated if r["due"] < NOW][:1]
    done += [r["id"] for r in dated if r["due"] > "2024-09-01"][:1]
    for i in done:
        ctl(conf, "done", str(i), "--date", NOW)
    tasks = json.loads(ctl(conf, "tasks", "--format", "json"))
    quarterly = [t["id"] for t in tasks if t["ref"] == "III.KP.2.c"]
    ctl(conf, "task", "set-rule", str(quarterly[0]),
        "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1")


def main():
    if not CTL or not SRC:
        print("DEADLINECTL and SRCDIR are needed")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "deadlined.ini")
        with open(conf, "w") as f:
            f.write("[daemon]\nstate_dir = %s\nunits_file = %s/config/units.ini\n"
                    "[calendar]\ndays_off_file = %s/config/days-off.ini\n"
                    "[plan]\ncoordinator = noivu\n" % (tmp, SRC, SRC))
        ctl(conf, "init")
        ctl(conf, "import", os.path.join(SRC, "tests/fixtures/seed-tuyphuoc-2024.txt"))
        change_some(conf)
        path = os.path.join(tmp, "out.ics")
        failed = 0
        for name in FEEDS:
            if name == "xa":
                want = group_agenda(conf, members("xa"))
            else:
                want = agenda(conf, None if name == "all" else name)
            for todo in (0, 1):
                got = feed(conf, name, todo, path)
                ok = got == want and sum(want.values()) > 0
                print("%-8s %-6s agenda %4d feed %4d %s" % (
                    name, "vtodo" if todo else "vevent", sum(want.values()),
                    sum(got.values()), "ok" if ok else "MISMATCH"))
                if not ok:
                    failed = 1
                    for k in sorted(set(want) | set(got)):
                        if want[k] != got[k]:
                            print("   ", k[0], want[k], got[k], k[1][:60])
        return failed


if __name__ == "__main__":
    sys.exit(main())
