#!/bin/bash
# deadlinectl check-config over folders of good and bad configurations.
# Good ones print "configuration OK" and exit 0; each bad one exits non-zero
# and prints the substring its "; expect:" comment names (FILE:LINE: ...).
# Configurations that cannot be static files (modes, 1 MB lines, bytes that
# are not UTF-8) are written at test time.
set -euo pipefail

: "${DEADLINECTL:?}" "${SRCDIR:?}"
[ -x "$DEADLINECTL" ] || exit 77

fixtures="$SRCDIR/tests/fixtures/config"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
checked=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# Runs check-config on a file; sets rc and out (stdout and stderr).
run_check() {
	rc=0
	out=$(timeout 60 "$DEADLINECTL" -c "$1" check-config 2>&1) || rc=$?
}

# A good configuration: exit 0, exactly "configuration OK" (beside the
# warnings about days-off decisions, which depend on the date).
check_good() {
	checked=$((checked + 1))
	run_check "$1"
	out=$(grep -v '^warning: ' <<<"$out" || true)
	if [ "$rc" -ne 0 ] || [ "$out" != "configuration OK" ]; then
		fail "$1: exit $rc, output: $out"
	fi
}

# A bad configuration: exit non-zero, no "OK", and every expected substring.
check_bad() {
	local file=$1
	shift
	checked=$((checked + 1))
	run_check "$file"
	if [ "$rc" -eq 0 ]; then
		fail "$file: exit 0, output: $out"
	fi
	if [ "$rc" -ge 124 ]; then
		fail "$file: exit $rc (crash or timeout), output: $out"
	fi
	case $out in
	*"configuration OK"*)
		fail "$file: says OK: $out" ;;
	esac
	for want in "$@"; do
		case $out in
		*"$want"*) ;;
		*) fail "$file: expected '$want' in: $out" ;;
		esac
	done
}

shopt -s nullglob
good=("$fixtures"/good/*.ini)
bad=("$fixtures"/bad/*.ini)
[ "${#good[@]}" -ge 3 ] || fail "too few good fixtures"
[ "${#bad[@]}" -ge 10 ] || fail "too few bad fixtures"

for f in "${good[@]}"; do
	check_good "$f"
done

for f in "${bad[@]}"; do
	mapfile -t expects < <(sed -n 's/^; expect: //p' "$f")
	if [ "${#expects[@]}" -eq 0 ]; then
		fail "$f has no '; expect:' line"
		continue
	fi
	check_bad "$f" "${expects[@]}"
done

units="$SRCDIR/config/units.ini"

# A secret file readable by others is refused; mode 0600 passes.
printf 'hunter2\n' >"$work/smtp.pass"
chmod 644 "$work/smtp.pass"
cat >"$work/secret.ini" <<EOF
[daemon]
units_file = $units
[smtp]
url = smtp://mail.example.gov.vn:587
username = noivu
password_file = smtp.pass
EOF
check_bad "$work/secret.ini" "$work/smtp.pass: secret file is readable by group or others (mode 0644)"
chmod 600 "$work/smtp.pass"
check_good "$work/secret.ini"

# A line of 1 MB.
{
	printf '[daemon]\nunits_file = %s\n[plan]\ncoordinator = ' "$units"
	head -c 1048576 /dev/zero | tr '\0' 'x'
	printf '\n'
} >"$work/long-line.ini"
check_bad "$work/long-line.ini" "$work/long-line.ini:4: line too long"

# Bytes that are not UTF-8 (Latin-1 "Phòng"), and a NUL byte.
printf '[daemon]\nunits_file = %s\n[smtp]\nfrom_name = Ph\xf2ng N\xf4i v\xf9\n' \
    "$units" >"$work/latin1.ini"
check_bad "$work/latin1.ini" "$work/latin1.ini:4: not valid UTF-8"
printf '[daemon]\nunits_file = %s\nverbose = 1\0\n' "$units" >"$work/nul.ini"
check_bad "$work/nul.ini" "$work/nul.ini:3: not valid UTF-8"

# A unit directory with a 1 MB line or Latin-1 bytes, named by a config.
{
	printf '[unit a]\nname = A\naliases = '
	head -c 1048576 /dev/zero | tr '\0' 'y'
	printf '\n'
} >"$work/units-long.ini"
printf '[daemon]\nunits_file = units-long.ini\n' >"$work/units-long-cfg.ini"
check_bad "$work/units-long-cfg.ini" "$work/units-long.ini:3: line too long"
printf '[unit a]\nname = X\xe3 A\n' >"$work/units-latin1.ini"
printf '[daemon]\nunits_file = units-latin1.ini\n' >"$work/units-latin1-cfg.ini"
check_bad "$work/units-latin1-cfg.ini" "$work/units-latin1.ini:2: not valid UTF-8"

# Missing, unreadable, and a directory instead of a file.
check_bad "$work/does-not-exist.ini" \
    "$work/does-not-exist.ini: cannot open: No such file or directory"
mkdir "$work/folder.ini"
check_bad "$work/folder.ini" "$work/folder.ini: not a regular file"
if [ "$(id -u)" -ne 0 ]; then
	printf '[daemon]\nunits_file = %s\n' "$units" >"$work/unreadable.ini"
	chmod 000 "$work/unreadable.ini"
	check_bad "$work/unreadable.ini" "$work/unreadable.ini: cannot open: Permission denied"
fi

# Errors come one per line: a file with three gets (at least) three lines.
cat >"$work/three.ini" <<EOF
[daemon]
units_file = $units
verbose = 5
colour = blue
[outbox]
batch_size = 0
EOF
check_bad "$work/three.ini" "three.ini:3: daemon.verbose" \
    "three.ini:4: unknown key 'colour'" "three.ini:6: outbox.batch_size"
n=$(printf '%s\n' "$out" | grep -c 'three.ini:[0-9]*: ' || true)
[ "$n" -eq 3 ] || fail "three.ini: expected 3 error lines, got $n: $out"

echo "check_config: $checked configurations checked, $failures failures"
[ "$failures" -eq 0 ]
