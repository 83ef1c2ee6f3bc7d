#!/usr/bin/env bash
# The daily question "what must be told today" over 1,000,000 open
# occurrences (UNITS units x TASKS one-off tasks, each task assigned to every
# unit, due dates spread over 2024-2025), asked of deadlined and of Remind
# (Debian's `remind`, one REM line per obligation) in the same run.
#
# deadlined: a small program linked against libdeadlinedcore
# (bench/planonly.c, built with the daemon as bench_planonly) opens a
# fresh copy of the prepared database (a pass records what it said, so a
# second pass on the same copy would say nothing) and times, with clock_gettime,
#   plan     remind_pass(): what each unit is told today, recorded in the
#            outbox in one transaction, and the pages SQLite read for it
#   deliver  dispatch_run() right after: every planned digest rendered
#            (text, HTML, MIME) and written to the spool folder
# as the daemon runs them; its peak RSS (/usr/bin/time %M) covers both.
# The same program with --plan-only is also timed as a whole process, from
# its start to its exit: loading the shared libraries, the configuration
# and the calendar, opening the store, planning, closing, what a
# `deadlined --once` does around its planning (which it cannot be asked to
# do alone: it also schedules, delivers and writes the feeds).  That whole
# process is what compares with `remind`, itself a whole process; the ratio
# of the in-process pass is printed too.
# The start-up alone (the program loaded with its shared libraries, main()
# returning at once) is timed the same way: the part of the whole process
# no change to the pass can reach.
# The rest of a daemon pass (materialization, the calendar feeds) is timed
# by bench/materialize.sh and bench/feed_vs_icalendar.sh; with DAEMON=1
# this script also starts deadlined as a service (HTTP on) on a fresh copy
# and gives the time of its first pass and its peak RSS (minutes: it writes
# 2,002 feeds of 1,000,000 events each, 1.9 GB).
#
# Every timed run starts from a settled state: the copy of the database is
# written out (sync) before the clock starts, so that the page cache's
# writeback does not compete with the pass, and one run of each program
# warms the caches and is not counted.  The pages read are counted by a VFS
# in front of SQLite's own (its xRead calls, 4 KiB each) in the in-process
# run only.
#
# Remind: `remind -q FILE DAY`, FILE holding `REM <effective date> +7 MSG
# <unit>: <task>` per obligation: the reminders due or advance-warned today.
#
# Targets: planning at least 20x faster than Remind, as a whole process;
# peak RSS of deadlined (/usr/bin/time %M) under 32 MiB with 1,000,000
# occurrences.  It also prints the pages the pass read beside the floor:
# the leaf pages of the index occurrences_due that hold the open
# occurrences of the pass's window (the least it can read to decide), from
# SQLite's dbstat.
# Environment: UNITS (1000), TASKS (1000), RUNS (3), DAY (2024-07-15),
# DAEMON (0), CACHE (see below).
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
. "$(dirname "$0")/common.sh"
units=${UNITS:-1000}
tasks=${TASKS:-1000}
runs=${RUNS:-3}
day=${DAY:-2024-07-15}
need() {
	command -v "$1" >/dev/null && return 0
	[ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q "$2" >/dev/null 2>&1
	command -v "$1" >/dev/null || { echo "needs $1 (apt-get install $2)" >&2; exit 1; }
}
need remind remind
need /usr/bin/time time
need sqlite3 sqlite3
need curl curl

# The unit directory: the coordinator and UNITS-1 communes under it.
{
	printf '[unit noivu]\nname = Phòng Nội vụ\nemail = noivu@example.gov.vn\n\n'
	for i in $(seq 2 "$units"); do
		printf '[unit u%04d]\nname = UBND xã Thử %d\nemail = u%04d@example.gov.vn\nparent = noivu\n\n' \
		    "$i" "$i" "$i"
	done
} > "$work/units.ini"
mkdir -p "$work/state"
cat > "$work/deadlined.ini" <<CONF
[daemon]
state_dir = $work/state
units_file = $work/units.ini
[calendar]
days_off_file = $top/config/days-off.ini
[plan]
coordinator = noivu
[reminders]
lead_days = 7 3 1 0
overdue_every = 3
overdue_max = 5
escalate_after = 5
send_time = 08:00
channel = spool
[report]
schedule = off
[http]
enabled = no
CONF
db=$work/state/deadlined.db
$ctl -c "$work/deadlined.ini" --now 2024-01-01 init >/dev/null

# Fills the store of $db with the plan, its tasks, assignments and
# occurrences.  The page cache is large (the indexes of 1,000,000 rows
# are updated in random order; SQLite's default 2 MB spilled them to the
# WAL again and again) and nothing is synced until the checkpoint: the
# file it leaves is the same, made in a fraction of the time.
prepare() {
	sqlite3 "$db" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -524288;
BEGIN;
INSERT INTO plans (code, title, year, starts, ends, generation)
    VALUES ('bench', 'Kế hoạch thử tải', 2024, '2024-01-01', '2025-12-31', 1);
-- TASKS one-off tasks per unit, due dates spread evenly over 2024-2025.
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $tasks)
INSERT INTO tasks (plan_id, ref, title, time_text, kind, due, updated_at)
SELECT 1, u.code || '-' || i, 'Nhiệm vụ số ' || i || ' của ' || u.name,
    'trước ngày ' || strftime('%d/%m/%Y', d), 'once', d, '2024-01-01T00:00:00'
FROM (SELECT i, date('2024-01-01', '+' || ((i - 1) * 731 / $tasks) || ' days') AS d
    FROM seq), units u WHERE u.is_group = 0 ORDER BY u.id, i;
INSERT INTO assignments (task_id, unit_id, role)
SELECT t.id, u.id, 'lead' FROM tasks t JOIN units u ON u.code = substr(t.ref, 1, instr(t.ref, '-') - 1);
-- The effective date: a Saturday or Sunday deadline moves to Monday.
INSERT INTO occurrences (task_id, unit_id, nominal, effective)
SELECT a.task_id, a.unit_id, t.due, CASE strftime('%w', t.due)
    WHEN '6' THEN date(t.due, '+2 days') WHEN '0' THEN date(t.due, '+1 days')
    ELSE t.due END FROM assignments a JOIN tasks t ON t.id = a.task_id;
COMMIT;
SQL
	# One self-contained database file to copy before each run.
	sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	# Remind's file: one REM line per obligation, on its effective date.
	sqlite3 -separator ' ' "$db" "SELECT 'REM', o.effective, '+7 MSG', u.code || ':',
	    t.title FROM occurrences o JOIN tasks t ON t.id = o.task_id
	    JOIN units u ON u.id = o.unit_id" > "$work/obligations.rem"
}

# The prepared database and Remind's file are kept in CACHE (default
# ~/.cache/deadlined-bench; CACHE=off keeps nothing) under a key made of
# this script's parameters, its preparation (the text of prepare()) and
# the store's schema as `init` made it: a rerun with the same key copies
# them instead of preparing again; another schema or size prepares anew.
cache=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/deadlined-bench}
key=$( { echo "$units $tasks"; declare -f prepare; cat "$work/units.ini";
    sqlite3 "$db" "PRAGMA user_version; SELECT sql FROM sqlite_master ORDER BY name"; } |
    sha256sum | cut -c1-16)
prep_start=$(date +%s.%N)
if [ "$cache" != off ] && [ -f "$cache/planning-$key.db" ] &&
    [ -f "$cache/planning-$key.rem" ]; then
	cp "$cache/planning-$key.db" "$work/prepared.db"
	cp "$cache/planning-$key.rem" "$work/obligations.rem"
	prepared="copied from the cache $cache/planning-$key.db"
else
	prepare
	cp "$db" "$work/prepared.db"
	prepared="prepared"
	if [ "$cache" != off ] && mkdir -p "$cache"; then
		# Only this key's files are kept: an older key's 350 MB go.
		rm -f "$cache"/planning-*.db "$cache"/planning-*.rem
		cp "$db" "$cache/planning-$key.db.tmp" &&
		    cp "$work/obligations.rem" "$cache/planning-$key.rem" &&
		    mv "$cache/planning-$key.db.tmp" "$cache/planning-$key.db"
	fi
fi
prep_secs=$(awk -v s="$prep_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
nocc=$(sqlite3 "$work/prepared.db" "SELECT count(*) FROM occurrences WHERE status = 'open'")

# min / median / max of numbers one per line on stdin (mawk-safe).
summary() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
	    printf "median %.3f (min %.3f, max %.3f, n %d)\n", m, v[1], v[NR], NR }'
}

# A fresh copy of the prepared database, written out before any timing.
fresh() {
	rm -rf "$work/state/spool" "$work/state/feeds" "$db-wal" "$db-shm"
	cp "$work/prepared.db" "$db"
	sync
}

# "WALL CPU": the seconds a command takes from its start to its exit, and
# the CPU seconds (user + system) it used, which another load on the
# machine stretches less than the wall clock.
cost() {
	/usr/bin/python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
w = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f %.4f" % (w, r.ru_utime + r.ru_stime))
PY
}

# The planning pass and the delivery, in-process: bench/planonly.c, built
# with the daemon.
planonly=$build/bench_planonly

# A warm-up of each program, not counted.
load=$(cut -d' ' -f1-3 /proc/loadavg)
fresh
"$planonly" "$work/deadlined.ini" "${day}T08:30" > /dev/null
remind -q "$work/obligations.rem" "$day" > /dev/null

: > "$work/only"; : > "$work/deliver"; : > "$work/onlyrss"; : > "$work/rem"
: > "$work/whole"; : > "$work/pages"; : > "$work/wholecpu"; : > "$work/remcpu"
: > "$work/start"; : > "$work/startcpu"
for r in $(seq "$runs"); do
	fresh
	/usr/bin/time -f %M -o "$work/time.out" "$planonly" "$work/deadlined.ini" \
	    "${day}T08:30" > "$work/only.out"
	read -r secs dsecs dunits ditems desc dmsgs dsent dpages wfrom wto < "$work/only.out"
	cat "$work/time.out" >> "$work/onlyrss"
	echo "$secs" >> "$work/only"
	echo "$dsecs" >> "$work/deliver"
	echo "$dpages" >> "$work/pages"
	spooled=$(find "$work/state/spool" -type f 2>/dev/null | wc -l)
	fresh
	read -r secs cpu < <(cost "$planonly" --plan-only "$work/deadlined.ini" "${day}T08:30")
	echo "$secs" >> "$work/whole"
	echo "$cpu" >> "$work/wholecpu"
	read -r secs cpu < <(cost "$planonly" --start-up)
	echo "$secs" >> "$work/start"
	echo "$cpu" >> "$work/startcpu"
	sync
	read -r secs cpu < <(cost remind -q "$work/obligations.rem" "$day")
	echo "$secs" >> "$work/rem"
	echo "$cpu" >> "$work/remcpu"
done
remind -q "$work/obligations.rem" "$day" > "$work/remind.out"
rlines=$(grep -c ': ' "$work/remind.out" || true)

# The floor of the pages read: the leaf pages of occurrences_due that hold
# the open occurrences of the pass's window (read from planonly), in
# proportion to its entries as dbstat counts its leaves, and the same
# entries packed into full pages.
wcount=$(sqlite3 "$work/prepared.db" "SELECT count(*) FROM occurrences
    WHERE status = 'open' AND effective BETWEEN '$wfrom' AND '$wto'")
read -r leaves payload <<< "$(sqlite3 -separator ' ' "$work/prepared.db" \
    "SELECT count(*), sum(payload) FROM dbstat WHERE name = 'occurrences_due'
    AND pagetype = 'leaf'")"
floor=$(awk -v l="$leaves" -v w="$wcount" -v n="$nocc" 'BEGIN { printf "%d", l * w / n + 0.999 }')
packed=$(awk -v p="$payload" -v w="$wcount" -v n="$nocc" 'BEGIN { printf "%d", p * w / n / 4096 + 0.999 }')

only=$(bench_median < "$work/only")
whole=$(bench_median < "$work/whole")
rem=$(bench_median < "$work/rem")
wholecpu=$(bench_median < "$work/wholecpu")
remcpu=$(bench_median < "$work/remcpu")
onlyrss=$(bench_median < "$work/onlyrss")
pages=$(bench_median < "$work/pages")
echo "planning vs remind: $nocc open occurrences ($units units x $tasks tasks each), today $day"
echo "  database: $prepared in $prep_secs s"
echo "  load average (1, 5, 15 min) before the runs: $load_start at the start, $load after preparing"

echo "  deadlined told: $dunits digests with $ditems items, $desc escalation digests, $dmsgs messages ($dsent sent, $spooled spool files)"
echo "  remind told: $rlines reminders (due or within 7 days; Remind has no overdue stage)"
echo "  remind -q FILE $day, whole process (s):             $(summary < "$work/rem")"
echo "  deadlined planning, whole process (s):              $(summary < "$work/whole")"
echo "  CPU seconds of each: remind $(summary < "$work/remcpu")"
echo "                       deadlined $(summary < "$work/wholecpu")"
echo "  of which the start-up (libraries loaded, main() returns at once):"
echo "    wall (s)  $(summary < "$work/start")"
echo "    CPU (s)   $(summary < "$work/startcpu")"
echo "  remind_pass() of deadlined, in-process (s):         $(summary < "$work/only")"
echo "  then dispatch_run(): render + spool (s):            $(summary < "$work/deliver")"
echo "  peak RSS of that process (KiB):                     $(summary < "$work/onlyrss")"
echo "  pages read by remind_pass() (4 KiB, xRead calls):   $(summary < "$work/pages")"
echo "  floor: $wcount open occurrences in the window $wfrom..$wto; occurrences_due holds them in $floor of its $leaves leaf pages ($packed if packed full)"
awk -v r="$rem" -v o="$only" -v w="$whole" -v m="$onlyrss" -v p="$pages" -v f="$floor" \
    -v rc="$remcpu" -v wc="$wholecpu" 'BEGIN {
	if (o < 0.001) o = 0.001
	if (w < 0.001) w = 0.001
	if (wc < 0.001) wc = 0.001
	printf "  pages read / floor: %.2f\n", p / f
	printf "  ratio remind / deadlined planning, whole process, CPU seconds: %.1f\n", rc / wc
	printf "  ratio remind / deadlined planning, whole process: %.1f (target >= 20: %s)\n", r / w, (r / w >= 20) ? "met" : "not met"
	printf "  ratio remind / remind_pass(), in-process: %.1f (the process around the pass not counted)\n", r / o
	printf "  peak RSS %.1f MiB (target < 32 MiB: %s)\n", m / 1024, (m < 32768) ? "met" : "not met"
}'
[ "${DAEMON:-0}" = 1 ] || exit 0

# The daemon as a service, its HTTP server on: started at DAY 08:30 on a
# fresh copy, it materializes, writes the feeds, plans and delivers; its
# peak RSS (VmHWM) is read once the delivery is logged and the feed table
# is set, then it is stopped.
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s/^enabled = no$/enabled = yes\nlisten = 127.0.0.1:$port/" "$work/deadlined.ini"
fresh
start=$(date +%s.%N)
"$daemon" -c "$work/deadlined.ini" --now "${day}T08:30" 2> "$work/daemon.log" &
pid=$!
# The pass plans and delivers, then writes the feeds and sets the HTTP
# server's table: wait for the feeds' line, then a moment for the table.
for _ in $(seq 1800); do
	grep -q 'feeds:' "$work/daemon.log" && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 1
done
sleep 2
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
token=$(sqlite3 "$db" "SELECT token FROM feeds WHERE name = 'u0002'")
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/feeds/$token/u0002.ics" || true)
code_all=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' \
    "http://127.0.0.1:$port/feeds/$(sqlite3 "$db" "SELECT token FROM feeds WHERE name = 'all'")/all.ics" || true)
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
kill -TERM "$pid"
wait "$pid" || true
grep -E 'feeds:|queued|delivery:' "$work/daemon.log" | sed 's/^/  daemon: /'
echo "  GET u0002.ics: $code; GET all.ics: $code_all bytes"
awk -v s="$secs" -v m="$hwm" 'BEGIN {
	printf "  deadlined (service, HTTP on): first pass done in %s s, peak RSS %.1f MiB (target < 32 MiB: %s)\n", s, m / 1024, (m < 32768) ? "met" : "not met"
}'
