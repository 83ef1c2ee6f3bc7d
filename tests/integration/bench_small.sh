#!/bin/bash
# The benchmarks still run: bench/planning_vs_remind.sh, bench/materialize.sh
# and bench/import.sh at a tiny size on the suite's own build
# (BENCH_PREBUILT=1), so that a change of the schema, of a command or of
# an internal call the bench program makes (bench/planonly.c, built with
# the daemon) shows here, not in the next benchmark run.  The figures are
# not judged; the counts are, worked out by hand:
#   materialize N=30: tasks i%3==0 monthly (12 in 2024), the others
#     quarterly (4): 10 x 12 + 20 x 4 = 200 occurrences.
#   import N=90: 9 sections of 11 rows, cut after 90 + 22 lines: 8 whole
#     sections (88 rows) and 2 rows of the ninth = 90 task rows.
#   planning UNITS=4 TASKS=40: 4 units x 40 tasks = 160 occurrences; task
#     i is due 2024-01-01 + floor((i - 1) * 731 / 40) days; today
#     2024-07-15 (day 196), task 12 (day 201, Saturday 20/07, moved to
#     Monday 22/07) is the one Remind's +7 covers: 4 reminders, one per unit.
# Takes a few seconds; Remind missing: the planning case is skipped.
set -uo pipefail

: "${SRCDIR:?}" "${BUILDDIR:?}"
[ -x "$BUILDDIR/bench_planonly" ] || { echo "FAIL: $BUILDDIR/bench_planonly not built"; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "SKIP: /usr/bin/time missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 missing"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export BENCH_PREBUILT=1 BUILD=$BUILDDIR RUNS=1 DAEMON=0 CACHE=off
passed=0 failed=0 skipped=0

# One check: the condition, then what it verifies.
check() {
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $2"
	fi
}

# Runs a bench script (60 s at most) into $tmp/NAME.out; prints its
# error output when it fails.
run() {
	local name=$1
	shift
	env "$@" timeout 60 bash "$SRCDIR/bench/$name.sh" > "$tmp/$name.out" 2> "$tmp/$name.err"
	local rc=$?
	[ $rc = 0 ] || tail -n 20 "$tmp/$name.err"
	check $rc "bench/$name.sh exits 0 (exit $rc)"
}

# Whether the output of NAME has a line matching the pattern.
has() {
	grep -q -- "$2" "$tmp/$1.out"
	check $? "$1: a line '$2'"
}

run materialize N=30
has materialize '^materialize: 30 recurring tasks, 200 occurrences for 2024$'
has materialize '^  time (s): *median [0-9.]* (min'

run import N=90
has import '^import seed (51 task rows), including materialization:$'
has import '^import generated (90 task rows), including materialization:$'

if command -v remind >/dev/null; then
	run planning_vs_remind UNITS=4 TASKS=40
	has planning_vs_remind '^planning vs remind: 160 open occurrences (4 units x 40 tasks each), today 2024-07-15$'
	has planning_vs_remind '^  remind told: 4 reminders'
	has planning_vs_remind '^  deadlined planning, whole process (s): *median [0-9.]* (min'
	has planning_vs_remind '^  remind_pass() of deadlined, in-process (s): *median [0-9.]* (min'
	has planning_vs_remind '^  pages read by remind_pass() .*median [1-9]'
	has planning_vs_remind '^  ratio remind / deadlined planning, whole process: [0-9.]* (target >= 20'
else
	echo "SKIP: remind missing: bench/planning_vs_remind.sh not run"
	skipped=1
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ] || exit 1
[ $skipped = 0 ] || exit 77
exit 0
