#!/usr/bin/python3
"""CSV that Excel opens with Vietnamese intact: deadlinectl --excel.

Excel reads a CSV without a byte order mark in the machine's legacy code
page (Windows-1258 or 1252 in Vietnamese offices), which turns "Phước An"
into "PhÆ°á»›c An".  With --excel, every CSV deadlinectl writes starts
with the UTF-8 BOM (EF BB BF) once, before the header, wherever --excel
stands on the command line; without it, and in JSON, there is none.  The
rows are read back with Python's csv module after the BOM: the Vietnamese
is what went in (titles, unit names, days off written here by hand).
Nothing here sends or listens.
"""
import csv
import io
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import timing  # noqa: E402
from daemon_env import DEADLINECTL as CTL, SRCDIR as SRC  # noqa: E402
from checks import Checks  # noqa: E402

NOW = "2024-07-15"
BOM = b"\xef\xbb\xbf"
TITLE = "Rà soát thủ tục hành chính"
check = Checks()


def run(conf, *args):
    r = subprocess.run([CTL, "-c", conf, "--now", NOW] + list(args),
                       capture_output=True, timeout=timing.scaled(60))
    if r.returncode != 0:
        sys.exit("deadlinectl %s: exit %d: %s" % (" ".join(args),
                                                  r.returncode,
                                                  r.stderr.decode()))
    return r.stdout


def rows(data):
    """The CSV after one BOM, as dicts."""
    return list(csv.DictReader(io.StringIO(data[len(BOM):].decode(
        "utf-8"), newline="")))


def main():
    if not CTL or not SRC:
        print("DEADLINECTL and SRCDIR are needed")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "deadlined.ini")
        with open(conf, "w") as f:
            f.write("[daemon]\nstate_dir = %s\nunits_file = %s/config/"
                    "units.ini\n[calendar]\ndays_off_file = %s/config/"
                    "days-off.ini\n[report]\nschedule = off\n[http]\n"
                    "enabled = no\nbase_url = https://lich.example.gov.vn\n"
                    % (tmp, SRC, SRC))
        run(conf, "init")
        run(conf, "task", "add", TITLE, "--unit", "phuocan", "--due",
            "2024-07-05", "--plan", "kh1")
        # Each command with a CSV form: the row that must come out intact.
        cases = [
            (("tasks", "--format", "csv"), "title", TITLE),
            (("agenda", "--all", "--format", "csv"), "title", TITLE),
            (("task", "show", "1", "--format=csv"), "title", TITLE),
            (("units", "--format", "csv"), "name", "UBND xã Phước An"),
            (("report", "--period", "2024", "--format", "csv"), "name",
             "UBND xã Phước An"),
            (("holidays", "2025", "--format", "csv"), "name",
             "Tết Dương lịch"),
            (("outbox", "--format", "csv"), None, None),
            (("feed", "list", "--format", "csv"), "name", "phuocan"),
        ]
        for args, column, want in cases:
            what = " ".join(args)
            plain = run(conf, *args)
            check(not plain.startswith(BOM), "%s: a BOM without --excel"
                  % what)
            for excel in (list(args) + ["--excel"], ["--excel"] +
                          list(args), [args[0], "--excel"] + list(args[1:])):
                got = run(conf, *excel)
                check(got.startswith(BOM) and BOM not in got[3:],
                      "%s: %r" % (" ".join(excel), got[:12]))
                check(got[3:] == plain, "%s: differs from the plain CSV"
                      % " ".join(excel))
            if column is None:
                check(plain.startswith(b"id,") and rows(got) == [],
                      "%s: %r" % (what, plain))
                continue
            found = [r[column] for r in rows(got) if r[column] == want]
            check(found == [want], "%s: no %s %r in %r" % (
                what, column, want, got[:300]))
        # JSON stays JSON, without a BOM.
        got = run(conf, "tasks", "--format", "json", "--excel")
        check(got.startswith(b"["), "tasks --format json --excel: %r"
              % got[:12])
        # After "--", --excel is an argument (a title here).
        run(conf, "task", "add", "--unit", "phuocan", "--due", "2024-07-31",
            "--plan", "kh1", "--", "--excel")
        titles = [r["title"] for r in rows(run(conf, "--excel", "tasks",
                                               "--format", "csv"))]
        # (its apostrophe: a cell starting with "-" is not a formula.)
        check(titles == [TITLE, "'--excel"], "titles: %r" % titles)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
