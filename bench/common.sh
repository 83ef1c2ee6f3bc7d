# Sourced by the bench scripts: build, a scratch folder, timing helpers.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build-bench}
# BENCH_PREBUILT=1: BUILD is a build already made (the test suite's), used
# as it is; else the scripts' own Release build is configured and brought
# up to date.
if [ "${BENCH_PREBUILT:-0}" != 1 ]; then
	cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
	cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
fi
ctl=$build/deadlinectl
daemon=$build/deadlined
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

# Writes a configuration for a scratch state folder into $work/deadlined.ini.
bench_config() {
	mkdir -p "$work/state"
	cat > "$work/deadlined.ini" <<CONF
[daemon]
state_dir = $work/state
units_file = $top/config/units.ini
[calendar]
days_off_file = $top/config/days-off.ini
horizon_days = ${HORIZON:-400}
[plan]
coordinator = noivu
[http]
enabled = no
CONF
}

# Runs a command and prints "seconds max_rss_kib" (GNU time's format),
# from a settled state: what earlier steps wrote is written out first
# (sync), so that the page cache's writeback does not compete with it.
bench_time() {
	sync
	/usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >/dev/null
	cat "$work/time.out"
}

# Median of numbers given one per line on stdin.
bench_median() {
	sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f\n", m }'
}

# "median M (min A, max B, n N)" of numbers one per line on stdin.
bench_summary() {
	sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %.3f (min %.3f, max %.3f, n %d)\n", m, v[1], v[NR], NR }'
}

# The load average (1, 5, 15 min) of the machine, for the record.
bench_load() {
	cut -d' ' -f1-3 /proc/loadavg
}

# The province-sized database of bench/console.sh and bench/feed_write.sh.
# province_units FILE: a unit directory of 150 units, the coordinator
# (noivu) and 149 communes (u002..u150).
province_units() {
	{
		printf '[unit noivu]\nname = Sở Nội vụ\nemail = noivu@example.gov.vn\n\n'
		for i in $(seq 2 150); do
			printf '[unit u%03d]\nname = UBND xã Thử %d\nemail = u%03d@example.gov.vn\n\n' \
			    "$i" "$i" "$i"
		done
	} > "$1"
}
# province_fill DB: into a database made by `deadlinectl init` whose units
# are province_units' (synced), 10 plans of 134 one-off tasks each, every
# task assigned to every commune (u002 leads): 199,660 occurrences; those
# due before 15/07/2024 done early (14 in 20), late (2), waived (1) or
# open (3): 15,868 overdue on that day.
province_fill() {
	sqlite3 "$1" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE p(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM p WHERE i < 10)
INSERT INTO plans (code, title, year, starts, ends, generation)
SELECT 'kh-' || i, 'Kế hoạch số ' || i || ' năm 2024', 2024, '2024-01-01',
    '2024-12-31', 1 FROM p;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 134)
INSERT INTO tasks (plan_id, ref, title, time_text, kind, due, updated_at)
SELECT pl.id, pl.code || '.' || i, 'Nhiệm vụ ' || i || ' của ' || pl.title,
    'trước ngày ' || strftime('%d/%m/%Y', d), 'once', d, '2024-01-01T00:00:00'
FROM (SELECT i, date('2024-01-01', '+' || ((i * 37 + 11) % 366) || ' days') AS d
    FROM seq), plans pl ORDER BY pl.id, i;
INSERT INTO assignments (task_id, unit_id, role)
SELECT t.id, u.id, CASE WHEN u.code = 'u002' THEN 'lead' ELSE 'support' END
FROM tasks t, units u WHERE u.is_group = 0 AND u.code <> 'noivu';
INSERT INTO occurrences (task_id, unit_id, nominal, effective)
SELECT a.task_id, a.unit_id, t.due, CASE strftime('%w', t.due)
    WHEN '6' THEN date(t.due, '+2 days') WHEN '0' THEN date(t.due, '+1 days')
    ELSE t.due END FROM assignments a JOIN tasks t ON t.id = a.task_id;
UPDATE occurrences SET status = CASE WHEN id % 20 < 14 THEN 'done'
    WHEN id % 20 < 16 THEN 'done' WHEN id % 20 = 16 THEN 'waived'
    ELSE 'open' END,
    done_on = CASE WHEN id % 20 < 14 THEN date(effective, '-1 days')
    WHEN id % 20 < 16 THEN date(effective, '+5 days') END
    WHERE effective < '2024-07-15';
COMMIT;
SQL
}

# bench_settle PID: waits until the process's CPU time (utime + stime of
# /proc/PID/stat, in ticks) stops growing for three seconds, at most 600 s
# (on a busy machine a process can wait a second for a core); prints it.
bench_settle() {
	local a b still=0
	a=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
	for _ in $(seq 600); do
		sleep 1
		b=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
		if [ "$a" = "$b" ]; then
			still=$((still + 1))
			[ "$still" -lt 3 ] || { echo "$b"; return 0; }
		else
			still=0
		fi
		a=$b
	done
	echo "$b"
}
