#!/bin/bash
# Serves a 1,000-task unit feed from deadlined's built-in HTTP server and
# measures latency percentiles with 50 concurrent keep-alive clients, for
# 200 (full feed) and 304 (If-None-Match) responses, one after the other.
# Requests send "Accept-Encoding: gzip" as calendar clients do; the
# identity (no Accept-Encoding) figures follow.  Then the floors: the same
# 304 and identity 200 loads on bench/serve_floor.c, libmicrohttpd with
# deadlined's options answering one constant 304 or the feed's bytes,
# which is what this machine allows.  The
# cases alternate, RUNS rounds (default 3); prints each run and then the
# median, min and max per case.  Uses wrk when installed (as root it
# tries apt-get install wrk), with one thread: on 2 cores wrk's own
# threads compete with the server's, and its latency includes the
# queueing of 50 connections.  Else a Python thread pool, one run.
#   DEADLINED=build/deadlined DEADLINECTL=build/deadlinectl RUNS=5 bench/serve.sh
set -eu
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
D=${DEADLINED:-$SRCDIR/build/deadlined}
CTL=${DEADLINECTL:-$SRCDIR/build/deadlinectl}
PY=/usr/bin/python3
CLIENTS=${CLIENTS:-50}
SECONDS_EACH=${SECONDS_EACH:-10}
REQUESTS=${REQUESTS:-20000}
RUNS=${RUNS:-3}
[ -x "$D" ] && [ -x "$CTL" ] || { echo "build first or set DEADLINED and DEADLINECTL" >&2; exit 1; }
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ]; then
	apt-get install -y -q wrk >/dev/null 2>&1 || true
fi
TMP=$(mktemp -d)
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$TMP/deadlined.ini" <<INI
[daemon]
state_dir = $TMP
units_file = $SRCDIR/config/units.ini
[calendar]
days_off_file = $SRCDIR/config/days-off.ini
[reminders]
channel = spool
[http]
listen = 127.0.0.1:$PORT
base_url = http://127.0.0.1:$PORT
max_connections = 200
INI
ctl() { "$CTL" -c "$TMP/deadlined.ini" --now 2024-07-01 "$@"; }
ctl init >/dev/null
$PY "$SRCDIR/bench/feed_icalendar.py" generate "$TMP/deadlined.db" 1000 noivu
"$D" -c "$TMP/deadlined.ini" --now 2024-07-01T09:00 2>"$TMP/log" &
DPID=$!
FPID=
trap 'kill $DPID $FPID 2>/dev/null; wait $DPID $FPID 2>/dev/null; rm -rf "$TMP"' EXIT
URL=$(ctl feed list --format json | $PY -c 'import json, sys
print([f["url"] for f in json.load(sys.stdin) if f["name"] == "noivu"][0])')
for i in $(seq 100); do
	curl -sf -o "$TMP/feed.ics" "$URL" && break
	sleep 0.1
done
GZ="Accept-Encoding: gzip"
# The ETag of the feed, given curl's extra arguments.
etag_of() {
	curl -sfI "$@" "$URL" | tr -d '\r' |
	    awk -F': ' 'tolower($1) == "etag" { print $2 }'
}
ETAG=$(etag_of)
GZETAG=$(etag_of -H "$GZ")
GZBYTES=$(curl -sf -H "$GZ" "$URL" | wc -c)
echo "feed: $(grep -c '^BEGIN:VEVENT' "$TMP/feed.ics") VEVENTs, $(stat -c %s "$TMP/feed.ics") bytes ($GZBYTES gzipped); $CLIENTS clients"

# wrk's latency ("830.00us", "2.06ms", "1.2s") in ms.
ms() {
	awk -v v="$1" 'BEGIN { u = v; sub(/^[0-9.]+/, "", u); n = v + 0
		printf "%.2f", u == "us" ? n / 1000 : u == "s" ? n * 1000 : n }'
}

# Runs wrk for one case: its title, the URL, then wrk's header arguments.
# Prints one line and adds "title|p50|p99|requests/s" to $TMP/figures.
run_wrk() {
	local title=$1 url=$2 out p50 p90 p99 rps
	shift 2
	out=$(wrk -t1 -c"$CLIENTS" -d"${SECONDS_EACH}s" --latency "$@" "$url")
	p50=$(ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
	p90=$(ms "$(echo "$out" | awk '$1 == "90%" { print $2 }')")
	p99=$(ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
	rps=$(echo "$out" | awk '/^Requests\/sec/ { printf "%.0f", $2 }')
	printf '%-22s p50 %6s ms  p90 %6s ms  p99 %6s ms  %7s requests/s %s\n' \
	    "$title" "$p50" "$p90" "$p99" "$rps" \
	    "$(echo "$out" | grep -E 'Non-2xx|Socket errors' | tr -s ' ' | tr -d '\n')"
	echo "$title|$p50|$p99|$rps" >> "$TMP/figures"
}

# "median M (min A, max B)" of the numbers on stdin.
summary() {
	sort -g | awk '{ v[NR] = $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "median %s (min %s, max %s)", m, v[1], v[NR] }'
}

# The floor: bench/serve_floor.c on a port of its own, if cc builds it.
FURL=
if command -v wrk >/dev/null && cc -O2 -o "$TMP/serve_floor" \
    "$SRCDIR/bench/serve_floor.c" -lmicrohttpd -lpthread 2>/dev/null; then
	FPORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$TMP/serve_floor" "$FPORT" "$TMP/feed.ics" &
	FPID=$!
	FURL=http://127.0.0.1:$FPORT/feeds/x/noivu.ics
	for i in $(seq 50); do
		curl -s -o /dev/null "$FURL" && break
		sleep 0.1
	done
fi

if command -v wrk >/dev/null; then
	echo "wrk -t1 -c$CLIENTS -d${SECONDS_EACH}s, $RUNS rounds"
	for r in $(seq "$RUNS"); do
		echo "== round $r"
		run_wrk "200, gzip" "$URL" -H "$GZ"
		run_wrk "304, gzip" "$URL" -H "$GZ" -H "If-None-Match: $GZETAG"
		run_wrk "200, identity" "$URL"
		run_wrk "304, identity" "$URL" -H "If-None-Match: $ETAG"
		[ -z "$FURL" ] || run_wrk "304, floor" "$FURL" -H "$GZ" \
		    -H "If-None-Match: $GZETAG"
		[ -z "$FURL" ] || run_wrk "200, identity, floor" "$FURL"
	done
	echo "== $RUNS runs each (ms; requests/s)"
	cut -d'|' -f1 "$TMP/figures" | awk '!seen[$0]++' | while read -r title; do
		printf '%-22s p99 %s, p50 %s, %s\n' "$title" \
		    "$(awk -F'|' -v t="$title" '$1 == t { print $3 }' "$TMP/figures" | summary)" \
		    "$(awk -F'|' -v t="$title" '$1 == t { print $2 }' "$TMP/figures" | summary)" \
		    "$(awk -F'|' -v t="$title" '$1 == t { print $4 }' "$TMP/figures" | summary)"
	done
	med() {
		awk -F'|' -v t="$1" '$1 == t { print $3 }' "$TMP/figures" |
		    summary | awk '{ print $2 }'
	}
	verdict() {
		awk -v v="$1" -v l="$2" 'BEGIN { print (v != "" && v + 0 < l + 0) ? "met" : "not met" }'
	}
	v=$(med "200, gzip")
	echo "target: 200 at p99 under 5 ms (gzip, as calendar clients ask): median $v ms: $(verdict "$v" 5)"
	v=$(med "200, identity")
	echo "target: 200 at p99 under 5 ms (identity): median $v ms: $(verdict "$v" 5)"
	v=$(med "304, gzip")
	echo "target: 304 at p99 under 1 ms: median $v ms (gzip): $(verdict "$v" 1)"
	v=$(med "304, identity")
	echo "target: 304 at p99 under 1 ms: median $v ms (identity): $(verdict "$v" 1)"
	[ -z "$FURL" ] || echo "floor (not a target): a constant 304 from libmicrohttpd, p99 median $(med "304, floor") ms"
	[ -z "$FURL" ] || echo "floor (not a target): the same feed's bytes as a constant 200 from libmicrohttpd (identity), p99 median $(med "200, identity, floor") ms"
	exit 0
fi
$PY - "$URL" "$ETAG" "$CLIENTS" "$REQUESTS" "$GZETAG" <<'PYEOF'
import concurrent.futures, http.client, sys, time, urllib.parse
url, etag, clients, total = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
gzetag = sys.argv[5]
u = urllib.parse.urlsplit(url)
gz = {"Accept-Encoding": "gzip"}

def client(n, headers, want):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    lat, bad = [], 0
    for _ in range(n):
        t = time.perf_counter()
        c.request("GET", u.path, headers=headers)
        r = c.getresponse()
        r.read()
        lat.append(time.perf_counter() - t)
        bad += r.status != want
    c.close()
    return lat, bad

for name, headers, want in (("200, gzip", gz, 200),
                            ("304, gzip", dict(gz, **{"If-None-Match": gzetag}), 304),
                            ("200, identity", {}, 200),
                            ("304, identity", {"If-None-Match": etag}, 304)):
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        res = list(pool.map(lambda _: client(total // clients, headers, want), range(clients)))
    wall = time.perf_counter() - t0
    lat = sorted(x for l, _ in res for x in l)
    bad = sum(b for _, b in res)
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
    print("== %s (python thread pool, keep-alive): %d requests, %d unexpected, "
          "%.0f req/s; latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f"
          % (name, len(lat), bad, len(lat) / wall, p(.5), p(.9), p(.99), lat[-1] * 1000))
PYEOF
