#!/usr/bin/python3
"""A real SMTP server for the tests (aiosmtpd), on 127.0.0.1.

Prints "READY <port>" once listening (on --port, default: a free one).
Every accepted message is written to --maildir as N.eml (the raw bytes) and
N.env (MAIL FROM, then one RCPT per line); the number of TCP connections is
kept in --maildir/connections.  With --record-tempfail a message refused by
--tempfail-first is kept as tempfail-N.msg; with --log-commands the verb of
every command received (never its argument) is appended to
--maildir/commands, one per line.
"""
import argparse
import logging
import asyncio
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


def write_atomic(path, data):
    """Writes data to path through a temporary file and a rename."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


class Handler:
    """Stores messages, rejects a chosen recipient, fails the first DATAs."""

    def __init__(self, args):
        self.args = args
        self.count = 0
        self.tempfail_left = args.tempfail_first
        self.tempfails = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.args.reject and address in self.args.reject:
            return "550 5.1.1 <%s>: recipient rejected" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.tempfail_left > 0:
            self.tempfail_left -= 1
            if self.args.record_tempfail:
                self.tempfails += 1
                write_atomic(os.path.join(self.args.maildir, "tempfail-%d.msg"
                                          % self.tempfails),
                             envelope.original_content)
            return "451 4.3.0 Temporary failure, try again later"
        self.count += 1
        base = os.path.join(self.args.maildir, "%d" % self.count)
        write_atomic(base + ".eml", envelope.original_content)
        env = "\n".join([envelope.mail_from] + envelope.rcpt_tos) + "\n"
        write_atomic(base + ".env", env.encode())
        return "250 2.0.0 OK queued as %d" % self.count


def authenticator(expected):
    """Returns an aiosmtpd authenticator that accepts one user:password."""
    user, _, password = expected.partition(":")

    def check(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login.decode() == user and
              auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False)
    return check


LOGGED_VERBS = ("EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA",
                "RSET", "NOOP", "QUIT")


def logging_smtp(path):
    """An SMTP subclass that appends each command's verb to path."""
    def wrap(verb):
        async def method(self, arg):
            with open(path, "a") as f:
                f.write(verb + "\n")
            return await getattr(SMTP, "smtp_" + verb)(self, arg)
        return method
    return type("LoggingSMTP", (SMTP,),
                {"smtp_" + v: wrap(v) for v in LOGGED_VERBS})


def tls_context(args):
    """The server's TLS context from --tls-cert and --tls-key."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.tls_cert, args.tls_key)
    return ctx


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--maildir", required=True)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--no-starttls", action="store_true")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--auth")
    p.add_argument("--reject", action="append")
    p.add_argument("--tempfail-first", type=int, default=0)
    p.add_argument("--record-tempfail", action="store_true")
    p.add_argument("--log-commands", action="store_true")
    p.add_argument("--port", type=int, default=0)
    args = p.parse_args()
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Handler(args)
    ctx = tls_context(args) if args.tls_cert else None
    connections = [0]
    server_class = SMTP
    if args.log_commands:
        server_class = logging_smtp(os.path.join(args.maildir, "commands"))
    kwargs = {"hostname": "localhost", "timeout": 60, "loop": loop}
    if ctx is not None and not args.no_starttls and not args.implicit_tls:
        kwargs.update(tls_context=ctx, require_starttls=True)
    if args.auth:
        kwargs.update(authenticator=authenticator(args.auth),
                      auth_required=True,
                      auth_require_tls=ctx is not None)

    def factory():
        connections[0] += 1
        write_atomic(os.path.join(args.maildir, "connections"),
                     b"%d\n" % connections[0])
        return server_class(handler, **kwargs)

    server = loop.run_until_complete(loop.create_server(
        factory, "127.0.0.1", args.port,
        ssl=ctx if args.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    print("READY %d" % port, flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
