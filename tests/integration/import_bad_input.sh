#!/bin/bash
# End to end: deadlinectl import refuses bad documents with a short error
# naming the file (and the line where there is one), exit status 1, bounded
# time and memory, and leaves the database exactly as it was.  Under
# valgrind the time bound is multiplied by DEADLINED_TEST_SLOW.
set -u

if [ -z "${DEADLINECTL:-}" ] || [ ! -x "$DEADLINECTL" ]; then
	echo "DEADLINECTL not set or not executable: skipped"
	exit 77
fi
PY=${PYTHON:-/usr/bin/python3}
if [ ! -x "$PY" ]; then
	echo "$PY missing: skipped"
	exit 77
fi
for tool in truncate timeout cmp; do
	if ! command -v "$tool" >/dev/null; then
		echo "$tool missing: skipped"
		exit 77
	fi
done
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRCDIR/tests/tools/config.sh"

TMP=$(mktemp -d /tmp/import-bad.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir "$TMP/state" "$TMP/in"
CFG=$TMP/deadlined.ini
write_config "$CFG" "$TMP/state" '[plan]' 'coordinator = noivu'

passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

ctl() { "$DEADLINECTL" -c "$CFG" --now 2024-06-17 "$@"; }

ctl init >/dev/null || { echo "init failed" >&2; exit 1; }
ctl import "$SRCDIR/tests/fixtures/seed-tuyphuoc-2024.txt" \
    --plan kh-cchc-2024 >/dev/null || { echo "seed import failed" >&2; exit 1; }

# What the database holds, as the tools show it.
snapshot() {
	ctl tasks --format json >"$1.tasks" &&
	ctl agenda --all --format json >"$1.agenda"
}
snapshot "$TMP/before" || { echo "snapshot failed" >&2; exit 1; }
ntasks=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' \
    "$TMP/before.tasks")
[ "$ntasks" = 92 ] && ok || fail "seed gave $ntasks tasks, want 92"

# Runs one bad import: $1 label, $2 path, $3 expected ":LINE:" or "".
# Exit 1, at most two lines on stderr naming the file, within 20 s (times
# DEADLINED_TEST_SLOW) and 100 MB of resident memory, and the same tasks
# and agenda afterwards.
bad() {
	local label=$1 path=$2 line=$3 rc nl
	"$PY" - "$DEADLINECTL" "$CFG" "$path" "$TMP/out" "$TMP/err" \
	    "$((20 * ${DEADLINED_TEST_SLOW:-1}))" >"$TMP/usage" <<'EOF'
import resource, subprocess, sys, time
exe, cfg, path, out, err, limit = sys.argv[1:7]
t0 = time.monotonic()
with open(out, "wb") as o, open(err, "wb") as e:
    p = subprocess.run([exe, "-c", cfg, "--now", "2024-06-17", "import",
                        path, "--plan", "kh-cchc-2024"], stdout=o, stderr=e,
                       timeout=int(limit))
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(p.returncode, rss, "%.2f" % (time.monotonic() - t0))
EOF
	read -r rc rss secs <"$TMP/usage"
	[ "$rc" = 1 ] && ok || fail "$label: exit status $rc, want 1"
	nl=$(wc -l <"$TMP/err")
	[ "$nl" -ge 1 ] && [ "$nl" -le 2 ] && ok ||
	    fail "$label: $nl lines on stderr: $(head -c 300 "$TMP/err")"
	grep -qF -- "$path" "$TMP/err" && ok ||
	    fail "$label: error does not name $path: $(head -c 300 "$TMP/err")"
	if [ -n "$line" ]; then
		grep -qF -- "$path$line" "$TMP/err" && ok ||
		    fail "$label: error does not name $path$line: $(head -c 300 "$TMP/err")"
	fi
	[ ! -s "$TMP/out" ] && ok || fail "$label: wrote a report to stdout"
	[ "${rss:-0}" -lt 102400 ] && ok || fail "$label: max RSS $rss KB"
	snapshot "$TMP/after" || fail "$label: snapshot failed"
	cmp -s "$TMP/before.tasks" "$TMP/after.tasks" && ok ||
	    fail "$label: tasks changed"
	cmp -s "$TMP/before.agenda" "$TMP/after.agenda" && ok ||
	    fail "$label: agenda changed"
}

IN=$TMP/in
HDR='STT\tNội dung\tNhiệm vụ, giải pháp thực hiện\tCơ quan thực hiện\tThời gian thực hiện\tGhi chú\n'
ROW='1\tNội dung\tNhiệm vụ\tPhòng Nội vụ\tNăm 2024\t\n'

: >"$IN/empty.txt"
bad "empty file" "$IN/empty.txt" ""

printf '\n  \n\t\n' >"$IN/blank.txt"
bad "blank lines only" "$IN/blank.txt" ""

printf "$HDR"'1\tabc\0def\tPhòng Nội vụ\tNăm 2024\t\n' >"$IN/nul.txt"
bad "NUL byte on line 2" "$IN/nul.txt" ":2:"

printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x02\0\0\0\x01\x80\x08\x06\0\0\0' \
    >"$IN/image.png"
bad "a PNG image" "$IN/image.png" ""

printf "$HDR$ROW"'2\tNội dung\tx\xff\xfey\tPhòng Tư pháp\tNăm 2024\t\n' \
    >"$IN/utf8.txt"
bad "invalid UTF-8 on line 3" "$IN/utf8.txt" ":3:"

printf 'STT,Nhiệm vụ,Cơ quan thực hiện,Thời gian thực hiện\n1,ok,Phòng Nội vụ,Năm 2024\n2,x\xc0\xafy,Phòng Tư pháp,Năm 2024\n' \
    >"$IN/overlong.csv"
bad "overlong UTF-8 on line 3 of a CSV" "$IN/overlong.csv" ":3:"

truncate -s 100M "$IN/huge.txt"
bad "100 MB sparse file" "$IN/huge.txt" ""

printf "$HDR" >"$IN/longline.txt"
head -c 10485760 /dev/zero | tr '\0' 'x' >>"$IN/longline.txt"
printf '\n' >>"$IN/longline.txt"
bad "10 MB line" "$IN/longline.txt" ":2:"

printf 'Kế hoạch năm 2024\n\nMột đoạn văn, không có bảng.\nfoo\tbar\tbaz\n' \
    >"$IN/noheader.txt"
bad "text without a table header" "$IN/noheader.txt" ""

printf 'a,b,c\n1,2,3\n' >"$IN/noheader.csv"
bad "CSV without a recognisable header" "$IN/noheader.csv" ""

printf 'STT,Nhiệm vụ,Cơ quan thực hiện,Thời gian thực hiện\n1,"unterminated,Phòng Nội vụ,Năm 2024\n2,x,Phòng Tư pháp,Năm 2024\n' \
    >"$IN/quote.csv"
bad "CSV with an unterminated quote" "$IN/quote.csv" ":2:"

bad "nonexistent file" "$IN/does-not-exist.txt" ""

mkdir "$IN/adir"
bad "a directory" "$IN/adir" ""

# A good import afterwards still works: the failures left no lock behind.
if ctl import "$SRCDIR/tests/fixtures/seed-tuyphuoc-2024.txt" \
    --plan kh-cchc-2024 --format json >"$TMP/again.json"; then
	"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]));
sys.exit(0 if (r["tasks"], r["unchanged"]) == (92, 92) else 1)' \
	    "$TMP/again.json" && ok || fail "re-import after failures changed tasks"
else
	fail "good import after the bad ones failed"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
