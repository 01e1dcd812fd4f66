"""A real SMTP server for chargeback's mail tests (aiosmtpd), and a reader of what it received.

serve: listens on 127.0.0.1 (a free port, written to --port-file), stores every accepted message
as NNN.eml with its envelope in NNN.json under --folder, and logs what it did to --log. Options
make it require STARTTLS and AUTH, answer DATA with given replies first (451, 550), refuse a
recipient, stall every transaction after N accepted messages (to kill a client mid-run), store a
message and only then wait before answering its end (a slow content filter), or refuse recipients
after a greeting that is not a fully qualified name (Postfix's reject_non_fqdn_helo_hostname).

parse: reads every stored message back with Python's email package and prints JSON: envelope,
headers, text, each attachment's name, type, size and SHA-256, the longest line and defects.
"""
import argparse
import asyncio
import email
import email.policy
import hashlib
import json
import os
import re
import ssl
import sys


def log(path, line):
    with open(path, "a") as handle:
        handle.write(line + "\n")


class Handler:
    def __init__(self, args):
        self.args = args
        self.accepted = 0
        self.data_replies = [r for r in (args.data_replies or "").split(",") if r]
        self.reject = dict(item.rsplit("=", 1) for item in args.reject_rcpt or [])

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.args.stall_after is not None and self.accepted >= self.args.stall_after:
            log(self.args.log, "stalling")
            await asyncio.sleep(3600)
        log(self.args.log, f"helo {session.host_name}")
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        name = session.host_name or ""
        fqdn = re.fullmatch(r"\[[0-9A-Fa-f.:IPv]+\]|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", name) is not None
        if self.args.reject_non_fqdn_helo and not fqdn:
            log(self.args.log, f"helo {name} rejected")
            return f"504 5.5.2 <{name}>: Helo command rejected: need fully-qualified hostname"
        if address in self.reject:
            log(self.args.log, f"rcpt {address} rejected {self.reject[address]}")
            return f"{self.reject[address]} 5.1.1 <{address}>: recipient refused by the test"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_replies:
            reply = self.data_replies.pop(0)
            log(self.args.log, f"data answered {reply}")
            kind = "try again later" if reply.startswith("4") else "refused"
            return f"{reply} {reply[0]}.3.0 {kind} (test)"
        self.accepted += 1
        number = self.accepted
        stem = os.path.join(self.args.folder, "%03d" % number)
        with open(stem + ".eml", "wb") as handle:
            handle.write(envelope.original_content)
        data = getattr(session, "auth_data", None)
        login = data.login.decode() if data is not None and hasattr(data, "login") else None
        with open(stem + ".json", "w") as handle:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "tls": session.ssl is not None or server.transport.get_extra_info("sslcontext") is not None,
                       "login": login}, handle)
        log(self.args.log, f"accepted {number} for {','.join(envelope.rcpt_tos)}")
        if self.args.data_delay:
            # Stored (delivered) already: a client that gives up now has sent the message anyway.
            await asyncio.sleep(self.args.data_delay)
            log(self.args.log, f"answered {number} after {self.args.data_delay}s")
        return f"250 2.0.0 Ok: queued as {number}"


def serve(args):
    from aiosmtpd.smtp import SMTP, AuthResult

    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if args.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)
    auth = {}
    if args.auth:
        user, password_file = args.auth.split(":", 1)
        with open(password_file) as handle:
            auth = {"user": user, "password": handle.read().strip()}

    def authenticator(server, session, envelope, mechanism, data):
        ok = bool(auth) and data.login.decode() == auth["user"] and data.password.decode() == auth["password"]
        log(args.log, f"auth {mechanism} {'ok' if ok else 'refused'}")
        # handled=False: aiosmtpd itself answers 535 to a refused login.
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

    handler = Handler(args)
    # aiosmtpd drops a session idle for `timeout` seconds, the server's own wait included: a slow
    # answer to the end of DATA must not be cut by it.
    idle = max(30, (args.data_delay or 0) + 30)
    parameters = dict(hostname="sink.test", decode_data=False, timeout=idle, enable_SMTPUTF8=False)
    if context is not None and not args.implicit_tls:
        parameters.update(tls_context=context, require_starttls=args.require_starttls)
    if auth:
        parameters.update(authenticator=authenticator, auth_required=True, auth_require_tls=True,
                          auth_exclude_mechanism=args.exclude_auth or [])

    async def main():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(handler, **parameters), "127.0.0.1", 0,
                                          ssl=context if args.implicit_tls else None)
        port = server.sockets[0].getsockname()[1]
        with open(args.port_file + ".tmp", "w") as handle:
            handle.write(str(port))
        os.rename(args.port_file + ".tmp", args.port_file)
        log(args.log, f"listening on {port}")
        await server.serve_forever()

    asyncio.run(main())


def parse(folder):
    out = []
    for name in sorted(n for n in os.listdir(folder) if n.endswith(".eml")):
        raw = open(os.path.join(folder, name), "rb").read()
        envelope = json.load(open(os.path.join(folder, name[:-4] + ".json")))
        message = email.message_from_bytes(raw, policy=email.policy.default)
        headers = {key: (str(message[key]) if message[key] is not None else None)
                   for key in ["From", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID",
                               "MIME-Version", "Auto-Submitted", "References", "In-Reply-To"]}
        attachments = []
        text = None
        defects = [repr(d) for d in message.defects]
        for part in message.walk():
            defects += [repr(d) for d in part.defects]
            if part.is_multipart():
                continue
            if part.get_content_disposition() == "attachment":
                data = part.get_payload(decode=True)
                attachments.append({"filename": part.get_filename(), "content_type": part.get_content_type(),
                                    "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
            elif part.get_content_type() == "text/plain":
                text = part.get_content()
        lines = raw.split(b"\r\n")
        out.append({"file": name, "envelope": envelope, "headers": headers, "text": text,
                    "attachments": attachments, "max_line": max(len(line) for line in lines),
                    "bare_lf": b"\n" in raw.replace(b"\r\n", b""), "defects": defects})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--folder", required=True)
    s.add_argument("--port-file", required=True)
    s.add_argument("--log", required=True)
    s.add_argument("--tls-cert")
    s.add_argument("--tls-key")
    s.add_argument("--implicit-tls", action="store_true")
    s.add_argument("--client-ca", help="require a client certificate signed by this CA")
    s.add_argument("--require-starttls", action="store_true")
    s.add_argument("--auth", help="USER:PASSWORD_FILE")
    s.add_argument("--exclude-auth", action="append", help="a mechanism not to offer, e.g. PLAIN")
    s.add_argument("--data-replies", help="replies to the first DATA commands, e.g. 451 or 550,550")
    s.add_argument("--reject-rcpt", action="append", help="ADDRESS=CODE, e.g. a@example.com=550")
    s.add_argument("--data-delay", type=float, help="seconds to wait before answering the end of DATA")
    s.add_argument("--reject-non-fqdn-helo", action="store_true", help="answer RCPT 504 after a bare HELO name")
    s.add_argument("--stall-after", type=int, help="stall every transaction after this many accepted messages")
    p = sub.add_parser("parse")
    p.add_argument("folder")
    arguments = parser.parse_args()
    if arguments.command == "serve":
        serve(arguments)
    else:
        parse(arguments.folder)
