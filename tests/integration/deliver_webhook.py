#!/usr/bin/python3
"""Webhook delivery end to end: the real deadlined against a real receiver.

tests/peers/webhook_peer.py (http.server on 127.0.0.1) checks Standard
Webhooks signatures with its own implementation and answers each unit's
path from its own script:

  tuphap    500, then 200: delivered on a later pass with the same webhook-id
  phuochoa  200; two secrets in its file (rotation): two v1 signatures
  phuocson  410 Gone: row 'failed', the unit's webhook disabled, no post on
            the following days although its task comes due
  phuocloc  429 with Retry-After: 120: no attempt before now + 120 s
  yte       never answers: [webhook] timeout = 2 gives up, retried later
  vhtt      webhook_template = slack: the body is {"text": ...}

The JSON document (unit, items with refs, titles, ISO due dates, status,
working days left) and the headers are checked against values worked out by
hand from the policy (lead 7 3 1 0, overdue every 3 working days).  Under
valgrind every time bound, the client timeouts and the receiver's hang
included, is multiplied by DEADLINED_TEST_SLOW (tests/tools/timing.py).
"""
import base64
import datetime
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ.get("SRCDIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", ".."), "tests",
    "tools"))
from timing import scaled  # noqa: E402
from checks import Checks  # noqa: E402
from daemon_env import (DEADLINECTL, SRCDIR, Runs, missing,  # noqa: E402
                        policy_config)

PYTHON = "/usr/bin/python3"
PEER = os.path.join(SRCDIR, "tests", "peers", "webhook_peer.py")

NAMES = {"tuphap": "Phòng Tư pháp", "phuochoa": "UBND xã Phước Hòa",
         "phuocson": "UBND xã Phước Sơn", "phuocloc": "UBND xã Phước Lộc",
         "yte": "Phòng Y tế", "vhtt": "Phòng Văn hóa và Thông tin"}
SCRIPTS = {"tuphap": "500,200", "phuocson": "410",
           "phuocloc": "429:retry-after=120", "yte": "hang"}

TASKS = [  # ref, title, due, unit
    ("T1", "Báo cáo kết quả cải cách hành chính quý II", "2024-07-15",
     "tuphap"),
    ("T2", "Rà soát hồ sơ trễ hẹn", "2024-07-18", "tuphap"),
    ("T3", "Cập nhật thủ tục trên Cổng dịch vụ công", "2024-07-12",
     "phuochoa"),
    ("T4", "Niêm yết công khai thủ tục hành chính", "2024-07-16",
     "phuocson"),
    ("T5", "Tổng hợp số liệu của Bộ phận Một cửa", "2024-07-24",
     "phuocloc"),
    ("T6", "Kiểm tra an toàn thực phẩm đợt hè", "2024-07-15", "yte"),
    ("T7", "Tuyên truyền chuyển đổi số", "2024-07-16", "vhtt"),
]
TITLE = {ref: title for ref, title, _, _ in TASKS}

# 15/07 by hand: (ref, due, status, working_days_left) in digest order.
ITEMS_0715 = {
    "tuphap": [("T1", "2024-07-15", "due_today", 0),
               ("T2", "2024-07-18", "due_soon", 3)],
    "phuochoa": [("T3", "2024-07-12", "overdue", -1)],
    "phuocson": [("T4", "2024-07-16", "due_soon", 1)],
    "phuocloc": [("T5", "2024-07-24", "due_soon", 7)],
    "yte": [("T6", "2024-07-15", "due_today", 0)],
    "vhtt": [("T7", "2024-07-16", "due_soon", 1)],
}
COUNTS_0715 = {
    "tuphap": {"overdue": 0, "due_today": 1, "due_soon": 1, "ongoing": 0},
    "phuochoa": {"overdue": 1, "due_today": 0, "due_soon": 0, "ongoing": 0},
}
# 16/07: T1 and T6 overdue 1, T4 and T7 due today (T4's unit is disabled);
# T2, T3, T5: their stage was said on 15/07.
UNITS_0716 = ["tuphap", "yte", "vhtt"]
# 17/07: T2 1 day left, T7 overdue 1 (T4's unit still disabled).
UNITS_0717 = ["tuphap", "vhtt"]

check = Checks()


def epoch(local):
    """Seconds since the epoch of a local time of Asia/Ho_Chi_Minh (+07)."""
    return int(datetime.datetime.fromisoformat(local + "+07:00").timestamp())


def load_peer_module():
    spec = importlib.util.spec_from_file_location("webhook_peer", PEER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def new_secret():
    return "whsec_" + base64.b64encode(os.urandom(32)).decode()


def write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, text.encode())
    os.close(fd)


class Env(Runs):
    def __init__(self, tmp):
        self.tmp = tmp
        self.check = check
        self.db = os.path.join(tmp, "state", "deadlined.db")
        self.state = os.path.join(tmp, "state")
        self.cfg = os.path.join(tmp, "deadlined.ini")
        self.log = os.path.join(tmp, "requests.jsonl")
        self.proc = None
        os.mkdir(self.state)
        self.secrets = {u: [new_secret()] for u in NAMES}
        self.secrets["phuochoa"] = [new_secret(), new_secret()]
        for unit, secrets in self.secrets.items():
            write_private(self.secret_file(unit), "".join(
                s + "\n" for s in secrets))

    def secret_file(self, unit):
        return os.path.join(self.tmp, unit + ".whsec")

    def url(self, unit):
        return "http://127.0.0.1:%d/hooks/%s" % (self.port, unit)

    def key(self, day, unit):
        return "digest/%s/%s/webhook/%s" % (unit, day, self.url(unit))

    def start_peer(self):
        # The receiver knows the last secret of each unit's file only: for
        # phuochoa, a receiver that has rotated to the new secret already.
        args = [PYTHON, PEER, "--log", self.log, "--hang",
                str(scaled(30))]
        for unit, secrets in self.secrets.items():
            args += ["--secret", secrets[-1]]
        for unit, script in SCRIPTS.items():
            args += ["--path-responses", "/hooks/%s=%s" % (unit, script)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            raise RuntimeError("webhook peer did not start: %r" % line)
        self.port = int(line.split()[1])

    def stop_peer(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def write_config(self):
        units = []
        for unit, name in NAMES.items():
            units.append("[unit %s]\nname = %s\nwebhook = %s\n"
                         "webhook_secret_file = %s\n" % (
                             unit, name, self.url(unit),
                             self.secret_file(unit)))
            if unit == "vhtt":
                units.append("webhook_template = slack\n")
            units.append("\n")
        with open(os.path.join(self.tmp, "units.ini"), "w") as f:
            f.write("".join(units))
        with open(self.cfg, "w") as f:
            f.write(policy_config(
                self.state, os.path.join(self.tmp, "units.ini"), "webhook", 0,
                "[outbox]\nbackoff_base = 60\n"
                "[webhook]\nallow_http_loopback = yes\n"
                "connect_timeout = %d\ntimeout = %d\n" % (scaled(2),
                                                          scaled(2))))

    def requests(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [json.loads(line) for line in f]

    def disabled_at(self, unit):
        return self.value("SELECT webhook_disabled_at FROM units "
                          "WHERE code = ?", (unit,))


def by_path(requests, unit):
    return [r for r in requests if r["path"] == "/hooks/" + unit]


def check_document(env, unit, req):
    """Checks the JSON digest document of a 15/07 request."""
    try:
        doc = json.loads(req["body"])
    except ValueError:
        check(False, "%s: body is not JSON: %r" % (unit, req["body"][:80]))
        return
    check(doc.get("unit") == {"code": unit, "name": NAMES[unit]},
          "%s: unit %s" % (unit, doc.get("unit")))
    check(doc.get("date") == "2024-07-15" and doc.get("lang") == "vi" and
          doc.get("escalation") is False,
          "%s: date/lang/escalation %s %s %s" % (
              unit, doc.get("date"), doc.get("lang"), doc.get("escalation")))
    if unit in COUNTS_0715:
        check(doc.get("counts") == COUNTS_0715[unit],
              "%s: counts %s" % (unit, doc.get("counts")))
    got = [(i.get("ref"), i.get("title"), i.get("due"), i.get("status"),
            i.get("working_days_left")) for i in doc.get("items", [])]
    want = [("manual " + ref, TITLE[ref], due, status, left)
            for ref, due, status, left in ITEMS_0715[unit]]
    check(got == want, "%s: items %s, expected %s" % (unit, got, want))
    check(str(doc.get("subject", "")).startswith(
        "[deadlined] Nhắc hạn công việc ngày Thứ Hai, 15/07/2024: "),
        "%s: subject %r" % (unit, doc.get("subject")))


def check_headers(env, peer, unit, req, day, now):
    h = req["headers"]
    key = env.key(day, unit)
    check(req["method"] == "POST" and req["signature_valid"],
          "%s: %s, signature valid %s" % (unit, req["method"],
                                          req["signature_valid"]))
    check(h.get("webhook-id") == key, "%s: webhook-id %r, expected %r" % (
        unit, h.get("webhook-id"), key))
    check(h.get("webhook-timestamp") == str(epoch(now)),
          "%s: webhook-timestamp %s, expected %d" % (
              unit, h.get("webhook-timestamp"), epoch(now)))
    check(h.get("content-type") == "application/json",
          "%s: content-type %s" % (unit, h.get("content-type")))
    want = sorted(peer.sign(s, key, str(epoch(now)),
                            req["body"].encode()) for s in env.secrets[unit])
    got = sorted((h.get("webhook-signature") or "").split(" "))
    check(got == want, "%s: signatures %s, expected one per secret %s" % (
        unit, got, want))


def first_pass(env, peer):
    now = "2024-07-15T08:30:00"
    env.run_pass(now)
    took = env.took
    check(scaled(2) <= took < scaled(20), "15/07: the pass took %.1f s "
          "with a %d s timeout and a receiver that never answers" % (
              took, scaled(2)))
    reqs = env.requests()
    paths = sorted(r["path"] for r in reqs)
    check(paths == sorted("/hooks/" + u for u in NAMES),
          "15/07: one request per unit, got %s" % paths)
    for unit in NAMES:
        got = by_path(reqs, unit)
        if len(got) != 1:
            continue
        check_headers(env, peer, unit, got[0], "2024-07-15", now)
        if unit != "vhtt":
            check_document(env, unit, got[0])
    slack = by_path(reqs, "vhtt")
    if slack:
        doc = json.loads(slack[0]["body"])
        subject = ("[deadlined] Nhắc hạn công việc ngày Thứ Hai, 15/07/2024:"
                   " 1 sắp đến hạn")
        text = doc.get("text", "")
        check(list(doc) == ["text"] and text.startswith(subject + "\n\n") and
              "[manual T7] " + TITLE["T7"] in text,
              "vhtt: slack body %r" % slack[0]["body"][:200])
    rotated = by_path(reqs, "phuochoa")
    check(rotated and rotated[0]["signatures"] == 2,
          "phuochoa: %s signatures, expected 2" % (
              rotated[0]["signatures"] if rotated else None))
    rows = env.outbox_by_key()
    want = {"tuphap": "pending", "phuochoa": "sent", "phuocson": "failed",
            "phuocloc": "pending", "yte": "pending", "vhtt": "sent"}
    for unit, state in want.items():
        r = rows.get(env.key("2024-07-15", unit))
        check(r is not None and r["state"] == state and r["attempts"] == 1,
              "15/07: %s row %s, expected %s" % (unit, r, state))
    start = datetime.datetime.fromisoformat(now)
    r = rows.get(env.key("2024-07-15", "tuphap"))
    if r is not None and r["when"]:
        delay = (datetime.datetime.fromisoformat(r["when"]) -
                 start).total_seconds()
        # First retry after backoff_base (60 s) plus at most 20% jitter.
        check(60 <= delay <= 72 and "500" in (r["last_error"] or ""),
              "tuphap: retry in %.0f s after %s" % (delay, r["last_error"]))
    r = rows.get(env.key("2024-07-15", "phuocloc"))
    if r is not None and r["when"]:
        delay = (datetime.datetime.fromisoformat(r["when"]) -
                 start).total_seconds()
        # Retry-After is longer than the backoff (60 to 72 s): it wins.
        check(delay == 120 and "429" in (r["last_error"] or ""),
              "phuocloc: next attempt in %.0f s (Retry-After: 120), %s" % (
                  delay, r["last_error"]))
    r = rows.get(env.key("2024-07-15", "yte"))
    check(r is not None and "timed out" in (r["last_error"] or "").lower(),
          "yte: error %s" % (r and r["last_error"]))
    r = rows.get(env.key("2024-07-15", "phuocson"))
    check(r is not None and "410" in (r["last_error"] or ""),
          "phuocson: error %s" % (r and r["last_error"]))
    check(env.disabled_at("phuocson") is not None,
          "phuocson: webhook not disabled after 410")
    check(env.disabled_at("tuphap") is None and
          env.disabled_at("phuocloc") is None,
          "a webhook was disabled without a 410")


def retry_passes(env):
    n = len(env.requests())
    env.run_pass("2024-07-15T08:31:59")
    check(by_path(env.requests()[n:], "phuocloc") == [],
          "phuocloc: posted 119 s after a 429 with Retry-After: 120")
    env.run_pass("2024-07-15T08:32:30")
    reqs = env.requests()
    for unit in ("tuphap", "phuocloc", "yte"):
        got = by_path(reqs, unit)
        ids = [r["headers"].get("webhook-id") for r in got]
        check(len(got) == 2 and ids == [env.key("2024-07-15", unit)] * 2,
              "%s: %d requests with webhook-ids %s" % (unit, len(got), ids))
        if len(got) == 2:
            check(got[1]["body"] == got[0]["body"] and
                  got[1]["signature_valid"],
                  "%s: the retry changed the body" % unit)
        r = env.outbox_by_key().get(env.key("2024-07-15", unit))
        check(r is not None and r["state"] == "sent" and r["attempts"] == 2,
              "%s: row after the retry %s" % (unit, r))
    check(len(by_path(reqs, "phuocson")) == 1 and
          len(by_path(reqs, "phuochoa")) == 1 and
          len(by_path(reqs, "vhtt")) == 1,
          "a delivered or failed message was posted again")


def later_days(env):
    for day, units in (("2024-07-16", UNITS_0716), ("2024-07-17",
                                                    UNITS_0717)):
        n = len(env.requests())
        env.run_pass(day + "T08:30")
        reqs = env.requests()[n:]
        paths = sorted(r["path"] for r in reqs)
        check(paths == sorted("/hooks/" + u for u in units),
              "%s: posts %s, expected %s" % (day, paths, units))
        keys = sorted(k for k, r in env.outbox_by_key().items()
                      if r["day"] == day)
        check(keys == sorted(env.key(day, u) for u in units),
              "%s: outbox %s" % (day, keys))
        check(all(r["signature_valid"] and r["headers"].get("webhook-id") ==
                  env.key(day, r["path"].rsplit("/", 1)[1]) for r in reqs),
              "%s: requests %s" % (day, [(r["path"], r["signature_valid"])
                                         for r in reqs]))
    check(len(by_path(env.requests(), "phuocson")) == 1,
          "phuocson: posted to after 410 Gone")


def run(env):
    env.start_peer()
    peer = load_peer_module()
    env.write_config()
    env.ctl(None, "init")
    r = subprocess.run([DEADLINECTL, "-c", env.cfg, "check-config"],
                       capture_output=True, text=True, timeout=scaled(30))
    check(r.returncode == 0, "check-config: %s" % r.stderr)
    for ref, title, due, unit in TASKS:
        env.ctl("2024-07-01", "task", "add", title, "--due", due, "--unit",
                unit, "--ref", ref)
    first_pass(env, peer)
    retry_passes(env)
    later_days(env)


def main():
    why = missing()
    if why:
        print("skip: %s not set" % why)
        return 77
    if not os.path.exists(PEER):
        print("skip: %s missing" % PEER)
        return 77
    tmp = tempfile.mkdtemp(prefix="deadlined-deliver-webhook-")
    env = None
    started = time.monotonic()
    try:
        env = Env(tmp)
        run(env)
    finally:
        if env is not None:
            env.stop_peer()
        shutil.rmtree(tmp, ignore_errors=True)
    check(time.monotonic() - started < scaled(90),
          "the test took over %d s" % scaled(90))
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
