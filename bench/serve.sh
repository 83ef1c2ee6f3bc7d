#!/bin/bash
# Serves a 1,000-task unit feed from deadlined's built-in HTTP server and
# measures latency percentiles with 50 concurrent clients, for 200 (full
# feed) and 304 (If-None-Match) responses, one after the other.  Requests
# send "Accept-Encoding: gzip" as calendar clients do; the identity (no
# Accept-Encoding) figures follow.  Uses wrk when installed (as root it
# tries apt-get install wrk), with one thread: on 2 cores wrk's own threads
# compete with the server's, and its latency includes the queueing of 50
# connections.  Else a Python thread pool.
#   DEADLINED=build/deadlined DEADLINECTL=build/deadlinectl bench/serve.sh
set -eu
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
D=${DEADLINED:-$SRCDIR/build/deadlined}
CTL=${DEADLINECTL:-$SRCDIR/build/deadlinectl}
PY=/usr/bin/python3
CLIENTS=${CLIENTS:-50}
SECONDS_EACH=${SECONDS_EACH:-10}
REQUESTS=${REQUESTS:-20000}
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
trap 'kill $DPID 2>/dev/null; wait $DPID 2>/dev/null; rm -rf "$TMP"' EXIT
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

# Runs wrk for one case: its title, then wrk's header arguments.
run_wrk() {
	local title=$1
	shift
	echo "== $title (wrk -t1, ${SECONDS_EACH}s)"
	wrk -t1 -c"$CLIENTS" -d"${SECONDS_EACH}s" --latency "$@" "$URL" |
	    grep -E 'Latency|50%|90%|99%|Requests/sec|Non-2xx'
}

if command -v wrk >/dev/null; then
	run_wrk "200, $GZ" -H "$GZ"
	run_wrk "304, $GZ" -H "$GZ" -H "If-None-Match: $GZETAG"
	run_wrk "200, identity"
	run_wrk "304, identity" -H "If-None-Match: $ETAG"
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
