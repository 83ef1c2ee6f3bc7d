#!/bin/bash
# The man pages document what the code has: every key of config.c's table
# under its section in deadlined.ini(5), every command of deadlinectl.c's
# table and every long option of deadlinectl in deadlinectl(1), every long
# option of deadlined in deadlined(8); and all three render without warnings.
set -euo pipefail

: "${SRCDIR:?}"
command -v groff >/dev/null || { echo "SKIP: groff missing"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

man5=$SRCDIR/man/deadlined.ini.5
man1=$SRCDIR/man/deadlinectl.1
man8=$SRCDIR/man/deadlined.8
missing=0

# Reports one undocumented item.
missing() {
	echo "missing: $*" >&2
	missing=$((missing + 1))
}

# --- deadlined.ini(5): "section key" pairs ---------------------------------

# The table's rows: { "section", "key", TYPE, ...
sed -n '/config_table\[\] = {/,/^};/p' "$SRCDIR/daemon/config.c" |
    sed -n 's/^[[:space:]]*{ "\([a-z_]*\)", "\([a-z_]*\)",.*/\1 \2/p' \
    >"$tmp/keys"
# The page's: ".Ss [section]" then ".It Cm key ..." until the next heading.
awk '/^\.Sh/ { section = "" }
    /^\.Ss \[[a-z_]+\]$/ { section = substr($2, 2, length($2) - 2); next }
    /^\.Ss/ { section = "" }
    section != "" && /^\.It Cm [a-z_]+/ { print section, $3 }' \
    "$man5" | sort -u >"$tmp/documented"

nkeys=$(wc -l <"$tmp/keys")
# A parse that found almost nothing would pass vacuously.
[ "$nkeys" -ge 40 ] || { echo "FAIL: only $nkeys keys read from config.c"; exit 1; }
while read -r section key; do
	grep -qx "$section $key" "$tmp/documented" ||
	    missing "deadlined.ini(5): [$section] $key"
done <"$tmp/keys"
# And nothing documented that the table does not have.
sort -u "$tmp/keys" >"$tmp/keys.sorted"
while read -r section key; do
	grep -qx "$section $key" "$tmp/keys.sorted" ||
	    missing "config.c table (documented in deadlined.ini(5)): [$section] $key"
done <"$tmp/documented"

# --- deadlinectl(1): commands and options ----------------------------------

sed -n '/ctl_commands\[\] = {/,/^};/p' "$SRCDIR/daemon/deadlinectl.c" |
    sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", ctl_cmd_.*/\1/p' >"$tmp/commands"
ncommands=$(wc -l <"$tmp/commands")
[ "$ncommands" -ge 10 ] ||
	{ echo "FAIL: only $ncommands commands read from deadlinectl.c"; exit 1; }
while read -r command; do
	grep -Eq "^\.It Ic $command( |$)" "$man1" ||
	    missing "deadlinectl(1): command $command"
done <"$tmp/commands"

# Long options: { "name", required_argument|no_argument, ...
long_options() {
	sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", \(required\|no\|optional\)_argument.*/\1/p' "$@" |
	    sort -u
}
long_options "$SRCDIR/daemon/deadlinectl.c" "$SRCDIR"/daemon/ctl-*.c \
    >"$tmp/ctl-options"
while read -r option; do
	grep -Fq "Fl \\-$option" "$man1" ||
	    missing "deadlinectl(1): option --$option"
done <"$tmp/ctl-options"

# --- deadlined(8) -----------------------------------------------------------

long_options "$SRCDIR/daemon/deadlined.c" >"$tmp/daemon-options"
[ -s "$tmp/daemon-options" ] || { echo "FAIL: no options in deadlined.c"; exit 1; }
while read -r option; do
	grep -Fq "Fl \\-$option" "$man8" ||
	    missing "deadlined(8): option --$option"
done <"$tmp/daemon-options"
for word in SIGHUP SIGTERM READY=1 RELOADING=1 WATCHDOG=1 STOPPING=1 \
    DEADLINED_CONFIG; do
	grep -q "$word" "$man8" || missing "deadlined(8): $word"
done

# --- exit codes and restore in deadlinectl(1) -------------------------------

for word in "^\.Sh EXIT STATUS" "^\.It 0$" "^\.It 1$" "^\.It 2$" \
    "^\.Sh RESTORING A BACKUP" "deadlined.db-wal"; do
	grep -q "$word" "$man1" || missing "deadlinectl(1): $word"
done

# --- rendering ---------------------------------------------------------------

for page in "$man1" "$man5" "$man8"; do
	groff -k -mandoc -Tutf8 -ww -z "$page" 2>"$tmp/warnings" || true
	if [ -s "$tmp/warnings" ]; then
		cat "$tmp/warnings" >&2
		missing "clean rendering of ${page##*/}"
	fi
done

if [ "$missing" -ne 0 ]; then
	echo "FAIL: $missing items missing" >&2
	exit 1
fi
echo "PASS: $nkeys keys, $ncommands commands," \
    "$(wc -l <"$tmp/ctl-options") deadlinectl options," \
    "$(wc -l <"$tmp/daemon-options") deadlined options"
