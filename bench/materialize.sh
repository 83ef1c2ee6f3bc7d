#!/usr/bin/env bash
# Occurrence materialization: one year of occurrences for N recurring tasks
# (default 100,000; monthly, quarterly and "day 30 of the quarter's last
# month" rules, each assigned to one unit), by `deadlinectl schedule`.
# Target: under 10 s and under 128 MiB.  Prints median, min, max of RUNS runs
# after one warm-up run, each from a settled state (sync); the load average.
. "$(dirname "$0")/common.sh"
n=${N:-100000}
runs=${RUNS:-3}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
bench_config
$ctl -c "$work/deadlined.ini" --now 2024-01-01 init >/dev/null
db=$work/state/deadlined.db
sqlite3 "$db" <<SQL
INSERT INTO plans (code, title, year, starts, ends, generation)
    VALUES ('bench', 'bench', 2024, '2024-01-01', '2024-12-31', 1);
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $n)
INSERT INTO tasks (plan_id, ref, title, kind, rrule, starts, ends, updated_at)
SELECT 1, 'B' || i, 'Báo cáo định kỳ số ' || i, 'recurring',
    CASE i % 3 WHEN 0 THEN 'FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1'
    WHEN 1 THEN 'FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30,31;BYSETPOS=-1'
    ELSE 'FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=28,29,30;BYSETPOS=-1' END,
    '2024-01-01', '2024-12-31', '2024-01-01T00:00:00' FROM seq;
INSERT INTO assignments (task_id, unit_id, role)
SELECT t.id, u.id, 'lead' FROM tasks t JOIN (SELECT id,
    row_number() OVER (ORDER BY id) - 1 AS k FROM units WHERE is_group = 0) u
    ON u.k = t.id % 30;
SQL
# A warm-up run, not counted: the caches settle.
$ctl -c "$work/deadlined.ini" --now 2024-01-01 schedule >/dev/null
: > "$work/secs"; : > "$work/rss"
for r in $(seq "$runs"); do
	sqlite3 "$db" "DELETE FROM occurrences"
	read -r secs rss < <(bench_time $ctl -c "$work/deadlined.ini" --now 2024-01-01 schedule)
	echo "$secs" >> "$work/secs"; echo "$rss" >> "$work/rss"
done
occ=$(sqlite3 "$db" "SELECT count(*) FROM occurrences")
echo "materialize: $n recurring tasks, $occ occurrences for 2024"
echo "  time (s):      $(bench_summary < "$work/secs")"
echo "  peak RSS (KiB): $(bench_summary < "$work/rss")"
echo "  load average (1, 5, 15 min): $(bench_load)"
