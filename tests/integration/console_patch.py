#!/usr/bin/env python3
"""The console's kept pages brought up to date after a write (issue 19):
on the real deadlined over 127.0.0.1, --now fixed, the plan year of
console.py.  After each write, every kept page (overview of a quarter, a
year sorted by unit, a month nobody has work in, overdue by task) must be
byte for byte the page built from scratch (the same request with a
?cold= parameter the page ignores, a key never asked for: built from the
database), and the debug log (-v) must say it was patched, not built
again:

    write                                   expected path
    a console-link (a session, no work)     pages kept as they were
    done / reopen by deadlinectl            patched (another connection)
    two writes, a check between them        both patched in, once
    extend by the console (its own POST)    patched; a unit's row appears
                                            in August, leaves the quarter
    extend again by deadlinectl             the row leaves August again
    waive by the console                    patched
    a task added                            everything built again
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "integration"))
sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
import console  # noqa: E402
from console import check, ctl, occ_id  # noqa: E402

# Pages with their figures kept (patched), and one without (the month,
# built again).
KEPT = ["/console?period=2024-Q2", "/console?period=2024&sort=unit",
        "/console?period=2024-08", "/console/overdue"]
MONTH = "/console/month?month=2024-06"
step = 0


def log_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def pages(client):
    out = {}
    for path in KEPT + [MONTH]:
        st, _, page = client.get(path)
        check(st == 200, "GET %s: %d" % (path, st))
        out[path] = page
    return out


def fresh(client, path):
    """The page built from the database: a key never asked for."""
    global step
    step += 1
    st, _, page = client.get(path + ("&" if "?" in path else "?") +
                             "cold=%d" % step)
    check(st == 200, "GET %s cold: %d" % (path, st))
    return page


def same_as_fresh(client, got, what):
    for path, page in got.items():
        want = fresh(client, path)
        if page != want:
            a = page.splitlines()
            b = want.splitlines()
            diff = [(x, y) for x, y in zip(a, b) if x != y][:3]
            check(False, "%s: %s patched differs from a fresh build: %s"
                  % (what, path, diff or (len(a), len(b))))
        else:
            check(True, "")


def first_difference(a, b):
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y),
             min(len(a), len(b)))
    return a[max(0, i - 60):i + 60], b[max(0, i - 60):i + 60]


def after(logpath, mark):
    return log_text(logpath)[mark:]


def rows_of(page):
    return console.overview_rows(page)


def scenario(cfg, db, port, logpath):
    client = console.Client(port)
    console.sign_in(cfg, client, db)
    an, hoa = "Xã Phước An", "Xã Phước Hòa"

    first = pages(client)
    same_as_fresh(client, first, "start")
    check(rows_of(first["/console?period=2024-08"]) == {
        "TOTAL": [0, 0, 0, 0, 0, 0, 0, "-"]},
        "nobody has work in August: %s"
        % rows_of(first["/console?period=2024-08"]))

    # A write of no occurrence: every page kept as it was.
    mark = len(log_text(logpath))
    ctl(cfg, "console-link", "Binh")
    got = pages(client)
    check(got == first, "a session written: the same pages: %s" % [
        (p, first_difference(first[p], got[p])) for p in got
        if got[p] != first[p]])
    log = after(logpath, mark)
    check("pages kept: no occurrence changed" in log and
          "pages made again" not in log and "patch" not in log,
          "a session written: pages kept (log: %r)" % log[-400:])

    def patched(what, changed):
        """Every kept page patched, none built again; equal to fresh."""
        mark = len(log_text(logpath))
        got = pages(client)
        log = after(logpath, mark)
        check("pages made again" not in log,
              "%s: nothing built again (log: %r)" % (what, log[-400:]))
        m = re.findall(r"(\d+) page\(s\) to patch, (\d+) dropped", log)
        check(len(m) == 1 and int(m[0][0]) >= len(KEPT),
              "%s: one patch of the kept pages: %s" % (what, m))
        for path in KEPT:
            check(log.count("console: %s rendered from its patched "
                            "figures" % path.split("?")[0]) >= 1,
                  "%s: %s rendered from patched figures" % (what, path))
        same_as_fresh(client, got, what)
        for path in changed:
            check(got[path] != prev[0][path],
                  "%s: %s changed" % (what, path))
        prev[0] = got
        return got

    prev = [first]
    hoa2 = occ_id(db, "xa-hoa", "2")
    an4 = occ_id(db, "xa-an", "4")
    hoa3 = occ_id(db, "xa-hoa", "3")

    # Done late by another connection (deadlinectl), then reopened.
    ctl(cfg, "done", str(hoa2), "--date", "2024-07-12")
    got = patched("done", ["/console?period=2024-Q2", "/console/overdue"])
    check(rows_of(got["/console?period=2024-Q2"]).get(hoa) ==
          [4, 1, 2, 1, 0, 0, 0, "25,0%"],
          "done: xa-hoa's quarter: %s"
          % rows_of(got["/console?period=2024-Q2"]).get(hoa))
    ctl(cfg, "reopen", str(hoa2))
    got = patched("reopen", ["/console?period=2024-Q2", "/console/overdue"])
    check(got["/console?period=2024-Q2"] == first["/console?period=2024-Q2"],
          "reopened: the quarter as at the start")

    # Two writes with a check between them (the month view asked for):
    # the kept pages wait with the first change and add the second.
    son4 = occ_id(db, "xa-son", "4")
    ctl(cfg, "done", str(son4), "--date", "2024-07-01")
    st, _, _ = client.get(MONTH)
    check(st == 200, "the month between two writes: %d" % st)
    ctl(cfg, "done", str(hoa2), "--date", "2024-07-02")
    got = patched("two writes", ["/console?period=2024-Q2",
                                 "/console/overdue"])
    q2 = rows_of(got["/console?period=2024-Q2"])
    check(q2.get("Xã Phước Sơn") == [4, 3, 1, 0, 0, 0, 0, "75,0%"] and
          q2.get(hoa) == [4, 1, 2, 1, 0, 0, 0, "25,0%"],
          "two writes: both counted: %s" % q2)
    ctl(cfg, "reopen", str(son4))
    ctl(cfg, "reopen", str(hoa2))
    got = patched("two reopened", ["/console?period=2024-Q2",
                                   "/console/overdue"])
    check(got["/console?period=2024-Q2"] == first["/console?period=2024-Q2"],
          "both reopened: the quarter as at the start")

    # Extended by the console itself (this connection's own write) into
    # August: a row appears there, the quarter loses one.
    st, _, page = client.get("/console/occurrence/%d" % an4)
    form = console.form_of(page, an4, "extend")
    check(form is not None, "the occurrence page has an extend form")
    if form is not None:
        form.update({"date": "2024-08-15", "reason": "Chờ số liệu"})
        st, _, _ = client.post("/console/action", form)
        check(st == 303, "extend by the console: %d" % st)
    got = patched("extend", ["/console?period=2024-Q2",
                             "/console?period=2024-08", "/console/overdue"])
    aug = rows_of(got["/console?period=2024-08"])
    check(aug.get(an) == [1, 0, 0, 0, 0, 1, 1, "-"] and list(aug) ==
          [an, "TOTAL"], "extend: xa-an's row in August: %s" % aug)
    check(rows_of(got["/console?period=2024-Q2"]).get(an) ==
          [3, 2, 1, 0, 0, 0, 0, "66,7%"],
          "extend: xa-an's quarter: %s"
          % rows_of(got["/console?period=2024-Q2"]).get(an))

    # Extended again by deadlinectl into September: August empty again.
    ctl(cfg, "extend", str(an4), "2024-09-02", "--reason", "Chờ tiếp")
    got = patched("extend again", ["/console?period=2024-08"])
    check(got["/console?period=2024-08"] ==
          first["/console?period=2024-08"], "August as at the start")

    # Waived by the console.
    st, _, page = client.get("/console/occurrence/%d" % hoa3)
    form = console.form_of(page, hoa3, "waive")
    check(form is not None, "the occurrence page has a waive form")
    if form is not None:
        form["reason"] = "Không áp dụng"
        st, _, _ = client.post("/console/action", form)
        check(st == 303, "waive by the console: %d" % st)
    patched("waive", ["/console?period=2024-Q2", "/console/overdue"])

    # More pages than the console keeps figures for (8): the oldest keep
    # their HTML only and are built again after a write; a page waiting
    # for its patch whose figures a newer page pushes out is built again
    # too.  Every one the same as a fresh build.
    months = ["/console?period=2024-%02d" % m for m in range(1, 13)]
    for path in months:
        check(client.get(path)[0] == 200, "GET %s" % path)
    ctl(cfg, "done", str(hoa2), "--date", "2024-07-03")
    got = {}
    for path in months:
        st, _, got[path] = client.get(path)
        check(st == 200, "after a write, GET %s: %d" % (path, st))
    same_as_fresh(client, got, "twelve months")
    ctl(cfg, "reopen", str(hoa2))

    # A task added: everything may have changed, every page built again.
    mark = len(log_text(logpath))
    ctl(cfg, "task", "add", "Báo cáo đột xuất", "--due", "2024-06-20",
        "--plan", "cchc", "--ref", "6", "--unit", "xa-an")
    got = pages(client)
    log = after(logpath, mark)
    check("pages made again: everything may have changed" in log and
          "patch" not in log, "a task added: built again (log: %r)"
          % log[-400:])
    same_as_fresh(client, got, "task added")
    check(rows_of(got["/console?period=2024-Q2"]).get(an) ==
          [4, 2, 1, 1, 0, 0, 0, "50,0%"],
          "task added: xa-an's quarter: %s"
          % rows_of(got["/console?period=2024-Q2"]).get(an))


def run(tmp):
    cfg, db, port = console.make_year(tmp)
    with open(cfg, encoding="utf-8") as f:
        text = f.read()
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(text.replace("[daemon]\n", "[daemon]\nverbose = 1\n", 1))
    logpath = os.path.join(tmp, "daemon.log")
    with open(logpath, "w") as err:
        proc = subprocess.Popen([console.DEADLINED, "-v", "-c", cfg, "--now",
                                 console.NOW], stdout=subprocess.DEVNULL,
                                stderr=err, text=True)
    try:
        console.wait_port(port, proc)
        scenario(cfg, db, port, logpath)
    except Exception:
        print(log_text(logpath)[-4000:])
        raise
    finally:
        proc.terminate()
        try:
            rc = proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = -1
        check(rc == 0, "deadlined exits cleanly: %s" % rc)
    print("%d passed, %d failed" % (console.passed, console.failed))
    if console.failed:
        print(log_text(logpath)[-3000:])
    return 1 if console.failed else 0


def main():
    if not (console.DEADLINED and console.DEADLINECTL and console.SRCDIR):
        return 77
    tmp = tempfile.mkdtemp(prefix="console_patch.")
    try:
        return run(tmp)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
