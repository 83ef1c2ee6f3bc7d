#!/bin/bash
# The examples of the man pages (every .Bd -literal block of man/*.[158])
# and of docs/ADMIN.md (every indented block) work as written: each
# command runs in a scratch directory with its paths substituted
# (/etc/deadlined, /var/lib/deadlined, /var/backups, the examples'
# directory), as the user its prompt or its cron line names: "#" and root
# as root, "$" as an unprivileged user, "runuser -u deadlined --" and cron's
# "deadlined" as a stand-in service user that owns the state directory,
# like the packaged one (numeric ids, through setpriv).  An output line
# printed in an example must be the command's output.  Configuration
# fragments are checked with check-config.  Every line of every block is
# classified below; a block nobody classified fails the test, so a new
# example is either run here or listed with the reason it cannot be.
#
# As root the user switches are real (the backup example of deadlinectl(1)
# failed here: the service's user cannot write into /var/backups).  Not as
# root, or under $DEADLINED_TEST_WRAPPER (valgrind writes its logs into a
# directory of root's), every command runs as the caller and /var/backups
# is read-only for the service's commands only in the first case.
set -euo pipefail

: "${DEADLINED:?}" "${DEADLINECTL:?}" "${SRCDIR:?}"
slow=${DEADLINED_TEST_SLOW:-1}
limit=$((120 * slow))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# --- users ---------------------------------------------------------------------

# Prints a numeric id that no user or group has, from $1 up.
free_id() {
	local id=$1
	while getent passwd "$id" >/dev/null || getent group "$id" >/dev/null; do
		id=$((id + 1))
	done
	echo "$id"
}
switch=0
if [ "$(id -u)" = 0 ] && [ -z "${DEADLINED_TEST_WRAPPER:-}" ] &&
    command -v setpriv >/dev/null; then
	switch=1
	svc=$(free_id 61000)
	usr=$(free_id $((svc + 1)))
else
	svc=$(id -u)
	usr=$(id -u)
	echo "note: every command runs as $(id -un) (not root, or under a wrapper)"
fi

# Runs a command line (bash) as $1 (root, service or user) in the scratch
# working directory; its output goes to $tmp/out.
as() {
	local who=$1 cmd=$2
	local -a prefix=()
	if [ "$switch" = 1 ] && [ "$who" != root ]; then
		local id=$svc
		[ "$who" = user ] && id=$usr
		prefix=(setpriv --reuid="$id" --regid="$id" --clear-groups)
	fi
	(cd "$work" && "${prefix[@]}" env PATH="$tmp/bin:$PATH" \
	    DEADLINED_CONFIG="$etc/deadlined.ini" HOME="$work" \
	    timeout "$limit" bash -c "$cmd") >"$tmp/out" 2>&1
}

# --- a scratch system ------------------------------------------------------------

mkdir -p "$tmp/bin"
# deadlinectl and deadlined on PATH, the build's (or the wrapper's).
printf '#!/bin/sh\nexec %s "$@"\n' "$DEADLINECTL" >"$tmp/bin/deadlinectl"
printf '#!/bin/sh\nexec %s "$@"\n' "$DEADLINED" >"$tmp/bin/deadlined"
# logger: what a cron line logs goes to $tmp/logger.log (this system may
# have no syslog socket).
printf '#!/bin/sh\necho "$@" >>%s/logger.log\n' "$tmp" >"$tmp/bin/logger"
: >"$tmp/logger.log"
chmod 666 "$tmp/logger.log"
chmod 755 "$tmp/bin"/*

# Lays out what the package leaves: /etc/deadlined (root's), its secrets/
# (the service's group), /var/lib/deadlined (the service's), /var/backups
# (root's), and an empty working directory; $1 names it.
fresh_system() {
	local sys=$tmp/$1
	etc=$sys/etc/deadlined
	state=$sys/var/lib/deadlined
	backups=$sys/var/backups
	work=$sys/work
	mkdir -p "$etc/secrets" "$state" "$backups" "$work"
	chmod 755 "$sys" "$sys/etc" "$sys/var" "$sys/var/lib" "$etc" "$work"
	chmod 750 "$etc/secrets" "$state"
	chmod 755 "$backups"
	chown "0:$svc" "$etc/secrets"
	chown "$svc:$svc" "$state"
	if [ "$switch" = 0 ] && [ "$(id -u)" != 0 ]; then
		chmod 555 "$backups"
	fi
	cp "$SRCDIR/tests/fixtures/seed-tuyphuoc-2024.txt" "$work/kh-cchc-2024.txt"
}

# Copies the example configuration into /etc/deadlined, pointed at the
# scratch state directory (what "cp .../examples/*.ini /etc/deadlined/"
# gives, with the state directory substituted).
install_config() {
	cp "$SRCDIR"/config/*.ini "$etc/"
	sed -i "s|^state_dir = .*|state_dir = $state|" "$etc/deadlined.ini"
	chmod 644 "$etc"/*.ini
}

# Prints a command line with the scratch paths in place of the system's.
substitute() {
	local c=$1
	c=${c//\/usr\/share\/doc\/deadlined\/examples/$SRCDIR/config}
	c=${c//\/etc\/deadlined/$etc}
	c=${c//\/var\/lib\/deadlined/$state}
	c=${c//\/var\/backups/$backups}
	c=${c//\/path\/to\/ke-hoach-2024.txt/$work/kh-cchc-2024.txt}
	c=${c//chown deadlined:deadlined/chown $svc:$svc}
	# A dated backup restored: the one made today.
	c=${c//deadlined-2024-05-02.db/deadlined-$(date +%F).db}
	# The occurrence marked done: the first of the agenda just listed.
	[ -n "${first_id:-}" ] && c=${c/done 428 /done $first_id }
	echo "$c"
}

# Runs one example line: $1 where it is from, $2 as whom, $3 the command.
run() {
	local where=$1 who=$2 cmd
	cmd=$(substitute "$3")
	if ! as "$who" "$cmd"; then
		fail "$where: '$3' as $who: $(tail -5 "$tmp/out")"
		return
	fi
	ran=$((ran + 1))
	# The example configuration copied into /etc/deadlined names the
	# system's state directory: the scratch one instead.
	[ ! -f "$etc/deadlined.ini" ] ||
		sed -i "s|^state_dir = /var/lib/deadlined$|state_dir = $state|" \
		    "$etc/deadlined.ini"
	# Remembered for "done": the id of the agenda's first row.
	case $3 in
	*"deadlinectl agenda "*)
		first_id=$(awk 'NR == 2 { print $1 }' "$tmp/out") ;;
	esac
}

# Stand-ins for systemctl: a started service is one pass of the unit's
# ExecStart= as the service's user; a stopped one has nothing running.
start_service() {
	run "$1" service "deadlined -c /etc/deadlined/deadlined.ini --once"
}

# Checks a configuration fragment: $1 where, $2 the block file, $3 the
# file it joins (empty: a deadlined.ini of its own beside the examples).
check_fragment() {
	local dir=$tmp/fragment-$((++fragments))
	mkdir -p "$dir/secrets"
	cp "$SRCDIR/config/days-off.ini" "$dir/"
	sed "s|/etc/deadlined|$dir|" "$SRCDIR/config/units.ini" >"$dir/units.ini"
	if [ -n "$3" ]; then
		sed "s|^state_dir = .*|state_dir = $dir|" "$SRCDIR/config/$3" \
		    >"$dir/deadlined.ini"
		# The fragment's keys replace the example's.
		/usr/bin/python3 - "$dir/deadlined.ini" "$2" <<'PY'
import configparser, sys
base, frag = sys.argv[1], sys.argv[2]
lines = open(base, encoding="utf-8").read().split("\n")
section, keys = None, {}
for l in open(frag, encoding="utf-8").read().split("\n"):
    l = l.strip()
    if l.startswith("["):
        section = l.strip("[]")
    elif "=" in l:
        k, v = l.split("=", 1)
        keys[(section, k.strip())] = v.strip()
out, section = [], None
for l in lines:
    s = l.strip()
    if s.startswith("["):
        section = s.strip("[]")
    elif "=" in s and not s.startswith((";", "#")):
        k = s.split("=", 1)[0].strip()
        if (section, k) in keys:
            l = "%s = %s" % (k, keys.pop((section, k)))
    out.append(l)
assert not keys, "keys the example does not have: %r" % keys
open(base, "w", encoding="utf-8").write("\n".join(out))
PY
	elif grep -qx '\[daemon\]' "$2"; then
		sed "/^\[daemon\]$/a state_dir = $dir" "$2" >"$dir/deadlined.ini"
	else
		{ printf '[daemon]\nstate_dir = %s\n\n' "$dir"; cat "$2"; } \
		    >"$dir/deadlined.ini"
	fi
	# The secret files it and the unit directory name, 0600, as the
	# administrator makes them.
	sed -n 's/^[a-z_]*_file = \(.*\/.*\)/\1/p' "$dir/deadlined.ini" \
	    "$dir/units.ini" | while read -r f; do
		[[ $f == /* ]] || f=$dir/$f
		head -c 32 /dev/urandom | base64 >"$f"
		chmod 600 "$f"
	done
	# The warnings about days-off decisions depend on today's date.
	if ! out=$("$DEADLINECTL" -c "$dir/deadlined.ini" check-config 2>&1) ||
	    [ "$(grep -v '^warning: ' <<<"$out")" != "configuration OK" ]; then
		fail "$1: check-config of the example: $out"
		return
	fi
	ran=$((ran + 1))
}

# --- the blocks --------------------------------------------------------------------

# Writes each block into $tmp/blocks/NNN.DOC, dedented, roff escapes undone.
mkdir -p "$tmp/blocks"
for page in "$SRCDIR"/man/*.[158]; do
	awk -v dir="$tmp/blocks" -v doc="${page##*/}" '
	/^\.Bd -literal/ { n++; f = sprintf("%s/%03d.%s", dir, n, doc); inb = 1; next }
	/^\.Ed/ { inb = 0; next }
	inb {
		gsub(/\\-/, "-"); gsub(/\\&/, ""); gsub(/\\e/, "\\")
		print > f
	}' "$page"
done
awk -v dir="$tmp/blocks" '
function flush() { if (nb) { for (i = 1; i <= nb; i++) print lines[i] > f; close(f) } nb = 0 }
/^$/ { if (inb) { pending++ } blank = 1; next }
/^    / {
	if (!inb && blank) { n++; f = sprintf("%s/%03d.ADMIN.md", dir, n); inb = 1; indent = match($0, /[^ ]/) - 1 }
	if (inb) {
		while (pending > 0) { lines[++nb] = ""; pending-- }
		lines[++nb] = substr($0, indent + 1)
	}
	blank = 0; next
}
{ if (inb) flush(); inb = 0; pending = 0; blank = 0 }
END { if (inb) flush() }' "$SRCDIR/docs/ADMIN.md"
nblocks=$(ls "$tmp/blocks" | wc -l)
[ "$nblocks" -ge 15 ] || { echo "FAIL: only $nblocks example blocks found"; exit 1; }

ran=0 fragments=0 first_id=
declare -a not_run=()
# Lines that cannot run here, and why.
cannot() { not_run+=("$1: $2 ($3)"); }

# Runs the lines of one block of commands: $1 where, $2 the block file.
run_block() {
	local where=$1 line who prev_out= n=0 prompted=0
	# In a block with prompts, a line without one is output.
	grep -q '^[#$] ' "$2" && prompted=1
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		# A continued line joins the next.
		while [[ $line == *\\ ]] && IFS= read -r next; do
			line="${line%\\} ${next#"${next%%[! ]*}"}"
		done
		[ -n "$line" ] || continue
		who=root
		case $line in
		'# '*)	line=${line#'# '} ;;
		'$ '*)	line=${line#'$ '}; who=user ;;
		[0-9*]*' '*' '*' '*' '*' '*)
			# A cron line: minute hour day month weekday user command;
			# cron reads "\%" as "%".
			read -r _ _ _ _ _ who line <<<"$line"
			[ "$who" = deadlined ] && who=service
			line=${line//\\%/%} ;;
		*)
			# An output line: what the command before it printed.
			if [ "$prompted" = 1 ]; then
				[ -n "$prev_out" ] ||
					fail "$where: '$line' follows no command"
				grep -qxF "$line" "$tmp/out" ||
					fail "$where: '$prev_out' did not print '$line': $(head -3 "$tmp/out")"
				continue
			fi ;;
		esac
		case $line in
		'runuser -u deadlined -- '*)
			line=${line#'runuser -u deadlined -- '}; who=service ;;
		esac
		prev_out=
		case $line in
		'systemctl enable --now deadlined'|'systemctl start deadlined')
			start_service "$where:$n" ;;
		'systemctl stop deadlined')
			;;  # nothing runs between the passes of start_service
		'systemctl status deadlined'|'journalctl -u deadlined'*)
			cannot "$where:$n" "$line" "the journal of a running service" ;;
		'systemctl edit deadlined')
			cannot "$where:$n" "$line" "an editor on a drop-in; systemd_unit.sh runs one" ;;
		'systemctl reload deadlined')
			cannot "$where:$n" "$line" "needs systemd as PID 1; systemd_unit.sh reloads" ;;
		'editor '*)
			cannot "$where:$n" "$line" "an interactive editor" ;;
		systemd-sysusers*|systemd-tmpfiles*)
			cannot "$where:$n" "$line" "changes this system's users; systemd_unit.sh and debian_package.sh run them in a scratch root" ;;
		cmake*|ctest*)
			cannot "$where:$n" "$line" "builds and installs the tree; install_destdir.sh does, into a DESTDIR" ;;
		'apt install '*)
			cannot "$where:$n" "$line" "installs into this system; debian_package.sh installs the .deb with dpkg --root" ;;
		'[Service]'|ReadWritePaths=*)
			;;  # the drop-in edited above
		*)
			run "$where:$n" "$who" "$line"
			prev_out=$line ;;
		esac
	done <"$2"
}

# Handles one block by what it is.
do_block() {
	local file=$1 doc=${1##*/} first
	doc=${doc#*.}
	first=$(sed -n '/./{p;q}' "$file")
	local where="$doc block '${first:0:40}'"
	case $first in
	'[daemon]')
		check_fragment "$where" "$file" "" ;;
	'[http]')
		check_fragment "$where" "$file" deadlined.ini ;;
	'server {')
		cannot "$where" "an nginx site" "needs nginx and a certificate" ;;
	'{'*)
		# A webhook body (deadlined.ini(5)): JSON as written;
		# webhook_formats.py posts each format to its receiver.
		"${PYTHON:-/usr/bin/python3}" -m json.tool "$file" >/dev/null 2>&1 ||
			fail "$where: not JSON" ;;
	*)
		run_block "$where" "$file" ;;
	esac
}

# Each document on a system of its own, its blocks in order, except that a
# restore runs after the backup it restores.
for doc in ADMIN.md deadlinectl.1 deadlined.8 deadlined.ini.5; do
	fresh_system "${doc//./-}"
	first_id=
	restore=
	# Before deadlined(8) and deadlinectl(1): a configured system, as
	# their examples assume; ADMIN.md configures its own.  deadlined(8)
	# replays ./demo/deadlined.ini, which scripts/demo writes.
	case $doc in
	deadlined.8|deadlinectl.1)
		install_config
		as service "deadlinectl init" ||
			fail "$doc: init: $(cat "$tmp/out")" ;;
	esac
	if [ "$doc" = deadlined.8 ]; then
		mkdir -p "$work/demo/state"
		sed -e "s|^state_dir = .*|state_dir = $work/demo/state|" \
		    -e "s|^units_file = .*|units_file = $SRCDIR/config/units.ini|" \
		    -e "s|^days_off_file = .*|days_off_file = $SRCDIR/config/days-off.ini|" \
		    "$SRCDIR/config/deadlined.ini" >"$work/demo/deadlined.ini"
		chown -R "$usr:$usr" "$work/demo"
		as user "deadlinectl -c ./demo/deadlined.ini init" ||
			fail "the demo's init: $(cat "$tmp/out")"
	fi
	for file in "$tmp/blocks"/*."$doc"; do
		[ -e "$file" ] || continue
		if grep -q '^# systemctl stop deadlined$\|^systemctl stop deadlined$' "$file"; then
			restore=$file
			continue
		fi
		do_block "$file"
	done
	[ -z "$restore" ] || do_block "$restore"
done

echo "ran $ran example lines and fragments; not run here:"
for n in "${not_run[@]}"; do
	echo "  $n"
done
[ "$ran" -ge 25 ] || fail "only $ran example lines ran"
[ "$failures" -eq 0 ] || { echo "$failures failures"; exit 1; }
echo "PASS"
