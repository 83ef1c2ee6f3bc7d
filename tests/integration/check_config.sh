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

# --- warnings: valid settings that would make the service useless ---------
#
# A configuration with none of them passes --strict; each variation below
# adds one warning, named at its file:line, which leaves plain check-config
# at exit 0 and makes --strict exit 1.  --now fixes the year: the shipped
# days-off file decides 2024 to 2026.

# Runs check-config ARGS on a file at a date; sets rc and out.
run_at() {
	local file=$1 now=$2
	shift 2
	rc=0
	out=$(timeout 60 "$DEADLINECTL" -c "$file" --now "$now" check-config \
	    "$@" 2>&1) || rc=$?
}

printf 'c2VjcmV0IGtleSBvZiB0aGUgdGVzdA==\n' >"$work/link.key"
chmod 600 "$work/link.key"
# clean_config FILE [SED-EXPRESSION]: the clean configuration, edited.
clean_config() {
	cat >"$1" <<EOF
[daemon]
units_file = $units
[calendar]
days_off_file = $SRCDIR/config/days-off.ini
[reminders]
channel = smtp
[smtp]
url = smtps://mail.example.gov.vn:465
from = nhachan@tuyphuoc.example.gov.vn
[http]
base_url = https://nhachan.example.gov.vn
link_secret_file = link.key
EOF
	[ -z "${2:-}" ] || sed -i "$2" "$1"
}

clean_config "$work/clean.ini"
checked=$((checked + 1))
run_at "$work/clean.ini" 2025-06-01 --strict
[ "$rc" -eq 0 ] && [ "$out" = "configuration OK" ] ||
	fail "clean.ini --strict: exit $rc, output: $out"

# warn NAME NOW SED-EXPRESSION EXPECTED: one warning, at file:line.
warn() {
	local name=$1 now=$2 edit=$3 want=$4 n
	checked=$((checked + 1))
	clean_config "$work/$name.ini" "$edit"
	run_at "$work/$name.ini" "$now"
	[ "$rc" -eq 0 ] || fail "$name.ini: exit $rc without --strict: $out"
	case $out in
	*"configuration OK"*) ;;
	*) fail "$name.ini: no 'configuration OK' without --strict: $out" ;;
	esac
	case $out in
	*"warning: $want"*) ;;
	*) fail "$name.ini: expected 'warning: $want' in: $out" ;;
	esac
	n=$(grep -c '^warning: ' <<<"$out" || true)
	[ "$n" -eq 1 ] || fail "$name.ini: $n warnings, expected 1: $out"
	run_at "$work/$name.ini" "$now" --strict
	[ "$rc" -eq 1 ] || fail "$name.ini --strict: exit $rc, expected 1: $out"
	case $out in
	*"configuration OK"*) fail "$name.ini --strict says OK: $out" ;;
	*"1 warning, which --strict makes errors"*) ;;
	*) fail "$name.ini --strict: no count of warnings: $out" ;;
	esac
}

# The sender at localhost, whether written or left to its default.
warn sender-localhost 2025-06-01 's/^from = .*/from = deadlined@localhost/' \
    "$work/sender-localhost.ini:9: smtp.from 'deadlined@localhost' is an address of this machine"
warn sender-default 2025-06-01 '/^from = /d' \
    "$work/sender-default.ini: smtp.from 'deadlined@localhost' is an address of this machine"
warn sender-localhost-name 2025-06-01 's/^from = .*/from = nhachan@mail.localhost/' \
    "$work/sender-localhost-name.ini:9: smtp.from 'nhachan@mail.localhost'"
# The loopback base_url: links and feeds, then links alone.
warn base-url-loopback 2025-06-01 's|^base_url = .*|base_url = http://127.0.0.1:8087|' \
    "$work/base-url-loopback.ini:11: http.base_url 'http://127.0.0.1:8087' is this machine's loopback address, yet completion links in mail and calendar feed addresses are made from it"
# No link key while the server that would answer the links is on.
warn no-link-key 2025-06-01 '/^link_secret_file = /d' \
    "$work/no-link-key.ini: http.link_secret_file is not set while http.enabled is yes: reminders carry no completion link"
# No link key and no server: a mail-only install, whose digests promise no
# link and ask the unit to reply (compose.c makes links only with a key):
# nothing to warn of.
checked=$((checked + 1))
clean_config "$work/mail-only.ini" 's/^link_secret_file = .*/enabled = no/'
run_at "$work/mail-only.ini" 2025-06-01 --strict
[ "$rc" -eq 0 ] && [ "$out" = "configuration OK" ] ||
	fail "mail-only.ini --strict: exit $rc, output: $out"
# A link key and no server for the links.
warn links-no-http 2025-06-01 '$a enabled = no' \
    "$work/links-no-http.ini:13: http.enabled is no while http.link_secret_file is set"
# The days-off file lacks next year, then both years.
warn days-off-next-year 2026-06-01 '' \
    "$SRCDIR/config/days-off.ini has no [2027] section"
checked=$((checked + 1))
run_at "$work/clean.ini" 2027-06-01 --strict
[ "$rc" -eq 1 ] && [ "$(grep -c '^warning: .*days-off.ini has no \[202[78]\] section' <<<"$out")" -eq 2 ] ||
	fail "days off of 2027 and 2028 --strict: exit $rc, output: $out"
# Links alone on a loopback base_url, and a feeds-only install (no link
# key, its own warning too): each names what is made from it.
checked=$((checked + 1))
clean_config "$work/links-only.ini" 's|^base_url = .*|base_url = http://LocalHost:8087/deadlined|;$a enabled = no'
run_at "$work/links-only.ini" 2025-06-01
case $out in
*"links-only.ini:11: http.base_url 'http://LocalHost:8087/deadlined' is this machine's loopback address, yet completion links in mail are made from it"*) ;;
*) fail "links-only.ini: $out" ;;
esac
checked=$((checked + 1))
clean_config "$work/feeds-only.ini" 's|^base_url = .*|base_url = http://[::1]:8087|;/^link_secret_file/d'
run_at "$work/feeds-only.ini" 2025-06-01
case $out in
*"feeds-only.ini:11: http.base_url 'http://[::1]:8087' is this machine's loopback address, yet calendar feed addresses (deadlinectl feed url) are made from it"*) ;;
*) fail "feeds-only.ini: $out" ;;
esac

# A missing secret file is an error at the line of its key.
checked=$((checked + 1))
clean_config "$work/missing-key.ini" 's|^link_secret_file = .*|link_secret_file = no-such.key|'
run_at "$work/missing-key.ini" 2025-06-01
[ "$rc" -eq 1 ] || fail "missing-key.ini: exit $rc: $out"
case $out in
*"$work/missing-key.ini:12: http.link_secret_file $work/no-such.key: cannot read secret file: No such file or directory"*) ;;
*) fail "missing-key.ini: $out" ;;
esac
checked=$((checked + 1))
clean_config "$work/missing-pass.ini" 's|^url = .*|&\nusername = noivu\npassword_file = /nonexistent/smtp.pass|'
run_at "$work/missing-pass.ini" 2025-06-01
case $out in
*"$work/missing-pass.ini:10: smtp.password_file /nonexistent/smtp.pass: cannot read secret file"*) ;;
*) fail "missing-pass.ini: $out" ;;
esac
# A webhook secret file the unit directory names: at its unit's line.
checked=$((checked + 1))
cat >"$work/units-hook.ini" <<'EOF'
[unit noivu]
name = Phòng Nội vụ
email = noivu@example.invalid

[unit phuocan]
name = UBND xã Phước An
webhook = https://chat.example.invalid/hook
webhook_secret_file = hook.key
EOF
clean_config "$work/hook.ini" "s|^units_file = .*|units_file = units-hook.ini|;s|^channel = .*|channel = webhook|"
run_at "$work/hook.ini" 2025-06-01
case $out in
*"$work/units-hook.ini:6: unit phuocan: webhook_secret_file hook.key: cannot read secret file: No such file or directory"*) ;;
*) fail "hook.ini: $out" ;;
esac
# An unknown option is a usage error.
checked=$((checked + 1))
run_at "$work/clean.ini" 2025-06-01 --sloppy
[ "$rc" -eq 2 ] || fail "check-config --sloppy: exit $rc: $out"

echo "check_config: $checked configurations checked, $failures failures"
[ "$failures" -eq 0 ]
