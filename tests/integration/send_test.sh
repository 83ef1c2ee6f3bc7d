#!/bin/bash
# deadlinectl send-test goes the way the daemon would (the route module):
# without --channel each address and the webhook take the channel the
# configured setting gives them; with --channel, what that channel carries.
# Through the spool only, so no peer is needed; file names worked out by
# hand from the unit below (key test.CODE.SECONDS.N, .eml or .json).
set -euo pipefail

: "${DEADLINECTL:?}"
[ -x "$DEADLINECTL" ] || exit 77

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# Runs deadlinectl; sets rc, out (stdout) and err (stderr).
run() {
	rc=0
	out=$(timeout 60 "$DEADLINECTL" -c "$tmp/deadlined.ini" \
	    --now 2024-07-15T10:00 "$@" 2>"$tmp/err") || rc=$?
	err=$(cat "$tmp/err")
}

# Writes the configuration with one channel setting.
config() {
	cat > "$tmp/deadlined.ini" <<INI
[daemon]
state_dir = $tmp/state
units_file = $tmp/units.ini
[reminders]
channel = $1
[spool]
dir = $tmp/spool
[http]
enabled = no
INI
}

mkdir "$tmp/state"
cat > "$tmp/units.ini" <<'INI'
[unit phuocan]
name = UBND xã Phước An
email = a@example.test, b@example.test
webhook = https://hooks.example.test/phuocan

[unit phuochoa]
name = UBND xã Phước Hòa
email = c@example.test
INI

# 1. spool: both addresses and the webhook, three files.
config spool
run send-test --unit phuocan
[ "$rc" -eq 0 ] || fail "spool: rc $rc: $err"
[ "$(grep -c '^spool .*: sent' <<<"$out")" -eq 3 ] ||
	fail "spool: not three sent: $out"
[ "$(ls "$tmp/spool" | grep -c '^test\.phuocan\..*\.eml$')" -eq 2 ] &&
    [ "$(ls "$tmp/spool" | grep -c '^test\.phuocan\..*\.3\.json$')" -eq 1 ] ||
	fail "spool: files $(ls "$tmp/spool")"

# 2. webhook setting, a unit with no webhook: no address, exit 1.
rm -rf "$tmp/spool"
config webhook
run send-test --unit phuochoa
[ "$rc" -eq 1 ] && grep -q "unit phuochoa has no address for channel webhook" \
    <<<"$err" || fail "webhook, no hook: rc $rc '$err'"

# 3. The configured setting is webhook, --channel spool overrides it.
run send-test --unit phuochoa --channel spool
[ "$rc" -eq 0 ] && [ "$(ls "$tmp/spool" | wc -l)" -eq 1 ] ||
	fail "--channel spool: rc $rc '$err' $(ls "$tmp/spool" 2>&1)"

# 4. auto without an smtp url: mail has no way, nothing to send.
config auto
run send-test --unit phuochoa
[ "$rc" -eq 1 ] && grep -q "no address for channel auto" <<<"$err" ||
	fail "auto, no smtp: rc $rc '$err'"

# 5. A channel that does not exist.
run send-test --unit phuocan --channel pigeon
[ "$rc" -eq 1 ] && grep -q "unknown channel 'pigeon'" <<<"$err" ||
	fail "pigeon: rc $rc '$err'"

[ "$failures" -eq 0 ] || exit 1
echo "send_test: all passed"
