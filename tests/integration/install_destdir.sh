#!/bin/bash
# cmake --install into a DESTDIR, for a /usr and for a /usr/local prefix:
# each tree holds the programs, the unit, the sysusers/tmpfiles snippets,
# the bash completion of deadlinectl, the man pages and the example configuration, nothing
# outside the prefix; the unit, the snippets and the programs' compiled
# defaults name the same paths (ExecStart= is the installed deadlined, -c
# and the tmpfiles name the configuration directory the programs read, the
# state directory is the one the unit lets the service write); the
# installed programs run and accept the installed example configuration.
#
# A prefix is checked on $BUILDDIR when it was configured with it, else on
# a tree configured here (BUILD_TESTING=OFF, the same build type and
# sanitizers as $BUILDDIR; two programs, some 20 s at -j2).  The installed
# programs run through $DEADLINED_TEST_WRAPPER when it is set (the valgrind
# stage of scripts/test: under memcheck), their time bounds multiplied by
# $DEADLINED_TEST_SLOW.
set -euo pipefail

: "${BUILDDIR:?}" "${SRCDIR:?}"
command -v cmake >/dev/null || { echo "SKIP: cmake missing"; exit 77; }
wrap=${DEADLINED_TEST_WRAPPER:-}
limit=$((60 * ${DEADLINED_TEST_SLOW:-1}))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL ($prefix): $*" >&2; exit 1; }
prefix=-

version=$(sed -n 's/^project(deadlined VERSION \([0-9.]*\).*/\1/p' \
    "$SRCDIR/CMakeLists.txt")
[ -n "$version" ] || fail "no version in CMakeLists.txt"

# Prints the value of a variable of $BUILDDIR's CMake cache.
cached() {
	sed -n "s/^$1:[A-Z]*=//p" "$BUILDDIR/CMakeCache.txt"
}

# Prints a build tree configured with PREFIX: $BUILDDIR or a new one.
tree_for() {
	local p=$1 dir
	if [ "$(cached CMAKE_INSTALL_PREFIX)" = "$p" ] &&
	    ! cached 'CMAKE_INSTALL_\(SYSCONF\|LOCALSTATE\|S\?BIN\)DIR' |
	    grep -q '^/'; then
		echo "$BUILDDIR"
		return
	fi
	dir=$tmp/build${p//\//-}
	timeout 120 cmake -S "$SRCDIR" -B "$dir" -DCMAKE_INSTALL_PREFIX="$p" \
	    -DBUILD_TESTING=OFF \
	    -DCMAKE_BUILD_TYPE="$(cached CMAKE_BUILD_TYPE)" \
	    -DENABLE_ASAN="$(cached ENABLE_ASAN)" \
	    -DENABLE_UBSAN="$(cached ENABLE_UBSAN)" \
	    >"$tmp/configure.log" 2>&1 ||
		{ cat "$tmp/configure.log" >&2; fail "configure"; }
	timeout 600 cmake --build "$dir" -j2 --target deadlined deadlinectl \
	    >"$tmp/build.log" 2>&1 ||
		{ tail -30 "$tmp/build.log" >&2; fail "build"; }
	echo "$dir"
}

# Checks the install of one prefix; $1 the prefix, then the expected
# configuration and state directories.
check_prefix() {
	local etc=$2 state=$3 tree root f out
	prefix=$1
	tree=$(tree_for "$prefix")
	root=$tmp/root${prefix//\//-}
	DESTDIR=$root timeout 120 cmake --install "$tree" \
	    >"$tmp/install.log" 2>&1 ||
		{ cat "$tmp/install.log" >&2; fail "install"; }

	# --- the tree ----------------------------------------------------------
	for f in sbin/deadlined bin/deadlinectl; do
		[ -f "$root$prefix/$f" ] && [ -x "$root$prefix/$f" ] ||
			fail "$prefix/$f is not installed"
	done
	for f in \
	    lib/systemd/system/deadlined.service \
	    lib/sysusers.d/deadlined.conf \
	    lib/tmpfiles.d/deadlined.conf \
	    share/bash-completion/completions/deadlinectl \
	    share/man/man1/deadlinectl.1 \
	    share/man/man5/deadlined.ini.5 \
	    share/man/man8/deadlined.8 \
	    share/doc/deadlined/ADMIN.md \
	    share/doc/deadlined/examples/deadlined.ini \
	    share/doc/deadlined/examples/units.ini \
	    share/doc/deadlined/examples/units-province.ini \
	    share/doc/deadlined/examples/days-off.ini; do
		[ -f "$root$prefix/$f" ] || fail "$prefix/$f is not installed"
		[ "$(stat -c %a "$root$prefix/$f")" = 644 ] ||
			fail "$f has mode $(stat -c %a "$root$prefix/$f"), expected 644"
	done
	# Everything stays under the prefix.
	out=$(cd "$root" && find . -mindepth 1 -maxdepth 3 -not -path ".$prefix" \
	    -not -path ".$prefix/*" | grep -vFx -e ./usr -e ./usr/local || true)
	[ -z "$out" ] || fail "files outside $prefix: $out"

	# --- the unit, user and directories name the configured paths ---------
	local unit=$root$prefix/lib/systemd/system/deadlined.service
	grep -qxF "ExecStart=$prefix/sbin/deadlined -c $etc/deadlined.ini" \
	    "$unit" || fail "ExecStart: $(grep '^ExecStart=' "$unit")"
	if [ "$state" = /var/lib/deadlined ]; then
		grep -qxF "StateDirectory=deadlined" "$unit" ||
			fail "no StateDirectory=deadlined"
	else
		grep -qxF "ReadWritePaths=$state" "$unit" ||
			fail "no ReadWritePaths=$state"
		grep -q "^StateDirectory=" "$unit" &&
			fail "StateDirectory= of a state outside /var/lib"
	fi
	grep -q '@[A-Z_]*@' "$unit" && fail "unit: $(grep '@[A-Z_]*@' "$unit")"
	grep -Eq "^ExecStart=/usr/sbin/.*/etc/deadlined/|^ReadWritePaths=/var" \
	    "$unit" && [ "$prefix" != /usr ] && fail "unit names the /usr paths"
	sed -e 's/#.*//' -e '/^$/d' "$root$prefix/lib/tmpfiles.d/deadlined.conf" |
	    awk '{ print $1, $2, $3, $4, $5 }' >"$tmp/tmpfiles"
	printf '%s\n' "d $etc 0755 root root" \
	    "d $etc/secrets 0750 root deadlined" \
	    "d $state 0750 deadlined deadlined" | diff - "$tmp/tmpfiles" >&2 ||
		fail "tmpfiles"
	grep -qx "u deadlined - \"Deadline reminder daemon\" $state" \
	    "$root$prefix/lib/sysusers.d/deadlined.conf" || fail "sysusers"

	# --- the installed programs ------------------------------------------
	[ "$($wrap "$root$prefix/sbin/deadlined" --version)" = \
	    "deadlined $version" ] || fail "deadlined --version"
	[ "$($wrap "$root$prefix/bin/deadlinectl" --version)" = \
	    "deadlinectl $version" ] || fail "deadlinectl --version"
	# The programs' defaults: the unit's -c and the tmpfiles' state.
	out=$(env -u DEADLINED_CONFIG timeout "$limit" $wrap \
	    "$root$prefix/bin/deadlinectl" check-config 2>&1) || true
	case $out in
	"$etc/deadlined.ini: cannot open"*|"configuration OK") ;;
	*) fail "default configuration: $out" ;;
	esac
	printf '[http]\nenabled = no\n' >"$tmp/empty.ini"
	out=$(timeout "$limit" $wrap "$root$prefix/bin/deadlinectl" \
	    -c "$tmp/empty.ini" units 2>&1) || true
	case $out in
	*"$state/deadlined.db: "*) ;;
	*) fail "default state directory: $out" ;;
	esac

	# The example configuration, copied into an /etc-like directory, is
	# valid and names the state directory of the unit.
	local conf=$tmp/etc${prefix//\//-}
	mkdir -p "$conf"
	cp "$root$prefix"/share/doc/deadlined/examples/*.ini "$conf/"
	grep -qx "state_dir = $state" "$conf/deadlined.ini" ||
		fail "example: $(grep '^state_dir' "$conf/deadlined.ini")"
	# On a day of 2025: the shipped days-off.ini decides 2025 and 2026.
	out=$(timeout "$limit" $wrap "$root$prefix/bin/deadlinectl" \
	    -c "$conf/deadlined.ini" --now 2025-06-01 check-config 2>&1) ||
		fail "check-config of the examples: $out"
	# Its placeholders, which the administrator must set, are warned
	# about (base_url on loopback, no link key), and nothing else.
	[ "$(grep -v '^warning: ' <<<"$out")" = "configuration OK" ] &&
	    [ "$(grep '^warning: ' <<<"$out" | sed 's/^warning: [^ ]*:[0-9]*: \([a-z_.]*\) .*/\1/' |
	    tr '\n' ' ')" = "http.base_url http.link_secret_file " ] ||
		fail "check-config said: $out"

	# ... and the installed tool creates and reads a database with it, in
	# a scratch state directory (init would create the real one).
	local scratch=$tmp/state${prefix//\//-}
	sed -i "s|^state_dir = .*|state_dir = $scratch|" "$conf/deadlined.ini"
	timeout "$limit" $wrap "$root$prefix/bin/deadlinectl" \
	    -c "$conf/deadlined.ini" init >"$tmp/init.log" 2>&1 ||
		fail "init: $(cat "$tmp/init.log")"
	grep -q "^units: [1-9][0-9]* added" "$tmp/init.log" ||
		fail "init: $(cat "$tmp/init.log")"
	[ -f "$scratch/deadlined.db" ] || fail "init: no $scratch/deadlined.db"
	timeout "$limit" $wrap "$root$prefix/bin/deadlinectl" \
	    -c "$conf/deadlined.ini" holidays 2024 --format csv \
	    >"$tmp/holidays.csv" || fail "holidays"
	grep -q "^2024-09-02," "$tmp/holidays.csv" ||
		fail "holidays: no 2 September"

	# A broken copy is refused with its file and line.
	printf '[daemon]\nno_such_key = 1\n' >>"$conf/deadlined.ini"
	if out=$($wrap "$root$prefix/bin/deadlinectl" -c "$conf/deadlined.ini" \
	    check-config 2>&1); then
		fail "check-config accepted an unknown key"
	fi
	grep -q "deadlined.ini:[0-9]*: " <<<"$out" || fail "check-config said: $out"

	# --- the installed man pages render ----------------------------------
	if command -v man >/dev/null; then
		for f in man1/deadlinectl.1 man5/deadlined.ini.5 man8/deadlined.8; do
			MANWIDTH=80 LC_ALL=C.UTF-8 man -l "$root$prefix/share/man/$f" \
			    >"$tmp/page.txt" 2>"$tmp/page.err" || fail "man -l $f"
			grep -q "^NAME" "$tmp/page.txt" || fail "$f: no NAME"
			[ -s "$tmp/page.err" ] && fail "$f: $(cat "$tmp/page.err")"
		done
	fi
	echo "$prefix: ok ($([ "$tree" = "$BUILDDIR" ] && echo BUILDDIR ||
	    echo "a tree configured here"))"
}

check_prefix /usr /etc/deadlined /var/lib/deadlined
check_prefix /usr/local /usr/local/etc/deadlined /usr/local/var/lib/deadlined
command -v man >/dev/null || echo "man pages: not rendered (man missing)"
echo "PASS"
