#!/usr/bin/python3
"""The receivers of the notification benchmark (`make bench`, bench/notify.py), and their own load
tests: a webhook endpoint and an SMTP server on 127.0.0.1, each in a process of its own, each
recording what reaches it, each as fast as one Python process gets so that depot, not they, is
what the benchmark measures (their ceilings are measured too, and reported next to depot's rates).

  notify_receivers.py webhook --port-file F
      A raw HTTP/1.1 server on asyncio (keep-alive, pipelining, no http.server): answers every
      request 200 with an empty body, and records (receive time, webhook-id header, body).
  notify_receivers.py smtp --port-file F
      Debian's aiosmtpd (run with /usr/bin/python3): accepts every message with 250, and records
      (receive time, Message-ID header).
  notify_receivers.py smtp-load --port P --messages N --connections C --out F
      Sends N small messages to the SMTP server at P, C at a time, each on a connection of its
      own (greeting, EHLO, MAIL, RCPT, DATA, QUIT), as depot does for a server without STARTTLS,
      and writes the rate to F: the SMTP receiver's ceiling.

A receiver writes "PORT CONTROL_PORT" to --port-file once it listens. Its control port speaks the
same HTTP: GET /stats answers {"count", "unique", "first", "last", "connections", "errors"}
(times in seconds since the epoch; connections opened since the start or the last reset);
POST /dump?path=P writes the records to P as tab-separated lines (receive time, id, then for
webhooks the event type and the event's timestamp) and answers the stats; POST /reset forgets the
records. A receiver stops on SIGTERM or SIGINT.
Python standard library only, aiosmtpd for the SMTP server.
"""

import argparse
import asyncio
import json
import os
import signal
import time
import urllib.parse

EMPTY_200 = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
MAX_HEAD = 64 * 1024


class Records:
    """What a receiver got: (receive time, id, payload) in arrival order, and counters."""

    def __init__(self):
        self.items = []
        self.ids = set()
        self.connections = 0
        self.errors = 0

    def add(self, item_id, payload=b""):
        self.items.append((time.time(), item_id, payload))
        self.ids.add(item_id)

    def clear(self):
        self.items.clear()
        self.ids.clear()
        self.connections = 0  # from now on: connections opened since the reset
        self.errors = 0

    def stats(self):
        return {"count": len(self.items), "unique": len(self.ids),
                "first": self.items[0][0] if self.items else None,
                "last": self.items[-1][0] if self.items else None,
                "connections": self.connections, "errors": self.errors}


def header(head, lower, name):
    """The value of header `name` (lower-case bytes) in a request head, or None."""
    at = lower.find(b"\r\n" + name + b":")
    if at < 0:
        return None
    start = at + len(name) + 3
    end = head.find(b"\r\n", start)
    return head[start:end if end >= 0 else len(head)].strip()


class HttpProtocol(asyncio.Protocol):
    """HTTP/1.1 with Content-Length bodies (what curl sends for a POST); `handle(request line, head,
    lower-cased head, body)` answers the whole response as bytes."""

    def __init__(self, handle, records):
        self.handle = handle
        self.records = records
        self.buffer = bytearray()
        self.continued = False
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.records.connections += 1

    def data_received(self, data):
        self.buffer += data
        out = []
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    return self.fail(b"431 Request Header Fields Too Large")
                break
            head = bytes(self.buffer[:end])
            lower = head.lower()
            if header(head, lower, b"transfer-encoding") is not None:
                return self.fail(b"501 Not Implemented")
            length = header(head, lower, b"content-length")
            try:
                length = int(length) if length is not None else 0
            except ValueError:
                return self.fail(b"400 Bad Request")
            total = end + 4 + length
            if len(self.buffer) < total:
                expect = header(head, lower, b"expect")
                if expect is not None and expect.lower() == b"100-continue" and not self.continued:
                    out.append(CONTINUE)
                    self.continued = True
                break
            body = bytes(self.buffer[end + 4:total])
            del self.buffer[:total]
            self.continued = False
            request_line = head.split(b"\r\n", 1)[0]
            out.append(self.handle(request_line, head, lower, body))
        if out:
            self.transport.write(b"".join(out))

    def fail(self, status):
        self.records.errors += 1
        self.transport.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
        self.transport.close()


def json_response(value):
    body = json.dumps(value).encode()
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
            % len(body)) + body


def webhook_fields(body):
    """(event type, event timestamp) of a depot webhook body: {type, timestamp, data}."""
    try:
        event = json.loads(body)
        return event.get("type", ""), event.get("timestamp", "")
    except ValueError:
        return "?", ""


def dump(records, path, kind):
    with open(path + ".tmp", "w") as out:
        for received, item_id, payload in records.items:
            extra = "\t".join(webhook_fields(payload)) if kind == "webhook" else ""
            out.write(f"{received:.6f}\t{item_id}" + (f"\t{extra}" if extra else "") + "\n")
    os.replace(path + ".tmp", path)


def control_handler(records, kind):
    def handle(request_line, head, lower, body):
        method, _, target = request_line.decode("latin-1").partition(" ")
        target = target.rsplit(" ", 1)[0]
        url = urllib.parse.urlsplit(target)
        if method == "GET" and url.path == "/stats":
            return json_response(records.stats())
        if method == "POST" and url.path == "/dump":
            path = urllib.parse.parse_qs(url.query).get("path", [""])[0]
            dump(records, path, kind)
            return json_response(records.stats())
        if method == "POST" and url.path == "/reset":
            records.clear()
            return json_response(records.stats())
        return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    return handle


def webhook_handler(records):
    def handle(request_line, head, lower, body):
        hook_id = header(head, lower, b"webhook-id")
        records.add((hook_id or b"").decode("latin-1"), body)
        return EMPTY_200
    return handle


async def serve(kind, port_file):
    loop = asyncio.get_running_loop()
    records = Records()
    if kind == "webhook":
        server = await loop.create_server(
            lambda: HttpProtocol(webhook_handler(records), records), "127.0.0.1", 0, backlog=1024)
    else:
        server = await smtp_server(loop, records)
    control_records = Records()
    control = await loop.create_server(
        lambda: HttpProtocol(control_handler(records, kind), control_records), "127.0.0.1", 0)
    ports = f"{server.sockets[0].getsockname()[1]} {control.sockets[0].getsockname()[1]}"
    with open(port_file + ".tmp", "w") as out:
        out.write(ports + "\n")
    os.replace(port_file + ".tmp", port_file)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.close()
    control.close()


async def smtp_server(loop, records):
    from aiosmtpd.smtp import SMTP  # Debian's python3-aiosmtpd

    class Recorder:
        async def handle_DATA(self, server, session, envelope):
            text = b"\n" + (envelope.original_content or envelope.content or b"")[:8192]
            at = text.lower().find(b"\nmessage-id:")
            message_id = b""
            if at >= 0:
                end = text.find(b"\n", at + 1)
                message_id = text[at + 12:end if end >= 0 else len(text)].strip()
            records.add(message_id.strip(b"<>").decode("latin-1"))
            return "250 2.0.0 Ok: queued"

    class CountingSMTP(SMTP):
        def connection_made(self, transport):
            records.connections += 1
            super().connection_made(transport)

    handler = Recorder()
    return await loop.create_server(
        lambda: CountingSMTP(handler, hostname="depot-bench-smtp", loop=loop),
        "127.0.0.1", 0, backlog=1024)


async def smtp_load(port, messages, connections):
    """Sends `messages` messages, `connections` at a time, each on a new connection; answers
    (seconds, sent, failed)."""
    remaining = [messages]
    failed = [0]
    body = ("From: bench@shop.example\r\nTo: c@example.com\r\nSubject: load\r\n"
            "Message-ID: <load-{n}@depot>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + "你的包裹已发出。\r\n" * 20 + ".\r\n")

    async def reply(reader):
        while True:
            line = await reader.readline()
            if not line:
                raise ConnectionError("closed")
            if line[3:4] != b"-":
                return int(line[:3])

    async def one_sender():
        while remaining[0] > 0:
            remaining[0] -= 1
            n = remaining[0]
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            await reply(reader)
            for command in (b"EHLO load\r\n", b"MAIL FROM:<bench@shop.example>\r\n",
                            b"RCPT TO:<c@example.com>\r\n", b"DATA\r\n"):
                writer.write(command)
                await reply(reader)
            writer.write(body.replace("{n}", str(n)).encode())
            if await reply(reader) != 250:
                failed[0] += 1
            writer.write(b"QUIT\r\n")
            await reply(reader)
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(one_sender() for _ in range(connections)))
    return time.monotonic() - started, messages, failed[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["webhook", "smtp", "smtp-load"])
    parser.add_argument("--port-file")
    parser.add_argument("--port", type=int)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.kind == "smtp-load":
        seconds, sent, failed = asyncio.run(smtp_load(args.port, args.messages, args.connections))
        result = {"messages": sent, "failed": failed, "connections": args.connections,
                  "seconds": round(seconds, 3), "rate": round(sent / seconds, 1)}
        with open(args.out, "w") as out:
            json.dump(result, out)
        print(json.dumps(result))
        return
    asyncio.run(serve(args.kind, args.port_file))


if __name__ == "__main__":
    main()
