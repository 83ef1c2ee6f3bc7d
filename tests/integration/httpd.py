#!/usr/bin/python3
"""deadlined's built-in HTTP server, against a real daemon.

The seed plan is imported, deadlined runs in the foreground with [http] on
a free loopback port and its clock started at 2024-07-15 08:00 (--now).
The test checks 200 with its headers and the bytes of the written file,
304 on a matching ETag, HEAD, the VTODO variant, 404 for wrong tokens,
unknown names and traversal attempts, 405 for POST, /healthz (only
{"status":"ok"} in public, the details with the health token, 401 with
another), 400 for a request without Host, with two Hosts or two
Content-Lengths or a raw NUL in its request line, feed files of mode 0640
although the daemon runs with umask 0, 200 requests from 50 threads, a
feed that changes after `deadlinectl done`, and a clean exit on SIGTERM.
Under valgrind every time bound is multiplied by DEADLINED_TEST_SLOW
(tests/tools/timing.py).
"""
import concurrent.futures
import http.client
import json
import os
import socket
import stat
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR", "."), "tests",
                                "tools"))
from timing import scaled, wait_for  # noqa: E402
from checks import Checks  # noqa: E402
from daemon_env import DEADLINED, DEADLINECTL, SRCDIR  # noqa: E402
import ctl  # noqa: E402
from served import free_port, secret_file, start, stop  # noqa: E402

NOW = "2024-07-15T08:00"
HEALTH_TOKEN = "s3cr3t-health-0123456789"

check = Checks()

try:
    import icalendar
except ImportError:
    icalendar = None


def request(port, method, path, headers=None):
    """(status, headers dict in lower case, body bytes); path sent raw."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=scaled(10))
    c.putrequest(method, path, skip_accept_encoding=True)
    for k, v in (headers or {}).items():
        c.putheader(k, v)
    if method == "POST":
        c.putheader("Content-Length", "3")
        c.endheaders(b"x=1")
    else:
        c.endheaders()
    r = c.getresponse()
    body = r.read()
    h = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, h, body


def healthy(port):
    try:
        status, _, body = request(port, "GET", "/healthz", {
            "Authorization": "Bearer " + HEALTH_TOKEN})
        return status == 200 and "last_pass" in json.loads(body)
    except (OSError, ValueError):
        return False


def raw(port, data):
    """Sends bytes as they are; the status code of the answer, or 0."""
    s = socket.create_connection(("127.0.0.1", port), timeout=scaled(10))
    try:
        s.sendall(data)
        answer = b""
        while b"\r\n" not in answer:
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
    finally:
        s.close()
    parts = answer.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def check_health(port):
    """The public answer is minimal; the details need the token."""
    status, h, body = request(port, "GET", "/healthz")
    check(status == 200 and json.loads(body) == {"status": "ok"},
          "public /healthz: %d %r" % (status, body))
    check(h.get("content-type") == "application/json", "health type")
    status, _, body = request(port, "GET", "/healthz", {
        "Authorization": "Bearer " + HEALTH_TOKEN})
    doc = json.loads(body) if status == 200 else {}
    check("outbox_pending" in doc and "last_pass" in doc,
          "/healthz with the token: %d %r" % (status, body))
    status, h, body = request(port, "GET", "/healthz", {
        "Authorization": "Bearer " + HEALTH_TOKEN + "x"})
    check(status == 401 and b"outbox" not in body,
          "/healthz with another token: %d" % status)


def check_request_rules(port, path):
    """400 where a proxy and this server could read a request apart."""
    good = ("GET %s HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            % path).encode()
    check(raw(port, good) == 200, "a plain raw GET is served")
    cases = {
        "no Host": "GET %s HTTP/1.1\r\nConnection: close\r\n\r\n",
        "no Host (1.0)": "GET %s HTTP/1.0\r\n\r\n",
        "two Hosts": "GET %s HTTP/1.1\r\nHost: a\r\nHost: b\r\n"
                     "Connection: close\r\n\r\n",
        "two Content-Lengths": "POST %s HTTP/1.1\r\nHost: a\r\n"
                               "Content-Length: 0\r\nContent-Length: 5\r\n"
                               "Connection: close\r\n\r\nhello",
        "Content-Length and chunked": "POST %s HTTP/1.1\r\nHost: a\r\n"
                                      "Content-Length: 5\r\n"
                                      "Transfer-Encoding: chunked\r\n"
                                      "Connection: close\r\n\r\n0\r\n\r\n",
    }
    for what, text in cases.items():
        status = raw(port, (text % path).encode())
        check(status == 400, "%s: %d" % (what, status))
    nul = ("GET %s\0.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
           % path).encode()
    check(raw(port, nul) == 400, "a raw NUL in the request line: %d"
          % raw(port, nul))


def check_modes(feeds_dir):
    """Feed files are 0640 and their folder not open to others, although
    the daemon runs with umask 0."""
    mode = stat.S_IMODE(os.stat(feeds_dir).st_mode)
    check(mode & 0o027 == 0, "feeds folder mode %o" % mode)
    names = [n for n in os.listdir(feeds_dir) if n.endswith(".ics")]
    modes = {stat.S_IMODE(os.stat(os.path.join(feeds_dir, n)).st_mode)
             for n in names}
    check(len(names) > 0 and modes == {0o640}, "feed modes %s" %
          sorted("%o" % m for m in modes))


def write_config(tmp, port):
    token = secret_file(os.path.join(tmp, "health.token"), HEALTH_TOKEN)
    return ctl.write_config(
        os.path.join(tmp, "deadlined.ini"), tmp, SRCDIR,
        more="[reminders]\nchannel = spool\n"
        "[http]\nenabled = yes\nlisten = 127.0.0.1:%d\n"
        "base_url = http://127.0.0.1:%d/\nhealth_token_file = %s\n"
        % (port, port, token))


def check_feed(port, url, feeds_dir):
    """200, its headers and bytes; 304; HEAD; the VTODO variant."""
    status, h, body = request(port, "GET", url)
    check(status == 200, "GET feed: %d" % status)
    check(h.get("content-type") == "text/calendar; charset=utf-8",
          "content type %r" % h.get("content-type"))
    etag = h.get("etag", "")
    check(len(etag) == 66 and etag[0] == '"', "strong etag %r" % etag)
    check("last-modified" in h and "cache-control" in h, "validators")
    with open(os.path.join(feeds_dir, "noivu.ics"), "rb") as f:
        check(f.read() == body, "served bytes are the file's")
    if icalendar is not None:
        cal = icalendar.Calendar.from_ical(body)
        check(len(cal.walk("VEVENT")) > 0, "feed has events")
    status, h2, body2 = request(port, "GET", url, {"If-None-Match": etag})
    check(status == 304 and body2 == b"", "304 on the etag: %d" % status)
    check(h2.get("etag") == etag, "304 carries the etag")
    status, h3, body3 = request(port, "HEAD", url)
    check(status == 200 and body3 == b"" and
          int(h3.get("content-length", -1)) == len(body), "HEAD")
    status, _, body4 = request(port, "GET", url + "?kind=todo")
    check(status == 200 and b"BEGIN:VTODO" in body4, "VTODO variant")
    return etag


def check_gzip(port, url, etag):
    """Clients that accept gzip get the same bytes compressed, with their
    own ETag; gzip;q=0 and no header get the identity body."""
    import gzip
    _, _, plain = request(port, "GET", url)
    status, h, body = request(port, "GET", url, {"Accept-Encoding": "gzip"})
    check(status == 200 and h.get("content-encoding") == "gzip",
          "gzip served: %d %s" % (status, h.get("content-encoding")))
    check(gzip.decompress(body) == plain, "gunzipped body equals the feed")
    check(len(body) * 5 < len(plain), "gzip is smaller (%d of %d bytes)"
          % (len(body), len(plain)))
    check("accept-encoding" in h.get("vary", "").lower(), "Vary header")
    gz_etag = h.get("etag", "")
    check(gz_etag != etag and gz_etag.endswith('-gz"'),
          "the gzip variant has its own etag %r" % gz_etag)
    status, _, body = request(port, "GET", url, {
        "Accept-Encoding": "gzip", "If-None-Match": gz_etag})
    check(status == 304 and body == b"", "304 on the gzip etag: %d" % status)
    status, h, body = request(port, "GET", url, {"Accept-Encoding": "gzip;q=0"})
    check(h.get("content-encoding") is None and body == plain,
          "gzip;q=0 gets the identity body")


def check_refusals(port, token):
    """404 whatever is wrong, always the same body; 405 for POST."""
    paths = ["/feeds/%s/noivu.ics" % ("0" * 32),
             "/feeds/%s/nobody.ics" % token,
             "/feeds/%s/../noivu.ics" % token,
             "/feeds/%s%%2fnoivu.ics" % token,
             "/feeds/%s/noivu.ics%%00.txt" % token,
             "/feeds/%s/..%%2f..%%2f..%%2fetc%%2fpasswd" % token,
             "/../../../../etc/passwd", "/", "/feeds/",
             "/feeds/%s/noivu.ics?kind=other" % token]
    bodies = set()
    for p in paths:
        status, _, body = request(port, "GET", p)
        check(status == 404, "%s: %d" % (p, status))
        bodies.add(body)
    check(len(bodies) == 1, "one 404 body")
    status, _, _ = request(port, "GET", "/feeds/" + "a" * 5000 + ".ics")
    check(status in (400, 404, 414, 431), "over-long path: %d" % status)
    status, h, _ = request(port, "POST", "/feeds/%s/noivu.ics" % token)
    check(status == 405 and h.get("allow") == "GET, HEAD", "POST: %d" % status)


def check_concurrent(port, url):
    """200 requests from 50 threads all succeed."""
    def one(_):
        return request(port, "GET", url)[0]
    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        codes = list(pool.map(one, range(200)))
    check(codes.count(200) == 200, "concurrent: %r" % sorted(set(codes)))


def check_update(deadlinectl, port, url, etag):
    """A done occurrence shows in the served feed within the poll."""
    rows = json.loads(deadlinectl.ok("agenda", "--unit", "noivu", "--all",
                          "--format", "json"))
    ids = [r["id"] for r in rows if r["due"] and r["status"] != "done"]
    deadlinectl.ok("done", str(ids[0]))

    def changed():
        status, h, _ = request(port, "GET", url)
        return status == 200 and h.get("etag") != etag
    check(wait_for(changed, 30), "feed updated after done")


def main():
    if not DEADLINED or not DEADLINECTL or not SRCDIR:
        print("DEADLINED, DEADLINECTL and SRCDIR are needed")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        conf = write_config(tmp, port)
        deadlinectl = ctl.Ctl(DEADLINECTL, conf, NOW, timeout=60)
        deadlinectl.ok("init")
        deadlinectl.ok("import", os.path.join(
            SRCDIR, "tests/fixtures/seed-tuyphuoc-2024.txt"))
        log = open(os.path.join(tmp, "deadlined.log"), "w")
        d = start(DEADLINED, conf, NOW, log=log, umask=0)
        try:
            if not wait_for(lambda: healthy(port), 30):
                raise RuntimeError("the server did not come up")
            feeds = {f["name"]: f for f in json.loads(
                deadlinectl.ok("feed", "list", "--format", "json"))}
            url = feeds["noivu"]["url"]
            check(url.startswith("http://127.0.0.1:%d/feeds/" % port),
                  "feed list URL %s" % url)
            path = url[len("http://127.0.0.1:%d" % port):]
            token = feeds["noivu"]["token"]
            check_health(port)
            check_modes(os.path.join(tmp, "feeds"))
            check_request_rules(port, path)
            etag = check_feed(port, path, os.path.join(tmp, "feeds"))
            check_gzip(port, path, etag)
            check_refusals(port, token)
            check_concurrent(port, path)
            check_update(deadlinectl, port, path, etag)
        except (OSError, RuntimeError) as e:
            check(False, str(e))
        finally:
            rc = stop(d, 20)
            log.close()
        check(rc == 0, "exit status on SIGTERM: %d" % rc)
        if check.failed:
            with open(os.path.join(tmp, "deadlined.log")) as f:
                sys.stdout.write(f.read()[-3000:])
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
