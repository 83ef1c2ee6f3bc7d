#!/usr/bin/python3
"""Incoming webhooks of chat services, on 127.0.0.1, for the tests.

Each path plays one service and checks a request's body against the shape
that service documents for its incoming webhooks, answering 200 when it
is right and 400 with the reason otherwise, as the service would:

  /slack/...        {"text": non-empty string}; Slack cuts a text over
                    40,000 characters
  /bot<TOKEN>/sendMessage?chat_id=N
                    Telegram Bot API sendMessage: chat_id from the query,
                    "text" of 1-4096 characters (UTF-16 code units)
  /teams/...        {"type": "message", "attachments": [{"contentType":
                    "application/vnd.microsoft.card.adaptive", "content":
                    {"type": "AdaptiveCard", "version", "body": [TextBlock
                    with "text"...]}}]}; at most 28 KB
  /chat/...         Google Chat: {"text": non-empty}, at most 32,000 bytes
  /json/...         deadlined's document: unit.code, date, subject, counts
                    and items

Every POST is a JSON content type.  Each request is appended to --log as
one JSON line with the verdict.  Prints "READY <port>" once listening.
"""
import argparse
import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def is_text(v):
    return isinstance(v, str) and v.strip() != ""


def check_slack(doc, raw, query):
    if set(doc) != {"text"} or not is_text(doc["text"]):
        return "slack: want {\"text\": ...}"
    if len(doc["text"]) > 40000:
        return "slack: text over 40,000 characters"
    return None


def check_telegram(doc, raw, query):
    if "chat_id" not in query and "chat_id" not in doc:
        return "telegram: Bad Request: chat_id is empty"
    if not is_text(doc.get("text")):
        return "telegram: Bad Request: message text is empty"
    if utf16_len(doc["text"]) > 4096:
        return "telegram: Bad Request: message is too long"
    extra = set(doc) - {"text", "chat_id", "parse_mode",
                        "disable_web_page_preview", "disable_notification",
                        "link_preview_options"}
    if extra:
        return "telegram: unknown fields %s" % sorted(extra)
    return None


def check_teams(doc, raw, query):
    if len(raw) > 28 * 1024:
        return "teams: payload over 28 KB"
    if doc.get("type") != "message":
        return "teams: type must be message"
    att = doc.get("attachments")
    if not isinstance(att, list) or len(att) != 1:
        return "teams: one attachment"
    a = att[0]
    if a.get("contentType") != "application/vnd.microsoft.card.adaptive":
        return "teams: contentType"
    card = a.get("content")
    if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
        return "teams: content must be an AdaptiveCard"
    if not isinstance(card.get("version"), str):
        return "teams: card version"
    body = card.get("body")
    if not isinstance(body, list) or not body:
        return "teams: card body"
    for el in body:
        if el.get("type") != "TextBlock" or not isinstance(el.get("text"),
                                                          str):
            return "teams: body element %r" % el
    return None


def check_chat(doc, raw, query):
    if len(raw) > 32000:
        return "chat: message over 32,000 bytes"
    if not is_text(doc.get("text")):
        return "chat: text"
    return None


def check_json(doc, raw, query):
    for k in ("unit", "date", "subject", "counts", "items"):
        if k not in doc:
            return "json: no %s" % k
    if not isinstance(doc["items"], list) or not doc["items"]:
        return "json: items"
    return None


def checker(path):
    if path.startswith("/slack/"):
        return check_slack
    if path.startswith("/bot") and path.endswith("/sendMessage"):
        return check_telegram
    if path.startswith("/teams/"):
        return check_teams
    if path.startswith("/chat/"):
        return check_chat
    if path.startswith("/json/"):
        return check_json
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        fn = checker(url.path)
        verdict = None
        doc = None
        if fn is None:
            verdict = "no such hook"
        elif not self.headers.get("Content-Type", "").startswith(
                "application/json"):
            verdict = "not JSON: %s" % self.headers.get("Content-Type")
        else:
            try:
                doc = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                verdict = "bad JSON: %s" % e
        if verdict is None:
            verdict = fn(doc, raw, query) if isinstance(doc, dict) else \
                "not an object"
        with self.server.lock, open(self.server.log, "a") as f:
            f.write(json.dumps({"path": self.path, "body": raw.decode(
                "utf-8", "replace"), "verdict": verdict}) + "\n")
        reason = (verdict or "ok").encode()
        self.send_response(400 if verdict else 200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(reason)))
        self.end_headers()
        self.wfile.write(reason)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--log", required=True)
    args = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.log = args.log
    server.lock = threading.Lock()
    print("READY %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
