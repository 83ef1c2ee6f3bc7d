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
