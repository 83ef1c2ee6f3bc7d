#!/bin/bash
# Times `deadlinectl feed all` on a 100,000-event synthetic store against
# python3-icalendar building the same events (bench/feed_icalendar.py):
# the median of 5 runs each after a warm-up run, and their ratio.
#   DEADLINECTL=build/deadlinectl N=100000 bench/feed_vs_icalendar.sh
set -eu
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
CTL=${DEADLINECTL:-$SRCDIR/build/deadlinectl}
PY=/usr/bin/python3
N=${N:-100000}
RUNS=${RUNS:-5}
[ -x "$CTL" ] || { echo "no $CTL: build first or set DEADLINECTL" >&2; exit 1; }
$PY -c 'import icalendar' 2>/dev/null || { echo "python3-icalendar missing" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cat > "$TMP/deadlined.ini" <<INI
[daemon]
state_dir = $TMP
units_file = $SRCDIR/config/units.ini
[calendar]
days_off_file = $SRCDIR/config/days-off.ini
INI
ctl() { "$CTL" -c "$TMP/deadlined.ini" --now 2024-07-01 "$@"; }
ctl init >/dev/null
$PY "$SRCDIR/bench/feed_icalendar.py" generate "$TMP/deadlined.db" "$N" spread

# Milliseconds of the median of $RUNS runs of a command.
median_ms() {
	local i s e
	for i in $(seq "$RUNS"); do
		s=$(date +%s%N)
		"$@" >/dev/null
		e=$(date +%s%N)
		echo $(((e - s) / 1000000))
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

ctl feed all -o "$TMP/c.ics"
$PY "$SRCDIR/bench/feed_icalendar.py" render "$TMP/deadlined.db" all 2024-07-01 "$TMP/p.ics"
events=$(grep -c '^BEGIN:VEVENT' "$TMP/c.ics")
pevents=$(grep -c '^BEGIN:VEVENT' "$TMP/p.ics")
# The runs above warmed the caches; what they wrote is written out.
sync
c=$(median_ms ctl feed all -o /dev/null)
p=$(median_ms $PY "$SRCDIR/bench/feed_icalendar.py" render "$TMP/deadlined.db" all 2024-07-01 /dev/null)
echo "tasks x units: $N; VEVENTs: deadlinectl $events ($(stat -c %s "$TMP/c.ics") bytes), python3-icalendar $pevents ($(stat -c %s "$TMP/p.ics") bytes)"
echo "deadlinectl feed all:  median ${c} ms of $RUNS"
echo "python3-icalendar:     median ${p} ms of $RUNS"
awk -v c="$c" -v p="$p" 'BEGIN { printf "ratio python/deadlinectl: %.2f\n", p / c }'
echo "load average (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
