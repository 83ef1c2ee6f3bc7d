#!/bin/bash
# deadlinectl never overwrites a file that is not its database: a text file,
# a database of a newer schema or another program's database is refused and
# left byte for byte as it was; commands other than init do not create a
# database; a bad configuration or unit directory leaves the database alone;
# init run twice finds every unit unchanged.
set -euo pipefail

: "${DEADLINECTL:?}" "${SRCDIR:?}"
[ -x "$DEADLINECTL" ] || exit 77
command -v sha256sum >/dev/null || exit 77
command -v sqlite3 >/dev/null || exit 77

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# Runs deadlinectl with the test config; sets rc and out.
ctl() {
	rc=0
	out=$(timeout 60 "$DEADLINECTL" -c "$work/deadlined.ini" \
	    --now 2024-03-01T08:00 "$@" 2>&1) || rc=$?
}

# Creates a SQLite file with the given SQL.
make_db() {
	sqlite3 "$1" "$2"
}

# Runs a command on file X and expects a refusal that leaves X unchanged.
expect_refusal() {
	local file=$1 want=$2 before after
	shift 2
	before=$(sha256sum <"$file")
	ctl --db "$file" "$@"
	after=$(sha256sum <"$file")
	[ "$rc" -ne 0 ] || fail "$*: exit 0 on $file: $out"
	[ "$rc" -lt 124 ] || fail "$*: exit $rc (crash or timeout): $out"
	case $out in
	*"$want"*) ;;
	*) fail "$* on $file: expected '$want' in: $out" ;;
	esac
	[ "$before" = "$after" ] || fail "$* changed $file"
	[ ! -e "$file-wal" ] || fail "$* left $file-wal"
	[ ! -e "$file-journal" ] || fail "$* left $file-journal"
}

mkdir "$work/state"
cat >"$work/deadlined.ini" <<EOF
[daemon]
state_dir = state
units_file = $SRCDIR/config/units.ini
EOF

# Units and groups of the shipped directory, counted independently.
nunits=$(grep -c '^\[unit ' "$SRCDIR/config/units.ini")
ngroups=$(grep -c '^\[group ' "$SRCDIR/config/units.ini")
total=$((nunits + ngroups))
[ "$total" -gt 13 ] || fail "units.ini has only $total entries"

# 1. A text file.
printf 'Danh sách đơn vị\nPhòng Nội vụ\n' >"$work/notes.txt"
expect_refusal "$work/notes.txt" "not a deadlined database" init
head -c 4096 /dev/urandom >"$work/random.bin"
expect_refusal "$work/random.bin" "not a deadlined database" init
expect_refusal "$work/random.bin" "not a deadlined database" units

# 2. A database of a newer schema.
make_db "$work/newer.db" "CREATE TABLE units (id INTEGER PRIMARY KEY, code TEXT);
INSERT INTO units VALUES (1, 'noivu'); PRAGMA user_version = 99;"
expect_refusal "$work/newer.db" "schema version 99 is newer" init
expect_refusal "$work/newer.db" "refusing to touch it" agenda
[ "$(sqlite3 "$work/newer.db" 'PRAGMA user_version')" = 99 ] ||
    fail "newer.db lost its version"

# 3. Another program's database (tables, no schema version).
make_db "$work/other.db" "CREATE TABLE contacts (name TEXT);
INSERT INTO contacts VALUES ('Phòng Tư pháp');"
expect_refusal "$work/other.db" "has tables but no schema version" init

# 4. Commands other than init do not create a database.
for cmd in units agenda tasks outbox "units sync"; do
	# shellcheck disable=SC2086
	ctl --db "$work/absent.db" $cmd
	[ "$rc" -ne 0 ] || fail "$cmd on a missing database: exit 0: $out"
	case $out in
	*"deadlinectl init"*) ;;
	*) fail "$cmd on a missing database: no hint to init: $out" ;;
	esac
	[ ! -e "$work/absent.db" ] || fail "$cmd created absent.db"
done
ctl units
[ "$rc" -ne 0 ] || fail "units without a database: exit 0"
[ ! -e "$work/state/deadlined.db" ] || fail "units created the database"

# 5. init twice: everything added, then everything unchanged.
ctl init
[ "$rc" -eq 0 ] || fail "init: exit $rc: $out"
case $out in
*"schema version 11"*) ;;
*) fail "init: no schema version 11 in: $out" ;;
esac
case $out in
*"units: $total added, 0 changed, 0 retired, 0 unchanged"*) ;;
*) fail "first init: expected $total added: $out" ;;
esac
[ -s "$work/state/deadlined.db" ] || fail "init made no database"
ctl init
[ "$rc" -eq 0 ] || fail "second init: exit $rc: $out"
case $out in
*"units: 0 added, 0 changed, 0 retired, $total unchanged"*) ;;
*) fail "second init: expected $total unchanged: $out" ;;
esac
n=$(sqlite3 "$work/state/deadlined.db" 'SELECT count(*) FROM units')
[ "$n" = "$total" ] || fail "database has $n units, expected $total"

# 6. A bad unit directory or configuration leaves the database untouched.
db="$work/state/deadlined.db"
before=$(sha256sum <"$db")
printf '[unit a]\nname = A\nparent = nobody\n' >"$work/bad-units.ini"
cp "$work/deadlined.ini" "$work/good.ini"
sed -i "s|^units_file = .*|units_file = bad-units.ini|" "$work/deadlined.ini"
for cmd in init "units sync"; do
	# shellcheck disable=SC2086
	ctl $cmd
	[ "$rc" -ne 0 ] || fail "$cmd with bad units: exit 0: $out"
	case $out in
	*"bad-units.ini:2: unit a: unknown parent 'nobody'"*) ;;
	*) fail "$cmd with bad units: $out" ;;
	esac
done
printf '[unit a]\nname = \xe0\n' >"$work/bad-units.ini"
ctl init
[ "$rc" -ne 0 ] || fail "init with Latin-1 units: exit 0: $out"
case $out in
*"bad-units.ini:2: not valid UTF-8"*) ;;
*) fail "init with Latin-1 units: $out" ;;
esac
rm "$work/bad-units.ini"
ctl init
[ "$rc" -ne 0 ] || fail "init with no units file: exit 0: $out"
case $out in
*"bad-units.ini: cannot open"*) ;;
*) fail "init with no units file: $out" ;;
esac
printf '[daemon]\nstate_dir = state\nunits_fil = x\n' >"$work/deadlined.ini"
ctl init
[ "$rc" -ne 0 ] || fail "init with a bad config: exit 0: $out"
case $out in
*"deadlined.ini:3: unknown key 'units_fil' in [daemon]"*) ;;
*) fail "init with a bad config: $out" ;;
esac
after=$(sha256sum <"$db")
[ "$before" = "$after" ] || fail "a failed init changed the database"
cp "$work/good.ini" "$work/deadlined.ini"
ctl units --format csv
[ "$rc" -eq 0 ] || fail "units after refusals: exit $rc: $out"

echo "cli_store_safety: $failures failures"
[ "$failures" -eq 0 ]
