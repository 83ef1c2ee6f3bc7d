#!/usr/bin/env bash
# The feed stage after one write, on the province-sized database of
# bench/console.sh: 150 units (the coordinator and 149 communes), 10 plans
# of 134 one-off tasks each, every task assigned to every commune: 199,660
# occurrences and 302 feed files (.ics and -todo.ics of "all" and each
# unit), with completion links, on 15 July 2024 (--now).
# One `deadlined --once` writes every feed first (not measured); then,
# RUNS times, one occurrence of a commune is marked done (or reopened, in
# turn) with deadlinectl and `deadlined --once` runs again: the whole
# process is timed (GNU time: wall, user, system seconds, peak RSS), sync
# before each.  The same is done, run for run in turn, with the deadlined
# of BEFORE_REV (default 868c084, the commit before the feeds were
# rendered per changed unit), built from `git archive` in
# BUILD-before/ (or BEFORE_BUILD, a build made already), on its own copy
# of the database.  Printed: the median of each figure with min and max,
# the files each pass rendered again (the new daemon's debug line), and
# the ratio of the medians.  Then each build runs as a service (no --once,
# no HTTP server) on its copy: SERVE_RUNS more writes, and the CPU seconds
# (utime + stime) of the service from each write until its CPU time stops
# growing for three seconds, a pass's planning, scheduling and feeds.  The
# load average is printed before and after.
#   RUNS=5 SERVE_RUNS=3 bench/feed_write.sh
. "$(dirname "$0")/common.sh"
runs=${RUNS:-5}
rev=${BEFORE_REV:-868c084}
before=${BEFORE_BUILD:-}
if [ -z "$before" ]; then
	before=$build-before
	if [ ! -x "$before/build/deadlined" ] ||
	    [ "$(cat "$before/rev" 2>/dev/null)" != "$rev" ]; then
		rm -rf "$before"
		mkdir -p "$before/src"
		git -C "$top" archive "$rev" | tar -x -C "$before/src"
		cmake -S "$before/src" -B "$before/build" \
		    -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
		cmake --build "$before/build" -j"$(nproc 2>/dev/null || echo 2)" \
		    >/dev/null
		echo "$rev" > "$before/rev"
	fi
	before=$before/build
fi
command -v sqlite3 >/dev/null || { echo "needs sqlite3" >&2; exit 1; }

province_units "$work/units.ini"
(umask 077 && head -c 32 /dev/urandom | base64 > "$work/link.key")
# An install: its state folder and configuration (verbose: the feeds line).
install() {
	mkdir -p "$work/$1"
	cat > "$work/$1/deadlined.ini" <<CONF
[daemon]
state_dir = $work/$1
units_file = $work/units.ini
verbose = 1
[calendar]
days_off_file = $top/config/days-off.ini
[plan]
coordinator = noivu
[reminders]
channel = spool
[report]
schedule = off
[http]
enabled = no
base_url = https://lich.example.gov.vn
link_secret_file = $work/link.key
CONF
}
install prep
prep="$ctl -c $work/prep/deadlined.ini"
db=$work/prep/deadlined.db
$prep --now 2024-01-01 init >/dev/null
province_fill "$db"
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
nocc=$(sqlite3 "$db" "SELECT count(*) FROM occurrences")
due=$(sqlite3 "$db" "SELECT min(id) FROM occurrences WHERE status = 'open' AND effective >= '2024-07-01' AND effective < '2024-07-15'")
unit=$(sqlite3 "$db" "SELECT u.code FROM occurrences o JOIN units u ON u.id = o.unit_id WHERE o.id = $due")

# Each build on its own copy, after a first pass that writes every feed.
for b in old new; do
	install "$b"
	cp "$db" "$work/$b/deadlined.db"
done
"$before/deadlined" -c "$work/old/deadlined.ini" --once \
    --now 2024-07-15T08:00 >/dev/null 2>&1
$daemon -c "$work/new/deadlined.ini" --once --now 2024-07-15T08:00 \
    >/dev/null 2>&1
nfiles=$(ls "$work/new/feeds" | wc -l)

# One write, then one timed pass: "wall user sys rss" on stdout; the
# pass's feeds line appended to $work/$1.lines.
pass() {
	local b=$1 exe=$2 i=$3 verb
	verb=$([ $((i % 2)) = 1 ] && echo done || echo reopen)
	$ctl -c "$work/$b/deadlined.ini" --now 2024-07-15T09:00 $verb "$due" \
	    $([ "$verb" = done ] && echo --by bench) >/dev/null
	sync
	/usr/bin/time -f "%e %U %S %M" -o "$work/time.out" "$exe" \
	    -c "$work/$b/deadlined.ini" --once \
	    --now "2024-07-15T09:$(printf %02d "$i")" 2> "$work/$b.err" >/dev/null
	cat "$work/time.out"
	grep -o 'feeds: .*' "$work/$b.err" | tr '\n' ';' >> "$work/$b.lines"
	echo >> "$work/$b.lines"
}
echo "feed_write: deadlined --once after one write (occurrence $due of $unit done/reopened in turn)"
echo "on $nocc occurrences, 150 units, $nfiles feed files; $runs runs each, in turn; load before: $(bench_load)"
: > "$work/old.times"
: > "$work/new.times"
for i in $(seq "$runs"); do
	pass old "$before/deadlined" "$i" >> "$work/old.times"
	pass new "$daemon" "$i" >> "$work/new.times"
done
summary() {
	local f=$1 col=$2
	awk -v c="$col" '{ print $c }' "$f" | bench_summary
}
for b in old new; do
	label=$([ "$b" = old ] && echo "before ($rev)" || echo "after ($(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo tree))")
	echo "$label:"
	echo "  wall (s):     $(summary "$work/$b.times" 1)"
	echo "  user (s):     $(summary "$work/$b.times" 2)"
	echo "  system (s):   $(summary "$work/$b.times" 3)"
	echo "  peak RSS (KiB): $(summary "$work/$b.times" 4)"
	echo "  feeds line of the last pass: $(tail -n 1 "$work/$b.lines")"
done
ow=$(awk '{ print $1 }' "$work/old.times" | bench_median)
nw=$(awk '{ print $1 }' "$work/new.times" | bench_median)
ou=$(awk '{ print $2 }' "$work/old.times" | bench_median)
nu=$(awk '{ print $2 }' "$work/new.times" | bench_median)
awk -v a="$ow" -v b="$nw" -v c="$ou" -v d="$nu" 'BEGIN {
	printf "ratio before/after, medians: wall %.1fx, user %.1fx\n", a / (b > 0 ? b : 0.001), c / (d > 0 ? d : 0.001) }'
# Both keep the files whose text did not change (with their DTSTAMP) and
# rewrite the others at the same --now: their folders must be the same.
if diff -r -q "$work/old/feeds" "$work/new/feeds" >/dev/null; then
	echo "feed files of before and after: identical ($nfiles files)"
else
	echo "feed files of before and after: DIFFER" \
	    "($(diff -r -q "$work/old/feeds" "$work/new/feeds" | wc -l) files)"
fi

# The service (no --once) on the same copies: CPU seconds (utime + stime
# of /proc/PID/stat) of its pass after one write, from the write until
# its CPU time stops growing for three seconds; SERVE_RUNS writes each.
serve_runs=${SERVE_RUNS:-3}
for b in $([ "$serve_runs" -gt 0 ] && echo old new); do
	exe=$([ "$b" = old ] && echo "$before/deadlined" || echo "$daemon")
	"$exe" -c "$work/$b/deadlined.ini" --now 2024-07-15T10:00 \
	    2> "$work/$b.serve.err" &
	spid=$!
	t0=$(bench_settle "$spid")
	: > "$work/$b.serve"
	for i in $(seq "$serve_runs"); do
		verb=$([ $(((runs + i) % 2)) = 1 ] && echo done || echo reopen)
		$ctl -c "$work/$b/deadlined.ini" --now 2024-07-15T10:00 $verb \
		    "$due" $([ "$verb" = done ] && echo --by bench) >/dev/null
		t1=$(bench_settle "$spid")
		echo "$t0 $t1" | awk '{ printf "%.2f\n", ($2 - $1) / 100 }' \
		    >> "$work/$b.serve"
		t0=$t1
	done
	kill "$spid"
	wait "$spid" 2>/dev/null || true
	echo "service, CPU (s) of the pass after a write, $b: $(bench_summary < "$work/$b.serve")"
done
echo "load after: $(bench_load)"
