#!/bin/bash
# The ownership mistake of issue 21, as an administrator makes it: the
# service's directory belongs to the service's user, and root runs
# `deadlinectl init` in it.  deadlinectl warns before and names the
# database it left to root after, with the chown that fixes it, and
# changes no owner itself; deadlined, run as the service's user, fails
# naming the file, its owner and the same fix; after that chown it runs;
# `import` as root warns and leaves nothing to root (SQLite gives its
# journal the database's owner).
#
# Needs root (to create files as root and run programs as another user);
# as any other user it exits 77.  "nobody" plays the service's user.  The
# runs as nobody use the plain binaries: under valgrind the wrapper writes
# its logs where nobody cannot.
set -euo pipefail

: "${DEADLINED:?}" "${DEADLINECTL:?}" "${SRCDIR:?}"
. "$SRCDIR/tests/tools/config.sh"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: not root"; exit 77; }
command -v setpriv >/dev/null || { echo "SKIP: setpriv missing"; exit 77; }
getent passwd nobody >/dev/null || { echo "SKIP: no user nobody"; exit 77; }
svc_uid=$(id -u nobody)
svc_gid=$(id -g nobody)
plain_daemon=$DEADLINED
plain_ctl=$DEADLINECTL
if [ -n "${DEADLINED_TEST_WRAPPER:-}" ] && [ -n "${BUILDDIR:-}" ]; then
	plain_daemon=$BUILDDIR/deadlined
	plain_ctl=$BUILDDIR/deadlinectl
fi
slow=${DEADLINED_TEST_SLOW:-1}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
state=$tmp/state
db=$state/deadlined.db
mkdir "$state"
chown "$svc_uid:$svc_gid" "$state"
chmod 750 "$state"
write_config "$tmp/deadlined.ini" "$state" '[report]' 'schedule = off' \
    '[http]' 'enabled = no'
chmod 644 "$tmp/deadlined.ini"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# Runs a command, bounded; sets rc, out (stdout) and err (stderr).
run() {
	rc=0
	timeout "$((60 * slow))" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}
ctl() { run "$DEADLINECTL" -c "$tmp/deadlined.ini" "$@"; }
as_service() {
	run setpriv --reuid="$svc_uid" --regid="$svc_gid" --clear-groups "$@"
}
# has TEXT WHAT: fails unless $err has TEXT.
has() {
	case $err in
	*"$1"*) ;;
	*) fail "$2: expected [$1] in stderr: $err" ;;
	esac
}
owner() { stat -c %u "$1"; }

# --- init as root in the service's directory ------------------------------
ctl init
[ "$rc" -eq 0 ] || fail "init as root: exit $rc: $err"
has "warning: deadlinectl init runs as root on the database of nobody ($state belongs to nobody): what it creates belongs to root, which deadlined, running as nobody, cannot write; run it as that user instead: runuser -u nobody -- deadlinectl init ..." \
    "init as root, before"
fix="chown nobody: $db"
has "warning: $db belongs to root, which deadlined, running as nobody (the owner of $state), cannot write; nothing was changed: fix with $fix" \
    "init as root, after"
# Nothing fixed silently: the database is root's, as the warning says.
[ "$(owner "$db")" -eq 0 ] || fail "init changed the owner of $db"

# --- deadlined as the service's user: a database it cannot write ----------
as_service "$plain_daemon" -c "$tmp/deadlined.ini" --once --now 2024-07-15T08:30
[ "$rc" -eq 1 ] || fail "deadlined on root's database: exit $rc"
# (The database is made mode 0600: SQLite cannot even open it.)
why="$db belongs to root (uid 0), mode 0600: the user running this, nobody (uid $svc_uid), cannot write it; fix: $fix"
has "$db: cannot open database: unable to open database file: $why" \
    "deadlined on root's database"
# deadlinectl as the service's user says the same.
as_service "$plain_ctl" -c "$tmp/deadlined.ini" task add "Báo cáo" \
    --unit phuocan --due 2024-07-31 --plan kh1
[ "$rc" -eq 1 ] || fail "deadlinectl task add on root's database: exit $rc"
has "deadlinectl: $db: cannot open database: unable to open database file
deadlinectl: $why" \
    "deadlinectl task add on root's database"

# --- the fix as printed, then the service runs -----------------------------
$fix
as_service "$plain_daemon" -c "$tmp/deadlined.ini" --once --now 2024-07-15T08:30
[ "$rc" -eq 0 ] || fail "deadlined after '$fix': exit $rc: $err"

# --- import as root: a warning, nothing left to root -------------------------
ctl import "$SRCDIR/tests/fixtures/plan-sample.csv" --plan kh1 --year 2024
[ "$rc" -eq 0 ] || fail "import as root: exit $rc: $err"
has "warning: deadlinectl import runs as root on the database of nobody" \
    "import as root"
case $err in
*"nothing was changed"*) fail "import as root left: $err" ;;
esac
for f in "$db" "$db-wal" "$db-shm"; do
	[ ! -e "$f" ] || [ "$(owner "$f")" -eq "$svc_uid" ] ||
		fail "$f belongs to uid $(owner "$f") after import as root"
done
as_service "$plain_daemon" -c "$tmp/deadlined.ini" --once --now 2024-07-15T08:30
[ "$rc" -eq 0 ] || fail "deadlined after import as root: exit $rc: $err"

# --- root on its own database: no warning ----------------------------------
mkdir "$tmp/own"
sed "s|^state_dir = .*|state_dir = $tmp/own|" "$tmp/deadlined.ini" >"$tmp/own.ini"
run "$DEADLINECTL" -c "$tmp/own.ini" init
[ "$rc" -eq 0 ] && [ -z "$err" ] ||
	fail "init as root in root's directory: exit $rc: $err"

echo "ownership_root: $failures failures"
[ "$failures" -eq 0 ]
