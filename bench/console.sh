#!/usr/bin/env bash
# The coordinator's console on a province-sized database: 150 units (the
# coordinator and 149 communes), 10 plans of 134 one-off tasks each, every
# task assigned to every commune: 199,660 occurrences due over 2024, on
# 15 July 2024 (--now).  Of those
# already due, by a fixed rule on their ids: 70% done on time, 10% done
# late, 5% waived, 15% still open (overdue).
#
# Measured with wrk (one thread, 20 keep-alive connections, --latency,
# SECONDS_EACH seconds, RUNS rounds) on each page, signed in:
#   /console                  the overview of this quarter, every plan
#   /console?period=2024      the overview of the year
#   /console/overdue          overdue by task (first page of 40 tasks)
# and the page sizes (bytes of HTML as sent, no compression).
# The console keeps rendered pages of the current day until the database
# changes, so wrk's figures are mostly those of the cache; the "cold"
# figure is the time of one request after a write (a snooze by deadlinectl,
# which empties the cache; SETTLE seconds later, when the service's own
# planning pass that the write started is over), the median of COLD.
# Target (issue 19): p99 under 20 ms at 20 clients, each page under 100 KB.
#   RUNS=3 SECONDS_EACH=10 COLD=5 SETTLE=5 bench/console.sh
. "$(dirname "$0")/common.sh"
runs=${RUNS:-3}
seconds=${SECONDS_EACH:-10}
cold=${COLD:-5}
clients=20
need() {
	command -v "$1" >/dev/null && return 0
	[ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q "$2" >/dev/null 2>&1
	command -v "$1" >/dev/null || { echo "needs $1 (apt-get install $2)" >&2; exit 1; }
}
need wrk wrk
need sqlite3 sqlite3
need curl curl
PY=/usr/bin/python3
port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

{
	printf '[unit noivu]\nname = Sở Nội vụ\nemail = noivu@example.gov.vn\n\n'
	for i in $(seq 2 150); do
		printf '[unit u%03d]\nname = UBND xã Thử %d\nemail = u%03d@example.gov.vn\n\n' \
		    "$i" "$i" "$i"
	done
} > "$work/units.ini"
(umask 077 && head -c 32 /dev/urandom | base64 > "$work/link.key")
mkdir -p "$work/state"
cat > "$work/deadlined.ini" <<CONF
[daemon]
state_dir = $work/state
units_file = $work/units.ini
[calendar]
days_off_file = $top/config/days-off.ini
[plan]
coordinator = noivu
[report]
schedule = off
[http]
listen = 127.0.0.1:$port
base_url = http://127.0.0.1:$port
link_secret_file = $work/link.key
CONF
ctl="$ctl -c $work/deadlined.ini"
db=$work/state/deadlined.db
$ctl --now 2024-01-01 init >/dev/null
sqlite3 "$db" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE p(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM p WHERE i < 10)
INSERT INTO plans (code, title, year, starts, ends, generation)
SELECT 'kh-' || i, 'Kế hoạch số ' || i || ' năm 2024', 2024, '2024-01-01',
    '2024-12-31', 1 FROM p;
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 134)
INSERT INTO tasks (plan_id, ref, title, time_text, kind, due, updated_at)
SELECT pl.id, pl.code || '.' || i, 'Nhiệm vụ ' || i || ' của ' || pl.title,
    'trước ngày ' || strftime('%d/%m/%Y', d), 'once', d, '2024-01-01T00:00:00'
FROM (SELECT i, date('2024-01-01', '+' || ((i * 37 + 11) % 366) || ' days') AS d
    FROM seq), plans pl ORDER BY pl.id, i;
INSERT INTO assignments (task_id, unit_id, role)
SELECT t.id, u.id, CASE WHEN u.code = 'u002' THEN 'lead' ELSE 'support' END
FROM tasks t, units u WHERE u.is_group = 0 AND u.code <> 'noivu';
INSERT INTO occurrences (task_id, unit_id, nominal, effective)
SELECT a.task_id, a.unit_id, t.due, CASE strftime('%w', t.due)
    WHEN '6' THEN date(t.due, '+2 days') WHEN '0' THEN date(t.due, '+1 days')
    ELSE t.due END FROM assignments a JOIN tasks t ON t.id = a.task_id;
UPDATE occurrences SET status = CASE WHEN id % 20 < 14 THEN 'done'
    WHEN id % 20 < 16 THEN 'done' WHEN id % 20 = 16 THEN 'waived'
    ELSE 'open' END,
    done_on = CASE WHEN id % 20 < 14 THEN date(effective, '-1 days')
    WHEN id % 20 < 16 THEN date(effective, '+5 days') END
    WHERE effective < '2024-07-15';
COMMIT;
SQL
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
nocc=$(sqlite3 "$db" "SELECT count(*) FROM occurrences")
nover=$(sqlite3 "$db" "SELECT count(*) FROM occurrences WHERE status = 'open' AND effective < '2024-07-15'")
# One pass first, so that the service's own start does not compete.
$daemon -c "$work/deadlined.ini" --once --now 2024-07-15T08:00 >/dev/null 2>&1
$daemon -c "$work/deadlined.ini" --now 2024-07-15T09:00 2>"$work/daemon.log" &
dpid=$!
trap 'kill $dpid 2>/dev/null; wait $dpid 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
for _ in $(seq 100); do
	curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
	sleep 0.1
done
# Sign in: the link's page gives the form token, its POST the cookie.
link=$($ctl --now 2024-07-15T08:50 console-link Bench)
csrf=$(curl -s "$link" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
cookie=$(curl -s -D - -o /dev/null --data-urlencode "csrf=$csrf" "$link" |
    sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p')
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
base=http://127.0.0.1:$port
occ=$(sqlite3 "$db" "SELECT min(id) FROM occurrences WHERE status = 'open' AND effective >= '2024-07-15'")

echo "console on $nocc occurrences ($nover overdue), 150 units, 10 plans;"
echo "wrk -t1 -c$clients, ${seconds}s, $runs rounds; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-22s %9s %9s %9s %9s %10s %10s\n' page bytes p50_ms p90_ms p99_ms req/s cold_ms
for path in "/console" "/console?period=2024" "/console/overdue"; do
	bytes=$(curl -s -H "Cookie: $cookie" "$base$path" | wc -c)
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$path")
	[ "$code" = 200 ] || { echo "$path: HTTP $code" >&2; exit 1; }
	# Cold: a write by another program empties the cache, then one GET.
	for i in $(seq "$cold"); do
		for _ in 1 2 3 4 5; do
			$ctl --now 2024-07-15T09:00 snooze "$occ" --days \
			    $((i % 5 + 1)) --reason bench >/dev/null 2>&1 && break
			sleep 2
		done
		# The service notices the write and plans again: let it finish.
		sleep "${SETTLE:-5}"
		curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $cookie" "$base$path"
	done | awk '{ print $1 * 1000 }' > "$work/cold"
	coldms=$(bench_median < "$work/cold")
	for r in $(seq "$runs"); do
		wrk -t1 -c"$clients" -d"${seconds}s" --latency \
		    -H "Cookie: $cookie" "$base$path" > "$work/wrk.$r"
	done
	for r in $(seq "$runs"); do
		awk -v path="$path" -v bytes="$bytes" -v cold="$coldms" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/^ +50%/ { p50 = ms($2) } /^ +90%/ { p90 = ms($2) } /^ +99%/ { p99 = ms($2) }
		/^Requests\/sec/ { rps = $2 }
		END { printf "%-22s %9d %9.2f %9.2f %9.2f %10.0f %10.2f\n", path, bytes, p50, p90, p99, rps, cold }' \
		    "$work/wrk.$r"
	done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
