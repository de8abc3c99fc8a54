#!/usr/bin/python3
"""A real SMTP server (Debian's python3-aiosmtpd) on 127.0.0.1 for the channel tests.

It listens on a free port, prints that port on stdout, and records each accepted message as
NNNN.json in the directory given: the envelope, whether TLS and AUTH were used, the raw message,
and what Python's own email parser reads from it (decoded headers, the parts, any defects), so the
C++ test checks the message the way a mail client would read it. It stops on SIGTERM or when its
stdin closes (the test that started it has gone).

Run it with /usr/bin/python3 (Debian's, which has aiosmtpd):
  smtp_receiver.py DIR [--auth USER:PASSWORD] [--starttls CERT KEY] [--refuse ADDRESS]...
                       [--defer | --stall]
--auth requires AUTH (over plain text too, unless --starttls is given); --starttls offers and
requires STARTTLS with the PEM certificate and key; --refuse answers RCPT TO for ADDRESS with
550; --defer answers the end of DATA with 451; --stall reads the message and never answers it.
"""

import argparse
import asyncio
import email
import email.policy
import email.utils
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def read_message(raw):
    """What a mail client sees in the message: decoded headers, parts, and the parser's defects."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    defects = [type(defect).__name__ for defect in message.defects]
    for name in ("subject", "from", "to"):
        header = message[name]
        if header is not None:
            defects += [type(defect).__name__ for defect in header.defects]
    parts = []
    for part in message.walk():
        defects += [type(defect).__name__ for defect in part.defects]
        if part.is_multipart():
            continue
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset() or "",
            "transfer_encoding": part.get("Content-Transfer-Encoding", ""),
            "body": part.get_content(),
        })
    date = message.get("date")
    try:
        date_valid = date is not None and email.utils.parsedate_to_datetime(str(date)) is not None
    except (TypeError, ValueError):
        date_valid = False
    return {
        "subject": str(message.get("subject", "")),
        "from": str(message.get("from", "")),
        "to": str(message.get("to", "")),
        "message_id": str(message.get("message-id", "")),
        "mime_version": str(message.get("mime-version", "")),
        "x_depot_event": str(message.get("x-depot-event", "")),
        "date_valid": date_valid,
        "content_type": message.get_content_type(),
        "parts": parts,
        "defects": defects,
    }


class Recorder:
    def __init__(self, directory, refused, defer, stall):
        self.directory = directory
        self.refused = set(refused)
        self.defer = defer
        self.stall = stall
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 <%s>: Recipient address rejected: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.defer:
            return "451 4.3.0 Temporary local problem, try again later"
        if self.stall:
            await asyncio.get_running_loop().create_future()  # never done: no reply, ever
        self.count += 1
        raw = envelope.original_content
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "auth_login": session.auth_data if session.authenticated else "",
            "raw": raw.decode("utf-8", "replace"),
        }
        record.update(read_message(raw))
        name = os.path.join(self.directory, "%04d.json" % self.count)
        with open(name + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.replace(name + ".tmp", name)
        return "250 2.0.0 Ok: queued as depot%04d" % self.count


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
                and auth_data.password == password.encode()):
            return AuthResult(success=True, auth_data=user)
        return AuthResult(success=False, handled=False)
    return authenticate


async def serve(arguments):
    loop = asyncio.get_running_loop()
    handler = Recorder(arguments.directory, arguments.refuse, arguments.defer,
                       arguments.stall)
    options = {"hostname": "depot-test-smtp", "loop": loop}
    if arguments.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(arguments.starttls[0], arguments.starttls[1])
        options.update(tls_context=context, require_starttls=True)
    if arguments.auth:
        user, _, password = arguments.auth.partition(":")
        options.update(authenticator=authenticator_for(user, password), auth_required=True,
                       auth_require_tls=bool(arguments.starttls))
    server = await loop.create_server(lambda: SMTP(handler, **options), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)

    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)

    def wait_for_stdin_to_close():
        sys.stdin.read()
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait_for_stdin_to_close, daemon=True).start()
    await stop.wait()
    # Not wait_closed(): a client may still hold a kept-alive connection, and that is its business.
    server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--auth", metavar="USER:PASSWORD")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--refuse", action="append", default=[], metavar="ADDRESS")
    parser.add_argument("--defer", action="store_true")
    parser.add_argument("--stall", action="store_true")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
