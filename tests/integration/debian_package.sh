#!/bin/bash
# debian/: dpkg-buildpackage -us -uc -b builds deadlined_VERSION_ARCH.deb
# from a copy of the source tree (nocheck, parallel=2: the tree is built
# once more, about a minute); the .deb holds the programs, the unit (its
# ExecStart= the packaged deadlined), the sysusers and tmpfiles snippets,
# the bash completion, the man pages and the examples, and its programs
# run; installed with dpkg --root into a scratch root, its postinst creates
# the user and the directories and neither enables nor starts the service;
# it purges cleanly; lintian reports no error (its other tags are printed).
# Also: debian/changelog starts at project()'s version, and every library
# CMakeLists.txt asks pkg-config for is in Build-Depends.
#
# Exits 77 when dpkg-buildpackage, debhelper or lintian are missing and
# cannot be installed (apt-get, as root).  The packaged programs run
# through $DEADLINED_TEST_WRAPPER when it is set (valgrind in scripts/test).
set -euo pipefail

: "${SRCDIR:?}"
wrap=${DEADLINED_TEST_WRAPPER:-}
limit=$((60 * ${DEADLINED_TEST_SLOW:-1}))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- what it needs -------------------------------------------------------------

# Prints the tools that are missing.
missing_tools() {
	local t
	for t in dpkg-buildpackage dpkg-deb dh dh_installsysusers lintian; do
		command -v "$t" >/dev/null || echo "$t"
	done
}
if [ -n "$(missing_tools)" ] && [ "$(id -u)" = 0 ] &&
    command -v apt-get >/dev/null; then
	echo "installing debhelper, dpkg-dev, lintian ($(missing_tools | xargs))"
	pkgs="debhelper dpkg-dev lintian"
	export DEBIAN_FRONTEND=noninteractive
	timeout 600 apt-get install -y -q --no-install-recommends $pkgs \
	    >"$tmp/apt.log" 2>&1 ||
	{ timeout 600 apt-get update -q >>"$tmp/apt.log" 2>&1 &&
	  timeout 600 apt-get install -y -q --no-install-recommends $pkgs \
	    >>"$tmp/apt.log" 2>&1; } || true
fi
if [ -n "$(missing_tools)" ]; then
	echo "SKIP: missing $(missing_tools | xargs) (apt-get install debhelper dpkg-dev lintian)"
	exit 77
fi

# --- debian/ agrees with the tree ---------------------------------------------

version=$(sed -n 's/^project(deadlined VERSION \([0-9.]*\).*/\1/p' \
    "$SRCDIR/CMakeLists.txt")
[ -n "$version" ] || fail "no version in CMakeLists.txt"
changelog=$(cd "$SRCDIR" && dpkg-parsechangelog -S Version)
[ "$changelog" = "$version" ] ||
	fail "debian/changelog is at $changelog, CMakeLists.txt at $version"

# Every pkg-config module of CMakeLists.txt: the package that holds its .pc
# file is a Build-Depends (libcrypto: libssl-dev).
builddeps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$SRCDIR/debian/control" |
    tr ',|' '\n\n' | sed -e 's/[(<].*//' -e 's/^[[:space:]]*//' \
    -e 's/[[:space:]]*$//' -e '/:$/d' -e '/^$/d')
modules=$(sed -n 's/^pkg_check_modules([A-Z0-9_]* .*IMPORTED_TARGET \([a-z0-9_-]*\)).*/\1/p' \
    "$SRCDIR/CMakeLists.txt")
[ "$(wc -w <<<"$modules")" -ge 8 ] || fail "only [$modules] read from CMakeLists.txt"
for m in $modules; do
	pc=$(pkg-config --variable=pcfiledir "$m" 2>/dev/null)/$m.pc
	[ -f "$pc" ] || { echo "$m: no .pc here, not checked"; continue; }
	pkg=$(dpkg -S "$(readlink -f "$pc")" 2>/dev/null | sed -n '1s/[:,].*//p')
	[ -n "$pkg" ] || { echo "$m: $pc is no package's, not checked"; continue; }
	grep -qx "$pkg" <<<"$builddeps" ||
		fail "pkg-config module $m ($pkg) is not in Build-Depends"
done

# --- the build, from a copy of the tree ------------------------------------------

src=$tmp/deadlined-$version
mkdir -p "$src"
excludes=(--exclude=./.git --exclude=./build --exclude='./build-*'
    --exclude=./demo --exclude='./obj-*' --exclude=./debian/deadlined
    --exclude=./debian/.debhelper --exclude=./debian/tmp)
if [ -n "${BUILDDIR:-}" ] && [[ $BUILDDIR == "$SRCDIR"/* ]]; then
	excludes+=(--exclude="./${BUILDDIR#"$SRCDIR"/}")
fi
tar -C "$SRCDIR" "${excludes[@]}" -cf - . | tar -C "$src" -xf -
start=$SECONDS
(cd "$src" && env DEB_BUILD_OPTIONS="nocheck parallel=2" \
    DEB_BUILD_PROFILES=nocheck timeout 1200 dpkg-buildpackage -us -uc -b) \
    >"$tmp/build.log" 2>&1 ||
	{ tail -40 "$tmp/build.log" >&2; fail "dpkg-buildpackage"; }
echo "dpkg-buildpackage: $((SECONDS - start)) s"
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=$tmp/deadlined_${version}_$arch.deb
changes=$tmp/deadlined_${version}_$arch.changes
[ -f "$deb" ] && [ -f "$changes" ] || fail "no $deb: $(ls "$tmp")"

# --- what the .deb holds -----------------------------------------------------------

x=$tmp/x
dpkg-deb -x "$deb" "$x"
for f in usr/sbin/deadlined usr/bin/deadlinectl; do
	[ -f "$x/$f" ] && [ -x "$x/$f" ] || fail "$f is not in the package"
done
unit=
for f in lib/systemd/system usr/lib/systemd/system; do
	[ -f "$x/$f/deadlined.service" ] && unit=$f/deadlined.service
done
[ -n "$unit" ] || fail "no deadlined.service in the package"
for f in \
    usr/lib/sysusers.d/deadlined.conf \
    usr/lib/tmpfiles.d/deadlined.conf \
    usr/share/bash-completion/completions/deadlinectl \
    usr/share/man/man1/deadlinectl.1.gz \
    usr/share/man/man5/deadlined.ini.5.gz \
    usr/share/man/man8/deadlined.8.gz \
    usr/share/doc/deadlined/copyright \
    usr/share/doc/deadlined/examples/deadlined.ini \
    usr/share/doc/deadlined/examples/units.ini \
    usr/share/doc/deadlined/examples/units-province.ini \
    usr/share/doc/deadlined/examples/days-off.ini; do
	[ -f "$x/$f" ] || fail "$f is not in the package"
done
ls "$x"/usr/share/doc/deadlined/ADMIN.md* >/dev/null 2>&1 ||
	fail "ADMIN.md is not in the package"
# The unit runs the packaged program on the packaged configuration path.
exec_start=$(sed -n 's/^ExecStart=//p' "$x/$unit")
[ "$exec_start" = "/usr/sbin/deadlined -c /etc/deadlined/deadlined.ini" ] ||
	fail "ExecStart=$exec_start"
[ -x "$x${exec_start%% *}" ] || fail "ExecStart names ${exec_start%% *}, not packaged"
grep -qxF "StateDirectory=deadlined" "$x/$unit" || fail "no StateDirectory=deadlined"
grep -q "/var/lib/deadlined" "$x/usr/lib/tmpfiles.d/deadlined.conf" ||
	fail "tmpfiles: no /var/lib/deadlined"

# The packaged programs run.
[ "$(timeout "$limit" $wrap "$x/usr/bin/deadlinectl" --version)" = \
    "deadlinectl $version" ] || fail "deadlinectl --version"
[ "$(timeout "$limit" $wrap "$x/usr/sbin/deadlined" --version)" = \
    "deadlined $version" ] || fail "deadlined --version"
# ... and accept the packaged examples (an /etc of their own).
mkdir -p "$tmp/etc"
cp "$x"/usr/share/doc/deadlined/examples/*.ini "$tmp/etc/"
out=$(timeout "$limit" $wrap "$x/usr/bin/deadlinectl" \
    -c "$tmp/etc/deadlined.ini" check-config 2>&1) || fail "check-config: $out"

# --- the maintainer scripts ---------------------------------------------------

dpkg-deb -e "$deb" "$tmp/control"
postinst=$tmp/control/postinst
grep -q "systemd-sysusers.* deadlined.conf" "$postinst" ||
	fail "postinst does not create the user"
grep -q "systemd-tmpfiles.* --create deadlined.conf" "$postinst" ||
	fail "postinst does not create the directories"
# Never started: deb-systemd-invoke is what starts a unit; enabled only
# again on upgrade if the administrator had enabled it.
grep -n "deb-systemd-invoke\|systemctl.*start" "$postinst" &&
	fail "postinst starts the service"
grep -B3 "deb-systemd-helper enable" "$postinst" | grep -q "was-enabled" ||
	fail "postinst enables the service"

# Installed into a scratch root: the scripts run on this system
# (chrootless, DPKG_ROOT set), as root since they create a user.
if [ "$(id -u)" = 0 ] && command -v systemd-sysusers >/dev/null &&
    command -v systemd-tmpfiles >/dev/null; then
	root=$tmp/root
	mkdir -p "$root/etc" "$root/var/lib/dpkg/info" \
	    "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
	: >"$root/var/lib/dpkg/status"
	: >"$root/var/lib/dpkg/available"
	dpkgr=(dpkg --root="$root" --force-script-chrootless --force-depends
	    --log=/dev/null)
	timeout 300 "${dpkgr[@]}" -i "$deb" >"$tmp/dpkg.log" 2>&1 ||
		{ cat "$tmp/dpkg.log" >&2; fail "dpkg --root -i"; }
	[ "$(dpkg --root="$root" -s deadlined | sed -n 's/^Status: //p')" = \
	    "install ok installed" ] || fail "not installed: $(cat "$tmp/dpkg.log")"
	grep -q '^deadlined:x:[0-9]*:[0-9]*:[^:]*:/var/lib/deadlined:/usr/sbin/nologin$' \
	    "$root/etc/passwd" || fail "no user: $(cat "$root/etc/passwd")"
	uid=$(awk -F: '$1 == "deadlined" { print $3 }' "$root/etc/passwd")
	gid=$(awk -F: '$1 == "deadlined" { print $3 }' "$root/etc/group")
	[ "$(stat -c '%a %u %g' "$root/var/lib/deadlined")" = "750 $uid $gid" ] ||
		fail "/var/lib/deadlined: $(stat -c '%a %u %g' "$root/var/lib/deadlined")"
	[ "$(stat -c '%a %u %g' "$root/etc/deadlined/secrets")" = "750 0 $gid" ] ||
		fail "/etc/deadlined/secrets: $(stat -c '%a %u %g' "$root/etc/deadlined/secrets")"
	[ "$(stat -c '%a %u' "$root/etc/deadlined")" = "755 0" ] ||
		fail "/etc/deadlined"
	# Not enabled: no wants link anywhere in the root.
	found=$(find "$root/etc/systemd" -name 'deadlined.service' 2>/dev/null || true)
	[ -z "$found" ] || fail "the service was enabled: $found"
	# Removed and purged; the user and the data stay.
	timeout 300 "${dpkgr[@]}" --purge deadlined >"$tmp/purge.log" 2>&1 ||
		{ cat "$tmp/purge.log" >&2; fail "dpkg --root --purge"; }
	[ ! -e "$root/usr/bin/deadlinectl" ] || fail "purge left deadlinectl"
	[ -d "$root/var/lib/deadlined" ] || fail "purge removed /var/lib/deadlined"
	echo "dpkg --root: installed (user, directories, not enabled), purged"
else
	echo "dpkg --root: skipped (needs root, systemd-sysusers, systemd-tmpfiles)"
fi

# --- lintian ---------------------------------------------------------------------

# lintian exits 1 when it reports an error (its default --fail-on).
rc=0
timeout 600 lintian --display-info --pedantic --tag-display-limit 0 "$changes" \
    >"$tmp/lintian.log" 2>&1 || rc=$?
grep -v "running with root privileges" "$tmp/lintian.log" |
    sed 's/^/lintian: /'
grep -q "^E: " "$tmp/lintian.log" && fail "lintian reports errors"
[ "$rc" = 0 ] || fail "lintian exited $rc"
echo "PASS"
