#!/usr/bin/python3
"""Hostile strings through import, digest, email, webhook JSON and feeds.

Every file of tests/fixtures/hostile/ (CR/LF, NUL, invalid UTF-8, RTL,
combining marks, encoded-word look-alikes, ".." and "/", HTML/JSON and
iCalendar specials) and a generated 1 MB field goes into a CSV plan of its
own, as the task title, and two of them as the unit cell and the time
cell.  Each import either succeeds or fails with a clear error naming the
file; nothing crashes.  Accepted titles are due 31/10/2024 ("Tháng
10/2024", a Thursday, by hand), so the pass of 31/10/2024 08:30 with lead
0 sends one digest to unit hx (spool, .eml) and one to unit hw (webhook):

  email    parsed by Python's email package: only the daemon's headers,
           each once, no Bcc; every title in the decoded body
  webhook  json.loads of the body; every title among the JSON strings
  feed     deadlinectl feed all parsed by python3-icalendar: one VEVENT
           per task, only the expected properties, SUMMARY round-trips

A title is "faithful" when it comes back equal after the same whitespace
folding the importer applies (runs of blanks, CR and LF become one space).
"""
import email
import email.policy
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

SRCDIR = os.environ.get("SRCDIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
HOSTILE = os.path.join(SRCDIR, "tests", "fixtures", "hostile")
NOW = "2024-10-31T08:30"
HEADER = "STT,Thời gian thực hiện,Nhiệm vụ,Cơ quan chủ trì,Nội dung\r\n"
MAIL_HEADERS = {"date", "from", "to", "reply-to", "subject", "message-id",
                "mime-version", "auto-submitted", "x-auto-response-suppress",
                "content-type", "content-transfer-encoding"}
EVENT_PROPS = {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY",
               "DESCRIPTION", "SEQUENCE", "STATUS", "RRULE", "RECURRENCE-ID",
               "CATEGORIES", "TRANSP", "CLASS", "LAST-MODIFIED", "URL",
               "X-MICROSOFT-CDO-ALLDAYEVENT", "EXDATE", "CREATED",
               "X-DEADLINED-UNIT", "X-DEADLINED-REF", "RELATED-TO",
               "ORGANIZER", "COMMENT", "LOCATION", "PRIORITY"}

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
from checks import Checks  # noqa: E402
from daemon_env import DEADLINED, DEADLINECTL  # noqa: E402

check = Checks()


def fold(s):
    """The importer's whitespace folding, for comparisons."""
    return " ".join(s.split())


def csv_cell(b):
    return b'"' + b.replace(b'"', b'""') + b'"'


def csv_plan(title, time_cell="Tháng 10/2024".encode(),
             unit="Phòng Hx".encode()):
    return HEADER.encode() + b",".join([
        b"1", csv_cell(time_cell), csv_cell(title), csv_cell(unit),
        b"x"]) + b"\r\n"


class Receiver(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.bodies.append(body)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def json_strings(v, out):
    if isinstance(v, str):
        out.append(v)
    elif isinstance(v, dict):
        for x in v.values():
            json_strings(x, out)
    elif isinstance(v, list):
        for x in v:
            json_strings(x, out)
    return out


class Env:
    def __init__(self, tmp, port):
        self.tmp = tmp
        self.cfg = os.path.join(tmp, "deadlined.ini")
        self.state = os.path.join(tmp, "state")
        os.mkdir(self.state)
        secret = os.path.join(tmp, "hw.whsec")
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT, 0o600)
        os.write(fd, b"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")
        os.close(fd)
        with open(os.path.join(tmp, "units.ini"), "w") as f:
            f.write("[unit hx]\nname = Pho\u0300ng Hx \u202eRTL\u202c\n"
                    "aliases = Phòng Hx\nemail = hx@example.gov.vn\n\n"
                    "[unit hw]\nname = Phòng Hw \"<b>\"\n"
                    "aliases = Phòng Hw\n"
                    "webhook = http://127.0.0.1:%d/hook/hw\n"
                    "webhook_secret_file = %s\n" % (port, secret))
        with open(self.cfg, "w") as f:
            f.write("[daemon]\nstate_dir = %s\nunits_file = %s\n"
                    "[calendar]\ndays_off_file = %s\n"
                    "[reminders]\nchannel = auto\nlead_days = 0\n"
                    "overdue_max = 0\nescalate_after = 0\n"
                    "send_time = 08:00\n"
                    "[webhook]\nallow_http_loopback = yes\ntimeout = 5\n"
                    "[report]\nschedule = off\n[http]\nenabled = no\n" % (
                        self.state, os.path.join(tmp, "units.ini"),
                        os.path.join(SRCDIR, "config", "days-off.ini")))

    def ctl(self, *args, now="2024-10-01"):
        return subprocess.run([DEADLINECTL, "-c", self.cfg, "--now", now] +
                              list(args), capture_output=True, timeout=120)


def import_one(env, name, data, n):
    """Imports one plan; returns 1 if accepted, 0 if refused clearly."""
    path = os.path.join(env.tmp, "%s.csv" % name)
    with open(path, "wb") as f:
        f.write(data)
    r = env.ctl("import", path, "--plan", "h%02d" % n, "--year", "2024")
    err = r.stderr.decode("utf-8", "replace")
    check(r.returncode in (0, 1), "%s: import exit %d: %s" % (
        name, r.returncode, err[-300:]))
    if r.returncode == 1:
        check(path in err or name in err, "%s: the error does not name the "
              "file: %r" % (name, err[:300]))
        return 0
    return 1


def check_email(env, titles):
    spool = os.path.join(env.state, "spool")
    emls = [n for n in os.listdir(spool) if n.endswith(".eml")] \
        if os.path.isdir(spool) else []
    check(len(emls) == 1, "one .eml for hx, got %s" % emls)
    if not emls:
        return
    for n in emls:
        check("/" not in n and not n.startswith(".."), "spool name " + n)
    with open(os.path.join(spool, emls[0]), "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    names = [k.lower() for k in msg.keys()]
    check(set(names) <= MAIL_HEADERS, "unexpected headers %s" % names)
    check(len(names) == len(set(names)), "a header twice: %s" % names)
    check(msg["Bcc"] is None and msg["X-Injected"] is None, "injected")
    check(msg["To"].addresses[0].addr_spec == "hx@example.gov.vn",
          "To %s" % msg["To"])
    check(msg["To"].addresses[0].display_name ==
          "Pho\u0300ng Hx \u202eRTL\u202c", "display name %r" %
          msg["To"].addresses[0].display_name)
    body = fold(msg.get_body(("plain",)).get_content())
    for name, t in titles.items():
        check(fold(t) in body, "email: %s title not in the body" % name)


def check_webhook(bodies, titles):
    check(len(bodies) == 1, "one webhook post, got %d" % len(bodies))
    if not bodies:
        return
    try:
        doc = json.loads(bodies[0])
    except ValueError as e:
        check(False, "webhook body is not JSON: %s" % e)
        return
    check(doc.get("unit", {}).get("code") == "hw", "unit %r" %
          doc.get("unit"))
    strings = [fold(s) for s in json_strings(doc, [])]
    for name, t in titles.items():
        check(any(fold(t) in s for s in strings),
              "webhook: %s title does not round-trip" % name)


def ics_escape(t):
    """RFC 5545 TEXT escaping, written independently of the daemon."""
    return (t.replace("\\", "\\\\").replace(";", "\\;")
            .replace(",", "\\,").replace("\n", "\\n"))


def check_feed(env, titles, ntasks):
    import icalendar
    r = env.ctl("feed", "all", now=NOW)
    check(r.returncode == 0, "feed all exit %d: %s" % (r.returncode,
                                                        r.stderr[-300:]))
    cal = icalendar.Calendar.from_ical(r.stdout)
    events = list(cal.walk("VEVENT"))
    check(len(events) == ntasks, "%d VEVENTs, expected %d" % (
        len(events), ntasks))
    summaries = []
    for ev in events:
        props = set(ev.keys())
        check(props <= EVENT_PROPS, "injected property %s" % (
            props - EVENT_PROPS))
        summaries.append(fold(str(ev.get("SUMMARY"))))
        descr = str(ev.get("DESCRIPTION", ""))
        summaries.append(fold(descr))
    check(not any(s == "injected" for s in summaries), "injected VEVENT")
    # python3-icalendar reads an escaped backslash before "n" as a line
    # break, so the text is also checked on the raw, unfolded lines.
    raw = r.stdout.decode("utf-8").replace("\r\n ", "").split("\r\n")
    for name, t in titles.items():
        check(any(fold(t) in s for s in summaries) or
              "SUMMARY:" + ics_escape(t) in raw,
              "feed: %s title does not round-trip" % name)


def main():
    for name, v in (("DEADLINED", DEADLINED), ("DEADLINECTL", DEADLINECTL)):
        if not v or not os.path.exists(v):
            print("skip: %s not set" % name)
            return 77
    try:
        import icalendar  # noqa: F401
    except ImportError:
        print("skip: python3-icalendar missing")
        return 77
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.bodies = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tmp = tempfile.mkdtemp(prefix="deadlined-hostile-")
    try:
        env = Env(tmp, server.server_address[1])
        r = env.ctl("init")
        check(r.returncode == 0, "init: %s" % r.stderr)
        accepted = {}
        n = 0
        inputs = []
        for name in sorted(os.listdir(HOSTILE)):
            if name == "README":
                continue
            with open(os.path.join(HOSTILE, name), "rb") as f:
                data = f.read()
            if name == "unit-phrase.txt":
                inputs.append((name, csv_plan(b"Unit cell", unit=data), None))
            elif name == "time-cell.txt":
                inputs.append((name, csv_plan(b"Time cell", time_cell=data),
                               None))
            else:
                inputs.append((name, csv_plan(data), data))
        big = "ư".encode() * (512 * 1024)
        inputs.append(("1mb-title", csv_plan(big), big))
        inputs.append(("1mb-unit", csv_plan(b"Big unit", unit=big), None))
        hw = []
        for name, data, title in inputs:
            n += 1
            ok = import_one(env, name, data, n)
            if ok and title is not None:
                try:
                    accepted[name] = title.decode("utf-8")
                except UnicodeDecodeError:
                    pass
            if ok and title is not None and name in ("rtl.txt",
                                                      "html-json.txt"):
                hw.append((name, title))
        # The same two titles for the webhook unit.
        for name, title in hw:
            n += 1
            import_one(env, "hw-" + name, csv_plan(
                title, unit="Phòng Hw".encode()), n)
        print("accepted: %s" % sorted(accepted))
        rows = json.loads(env.ctl("tasks", "--format", "json").stdout or
                          b"[]")
        dated = [t for t in rows if t["due"] == "2024-10-31" and
                 t["units"]]
        # The stored titles are the reference downstream: the importer
        # splits lines into bullets and drops HTML tags by design.
        hx = {"%s/%s" % (t["plan"], t["ref"]): t["title"] for t in dated
              if (t["units"] or "").startswith("hx")}
        hw = {"%s/%s" % (t["plan"], t["ref"]): t["title"] for t in dated
              if (t["units"] or "").startswith("hw")}
        for t in rows:
            check("\r" not in t["title"] and "\n" not in t["title"] and
                  "\0" not in t["title"], "a stored title holds CR, LF or "
                  "NUL: %r" % t["title"][:80])
        # The webhook pass runs on a copy of the state, so that each
        # channel plans its own digest of the day.
        state2 = os.path.join(tmp, "state2")
        shutil.copytree(env.state, state2)
        with open(env.cfg) as f:
            text = f.read()
        cfg2 = os.path.join(tmp, "webhook.ini")
        with open(cfg2, "w") as f:
            f.write(text.replace("channel = auto", "channel = webhook")
                    .replace(env.state, state2))
        with open(env.cfg, "w") as f:
            f.write(text.replace("channel = auto", "channel = spool"))
        for cfg in (env.cfg, cfg2):
            r = subprocess.run([DEADLINED, "-c", cfg, "--once", "--now",
                                NOW], capture_output=True, timeout=120)
            check(r.returncode == 0, "deadlined --once exit %d: %s" % (
                r.returncode, r.stderr[-300:]))
        check_email(env, {k: v for k, v in hx.items() if len(v) < 4096})
        check_webhook(server.bodies, hw)
        check_feed(env, dict(hx, **hw), len(dated))
    finally:
        server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
