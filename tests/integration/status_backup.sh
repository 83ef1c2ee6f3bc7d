#!/bin/bash
# deadlinectl status and backup: health from the daemon's recorded pass, the
# outbox and the feeds; an online backup taken while another process holds a
# read transaction, checked with the sqlite3 CLI.
set -euo pipefail

: "${DEADLINECTL:?}" "${SRCDIR:?}"
command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 CLI missing"; exit 77; }
command -v timeout >/dev/null || { echo "SKIP: timeout missing"; exit 77; }
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$PYTHON" ] || { echo "SKIP: $PYTHON missing"; exit 77; }

tmp=$(mktemp -d)
reader=
cleanup() {
	exec 3>&- 2>/dev/null || true
	if [ -n "$reader" ]; then kill "$reader" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir "$tmp/state"
cp "$SRCDIR/config/units.ini" "$tmp/units.ini"
cat > "$tmp/deadlined.ini" <<EOF
[daemon]
state_dir = $tmp/state
units_file = units.ini
EOF
db=$tmp/state/deadlined.db
# 2024-05-02 08:00 in Asia/Ho_Chi_Minh (UTC+7) is 01:00 UTC: 1714608000
# (2024-05-02T00:00Z) + 3600.
pass=1714611600
NOW=2024-05-02T08:00
ctl() { timeout 60 "$DEADLINECTL" -c "$tmp/deadlined.ini" "$@"; }

# Runs ctl, captures output in $out and status in $rc.
run() {
	set +e
	out=$(ctl "$@" 2>&1)
	rc=$?
	set -e
}

# --- status --------------------------------------------------------------

run --now "$NOW" status
[ "$rc" -eq 1 ] || fail "status without a database: exit $rc, expected 1"
grep -q "no database" <<<"$out" || fail "status without a database: $out"

ctl init >/dev/null

run --now "$NOW" status
[ "$rc" -eq 1 ] || fail "status before any pass: exit $rc, expected 1"
grep -q "no pass recorded yet" <<<"$out" || fail "status before a pass: $out"
grep -q "unhealthy: daemon not seen for 30 min" <<<"$out" ||
	fail "status before a pass says: $out"

# What the daemon records after a pass.
sqlite3 "$db" "INSERT INTO meta (key, value) VALUES ('last_pass', '$pass'),
    ('next_wake', '$((pass + 10))')"

run --now "$NOW" status
[ "$rc" -eq 0 ] || fail "status after a pass: exit $rc: $out"
grep -q "^status: *healthy$" <<<"$out" || fail "status after a pass: $out"
grep -q "last pass 2024-05-02 08:00:00, 0 s ago; next wake-up 2024-05-02 08:00:10" \
    <<<"$out" || fail "status times: $out"
grep -q "does not exist yet" <<<"$out" || fail "status without feeds: $out"

# 29 minutes later still alive (the heartbeat is every 10), 30 not.
run --now 2024-05-02T08:29 status
[ "$rc" -eq 0 ] || fail "status 29 min after a pass: exit $rc: $out"
grep -q "daemon: *running (last pass 2024-05-02 08:00:00, 29 min ago" \
    <<<"$out" || fail "status 29 min later: $out"
run --now 2024-05-02T08:30 status
[ "$rc" -eq 1 ] || fail "status 30 min after a pass: exit $rc, expected 1"
grep -q "daemon: *not seen" <<<"$out" || fail "status 30 min later: $out"
grep -q "unhealthy: daemon not seen for 30 min" <<<"$out" ||
	fail "status 30 min later says: $out"

# Feeds: two .ics files, the newest at 07:55 local time; a dot file is not
# counted.
mkdir "$tmp/state/feeds"
TZ=Asia/Ho_Chi_Minh touch -d '2024-05-02 07:30' "$tmp/state/feeds/all.ics"
TZ=Asia/Ho_Chi_Minh touch -d '2024-05-02 07:55' "$tmp/state/feeds/noivu.ics"
TZ=Asia/Ho_Chi_Minh touch -d '2024-05-02 07:59' "$tmp/state/feeds/.hidden.ics"
# A rewrite's temporary file is not a feed either.
TZ=Asia/Ho_Chi_Minh touch -d '2024-05-02 07:59' "$tmp/state/feeds/all.ics.Xa3b9Q"
run --now "$NOW" status
grep -q "^feeds: *2 .ics files in $tmp/state/feeds, newest 2024-05-02 07:55:00$" \
    <<<"$out" || fail "status feeds: $out"

# Outbox: one sent message, one dead two days ago (not in the last day).
outbox_row() {	# key state created_at
	sqlite3 "$db" "INSERT INTO outbox (key, kind, channel, recipient, day,
	    body, state, next_attempt, created_at, expires_at) VALUES ('$1',
	    'digest', 'spool', 'noivu@example.gov.vn', '2024-05-02', 'x', '$2',
	    $3, $3, $(($3 + 259200)))"
}
outbox_row k-sent sent $((pass - 3600))
outbox_row k-old-dead dead $((pass - 2 * 86400))
run --now "$NOW" status --format json
[ "$rc" -eq 0 ] || fail "status with an old dead message: exit $rc: $out"
"$PYTHON" - "$out" <<'EOF' || fail "status json: $out"
import json, sys
s = json.loads(sys.argv[1])
assert s["healthy"] is True, s
assert s["reasons"] == [], s
assert s["now"] == "2024-05-02T08:00:00+07:00", s["now"]
assert s["daemon"] == {"alive": True,
    "last_pass": "2024-05-02T08:00:00+07:00",
    "next_wake": "2024-05-02T08:00:10+07:00"}, s["daemon"]
assert s["outbox"] == {"pending": 0, "sending": 0, "sent": 1, "failed": 0,
    "dead": 1}, s["outbox"]
assert s["last_day"] == {"failed": 0, "dead": 0}, s["last_day"]
assert s["feeds"]["present"] is True and s["feeds"]["files"] == 2, s
assert s["feeds"]["newest"] == "2024-05-02T07:55:00+07:00", s["feeds"]
assert s["database"]["schema_version"] >= 2, s["database"]
EOF

# A message that died in the last day makes the service unhealthy.
outbox_row k-dead dead $((pass - 600))
run --now "$NOW" status --format json
[ "$rc" -eq 1 ] || fail "status with a recent dead message: exit $rc"
"$PYTHON" - "$out" <<'EOF' || fail "status json with a dead message: $out"
import json, sys
s = json.loads(sys.argv[1])
assert s["healthy"] is False, s
assert s["daemon"]["alive"] is True, s
assert s["reasons"] == ["failed or dead messages in the last 24 hours"], s
assert s["last_day"] == {"failed": 0, "dead": 1}, s["last_day"]
assert s["outbox"]["dead"] == 2, s["outbox"]
EOF
run --now "$NOW" status
grep -q "^last 24 hours: failed 0, dead 1$" <<<"$out" || fail "table: $out"
grep -q "^outbox: *pending 0, sending 0, sent 1, failed 0, dead 2$" \
    <<<"$out" || fail "table: $out"

run status --format xml
[ "$rc" -eq 2 ] || fail "status --format xml: exit $rc, expected 2"
run status extra
[ "$rc" -eq 2 ] || fail "status with an argument: exit $rc, expected 2"

# --- backup --------------------------------------------------------------

for i in 1 2 3; do
	ctl --now "$NOW" task add "Báo cáo tháng $i" --unit noivu \
	    --due "2024-0$((i + 5))-28" >/dev/null
done

# Another process holds a read transaction while we write and back up.
mkfifo "$tmp/reader.in"
sqlite3 "$db" <"$tmp/reader.in" >"$tmp/reader.out" 2>&1 &
reader=$!
exec 3>"$tmp/reader.in"
echo "BEGIN; SELECT 'reading', count(*) FROM tasks;" >&3
for _ in $(seq 100); do
	grep -q '^reading|3$' "$tmp/reader.out" && break
	sleep 0.1
done
grep -q '^reading|3$' "$tmp/reader.out" ||
	fail "the reader did not start: $(cat "$tmp/reader.out")"

ctl --now "$NOW" task add "Báo cáo quý" --unit vp --due 2024-06-30 >/dev/null
[ "$(sqlite3 "$db" 'SELECT count(*) FROM tasks')" = 4 ] ||
	fail "source should have 4 tasks"

run backup "$tmp/backup.db"
[ "$rc" -eq 0 ] || fail "backup: exit $rc: $out"
size=$(stat -c %s "$tmp/backup.db")
[ "$out" = "$tmp/backup.db: $size bytes, integrity ok" ] ||
	fail "backup output: $out"
[ "$(sqlite3 "$tmp/backup.db" 'PRAGMA integrity_check')" = ok ] ||
	fail "backup integrity"
[ "$(sqlite3 "$tmp/backup.db" 'SELECT count(*) FROM tasks')" = 4 ] ||
	fail "backup task count"
[ "$(sqlite3 "$tmp/backup.db" 'SELECT count(*) FROM outbox')" = 3 ] ||
	fail "backup outbox count"
[ "$(stat -c %a "$tmp/backup.db")" = 600 ] || fail "backup mode"
ls "$tmp"/backup.db.tmp* >/dev/null 2>&1 && fail "temporary file left"

# The reader still sees its snapshot, then leaves.
echo "SELECT 'still', count(*) FROM tasks; COMMIT;" >&3
exec 3>&-
timeout 10 tail --pid="$reader" -f /dev/null || fail "reader did not exit"
wait "$reader" || fail "reader failed: $(cat "$tmp/reader.out")"
reader=
grep -q '^still|3$' "$tmp/reader.out" || fail "reader: $(cat "$tmp/reader.out")"

# No overwrite without --force; the existing file stays as it was.
sum=$(md5sum <"$tmp/backup.db")
ctl task add "Thêm" --unit vp --due 2024-07-31 >/dev/null
run backup "$tmp/backup.db"
[ "$rc" -eq 1 ] || fail "backup over a file: exit $rc, expected 1"
grep -q "exists; use --force" <<<"$out" || fail "backup over a file: $out"
[ "$(md5sum <"$tmp/backup.db")" = "$sum" ] || fail "backup file changed"
run backup --force "$tmp/backup.db"
[ "$rc" -eq 0 ] || fail "backup --force: exit $rc: $out"
[ "$(sqlite3 "$tmp/backup.db" 'SELECT count(*) FROM tasks')" = 5 ] ||
	fail "backup --force task count"

run backup
[ "$rc" -eq 2 ] || fail "backup without a file: exit $rc, expected 2"
run backup "$tmp/no/such/dir/b.db"
[ "$rc" -eq 1 ] || fail "backup into a missing directory: exit $rc"

# Restore as documented: copy over the database path, drop -wal and -shm.
cp "$tmp/backup.db" "$tmp/restored.db"
rm -f "$tmp/restored.db-wal" "$tmp/restored.db-shm"
[ "$(ctl --db "$tmp/restored.db" tasks --format csv | tail -n +2 | wc -l)" = 5 ] ||
	fail "restored database task listing"

# --- a real pass of the daemon makes status healthy -------------------------

if [ -n "${DEADLINED:-}" ] && [ -x "$DEADLINED" ]; then
	mkdir "$tmp/real"
	printf '[daemon]\nstate_dir = %s\nunits_file = units.ini\n[http]\nenabled = no\n' \
	    "$tmp/real" >"$tmp/real.ini"
	real() { timeout 60 "$DEADLINECTL" -c "$tmp/real.ini" "$@"; }
	real init >/dev/null
	timeout 60 "$DEADLINED" -c "$tmp/real.ini" --now 2024-05-02T09:00 \
	    --once >"$tmp/real.log" 2>&1 ||
		fail "deadlined --once: $(cat "$tmp/real.log")"
	set +e
	out=$(real --now 2024-05-02T09:01 status 2>&1)
	rc=$?
	set -e
	[ "$rc" -eq 0 ] || fail "status after a real pass: exit $rc: $out"
	grep -q "last pass 2024-05-02 09:00:00, 60 s ago" <<<"$out" ||
		fail "status after a real pass: $out"
else
	echo "real daemon pass: skipped (DEADLINED not set)"
fi

echo "PASS"
