#!/usr/bin/env bash
# CPU time of an idle daemon: deadlined runs as a service (no --once) with
# its HTTP server on loopback, over a small plan (20 one-off tasks due in
# 2025, nothing due or overdue), for SECS seconds (default 1800: three of
# its ten-minute heartbeats) after a WARMUP (default 5 s, the start-up
# pass).  As under the shipped systemd unit (WatchdogSec=3min) it has a
# watchdog of WATCHDOG seconds (default 180; 0 for none), fed to a
# NOTIFY_SOCKET that a python3 reader outside the measurement drains.
# CPU is read before and after from /proc/PID/task/*/schedstat (nanoseconds
# on CPU, every thread) and /proc/PID/stat (utime + stime, clock ticks);
# wake-ups are the voluntary context switches of all threads.  Both are
# extrapolated to one hour.  Target: under 0.1 s of CPU per hour.
# Environment: SECS, WARMUP, WATCHDOG.
. "$(dirname "$0")/common.sh"
secs=${SECS:-1800}
watchdog=${WATCHDOG:-180}
warmup=${WARMUP:-5}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/state"
cat > "$work/deadlined.ini" <<CONF
[daemon]
state_dir = $work/state
units_file = $top/config/units.ini
[calendar]
days_off_file = $top/config/days-off.ini
[plan]
coordinator = noivu
[reminders]
channel = spool
[http]
listen = 127.0.0.1:$port
base_url = http://127.0.0.1:$port
CONF
db=$work/state/deadlined.db
$ctl -c "$work/deadlined.ini" --now 2024-07-15 init >/dev/null
sqlite3 "$db" <<SQL
INSERT INTO plans (code, title, year, starts, ends, generation)
    VALUES ('idle', 'Kế hoạch nhỏ', 2025, '2025-01-01', '2025-12-31', 1);
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 20)
INSERT INTO tasks (plan_id, ref, title, kind, due, updated_at)
SELECT 1, 'I' || i, 'Báo cáo số ' || i, 'once', '2025-06-30', '2024-07-15T00:00:00' FROM seq;
INSERT INTO assignments (task_id, unit_id, role)
SELECT t.id, u.id, 'lead' FROM tasks t JOIN (SELECT id, row_number()
    OVER (ORDER BY id) - 1 AS k FROM units WHERE is_group = 0) u ON u.k = t.id % 10;
SQL
reader=
if [ "$watchdog" != 0 ]; then
	/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
n = 0
while True:
    if s.recv(4096).startswith(b"WATCHDOG=1"):
        n += 1
        with open(sys.argv[2], "w") as f:
            f.write("%d\n" % n)
' "$work/notify" "$work/pings" &
	reader=$!
	for _ in $(seq 50); do [ -S "$work/notify" ] && break; sleep 0.1; done
	export NOTIFY_SOCKET=$work/notify WATCHDOG_USEC=$((watchdog * 1000000))
fi
"$daemon" -c "$work/deadlined.ini" --now 2024-07-15T10:00 2> "$work/log" &
pid=$!
unset NOTIFY_SOCKET WATCHDOG_USEC
trap 'kill $pid $reader 2>/dev/null; wait $pid $reader 2>/dev/null || :; rm -rf "$work"' EXIT
sleep "$warmup"
kill -0 $pid 2>/dev/null || { cat "$work/log" >&2; echo "deadlined exited" >&2; exit 1; }

# CPU nanoseconds of every thread, clock ticks of the process, wake-ups.
sample() {
	local ns=0 sw=0 t a
	for t in /proc/$pid/task/*; do
		read -r a _ < "$t/schedstat" && ns=$((ns + a))
		a=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "$t/status") && sw=$((sw + a))
	done
	echo "$ns $(awk '{ print $14 + $15, $12, $10 }' /proc/$pid/stat) $sw"
}
read -r ns0 tk0 mj0 mn0 sw0 < <(sample)
t0=$(date +%s.%N)
sleep "$secs"
read -r ns1 tk1 mj1 mn1 sw1 < <(sample)
t1=$(date +%s.%N)
threads=$(ls /proc/$pid/task | wc -l)
hz=$(getconf CLK_TCK)
echo "idle deadlined: $threads threads, measured over ${secs} s after a ${warmup} s warm-up"
if [ "$watchdog" != 0 ]; then
	echo "  watchdog: ${watchdog} s, $(cat "$work/pings" 2>/dev/null || echo 0) WATCHDOG=1 received in all"
else
	echo "  watchdog: none"
fi
awk -v ns="$((ns1 - ns0))" -v tk="$((tk1 - tk0))" -v sw="$((sw1 - sw0))" \
    -v mj="$((mj1 - mj0))" -v mn="$((mn1 - mn0))" \
    -v t0="$t0" -v t1="$t1" -v hz="$hz" 'BEGIN {
	el = t1 - t0; f = 3600 / el
	printf "  CPU (schedstat): %.4f s in %.1f s = %.3f s per hour (target < 0.1: %s)\n",
	    ns / 1e9, el, ns / 1e9 * f, (ns / 1e9 * f < 0.1) ? "met" : "not met"
	printf "  CPU (utime+stime): %d ticks of 1/%d s = %.3f s per hour\n", tk, hz, tk / hz * f
	printf "  wake-ups (voluntary context switches): %d = %.0f per hour\n", sw, sw * f
	printf "  page faults: %d major (pages read back from disk), %d minor\n", mj, mn
}'
