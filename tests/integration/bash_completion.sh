#!/bin/bash
# contrib/bash-completion/deadlinectl: the completion function, driven as
# bash drives it (COMP_WORDS, COMP_CWORD, then COMPREPLY read back), offers
# the commands, each command's options and values, and the unit, group and
# plan codes of a scratch database named by -c, --config, --config=, --db or
# $DEADLINED_CONFIG; a missing database or configuration offers nothing and
# prints nothing; a program that hangs is cut off by the time bound.  The
# expected candidates are written here by hand.  Every command of
# deadlinectl.c's table and every long option of ctl-*.c is completed.
set -euo pipefail

: "${DEADLINECTL:?}" "${SRCDIR:?}"
slow=${DEADLINED_TEST_SLOW:-1}
completion=$SRCDIR/contrib/bash-completion/deadlinectl
[ -f "$completion" ] || { echo "FAIL: $completion missing"; exit 1; }
command -v timeout >/dev/null || { echo "SKIP: timeout missing"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# --- a scratch configuration and database ----------------------------------

mkdir -p "$tmp/state" "$tmp/empty"
cat >"$tmp/units.ini" <<'INI'
[unit alpha]
name = Phòng Alpha
email = alpha@example.invalid

[unit beta]
name = Phòng Beta
email = beta@example.invalid

[unit beta-2]
name = Xã Beta Hai
email = beta2@example.invalid

[group xa]
name = UBND các xã
members = alpha beta-2
INI
cat >"$tmp/deadlined.ini" <<INI
[daemon]
state_dir = $tmp/state
units_file = units.ini
[http]
enabled = no
INI
# The same, with a state directory that holds no database.
sed "s|^state_dir = .*|state_dir = $tmp/empty|" "$tmp/deadlined.ini" \
    >"$tmp/nodb.ini"
ctl=("$DEADLINECTL" -c "$tmp/deadlined.ini")
"${ctl[@]}" init >/dev/null
"${ctl[@]}" task add "Báo cáo quý" --unit alpha --due 2024-06-30 \
    --plan p-one >/dev/null
"${ctl[@]}" task add "Báo cáo năm" --unit beta --due 2024-12-31 \
    --plan p-two >/dev/null
"${ctl[@]}" task add "Kiểm tra" --unit beta-2 --due 2024-09-30 \
    --plan p-one >/dev/null

# --- the completion, as bash calls it -----------------------------------------

# Prints the candidates, sorted, one a line, for COMP_WORDS = the arguments
# (the last one the word being completed); its stderr goes to
# $tmp/stderr.
candidates() {
	env DEADLINECTL_COMPLETION_TIMEOUT=$((10 * slow)) \
	    bash --norc --noprofile -c '
	. "$1"
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	_deadlinectl
	printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$@" \
	    2>"$tmp/stderr" | sed '/^$/d' | sort
}

# expect "CANDIDATES" WORDS...: the candidates are exactly CANDIDATES, and
# nothing was printed on stderr.
expect() {
	local want got
	want=$(tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort)
	shift
	got=$(candidates "$@")
	[ "$got" = "$want" ] ||
		fail "$* -> [$(echo $got)], expected [$(echo $want)]"
	[ ! -s "$tmp/stderr" ] || fail "$* printed: $(cat "$tmp/stderr")"
}

D=$DEADLINECTL
C=$tmp/deadlined.ini
commands="init check-config units import task tasks done reopen agenda
    schedule outbox send-test report status backup feed holidays extend waive
    snooze requests console-link sessions unit-link plan"

# Commands and global options.
expect "$commands" "$D" ""
expect "agenda" "$D" ag
expect "reopen report requests" "$D" -c "$C" re
expect "-c --config --db --now -v --verbose --excel -h --help -V --version" "$D" -
expect "--db" "$D" --d
# Unit codes (units, not groups), from the database of -c.
expect "alpha beta beta-2" "$D" -c "$C" agenda --unit ""
expect "beta beta-2" "$D" -c "$C" agenda --unit b
expect "alpha beta beta-2" "$D" -c "$C" send-test --unit ""
expect "alpha" "$D" --config "$C" report --period 2024 --unit a
# Feeds: units, groups and "all".
expect "list url rotate-token all alpha beta beta-2 xa" "$D" --config "$C" feed ""
expect "all alpha beta beta-2 xa" "$D" -c "$C" feed rotate-token ""
expect "" "$D" -c "$C" feed rotate-token alpha ""
expect "all alpha beta beta-2 xa" "$D" -c "$C" feed url ""
expect "beta beta-2" "$D" -c "$C" feed url b
expect "--format --help" "$D" -c "$C" feed url alpha --
expect "table csv json" "$D" -c "$C" feed url alpha --format ""
expect "--output --todo --help" "$D" -c "$C" feed alpha --
expect "--format --help" "$D" -c "$C" feed list --
# Plan codes, once each.
expect "p-one p-two" "$D" -c "$C" tasks --plan ""
expect "p-two" "$D" -c "$C" agenda --unit alpha --plan p-t
# "--opt=value" as bash splits it (COMP_WORDBREAKS has "="), and unsplit.
expect "p-one p-two" "$D" --config = "$C" report --plan = ""
expect "p-one p-two" "$D" -c "$C" report --plan =
expect "p-one" "$D" --config = "$C" report --plan = p-o
expect "--plan=p-one --plan=p-two" "$D" -c "$C" import --plan=p
expect "json" "$D" -c "$C" status --format = j
# The database of --db wins over the configuration's.
expect "alpha beta beta-2" "$D" -c "$tmp/nodb.ini" --db "$tmp/state/deadlined.db" \
    agenda --unit ""
# $DEADLINED_CONFIG when no -c is given.
got=$(DEADLINED_CONFIG=$C candidates "$D" agenda --unit "")
[ "$got" = "$(printf 'alpha\nbeta\nbeta-2')" ] ||
	fail "DEADLINED_CONFIG: [$(echo $got)]"
# No database, no configuration: nothing offered, nothing printed.
expect "" "$D" -c "$tmp/nodb.ini" agenda --unit ""
expect "" "$D" -c "$tmp/no-such.ini" tasks --plan ""
expect "" "$D" --db "$tmp/no-such.db" -c "$C" agenda --unit ""
# Fixed values.
expect "table csv json" "$D" -c "$C" agenda --format ""
expect "table json" "$D" -c "$C" status --format ""
expect "pending sending sent failed dead" "$D" outbox --state ""
expect "failed" "$D" outbox --state f
expect "spool smtp webhook" "$D" send-test --unit alpha --channel ""
# The console's commands.
expect "pending approved declined all" "$D" requests --state ""
expect "list approve decline" "$D" requests ""
expect "--reason --by --help" "$D" requests approve 3 --
expect "--days --reason --by --help" "$D" snooze 12 --
expect "" "$D" extend 12 --reason ""
expect "revoke" "$D" sessions ""
expect "alpha beta beta-2" "$D" -c "$C" unit-link ""
expect "list reply-to" "$D" plan ""
expect "p-one p-two" "$D" -c "$C" plan reply-to ""
expect "--clear --help" "$D" plan reply-to p-one -
expect "quarter" "$D" task add x --unit alpha --every q
expect "add show set-due set-rule" "$D" task ""
expect "sync" "$D" units ""
expect "retry" "$D" outbox r
# Options of a command.
expect "--unit --plan --days --overdue --all --format --help" "$D" -c "$C" agenda --
expect "--date --note --by --help" "$D" done 12 --
expect "--force --help" "$D" backup x.db --
expect "--strict --help" "$D" -c "$C" check-config --
expect "--plan --year --from --sheet --dry-run --format --help" "$D" import plan.txt --
# Files where a file is named.
touch "$tmp/kh-2024.txt"
expect "$tmp/kh-2024.txt" "$D" -c "$C" import "$tmp/kh-"
expect "$tmp/deadlined.ini" "$D" -c "$tmp/dead"

# The fixed words of "feed" still come without a database.
got=$(candidates "$D" -c "$tmp/nodb.ini" feed "")
[ "$got" = "$(printf 'all\nlist\nrotate-token\nurl')" ] ||
	fail "feed without a database: [$(echo $got)]"

# --- the time bound -----------------------------------------------------------

printf '#!/bin/sh\nexec sleep 60\n' >"$tmp/hangs"
chmod +x "$tmp/hangs"
start=$(date +%s)
got=$(DEADLINECTL_COMPLETION_TIMEOUT=1 bash --norc --noprofile -c '
	. "$1"; COMP_WORDS=("$2" agenda --unit ""); COMP_CWORD=3
	_deadlinectl; printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" \
    "$tmp/hangs" 2>&1)
elapsed=$(($(date +%s) - start))
[ -z "$(echo $got)" ] || fail "a hung program: [$got]"
[ "$elapsed" -le 5 ] || fail "a hung program held the completion ${elapsed}s"

# --- nothing of deadlinectl is left out ---------------------------------------

table=$(sed -n '/ctl_commands\[\] = {/,/^};/p' "$SRCDIR/daemon/deadlinectl.c" |
    sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", ctl_cmd_.*/\1/p' | sort)
[ "$(wc -l <<<"$table")" -ge 10 ] || fail "only $(wc -l <<<"$table") commands read"
[ "$table" = "$(candidates "$D" "")" ] ||
	fail "commands: deadlinectl.c has [$(echo $table)]"
for opt in $(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", [a-z]*_argument.*/\1/p' \
    "$SRCDIR"/daemon/ctl-*.c "$SRCDIR/daemon/deadlinectl.c" | sort -u); do
	grep -qe "--$opt\b" "$completion" || fail "option --$opt is not completed"
done

[ "$failures" -eq 0 ] || { echo "$failures failures"; exit 1; }
echo "PASS"
