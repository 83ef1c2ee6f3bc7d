#!/usr/bin/env bash
# Email throughput: N messages (default 1,000) to a local SMTP sink
# (tests/peers/smtp_peer.py: aiosmtpd on 127.0.0.1, no TLS, no AUTH), sent
#   - by deadlined: one `deadlined --once` pass over N pending outbox rows,
#     one libcurl handle reused across each batch of the outbox, and
#   - by msmtp: one process per message (`msmtp ... rcpt < file.eml`),
# both from the same N messages: the .eml files the spool channel writes for
# the plan (N units, one address and one task due the same day each), and
# deadlined's outbox rows holding those very bodies.  The runs alternate,
# RUNS (default 3) of each; prints the median throughputs and their ratio.
# Target: deadlined at least 3x msmtp.  Installs msmtp with apt-get if
# missing (as root).
#   BUILD=/tmp/bench-build N=1000 RUNS=3 bench/email_vs_msmtp.sh
. "$(dirname "$0")/common.sh"
n=${N:-1000}
runs=${RUNS:-3}
py=/usr/bin/python3
peer=$top/tests/peers/smtp_peer.py
from=nhachan@example.gov.vn
day=2024-07-15
if ! command -v msmtp >/dev/null; then
	[ "$(id -u)" = 0 ] || { echo "msmtp missing: apt-get install msmtp" >&2; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q msmtp >/dev/null
fi
$py -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing" >&2; exit 1; }
sink_pid=
trap '[ -z "$sink_pid" ] || kill "$sink_pid" 2>/dev/null; rm -rf "$work"' EXIT

# Writes $work/<name>.ini: channel $2, SMTP port $3.
config() {
	cat > "$work/$1.ini" <<CONF
[daemon]
state_dir = $work/state
units_file = $work/units.ini
[calendar]
days_off_file = $top/config/days-off.ini
[reminders]
lead_days = 0
channel = $2
[smtp]
url = smtp://127.0.0.1:$3
starttls = no
from = $from
[report]
schedule = off
[http]
enabled = no
CONF
}

# Starts a sink writing to $work/$1; sets sink_pid and sink_port.
sink_start() {
	mkdir "$work/$1"
	$py "$peer" --maildir "$work/$1" > "$work/$1.out" 2>/dev/null &
	sink_pid=$!
	for _ in $(seq 150); do
		grep -q '^READY' "$work/$1.out" && break
		sleep 0.1
	done
	sink_port=$(awk '/^READY/ { print $2 }' "$work/$1.out")
	[ -n "$sink_port" ] || { echo "the SMTP sink did not start" >&2; exit 1; }
}

# Stops the sink and checks it holds N messages.
sink_stop() {
	local got
	kill "$sink_pid"
	wait "$sink_pid" 2>/dev/null || true
	sink_pid=
	got=$(find "$work/$1" -name '*.eml' | wc -l)
	[ "$got" = "$n" ] || { echo "$1: the sink holds $got messages, not $n" >&2; exit 1; }
}

# Milliseconds since the epoch.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# The plan: N units with one address each, one task due $day for all.
{
	for i in $(seq -w 1 "$n"); do
		printf '[unit u%s]\nname = Đơn vị thử %s\nemail = u%s@example.gov.vn\n\n' "$i" "$i" "$i"
	done
} > "$work/units.ini"
mkdir "$work/state"
config spool spool 25
$ctl -c "$work/spool.ini" init >/dev/null
args=()
for i in $(seq -w 1 "$n"); do args+=(--unit "u$i"); done
$ctl -c "$work/spool.ini" --now 2024-07-01 task add "Báo cáo kết quả cải cách hành chính quý II" \
    --due "$day" --ref B1 "${args[@]}" >/dev/null
# The spool pass writes the N .eml files msmtp sends ...
$daemon -c "$work/spool.ini" --once --now "${day}T08:30" 2>/dev/null
mv "$work/state/spool" "$work/eml"
got=$(find "$work/eml" -name '*.eml' | wc -l)
[ "$got" = "$n" ] || { echo "the spool pass wrote $got messages, not $n" >&2; exit 1; }
# ... and its outbox rows, made pending again for the smtp channel, are
# what deadlined sends: the same bodies, byte for byte.
sqlite3 "$work/state/deadlined.db" <<SQL >/dev/null
UPDATE outbox SET channel = 'smtp', state = 'pending', attempts = 0,
    next_attempt = 0, sent_at = NULL, last_error = NULL;
DELETE FROM deliveries;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
cp -a "$work/state" "$work/template"
# One line per message: the file and its recipient (key .../spool/RCPT).
for f in "$work"/eml/*.eml; do
	printf '%s %s\n' "$f" "${f##*_spool_}" | sed 's/\.eml$//'
done > "$work/list"

: > "$work/deadlined.ms"; : > "$work/msmtp.ms"; : > "$work/empty.ms"
for r in $(seq "$runs"); do
	rm -rf "$work/state"
	cp -a "$work/template" "$work/state"
	sink_start "d$r"
	config smtp smtp "$sink_port"
	s=$(now_ms)
	$daemon -c "$work/smtp.ini" --once --now "${day}T08:31" 2>/dev/null
	e=$(now_ms)
	echo $((e - s)) >> "$work/deadlined.ms"
	conns=$(cat "$work/d$r/connections")
	sent=$(sqlite3 "$work/state/deadlined.db" "SELECT count(*) FROM outbox WHERE state = 'sent'")
	[ "$sent" = "$n" ] || { echo "deadlined: $sent of $n sent" >&2; exit 1; }
	# The same pass again has nothing to send: its fixed cost.
	s=$(now_ms)
	$daemon -c "$work/smtp.ini" --once --now "${day}T08:32" 2>/dev/null
	e=$(now_ms)
	echo $((e - s)) >> "$work/empty.ms"
	sink_stop "d$r"

	sink_start "m$r"
	s=$(now_ms)
	while read -r f rcpt; do
		msmtp -C /dev/null --host=127.0.0.1 --port="$sink_port" \
		    --from="$from" --auth=off --tls=off -- "$rcpt" < "$f"
	done < "$work/list"
	e=$(now_ms)
	echo $((e - s)) >> "$work/msmtp.ms"
	sink_stop "m$r"
done

d=$(bench_median < "$work/deadlined.ms")
m=$(bench_median < "$work/msmtp.ms")
z=$(bench_median < "$work/empty.ms")
echo "$n messages to an aiosmtpd sink on 127.0.0.1, median of $runs runs each"
echo "  deadlined --once: $d ms (runs: $(paste -sd' ' "$work/deadlined.ms")), $conns SMTP connections; a pass with nothing to send: $z ms"
echo "  msmtp per message: $m ms (runs: $(paste -sd' ' "$work/msmtp.ms"))"
# The empty pass plans and rewrites every unit's feed like the full one:
# the difference is the sending and recording of the N messages.
awk -v n="$n" -v d="$d" -v m="$m" -v z="$z" 'BEGIN {
	printf "  throughput, whole pass: deadlined %.0f messages/s, msmtp %.0f messages/s: %.1fx\n", n * 1000 / d, n * 1000 / m, m / d
	if (d > z)
		printf "  throughput, delivery only (pass minus empty pass): deadlined %.0f messages/s: %.1fx\n", n * 1000 / (d - z), m / (d - z)
	print "  target: deadlined >= 3x msmtp" }'
