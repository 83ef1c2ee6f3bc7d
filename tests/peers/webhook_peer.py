#!/usr/bin/python3
"""A webhook receiver for the tests (http.server), on 127.0.0.1.

Checks Standard Webhooks signatures with its own implementation, which it
first tests against the specification's published vector.  Answers from a
script (--responses 500,200 or 429:retry-after=7, 503:retry-date=30, 410,
hang, redirect; 200 once the script is used up; hang is no answer for
--hang seconds, default 30); --path-responses /hooks/x=500,200 gives the
requests to one path their own script.  A request
whose signature is not valid gets 401 and does not use up the script.  Every
request is appended to --log as one JSON line.  Prints "READY <port>" once
listening (on --port, default: a free one).
"""
import argparse
import base64
import email.utils
import hashlib
import hmac
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VECTOR = {
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "timestamp": "1614265330",
    "body": b'{"test": 2432232314}',
    "signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


def sign(secret, msg_id, timestamp, body):
    """The v1 signature of a message, as the specification defines it."""
    if secret.startswith("whsec_"):
        secret = secret[len("whsec_"):]
    key = base64.b64decode(secret, validate=True)
    signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    mac = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def verify(secrets, msg_id, timestamp, body, header):
    """True if any v1 signature of the header matches any secret."""
    if not msg_id or not timestamp or not header:
        return False
    given = header.split(" ")
    for secret in secrets:
        expected = sign(secret, msg_id, timestamp, body)
        for sig in given:
            if hmac.compare_digest(sig.encode(), expected.encode()):
                return True
    return False


def self_test():
    """Checks sign() against the specification's test vector."""
    got = sign(VECTOR["secret"], VECTOR["id"], VECTOR["timestamp"],
               VECTOR["body"])
    return got == VECTOR["signature"]


class State:
    """The response script and the log, shared by the handler threads."""

    def __init__(self, args):
        self.lock = threading.Lock()
        self.script = [r for r in args.responses.split(",") if r]
        self.paths = {}
        for spec in args.path_responses or []:
            path, _, script = spec.partition("=")
            self.paths[path] = [r for r in script.split(",") if r]
        self.secrets = args.secret or []
        self.log = args.log
        self.hang = args.hang

    def next_response(self, path=None):
        with self.lock:
            script = self.paths.get(path, self.script)
            return script.pop(0) if script else "200"

    def record(self, entry):
        with self.lock, open(self.log, "a") as f:
            f.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, headers=()):
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.handle_request(b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.handle_request(self.rfile.read(length))

    def handle_request(self, body):
        state = self.server.state
        h = self.headers
        valid = verify(state.secrets, h.get("webhook-id"),
                       h.get("webhook-timestamp"), body,
                       h.get("webhook-signature"))
        action = state.next_response(self.path) if valid else "401"
        state.record({
            "method": self.command, "path": self.path,
            "headers": {k.lower(): v for k, v in h.items()},
            "body": body.decode("utf-8", "replace"),
            "signature_valid": valid,
            "signatures": len((h.get("webhook-signature") or "").split()),
            "response": action,
            "client_port": self.client_address[1],
        })
        self.act(action)

    def act(self, action):
        if action == "hang":
            time.sleep(self.server.state.hang)
            self.close_connection = True
            return
        if action == "redirect":
            self.reply(302, [("Location", "/redirected")])
            return
        code, _, extra = action.partition(":")
        headers = []
        if extra.startswith("retry-after="):
            headers.append(("Retry-After", extra.split("=", 1)[1]))
        elif extra.startswith("retry-date="):
            when = time.time() + int(extra.split("=", 1)[1])
            headers.append(("Retry-After",
                            email.utils.formatdate(when, usegmt=True)))
        self.reply(int(code), headers)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--log", required=True)
    p.add_argument("--secret", action="append")
    p.add_argument("--responses", default="")
    p.add_argument("--path-responses", action="append")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--hang", type=float, default=30)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    args = p.parse_args()
    if not self_test():
        print("signature self-test against the published vector failed",
              file=sys.stderr)
        return 2
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state = State(args)
    if args.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print("READY %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
