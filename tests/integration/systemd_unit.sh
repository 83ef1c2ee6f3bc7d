#!/bin/bash
# contrib/systemd: the unit keeps its promises (Type=notify, watchdog, reload,
# user, directories, sandbox), scores under 2.0 in systemd-analyze security,
# passes systemd-analyze verify, and its sysusers/tmpfiles snippets create
# the user and directories.  When PID 1 is systemd and we are root, a copy of
# the unit is also started, reloaded and stopped for real, except when
# deadlined runs under valgrind (DEADLINED_TEST_WRAPPER, see scripts/test):
# the unit's sandbox refuses valgrind.
set -euo pipefail

: "${SRCDIR:?}"
command -v systemd-analyze >/dev/null ||
	{ echo "SKIP: systemd-analyze missing"; exit 77; }

tmp=$(mktemp -d)
live_unit=
cleanup() {
	if [ -n "$live_unit" ]; then
		systemctl stop "$live_unit" 2>/dev/null || true
		rm -rf "/run/systemd/system/$live_unit" \
		    "/run/systemd/system/$live_unit.d"
		systemctl daemon-reload 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# The unit and snippets as CMake makes them for the Debian paths.
command -v cmake >/dev/null || { echo "SKIP: cmake missing"; exit 77; }
cmake -DDEADLINED_SBINDIR=/usr/sbin -DDEADLINED_SYSCONFDIR=/etc/deadlined \
    -DDEADLINED_STATEDIR=/var/lib/deadlined -DDEADLINED_UNITS_OUTPUT="$tmp/units" \
    -P "$SRCDIR/contrib/systemd/units.cmake" || fail "units.cmake"
unit=$tmp/units/deadlined.service
sysusers=$tmp/units/deadlined.sysusers
tmpfiles=$tmp/units/deadlined.tmpfiles

# --- the settings the daemon and the docs rely on --------------------------

for line in \
    'Type=notify' \
    'ExecStart=/usr/sbin/deadlined -c /etc/deadlined/deadlined.ini' \
    'ExecReload=/bin/kill -HUP $MAINPID' \
    'WatchdogSec=3min' \
    'Restart=on-failure' \
    'User=deadlined' \
    'StateDirectory=deadlined' \
    'ConfigurationDirectory=deadlined' \
    'UMask=0077' \
    'NoNewPrivileges=yes' \
    'ProtectSystem=strict' \
    'CapabilityBoundingSet=' \
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' \
    'SystemCallFilter=@system-service' \
    'MemoryDenyWriteExecute=yes' \
    'WantedBy=multi-user.target'; do
	grep -qxF "$line" "$unit" || fail "deadlined.service lacks '$line'"
done
# Network access is needed (SMTP, webhooks): no PrivateNetwork/IPAddressDeny.
grep -Eq '^(PrivateNetwork=yes|IPAddressDeny=)' "$unit" &&
	fail "deadlined.service cuts the network off"

# --- systemd-analyze security ----------------------------------------------

systemd-analyze security --offline=true --no-pager "$unit" \
    >"$tmp/security" 2>&1 || true
score=$(sed -n 's/.*Overall exposure level for deadlined.service: \([0-9.]*\).*/\1/p' \
    "$tmp/security")
[ -n "$score" ] || { cat "$tmp/security" >&2; fail "no exposure level"; }
awk -v s="$score" 'BEGIN { exit !(s < 2.0) }' ||
	{ grep '✗' "$tmp/security" >&2; fail "exposure $score, expected < 2.0"; }
echo "security: overall exposure $score"

# --- systemd-analyze verify ------------------------------------------------

# The programs are not installed here: point the copy at ones that exist.
exe=/bin/true
[ -n "${DEADLINED:-}" ] && [ -x "$DEADLINED" ] && exe=$DEADLINED
sed "s|^ExecStart=/usr/sbin/deadlined |ExecStart=$exe |" "$unit" \
    >"$tmp/deadlined.service"
if systemd-analyze verify --man=no "$tmp/deadlined.service" \
    >"$tmp/verify" 2>&1; then
	echo "verify: ok"
elif grep -q "Failed to initialize manager" "$tmp/verify"; then
	# Some containers cannot even set up an offline manager.
	echo "verify: skipped ($(head -n 1 "$tmp/verify"))"
else
	cat "$tmp/verify" >&2
	fail "systemd-analyze verify"
fi

# --- sysusers and tmpfiles into a scratch root ------------------------------

if [ "$(id -u)" = 0 ] && command -v systemd-sysusers >/dev/null &&
    command -v systemd-tmpfiles >/dev/null; then
	root=$tmp/root
	mkdir -p "$root/etc"
	systemd-sysusers --root="$root" "$sysusers" >/dev/null 2>&1 ||
		fail "systemd-sysusers"
	grep -q '^deadlined:x:[0-9]*:[0-9]*:[^:]*:/var/lib/deadlined:/usr/sbin/nologin$' \
	    "$root/etc/passwd" || fail "sysusers: $(cat "$root/etc/passwd")"
	systemd-tmpfiles --root="$root" --create "$tmpfiles" ||
		fail "systemd-tmpfiles"
	uid=$(awk -F: '$1 == "deadlined" { print $3 }' "$root/etc/passwd")
	[ "$(stat -c '%a %u' "$root/var/lib/deadlined")" = "750 $uid" ] ||
		fail "tmpfiles: /var/lib/deadlined $(stat -c '%a %u' "$root/var/lib/deadlined")"
	[ "$(stat -c '%a %U %g' "$root/etc/deadlined/secrets")" = "750 root $uid" ] ||
		fail "tmpfiles: /etc/deadlined/secrets"
	echo "sysusers, tmpfiles: ok"
else
	echo "sysusers, tmpfiles: skipped (needs root and systemd-sysusers)"
fi

# --- a real start, reload and stop -------------------------------------------

live_skip() {
	echo "live start/reload/stop: skipped ($1)"
	exit 0
}
[ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && [ -d /run/systemd/system ] ||
	live_skip "PID 1 is not systemd"
[ "$(id -u)" = 0 ] || live_skip "not root"
[ -n "${DEADLINED:-}" ] && [ -x "$DEADLINED" ] || live_skip "no DEADLINED"
# MemoryDenyWriteExecute=yes forbids the writable and executable memory of
# valgrind's translated code; ProtectSystem=strict and the dynamic user
# leave it no place to write its log.
[ -z "${DEADLINED_TEST_WRAPPER:-}" ] ||
	live_skip "the unit's sandbox does not admit valgrind"
command -v journalctl >/dev/null || live_skip "no journalctl"

# The shipped unit with a drop-in: a throw-away user, state directory and a
# configuration next to the build, mapped read-only into the sandbox.
live_unit=deadlined-citest-$$.service
conf=$tmp/live
mkdir -p "$conf"
cp "$SRCDIR/config/units.ini" "$conf/"
cat >"$conf/deadlined.ini" <<EOF
[daemon]
state_dir = /var/lib/deadlined-citest-$$
units_file = units.ini
[http]
enabled = no
EOF
chmod -R a+rX "$tmp"
cp "$unit" "/run/systemd/system/$live_unit"
mkdir -p "/run/systemd/system/$live_unit.d"
cat >"/run/systemd/system/$live_unit.d/test.conf" <<EOF
[Service]
User=
Group=
DynamicUser=yes
StateDirectory=
StateDirectory=deadlined-citest-$$
ConfigurationDirectory=
BindReadOnlyPaths=$DEADLINED $conf
ExecStart=
ExecStart=$DEADLINED -c $conf/deadlined.ini
EOF
systemctl daemon-reload
since=$(date '+%Y-%m-%d %H:%M:%S')
timeout 60 systemctl start "$live_unit" ||
	{ journalctl -u "$live_unit" --no-pager >&2; fail "start"; }
systemctl is-active --quiet "$live_unit" || fail "not active after start"
# Type=notify: start returned only after READY=1.
timeout 60 systemctl reload "$live_unit" || fail "reload"
for _ in $(seq 100); do
	journalctl -u "$live_unit" --since "$since" --no-pager 2>/dev/null |
	    grep -q "configuration reloaded" && break
	sleep 0.1
done
journalctl -u "$live_unit" --since "$since" --no-pager |
    grep -q "configuration reloaded" || fail "no reload in the journal"
systemctl is-active --quiet "$live_unit" || fail "not active after reload"
timeout 90 systemctl stop "$live_unit" || fail "stop"
[ "$(systemctl show -p Result --value "$live_unit")" = success ] ||
	fail "stop result $(systemctl show -p Result --value "$live_unit")"
echo "live start/reload/stop: ok"
