#!/bin/bash
# cmake --install into a DESTDIR with the Debian prefix: the tree holds the
# programs, the unit, the sysusers/tmpfiles snippets, the man pages and the
# example configuration, nothing outside /usr; the installed programs run and
# accept the installed example configuration.  The installed programs run
# through $DEADLINED_TEST_WRAPPER when it is set (the valgrind stage of
# scripts/test: under memcheck), their time bounds multiplied by
# $DEADLINED_TEST_SLOW.
set -euo pipefail

: "${BUILDDIR:?}" "${SRCDIR:?}"
command -v cmake >/dev/null || { echo "SKIP: cmake missing"; exit 77; }
wrap=${DEADLINED_TEST_WRAPPER:-}
limit=$((60 * ${DEADLINED_TEST_SLOW:-1}))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

root=$tmp/root
DESTDIR=$root timeout 120 cmake --install "$BUILDDIR" --prefix /usr \
    >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; fail "install"; }

# --- the tree ------------------------------------------------------------------

for f in \
    usr/sbin/deadlined \
    usr/bin/deadlinectl; do
	[ -f "$root/$f" ] && [ -x "$root/$f" ] || fail "$f is not installed"
done
for f in \
    usr/lib/systemd/system/deadlined.service \
    usr/lib/sysusers.d/deadlined.conf \
    usr/lib/tmpfiles.d/deadlined.conf \
    usr/share/man/man1/deadlinectl.1 \
    usr/share/man/man5/deadlined.ini.5 \
    usr/share/man/man8/deadlined.8 \
    usr/share/doc/deadlined/ADMIN.md \
    usr/share/doc/deadlined/examples/deadlined.ini \
    usr/share/doc/deadlined/examples/units.ini \
    usr/share/doc/deadlined/examples/days-off.ini; do
	[ -f "$root/$f" ] || fail "$f is not installed"
	[ "$(stat -c %a "$root/$f")" = 644 ] ||
		fail "$f has mode $(stat -c %a "$root/$f"), expected 644"
done
cmp -s "$root/usr/lib/systemd/system/deadlined.service" \
    "$SRCDIR/contrib/systemd/deadlined.service" || fail "unit differs"
# Everything stays under the prefix.
top=$(cd "$root" && ls -A)
[ "$top" = usr ] || fail "files outside /usr: $top"

# --- the installed programs -----------------------------------------------------

version=$(sed -n 's/^project(deadlined VERSION \([0-9.]*\).*/\1/p' \
    "$SRCDIR/CMakeLists.txt")
[ -n "$version" ] || fail "no version in CMakeLists.txt"
[ "$($wrap "$root/usr/sbin/deadlined" --version)" = "deadlined $version" ] ||
	fail "deadlined --version"
[ "$($wrap "$root/usr/bin/deadlinectl" --version)" = "deadlinectl $version" ] ||
	fail "deadlinectl --version"

# The example configuration, copied into an /etc-like directory, is valid
# (and its days-off.ini has the decisions of 2025 and 2026: no warning).
etc=$tmp/etc/deadlined
mkdir -p "$etc"
cp "$root"/usr/share/doc/deadlined/examples/*.ini "$etc/"
out=$(timeout "$limit" $wrap "$root/usr/bin/deadlinectl" \
    -c "$etc/deadlined.ini" --now 2025-06-01 check-config 2>&1) ||
	fail "check-config of the examples: $out"
[ "$out" = "configuration OK" ] || fail "check-config said: $out"

# ... and the installed tool creates and reads a database with it.
db=$tmp/state/deadlined.db
mkdir -p "$tmp/state"
timeout "$limit" $wrap "$root/usr/bin/deadlinectl" -c "$etc/deadlined.ini" \
    --db "$db" init >"$tmp/init.log" 2>&1 || fail "init: $(cat "$tmp/init.log")"
grep -q "^units: [1-9][0-9]* added" "$tmp/init.log" ||
	fail "init: $(cat "$tmp/init.log")"
timeout "$limit" $wrap "$root/usr/bin/deadlinectl" -c "$etc/deadlined.ini" \
    --db "$db" holidays 2024 --format csv >"$tmp/holidays.csv" || fail "holidays"
grep -q "^2024-09-02," "$tmp/holidays.csv" || fail "holidays: no 2 September"

# A broken copy is refused with its file and line.
printf '[daemon]\nno_such_key = 1\n' >>"$etc/deadlined.ini"
if out=$($wrap "$root/usr/bin/deadlinectl" -c "$etc/deadlined.ini" \
    check-config 2>&1); then
	fail "check-config accepted an unknown key"
fi
grep -q "deadlined.ini:[0-9]*: " <<<"$out" || fail "check-config said: $out"

# --- the installed man pages render --------------------------------------------

if command -v man >/dev/null; then
	for page in man1/deadlinectl.1 man5/deadlined.ini.5 man8/deadlined.8; do
		MANWIDTH=80 LC_ALL=C.UTF-8 man -l "$root/usr/share/man/$page" \
		    >"$tmp/page.txt" 2>"$tmp/page.err" || fail "man -l $page"
		grep -q "^NAME" "$tmp/page.txt" || fail "$page: no NAME"
		[ -s "$tmp/page.err" ] && fail "$page: $(cat "$tmp/page.err")"
	done
else
	echo "man pages: not rendered (man missing)"
fi
echo "PASS"
