#!/usr/bin/python3
"""Helper of the feed benchmarks.

  feed_icalendar.py generate DB N UNIT|spread
      fills a database made by `deadlinectl init` with N synthetic tasks of
      plan "bench", one unit each (UNIT, or spread over every unit): nine in
      ten one-off, one in ten monthly over 2024 with a quarter of its
      occurrences moved a day; one occurrence in seven is done.
  feed_icalendar.py render DB NAME TODAY OUT
      builds the same VEVENTs as `deadlinectl feed NAME` with
      python3-icalendar (rule, UNTIL, RECURRENCE-ID overrides, texts) and
      writes the text to OUT: the independent implementation timed against
      deadlinectl.
"""
import collections
import datetime
import sqlite3
import sys

RULE = "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"


def generate(db, n, unit):
    """Inserts the synthetic plan, tasks, assignments and occurrences."""
    c = sqlite3.connect(db)
    c.execute("PRAGMA foreign_keys = ON")
    units = [r[0] for r in c.execute(
        "SELECT id FROM units WHERE is_group = 0 AND retired_at IS NULL "
        "AND (? = 'spread' OR code = ?) ORDER BY id", (unit, unit))]
    if not units:
        sys.exit("no unit %s" % unit)
    c.execute("INSERT INTO plans (code, title, year, starts, ends) VALUES "
              "('bench', 'Kế hoạch thử tải', 2024, '2024-01-01', "
              "'2024-12-31')")
    plan = c.execute("SELECT id FROM plans WHERE code = 'bench'").fetchone()[0]
    tasks, assign, occ = [], [], []
    day0 = datetime.date(2024, 1, 1)
    for i in range(1, n + 1):
        rec = i % 10 == 0
        due = None if rec else (day0 + datetime.timedelta(i % 366)).isoformat()
        tasks.append((plan, "T%d" % i, "I", "fix" if i % 2 else "maintain",
                      "Nội dung công việc số %d" % i,
                      "Báo cáo tiến độ cải cách hành chính số %d" % i,
                      "Hàng tháng" if rec else "Năm 2024",
                      "recurring" if rec else "once", due,
                      RULE if rec else None, "2024-01-01" if rec else None,
                      "2024-12-31" if rec else None))
    c.executemany("INSERT INTO tasks (plan_id, ref, section, category, "
                  "content, title, time_text, kind, due, rrule, starts, ends, "
                  "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,"
                  "'2024-01-01T00:00:00Z')", tasks)
    rows = c.execute("SELECT id, kind, due FROM tasks WHERE plan_id = ? "
                     "ORDER BY id", (plan,)).fetchall()
    for k, (tid, kind, due) in enumerate(rows):
        u = units[k % len(units)]
        assign.append((tid, u))
        if kind == "once":
            occ.append((tid, u, due, due))
            continue
        for m in range(12):
            nominal = (datetime.date(2024 + (m + 1) // 12, (m + 1) % 12 + 1, 1)
                       - datetime.timedelta(1))
            moved = nominal + datetime.timedelta(1) if (tid + m) % 4 == 0 \
                else nominal
            occ.append((tid, u, nominal.isoformat(), moved.isoformat()))
    c.executemany("INSERT INTO assignments (task_id, unit_id, role) VALUES "
                  "(?, ?, 'lead')", assign)
    c.executemany("INSERT INTO occurrences (task_id, unit_id, nominal, "
                  "effective) VALUES (?, ?, ?, ?)", occ)
    c.execute("UPDATE occurrences SET status = 'done', done_on = effective, "
              "sequence = 1 WHERE id % 7 = 0")
    c.commit()
    print("%d tasks, %d occurrences" % (len(rows), len(occ)))


def rows_of(c, name):
    """The rows store_feed_rows reads, in the same order."""
    return c.execute(
        "SELECT t.id, o.unit_id, u.code, p.code, t.ref, t.section, "
        "t.category, t.title, t.content, t.time_text, t.kind, t.rrule, "
        "t.revision, o.nominal, o.effective, o.status, o.sequence "
        "FROM occurrences o JOIN tasks t ON t.id = o.task_id JOIN plans p "
        "ON p.id = t.plan_id JOIN units u ON u.id = o.unit_id WHERE "
        "t.status = 'active' AND (? = 'all' OR u.code = ?) ORDER BY "
        "p.code, t.ref, t.id, u.code, o.nominal", (name, name))


def leads(c):
    """Lead unit names per task."""
    out = collections.defaultdict(list)
    for tid, name in c.execute("SELECT a.task_id, u.name FROM assignments a "
                               "JOIN units u ON u.id = a.unit_id WHERE "
                               "a.role = 'lead' ORDER BY u.code"):
        out[tid].append(name)
    return out


def event(r, names, stamp, start, summary):
    """One VEVENT with the texts of row r."""
    import icalendar
    ev = icalendar.Event()
    ev.add("uid", "%s-%s-%s@deadlined" % (r[3], r[4], r[2]))
    ev.add("dtstamp", stamp)
    ev.add("description", "%s\nNội dung: %s\nKế hoạch: %s, mục %s\n"
           "Chủ trì: %s\nThời gian: %s" % (r[7], r[8], r[3], r[4],
                                           "; ".join(names[r[0]]), r[9]))
    ev.add("categories", ["Mục %s" % r[5], r[6]])
    ev.add("dtstart", start)
    ev.add("dtend", start + datetime.timedelta(1))
    ev.add("summary", summary)
    ev.add("status", "CONFIRMED")
    ev.add("transp", "TRANSPARENT")
    return ev


def series_events(series, names, stamp, today):
    """The events of one task x unit."""
    import icalendar
    first = series[0]
    d = datetime.date.fromisoformat
    mark = lambda o: ("[Đã xong] " if o[15] == "done" else "[Quá hạn] "
                      if o[15] == "open" and d(o[14]) < today else "")
    seq = first[12] + sum(o[16] for o in series)
    if first[10] != "recurring":
        out = []
        for o in series:
            ev = event(o, names, stamp, d(o[14]), mark(o) + o[7])
            ev.add("sequence", seq)
            out.append(ev)
        return out
    ev = event(first, names, stamp, d(first[13]), first[7])
    ev.add("sequence", seq)
    rule = icalendar.vRecur.from_ical(first[11])
    rule["UNTIL"] = [d(series[-1][13])]
    ev.add("rrule", rule)
    out = [ev]
    for o in series:
        if o[13] == o[14] and not mark(o):
            continue
        x = event(o, names, stamp, d(o[14]), mark(o) + o[7])
        x.add("sequence", seq)
        x.add("recurrence-id", d(o[13]))
        out.append(x)
    return out


def render(db, name, today, out):
    """Builds and writes the feed."""
    import icalendar
    c = sqlite3.connect(db)
    names = leads(c)
    stamp = datetime.datetime.now(datetime.timezone.utc)
    today = datetime.date.fromisoformat(today)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//deadlined bench//python-icalendar//VI")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    series, key = [], None
    for r in rows_of(c, name):
        if (r[0], r[1]) != key and series:
            for ev in series_events(series, names, stamp, today):
                cal.add_component(ev)
            series = []
        key = (r[0], r[1])
        series.append(r)
    if series:
        for ev in series_events(series, names, stamp, today):
            cal.add_component(ev)
    with open(out, "wb") as f:
        f.write(cal.to_ical())


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 6 and sys.argv[1] == "render":
        render(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
