#!/usr/bin/python3
"""Every time cell of every test plan: read exactly, flagged or unparsed.

Imports each plan of tests/fixtures (the seed, the CSV samples, the plans
of other provinces, and any plan-*.txt or plan-*.csv added there, or
plan.txt or plan.csv in a folder of its own) with
the real deadlinectl into a scratch database, and prints one line per
distinct time bullet of each plan: how it was read (exact, flagged as
partial, unparsed) and what it was read into.  Each reading is compared
with the one worked out by hand in tests/fixtures/time-cells.txt:

    plan<TAB>time bullet<TAB>quality<TAB>item | item | ...

An item is "once DATE [from DATE] [previous|next]", "recurring RULE
[previous|next]", "ongoing", "on_event" or "unparsed"; "?" for a flagged
cell whose date nobody can tell.  Nominal dates only: they do not depend
on the calendar.

Exits 1 if a cell read exactly contradicts its expectation, if a cell's
quality differs from the one expected, if a cell has no expectation, or
if an expectation names a cell that no plan has any more.

    DEADLINECTL=build/deadlinectl bench/time_cells.py [SRCDIR]
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

# Plan file -> (plan code, --from): a dateless plan starts on 1 January.
KNOWN = {
    "seed-tuyphuoc-2024.txt": ("kh-cchc-2024", "2024-01-01"),
    "plan-sample.csv": ("plan-sample", "2024-01-01"),
    "plan-sample-v2.csv": ("plan-sample-v2", "2024-01-01"),
    # A plan of a folder of its own, with its units (columns, #17 s. 4).
    "dongnai-2026/plan.csv": ("dongnai-2026", "2026-01-01"),
}


def plans(src):
    files = [os.path.join(src, "tests/fixtures", f) for f in KNOWN]
    for pattern in ("plan-*.txt", "plan-*.csv", "*/plan.txt", "*/plan.csv"):
        for f in sorted(glob.glob(os.path.join(src, "tests/fixtures",
                                               pattern))):
            if f not in files:
                files.append(f)
    return files


def code_of(path):
    base = os.path.basename(path)
    folder = os.path.join(os.path.basename(os.path.dirname(path)), base)
    for key in (base, folder):
        if key in KNOWN:
            return KNOWN[key]
    if base in ("plan.txt", "plan.csv"):
        return (os.path.basename(os.path.dirname(path)).lower(), None)
    return (os.path.splitext(base)[0].lower(), None)


def item_text(t):
    if t["kind"] == "once":
        words = ["once", t["due"]]
        if t["starts"]:
            words += ["from", t["starts"]]
    elif t["kind"] == "recurring":
        words = ["recurring", t["rule"]]
    else:
        words = [t["kind"]]
    if t["dayoff"]:
        words.append(t["dayoff"])
    return " ".join(words)


def readings(ctl, cfg, path):
    """{time bullet: (quality, [items in task order])} of one plan."""
    code, start = code_of(path)
    cmd = [ctl, "-c", cfg, "--now", "2024-01-02", "import", path, "--plan",
           code, "--format", "json"]
    if start:
        cmd += ["--from", start]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError("import %s: %s" % (path, p.stderr))
    p = subprocess.run([ctl, "-c", cfg, "tasks", "--plan", code, "--format",
                        "json"], capture_output=True, text=True, timeout=120)
    cells = {}
    for t in json.loads(p.stdout):
        if ".m" in t["ref"]:
            continue		# a milestone of the task's text, not the cell
        q, items = cells.setdefault(t["time_text"] or "", (t["quality"], []))
        if item_text(t) not in items:
            items.append(item_text(t))
    return code, cells


def expectations(path):
    want = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 4:
                raise ValueError("%s:%d: 4 fields expected" % (path, n))
            plan, cell, quality, items = fields
            want[(plan, cell)] = (quality, [i.strip() for i in
                                            items.split("|")])
    return want


def main():
    ctl = os.environ.get("DEADLINECTL")
    src = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                          os.environ.get("SRCDIR", "."))
    if not ctl or not os.access(ctl, os.X_OK):
        print("DEADLINECTL not set: skipped")
        return 77
    want = expectations(os.path.join(src, "tests/fixtures/time-cells.txt"))
    tmp = tempfile.mkdtemp(prefix="time-cells-")
    counts = {"exact": 0, "flagged": 0, "unparsed": 0}
    wrong = []
    seen = set()
    try:
        os.mkdir(os.path.join(tmp, "state"))
        cfg = os.path.join(tmp, "deadlined.ini")
        with open(cfg, "w") as f:
            f.write("[daemon]\nstate_dir = %s/state\nunits_file = "
                    "%s/config/units.ini\n[calendar]\ndays_off_file =\n" % (
                        tmp, src))
        subprocess.run([ctl, "-c", cfg, "init"], capture_output=True,
                       check=True, timeout=60)
        for path in plans(src):
            code, cells = readings(ctl, cfg, path)
            for cell, (quality, items) in cells.items():
                verdict = {"exact": "exact", "partial": "flagged",
                           "unparsed": "unparsed"}[quality]
                counts[verdict] += 1
                exp = want.get((code, cell))
                seen.add((code, cell))
                mark = "ok"
                if exp is None:
                    mark = "NO EXPECTATION"
                elif exp[0] != quality:
                    mark = "QUALITY %s, expected %s" % (quality, exp[0])
                elif exp[1] != ["?"] and exp[1] != items:
                    mark = "WRONG, expected %s" % " | ".join(exp[1])
                if mark != "ok":
                    wrong.append((code, cell))
                print("%-9s %-3s %s: %s -> %s" % (verdict, "ok" if mark ==
                      "ok" else "!!", code, cell, " | ".join(items)))
                if mark != "ok":
                    print("          %s" % mark)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for code, cell in sorted(set(want) - seen):
        print("missing   !!  %s: %s -> no task has this time cell" % (code,
                                                                     cell))
        wrong.append((code, cell))
    total = sum(counts.values())
    print("%d time cells: %d read exactly, %d flagged, %d unparsed; "
          "%d contradict, lack or miss their hand-worked expectation" % (
              total, counts["exact"], counts["flagged"], counts["unparsed"],
              len(wrong)))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
