#!/usr/bin/python3
"""A plan year for two communes, then deadlinectl report checked against
figures worked out by hand (below), in CSV (read back with the csv module),
JSON and the text table.

Tasks (plan kh2024 unless said), effective dates by hand:
  M  monthly, day 15, Apr-Jul, both units: 15/04 Mon, 15/05 Wed,
     15/06 Sat -> 17/06 Mon, 15/07 Mon
  T2 due 30/06 Sun -> 01/07 Mon (quarter III, not II), phuocan
  T3 due 20/05 Mon, phuochoa
  T4 due 20/12 Fri, phuochoa, never done
  T5 due 31/12 Tue, phuocan, never done (not yet due on 31/12)
  T6 plan khac, due 10/05 Fri, phuocan
Completions (late days = working days in (effective, done]):
  phuocan : M 15/04 done 12/04 early; M 15/05 done 15/05; M 17/06 done
            19/06 (2 late); M 15/07 done 22/07 (16,17,18,19,22: 5 late);
            T2 done 28/06; T6 done 10/05
  phuochoa: M 15/04 done 17/04 (2 late); M 15/05 done 14/05; M 17/06 done
            17/06; M 15/07 done 16/07 (1 late); T3 done 20/05;
            T4 open: overdue on 31/12 by 23,24,25,26,27,30,31 = 7
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

CTL = os.environ.get("DEADLINECTL")
RATE = "rate=100*on_time/(due-waived-not_yet_due)"
COLS = ["due", "on_time", "late", "late_days", "late_avg", "overdue",
        "overdue_days", "not_yet_due", "waived", RATE, "undated"]


def run(base, *args, now="2024-01-02"):
    cmd = [CTL, "-c", base + "/deadlined.ini", "--now", now] + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("FAIL: %s\n%s%s" % (" ".join(args), p.stdout, p.stderr))
    return p.stdout


def setup(base):
    with open(base + "/units.ini", "w") as f:
        f.write("[unit phuocan]\nname = UBND xã Phước An\n"
                "email = phuocan@example.gov.vn\n\n"
                "[unit phuochoa]\nname = UBND xã Phước Hòa\n"
                "email = phuochoa@example.gov.vn\n")
    with open(base + "/deadlined.ini", "w") as f:
        f.write("[daemon]\nstate_dir = %s\nunits_file = %s/units.ini\n"
                "[calendar]\nhorizon_days = 400\n" % (base, base))
    run(base, "init")
    both = ["--unit", "phuocan", "--unit", "phuochoa"]
    run(base, "task", "add", "Báo cáo tháng", "--every", "month", "--day",
        "15", "--from", "2024-04-01", "--until", "2024-07-31", "--plan",
        "kh2024", "--ref", "M", *both)
    for ref, due, unit, plan in (("T2", "2024-06-30", "phuocan", "kh2024"),
                                 ("T3", "2024-05-20", "phuochoa", "kh2024"),
                                 ("T4", "2024-12-20", "phuochoa", "kh2024"),
                                 ("T5", "2024-12-31", "phuocan", "kh2024"),
                                 ("T6", "2024-05-10", "phuocan", "khac")):
        run(base, "task", "add", "Nhiệm vụ " + ref, "--due", due, "--unit",
            unit, "--plan", plan, "--ref", ref)


def occurrences(base):
    rows = json.loads(run(base, "agenda", "--all", "--format", "json"))
    return {(r["unit"], r["ref"], r["due"]): r["id"] for r in rows
            if r["id"] is not None}


def complete(base):
    occ = occurrences(base)
    done = [("phuocan", "M", "2024-04-15", "2024-04-12"),
            ("phuocan", "M", "2024-05-15", "2024-05-15"),
            ("phuocan", "M", "2024-06-17", "2024-06-19"),
            ("phuocan", "M", "2024-07-15", "2024-07-22"),
            ("phuocan", "T2", "2024-07-01", "2024-06-28"),
            ("phuocan", "T6", "2024-05-10", "2024-05-10"),
            ("phuochoa", "M", "2024-04-15", "2024-04-17"),
            ("phuochoa", "M", "2024-05-15", "2024-05-14"),
            ("phuochoa", "M", "2024-06-17", "2024-06-17"),
            ("phuochoa", "M", "2024-07-15", "2024-07-16"),
            ("phuochoa", "T3", "2024-05-20", "2024-05-20")]
    expect_keys = {(u, r, d) for u, r, d, _ in done}
    expect_keys |= {("phuochoa", "T4", "2024-12-20"),
                    ("phuocan", "T5", "2024-12-31")}
    if set(occ) != expect_keys:
        sys.exit("FAIL: occurrences %s" % sorted(occ))
    for unit, ref, due, day in done:
        run(base, "done", str(occ[(unit, ref, due)]), "--date", day,
            now=day)


def report_csv(base, *args):
    out = run(base, "report", "--format", "csv", *args, now="2024-12-31")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    return [(r["unit"], [r[c] for c in COLS]) for r in rows]


def expect(got, want, what):
    if got != want:
        sys.exit("FAIL: %s\n got  %s\n want %s" % (what, got, want))


def check_csv(base):
    # unit: due on_time late late_days late_avg overdue overdue_days
    #       not_yet_due waived rate undated
    a_year = ["7", "4", "2", "7", "3.5", "0", "0", "1", "0", "66.7", "0"]
    b_year = ["6", "3", "2", "3", "1.5", "1", "7", "0", "0", "50.0", "0"]
    expect(report_csv(base, "--period", "2024"), [
        ("phuocan", a_year), ("phuochoa", b_year),
        ("TOTAL", ["13", "7", "4", "10", "2.5", "1", "7", "1", "0", "58.3",
                   "0"])], "year 2024")
    # Plan kh2024 only: T6 drops out, phuocan 3 of 5.
    expect(report_csv(base, "--period", "2024", "--plan", "kh2024"), [
        ("phuocan", ["6", "3", "2", "7", "3.5", "0", "0", "1", "0", "60.0",
                     "0"]), ("phuochoa", b_year),
        ("TOTAL", ["12", "6", "4", "10", "2.5", "1", "7", "1", "0", "54.5",
                   "0"])], "year 2024, plan kh2024")
    # Q2: T2 (effective 01/07) is not in it; both 75.0, ranked by code.
    expect(report_csv(base, "--period", "2024-Q2"), [
        ("phuocan", ["4", "3", "1", "2", "2.0", "0", "0", "0", "0", "75.0",
                     "0"]),
        ("phuochoa", ["4", "3", "1", "2", "2.0", "0", "0", "0", "0", "75.0",
                      "0"]),
        ("TOTAL", ["8", "6", "2", "4", "2.0", "0", "0", "0", "0", "75.0",
                   "0"])], "2024-Q2")
    # Q2 of plan kh2024: phuochoa 3/4 = 75.0 before phuocan 2/3 = 66.7.
    got = report_csv(base, "--period", "2024-Q2", "--plan", "kh2024")
    expect([(u, r[-2]) for u, r in got], [("phuochoa", "75.0"),
           ("phuocan", "66.7"), ("TOTAL", "71.4")], "2024-Q2 kh2024")
    expect(report_csv(base, "--period", "2024-05"), [
        ("phuocan", ["2", "2", "0", "0", "", "0", "0", "0", "0", "100.0",
                     "0"]),
        ("phuochoa", ["2", "2", "0", "0", "", "0", "0", "0", "0", "100.0",
                      "0"]),
        ("TOTAL", ["4", "4", "0", "0", "", "0", "0", "0", "0", "100.0",
                   "0"])], "2024-05")
    expect(report_csv(base, "--period", "2024-H1", "--unit", "phuochoa"), [
        ("phuochoa", ["4", "3", "1", "2", "2.0", "0", "0", "0", "0", "75.0",
                      "0"]),
        ("TOTAL", ["4", "3", "1", "2", "2.0", "0", "0", "0", "0", "75.0",
                   "0"])], "2024-H1 phuochoa")
    # A month with nothing due: no rows, total without a rate.
    expect(report_csv(base, "--period", "2024-02"), [
        ("TOTAL", ["0"] * 4 + [""] + ["0"] * 4 + ["", "0"])], "2024-02")


def check_json_and_text(base):
    doc = json.loads(run(base, "report", "--period", "2024", "--format",
                         "json", now="2024-12-31"))
    expect([(u["unit"], u["rank"], u["rate"], u["overdue_days"])
            for u in doc["units"]],
           [("phuocan", 1, 66.7, 0), ("phuochoa", 2, 50.0, 7)], "json")
    expect((doc["period"], doc["from"], doc["to"], doc["today"],
            doc["total"]["rate"], doc["total"]["due"]),
           ("2024", "2024-01-01", "2024-12-31", "2024-12-31", 58.3, 13),
           "json period")
    doc = json.loads(run(base, "report", "--period", "2024-02", "--format",
                         "json", now="2024-12-31"))
    expect((doc["units"], doc["total"]["rate"]), ([], None), "json empty")
    text = run(base, "report", "--period", "2024-05", "--plan", "kh2024",
               now="2024-12-31")
    for needle in ("Báo cáo tiến độ thực hiện kế hoạch", "tháng 05/2024",
                   "UBND xã Phước An", "Tổng cộng", "100,0",
                   "Tỷ lệ đúng hạn"):
        if needle not in text:
            sys.exit("FAIL: text lacks %r\n%s" % (needle, text))
    lines = [l for l in text.splitlines() if "UBND xã" in l]
    if len(lines) != 2 or len(lines[0]) != len(lines[1]):
        sys.exit("FAIL: text table not aligned\n%s" % text)
    p = subprocess.run([CTL, "-c", base + "/deadlined.ini", "report",
                        "--period", "2024-13"], capture_output=True)
    expect(p.returncode, 2, "bad period exit status")


def main():
    if not CTL or not os.access(CTL, os.X_OK):
        print("DEADLINECTL not set")
        return 77
    base = tempfile.mkdtemp(prefix="report_scenario.")
    try:
        setup(base)
        complete(base)
        check_csv(base)
        check_json_and_text(base)
    finally:
        shutil.rmtree(base)
    print("report scenario: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
