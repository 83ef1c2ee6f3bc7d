#!/bin/bash
# "attempt to write a readonly database" from deadlined and deadlinectl
# comes with the file, its owner, its mode and the fix: a database its
# owner cannot write (mode 0444: chmod u+w), then a directory where the
# database's -wal cannot be made.  Runs as the invoking user; as root (who
# writes anything) the programs run as "nobody" on files it owns, and under
# valgrind they run plain there (the wrapper's logs are root's).
# ownership_root.sh has the files of the wrong owner.
set -euo pipefail

: "${DEADLINED:?}" "${DEADLINECTL:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/tools/config.sh"
slow=${DEADLINED_TEST_SLOW:-1}
daemon=$DEADLINED ctl_bin=$DEADLINECTL
as=()
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null || { echo "SKIP: setpriv missing"; exit 77; }
	getent passwd nobody >/dev/null || { echo "SKIP: no user nobody"; exit 77; }
	user=nobody uid=$(id -u nobody)
	as=(setpriv --reuid="$uid" --regid="$(id -g nobody)" --clear-groups)
	if [ -n "${DEADLINED_TEST_WRAPPER:-}" ] && [ -n "${BUILDDIR:-}" ]; then
		daemon=$BUILDDIR/deadlined ctl_bin=$BUILDDIR/deadlinectl
	fi
else
	user=$(id -un) uid=$(id -u)
fi

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
state=$tmp/state
db=$state/deadlined.db
mkdir "$state"
write_config "$tmp/deadlined.ini" "$state" '[report]' 'schedule = off' \
    '[http]' 'enabled = no'
chmod 644 "$tmp/deadlined.ini"
[ ${#as[@]} -eq 0 ] || chown "$uid" "$state"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# Runs a program as the user; sets rc and err (stderr).
run() {
	rc=0
	timeout "$((60 * slow))" "${as[@]}" "$@" >/dev/null 2>"$tmp/err" || rc=$?
	err=$(cat "$tmp/err")
}
has() {
	case $err in
	*"$1"*) ;;
	*) fail "$2: expected [$1] in stderr: $err" ;;
	esac
}
ctl() { run "$ctl_bin" -c "$tmp/deadlined.ini" "$@"; }
once() { run "$daemon" -c "$tmp/deadlined.ini" --once --now 2024-07-15T08:30; }

ctl init
[ "$rc" -eq 0 ] || fail "init: exit $rc: $err"
[ "$(stat -c %u "$db")" -eq "$uid" ] || fail "$db is not $user's"

# --- the database's mode ----------------------------------------------------
# SQLite opens it read-only and makes its -wal and -shm with its mode.
chmod 0444 "$db"
why="$db belongs to $user (uid $uid), mode 0444: its owner, who runs this, cannot write it, nor $db-wal, $db-shm; fix: chmod u+w $db $db-wal $db-shm"
once
[ "$rc" -eq 1 ] || fail "deadlined on a 0444 database: exit $rc: $err"
has "$db: attempt to write a readonly database: $why" "deadlined, 0444"
ctl task add "Báo cáo" --unit phuocan --due 2024-07-31 --plan kh1
[ "$rc" -eq 1 ] || fail "task add on a 0444 database: exit $rc: $err"
has "deadlinectl: $why" "deadlinectl task add, 0444"
# A failure of another kind says nothing of owners.
ctl task done 999999
[ "$rc" -ne 0 ] || fail "task done of no task: exit 0"
case $err in
*"belongs to"*) fail "task done of no task names owners: $err" ;;
esac
# The fix as printed.
timeout 10 "${as[@]}" ${why##*fix: }
once
[ "$rc" -eq 0 ] || fail "deadlined after the fix: exit $rc: $err"

# --- the directory: no -wal can be made --------------------------------------
chmod 0555 "$state"
once
[ "$rc" -eq 1 ] || fail "deadlined in a 0555 directory: exit $rc: $err"
has "$state belongs to $user (uid $uid), mode 0555: its owner, who runs this, cannot write it; fix: chmod u+w $state" \
    "deadlined, 0555 directory"
chmod 0755 "$state"

echo "ownership_readonly: $failures failures"
[ "$failures" -eq 0 ]
