#!/bin/bash
# The government's decided days off: the example configuration reads the
# shipped days-off.ini; check-config and status warn when the current or
# the next year has no section in it (or when there is no file at all);
# holidays YEAR marks each day computed or decided.  Dates worked out by
# hand from config/days-off.ini and the decisions its comments name.
set -euo pipefail

: "${DEADLINECTL:?}" "${SRCDIR:?}"
[ -x "$DEADLINECTL" ] || exit 77

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# Runs deadlinectl; sets rc, out (stdout) and err (stderr).
run() {
	rc=0
	out=$(timeout 60 "$DEADLINECTL" "$@" 2>"$tmp/err") || rc=$?
	err=$(cat "$tmp/err")
}

# The example configuration, as installed: next to units.ini and
# days-off.ini, with its state directory moved into the scratch folder.
mkdir "$tmp/etc" "$tmp/state"
cp "$SRCDIR"/config/units.ini "$SRCDIR"/config/days-off.ini "$tmp/etc/"
# base_url and the link key set, as an administrator must (check-config
# warns about those placeholders).
head -c 32 /dev/urandom | base64 >"$tmp/etc/link.key"
chmod 600 "$tmp/etc/link.key"
sed -e "s|^state_dir = .*|state_dir = $tmp/state|" \
    -e "s|^base_url = .*|base_url = https://nhachan.example.gov.vn|" \
    -e "s|^link_secret_file =.*|link_secret_file = link.key|" \
    "$SRCDIR/config/deadlined.ini" >"$tmp/etc/deadlined.ini"
grep -q "^days_off_file = days-off.ini$" "$tmp/etc/deadlined.ini" ||
	fail "the example configuration does not name days-off.ini"
example=$tmp/etc/deadlined.ini

# 1. 2025 and 2026 are decided: no warning in 2025.
run -c "$example" --now 2025-06-01 check-config
[ "$rc" -eq 0 ] && [ "$out" = "configuration OK" ] && [ -z "$err" ] ||
	fail "check-config in 2025: $rc '$out' '$err'"

# 2. In 2026, 2027 is not decided yet: one warning, still OK.
run -c "$example" --now 2026-11-20 check-config
want="warning: $tmp/etc/days-off.ini has no [2027] section: the Tết block"
[ "$rc" -eq 0 ] && [ "$out" = "configuration OK" ] ||
	fail "check-config in 2026: $rc '$out'"
case $err in
"$want"*"(the computed Tết days are used); add them once decided") ;;
*) fail "check-config in 2026 said: $err" ;;
esac
[ "$(grep -c '^warning: ' <<<"$err")" -eq 1 ] ||
	fail "check-config in 2026: not one warning: $err"

# 3. In 2028 neither 2028 nor 2029 is decided: two warnings.
run -c "$example" --now 2028-01-10 check-config
[ "$rc" -eq 0 ] && grep -q "has no \[2028\] section" <<<"$err" &&
    grep -q "has no \[2029\] section" <<<"$err" ||
	fail "check-config in 2028: $rc '$err'"

# 4. No days-off file at all: the decisions of both years are missing.
grep -v "^days_off_file" "$example" >"$tmp/etc/none.ini"
run -c "$tmp/etc/none.ini" --now 2025-06-01 check-config
nofile="warning: no days-off file (calendar.days_off_file): the days off"
[ "$rc" -eq 0 ] && grep -qF "$nofile the government decides for 2025 " <<<"$err" &&
    grep -q "decides for 2026 " <<<"$err" ||
	fail "check-config without a file: $rc '$err'"

# 5. status says the same, as text and JSON, without changing its health.
run -c "$example" --now 2026-11-20T09:00 init
[ "$rc" -eq 0 ] || fail "init: $err"
run -c "$example" --now 2026-11-20T09:00 status
grep -q "^warning: *$tmp/etc/days-off.ini has no \[2027\] section" \
    <<<"$out" || fail "status (table): $out"
run -c "$example" --now 2025-11-20T09:00 status
grep -q "^warning:" <<<"$out" && fail "status in 2025 warns: $out"
run -c "$example" --now 2026-11-20T09:00 status --format json
PYTHON=${PYTHON:-/usr/bin/python3}
"$PYTHON" - "$out" <<'EOF' || fail "status (JSON): $out"
import json, sys
s = json.loads(sys.argv[1])
w = s["warnings"]
assert len(w) == 1 and "has no [2027] section" in w[0], w
assert "has no" not in " ".join(s["reasons"]), s["reasons"]
EOF

# 6. holidays: each day computed or decided.  2026: Friday 02/01 off for
# Saturday 10/01 (12729/VPCP-KGVX); Tết 14/02..22/02 and 31/08 off for
# Saturday 22/08 (9441/TB-BNV); Giỗ Tổ on Sunday 26/04 and its Monday 27/04
# computed.
run -c "$example" holidays 2026 --format csv
out=${out//$'\r'/}	# CSV lines end in CR LF
for line in "2026-01-01,day-off,Tết Dương lịch,computed" \
    "2026-01-02,day-off,Nghỉ hoán đổi dịp Tết Dương lịch,decided" \
    "2026-01-10,working-day,Làm bù cho thứ Sáu 02/01/2026,decided" \
    "2026-02-14,day-off,Tết Nguyên đán Bính Ngọ,decided" \
    "2026-02-22,day-off,Tết Nguyên đán Bính Ngọ,decided" \
    "2026-04-26,day-off,Giỗ Tổ Hùng Vương (10/3 âm lịch),computed" \
    "2026-04-27,day-off,Nghỉ bù Giỗ Tổ Hùng Vương,computed" \
    "2026-08-22,working-day,Làm bù cho thứ Hai 31/08/2026,decided" \
    "2026-08-31,day-off,Nghỉ hoán đổi dịp Quốc khánh,decided"; do
	grep -qxF "$line" <<<"$out" || fail "holidays 2026: no '$line'"
done
[ "$(grep -c ',day-off,' <<<"$out")" -eq 18 ] ||
	fail "holidays 2026: not 18 days off: $out"
# 2024: the swap of 30/4 - 1/5 is Monday 29/04 (2450/VPCP-KGVX), 02/05 works.
run -c "$example" holidays 2024 --format csv
out=${out//$'\r'/}
grep -qxF "2024-04-29,day-off,Nghỉ hoán đổi dịp 30/4 - 1/5,decided" \
    <<<"$out" || fail "holidays 2024: no 29/04: $out"
grep -q "^2024-05-02," <<<"$out" && fail "holidays 2024: 02/05 off"

if [ "$failures" -ne 0 ]; then
	echo "days_off: $failures failures" >&2
	exit 1
fi
echo "days_off: all checks passed"
