#!/bin/bash
# deadlined raises its soft limit of open files to the hard limit: each feed
# sent from its file holds a descriptor, and systemd's default soft limit of
# 1024 is short of a district of 500 units.  The service starts here with a
# soft limit of 64; /proc/PID/limits must then show soft = hard.
set -euo pipefail

: "${DEADLINED:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/tools/config.sh"
[ -r /proc/self/limits ] || { echo "SKIP: no /proc/self/limits"; exit 77; }
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -gt 64 ] ||
	{ echo "SKIP: hard limit of open files $hard"; exit 77; }
case "${DEADLINED_TEST_WRAPPER:-}$DEADLINED" in
*valgrind*)
	# valgrind keeps descriptors of its own above the client's limit.
	echo "SKIP: under valgrind the limits are valgrind's"; exit 77 ;;
esac
slow=${DEADLINED_TEST_SLOW:-1}

tmp=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/log" ] && cat "$tmp/log" >&2; exit 1; }

mkdir "$tmp/state"
write_config "$tmp/deadlined.ini" "$tmp/state" '[reminders]' \
    'channel = spool' '[http]' 'enabled = no'

(ulimit -Sn 64; exec "$DEADLINED" -c "$tmp/deadlined.ini" \
    --now 2024-07-15T10:00 2> "$tmp/log") &
pid=$!
# Ready when it logs that it started (bounded wait).
for _ in $(seq $((100 * slow))); do
	grep -q "started" "$tmp/log" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || fail "deadlined exited"
	sleep 0.1
done
grep -q "started" "$tmp/log" || fail "deadlined did not start"
read -r soft hardp < <(awk '/^Max open files/ { print $4, $5 }' \
    "/proc/$pid/limits")
[ "$soft" = "$hardp" ] ||
	fail "soft limit of open files $soft, hard $hardp: not raised"
[ "$soft" != 64 ] || fail "soft limit still 64"
kill -TERM "$pid"
wait "$pid" || fail "deadlined exited with $? on SIGTERM"
pid=
echo "ok: soft limit of open files raised from 64 to $soft"
