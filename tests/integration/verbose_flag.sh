#!/bin/bash
# deadlined -v gives debug messages whatever the configuration's verbose
# key says (the higher of the two wins), and a reload applies the key
# again.  Until 04/12 the key, read after the flags, set the level: with
# verbose = 0 in the file, -v printed no debug line past start-up.
# "scheduled N tasks, M occurrences" is a debug line of every pass.
set -uo pipefail

: "${DEADLINED:?}" "${SRCDIR:?}"
[ -x "$DEADLINED" ] || exit 77
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0 checks=0
check() {
	checks=$((checks + 1))
	if [ "$1" != 0 ]; then
		echo "FAIL: $2" >&2
		failures=$((failures + 1))
	fi
}

# config LEVEL: the configuration with [daemon] verbose = LEVEL.
config() {
	mkdir -p "$tmp/state"
	cat > "$tmp/deadlined.ini" <<INI
[daemon]
state_dir = $tmp/state
units_file = $SRCDIR/config/units.ini
verbose = $1
[calendar]
days_off_file = $SRCDIR/config/days-off.ini
[reminders]
channel = spool
[spool]
dir = $tmp/spool
[http]
enabled = no
INI
}

# once FLAGS...: one pass; its messages in $tmp/err.
once() {
	timeout 120 "$DEADLINED" "$@" -c "$tmp/deadlined.ini" --once \
	    --now 2024-07-15T08:00 2>"$tmp/err" >/dev/null
	check $? "deadlined $* --once exits 0 ($(tail -n 1 "$tmp/err"))"
}

config 0
once
grep -q 'scheduled [0-9]* tasks' "$tmp/err"
check $((! $?)) "verbose = 0, no -v: no debug line"
once -v
grep -q 'scheduled [0-9]* tasks' "$tmp/err"
check $? "verbose = 0 and -v: the debug line (-v is not lowered by the file)"
config 1
once
grep -q 'scheduled [0-9]* tasks' "$tmp/err"
check $? "verbose = 1, no -v: the debug line"

# waitfor PATTERN: 1 if the service's messages show it within 60 s (times
# DEADLINED_TEST_SLOW under valgrind).
waitfor() {
	local i
	for i in $(seq $((600 * ${DEADLINED_TEST_SLOW:-1}))); do
		grep -q -- "$1" "$tmp/serve.err" && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
# The service with verbose = 0; a reload with verbose = 1 gives the
# debug line of its next pass (a reload schedules every task again).  A
# new state folder: its first pass writes the feeds, an info line.
rm -rf "$tmp/state"
config 0
"$DEADLINED" -c "$tmp/deadlined.ini" --now 2024-07-15T08:00 \
    2>"$tmp/serve.err" >/dev/null &
pid=$!
waitfor 'feeds: [0-9]* files written'
check $? "the service's first pass ends"
grep -q 'scheduled [0-9]* tasks' "$tmp/serve.err"
check $((! $?)) "verbose = 0: the service prints no debug line"
config 1
kill -HUP "$pid"
waitfor 'configuration reloaded'
check $? "the service reloads"
waitfor 'scheduled [0-9]* tasks'
check $? "verbose = 1 after the reload: the debug line of the next pass"
kill "$pid"
wait "$pid"
check $? "the service exits 0 on SIGTERM"

echo "$checks checks, $failures failed"
[ "$failures" = 0 ]
