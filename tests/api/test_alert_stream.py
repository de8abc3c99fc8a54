"""Merchant alerts in real time over Server-Sent Events (NTF-7): GET /api/v1/alerts/stream.

The stream is read with a raw socket (its own chunked decoding and SSE parsing), so a test can
time each alert's arrival and see the exact bytes the server frames it in."""

import json
import signal
import socket
import time

import pytest

from conftest import assert_problem

ALERT_TYPES = {"stock.low", "order.held", "shipment.overdue", "shipment.escalated",
               "notification.dead"}
STREAM = "/api/v1/alerts/stream"


class EventStream:
    """One GET of the alert stream: the status and headers, then SSE blocks as they arrive."""

    def __init__(self, port, key, last_event_id=None, extra_headers=()):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        lines = [f"GET {STREAM} HTTP/1.1", "Host: 127.0.0.1", "Accept: text/event-stream"]
        if key is not None:
            lines.append(f"Authorization: Bearer {key}")
        if last_event_id is not None:
            lines.append(f"Last-Event-ID: {last_event_id}")
        lines.extend(extra_headers)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.raw = b""       # bytes received and not yet decoded
        self.text = ""       # the decoded body not yet parsed into blocks
        self.closed = False  # the server closed the connection
        self.ended = False   # the chunked body ended properly (the last chunk)
        self.status, self.headers = self._read_head()

    def close(self):
        self.sock.close()

    def _receive(self, deadline):
        left = deadline - time.monotonic()
        if self.closed or left <= 0:
            return False
        self.sock.settimeout(left)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        if not data:
            self.closed = True
            return False
        self.raw += data
        return True

    def _read_head(self):
        deadline = time.monotonic() + 5
        while b"\r\n\r\n" not in self.raw:
            if not self._receive(deadline):
                raise AssertionError(f"no response head; got {self.raw!r}")
        head, self.raw = self.raw.split(b"\r\n\r\n", 1)
        status_line, *fields = head.decode("latin-1").split("\r\n")
        headers = {}
        for field in fields:
            name, _, value = field.partition(":")
            headers[name.strip().lower()] = value.strip()
        return int(status_line.split()[1]), headers

    def _decode(self):
        """Moves whole chunks from raw into text."""
        while not self.ended:
            size_end = self.raw.find(b"\r\n")
            if size_end < 0:
                return
            size = int(self.raw[:size_end].split(b";")[0], 16)
            if len(self.raw) < size_end + 2 + size + 2:
                return
            chunk = self.raw[size_end + 2:size_end + 2 + size]
            assert self.raw[size_end + 2 + size:size_end + 4 + size] == b"\r\n", self.raw
            self.raw = self.raw[size_end + 4 + size:]
            if size == 0:
                self.ended = True
            self.text += chunk.decode("utf-8")

    def body_json(self, timeout=5):
        """The whole body of a non-streamed answer (one with a Content-Length), as JSON."""
        length = int(self.headers["content-length"])
        deadline = time.monotonic() + timeout
        while len(self.raw) < length and self._receive(deadline):
            pass
        return json.loads(self.raw[:length].decode("utf-8"))

    def next_block(self, timeout=1.0):
        """The next SSE block as {"comments": [...], field: value}, or None when none arrived in
        time (or the stream ended)."""
        deadline = time.monotonic() + timeout
        while True:
            self._decode()
            if "\n\n" in self.text:
                block, self.text = self.text.split("\n\n", 1)
                return parse_block(block)
            if self.ended or not self._receive(deadline):
                return None

    def next_event(self, timeout=1.0, seen=None):
        """The next block that is an event (not only comments); every event passed on the way is
        appended to `seen`."""
        deadline = time.monotonic() + timeout
        while True:
            block = self.next_block(max(0.0, deadline - time.monotonic()))
            if block is None:
                return None
            if "event" in block or "data" in block:
                if seen is not None:
                    seen.append(block)
                return block

    def wait_for(self, predicate, timeout=1.0):
        """The first event for which predicate(event) holds, and every event received before it."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            event = self.next_event(max(0.0, deadline - time.monotonic()), seen)
            if event is None:
                return None, seen
            if predicate(event):
                return event, seen


def parse_block(block):
    parsed = {"comments": []}
    for line in block.split("\n"):
        if line.startswith(":"):
            parsed["comments"].append(line[1:].strip())
            continue
        name, _, value = line.partition(":")
        parsed[name] = value[1:] if value.startswith(" ") else value
    if "data" in parsed:
        parsed["json"] = json.loads(parsed["data"])
    return parsed


def open_stream(server, key, **kw):
    stream = EventStream(server.port, key, **kw)
    assert stream.status == 200, (stream.status, stream.headers, stream.raw)
    greeting = stream.next_block(timeout=2)
    assert greeting is not None and greeting["comments"] == ["connected"], greeting
    assert greeting.get("retry") == "3000", greeting
    return stream


@pytest.fixture
def stream(server):
    s = open_stream(server, server.keys["alpha"])
    yield s
    s.close()


def event_item(api, event_id):
    """The event as GET /api/v1/events shows it."""
    items = [e for e in api.events(event_id - 1) if e["id"] == event_id]
    assert len(items) == 1, items
    return items[0]


def low_stock(api):
    """Creates a product and an order that takes it below its threshold: stock.low."""
    sku = api.create_product(low_stock_threshold=5)
    api.receive(sku, 10)
    order = api.order_ok(sku, 6)
    return sku, order, time.monotonic()


def held_order(api):
    """An order with a bad phone, paid: held for verification (order.held)."""
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 1, customer={"name": "王五", "phone": "12345"})
    r = api.pay(order["id"], order["total"])
    assert r.status == 201 and r.json["status"] == "on_hold", r
    return order, time.monotonic()


def test_the_stream_is_an_event_stream_that_greets_first(server, stream):
    assert stream.headers["content-type"] == "text/event-stream", stream.headers
    assert stream.headers["cache-control"] == "no-store", stream.headers
    assert stream.headers.get("transfer-encoding") == "chunked", stream.headers
    assert "content-length" not in stream.headers


def test_a_low_stock_alert_arrives_within_a_second_as_the_event_feed_shows_it(api, stream):
    sku, order, done = low_stock(api)
    event, seen = stream.wait_for(lambda e: e["json"].get("sku") == sku)
    arrived = time.monotonic()
    assert event is not None, f"no stock.low for {sku} within 1 s; saw {seen}"
    assert arrived - done < 1.0
    assert event["event"] == "stock.low"
    assert event["id"] == str(event["json"]["id"])
    assert event["json"] == event_item(api, event["json"]["id"])
    assert event["json"]["data"]["available"] == 4 and event["json"]["data"]["threshold"] == 5
    # product.created, stock.received and order.created came first and were not sent
    assert [e["event"] for e in seen] == ["stock.low"], seen


def test_a_held_order_alert_arrives_within_a_second(api, stream):
    order, done = held_order(api)
    event, seen = stream.wait_for(lambda e: e["json"].get("order_id") == order["id"])
    assert event is not None, f"no order.held for order {order['id']} within 1 s; saw {seen}"
    assert time.monotonic() - done < 1.0
    assert event["event"] == "order.held"
    assert "customer.phone_invalid" in event["json"]["data"]["codes"], event
    assert event["json"] == event_item(api, event["json"]["id"])


def test_only_alerts_are_sent(api, stream):
    start = api.last_event_id()
    sku = api.product_with_stock(10)
    api.order_ok(sku, 2)
    low_stock(api)
    held_order(api)
    received = []
    while (event := stream.next_event(timeout=1.0)) is not None:
        received.append(event)
    alerts = [e for e in api.events(start) if e["type"] in ALERT_TYPES]
    assert len(alerts) >= 2
    assert [int(e["id"]) for e in received] == [e["id"] for e in alerts]
    assert all(e["event"] in ALERT_TYPES for e in received), received


def test_every_role_may_watch(server, api):
    viewer = open_stream(server, server.keys["alpha-viewer"])
    try:
        sku, _, _ = low_stock(api)
        event, seen = viewer.wait_for(lambda e: e["json"].get("sku") == sku)
        assert event is not None, seen
    finally:
        viewer.close()


def test_a_merchant_sees_only_its_own_alerts(server):
    other = open_stream(server, server.keys["beta"])
    try:
        low_stock(server.a)
        event, seen = other.wait_for(lambda e: True, timeout=1.0)
        assert event is None, f"beta was sent alpha's alert: {seen}"
    finally:
        other.close()


def test_no_key_or_a_wrong_key_is_refused(server):
    for key in (None, "not-a-key"):
        stream = EventStream(server.port, key)
        try:
            assert stream.status == 401, (stream.status, stream.raw)
            assert stream.headers["content-type"] == "application/problem+json"
            assert stream.body_json()["status"] == 401
        finally:
            stream.close()


def test_last_event_id_replays_the_alerts_missed_while_away(server, api):
    first = open_stream(server, server.keys["alpha"])
    sku, _, _ = low_stock(api)
    seen_event, _ = first.wait_for(lambda e: e["json"].get("sku") == sku)
    assert seen_event is not None
    first.close()

    missed_sku, _, _ = low_stock(api)
    held, _ = held_order(api)
    resumed = open_stream(server, server.keys["alpha"], last_event_id=seen_event["id"])
    try:
        one = resumed.next_event(timeout=1.0)
        two = resumed.next_event(timeout=1.0)
        assert one is not None and one["json"].get("sku") == missed_sku, one
        assert two is not None and two["json"].get("order_id") == held["id"], two
        assert int(one["id"]) < int(two["id"])
        live_sku, _, _ = low_stock(api)
        live, seen = resumed.wait_for(lambda e: e["json"].get("sku") == live_sku)
        assert live is not None and seen == [live], seen
    finally:
        resumed.close()


def test_a_malformed_last_event_id_is_refused(server):
    stream = EventStream(server.port, server.keys["alpha"], last_event_id="yesterday")
    try:
        assert stream.status == 422, (stream.status, stream.raw)
        errors = stream.body_json()["errors"]
        assert [e["field"] for e in errors] == ["Last-Event-ID"], errors
    finally:
        stream.close()


def test_a_merchant_may_hold_32_streams_at_once(server):
    streams = [open_stream(server, server.keys["gamma"]) for _ in range(32)]
    try:
        refused = EventStream(server.port, server.keys["gamma"])
        try:
            assert refused.status == 429, (refused.status, refused.raw)
            problem = refused.body_json()
            assert "alert streams" in problem["detail"] and "32" in problem["detail"], problem
        finally:
            refused.close()
        # another merchant is not affected
        open_stream(server, server.keys["beta"]).close()
        streams.pop().close()
        deadline = time.monotonic() + 3
        while True:
            again = EventStream(server.port, server.keys["gamma"])
            if again.status == 200 or time.monotonic() > deadline:
                break
            again.close()
            time.sleep(0.05)
        assert again.status == 200, "a closed stream did not give back its place"
        streams.append(again)
    finally:
        for s in streams:
            s.close()


def test_the_server_stops_promptly_while_a_stream_is_open(server_factory):
    srv = server_factory()
    srv.start()
    stream = open_stream(srv, srv.keys["alpha"])
    try:
        started = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        code = srv.proc.wait(timeout=10)
        assert time.monotonic() - started < 5.0
        assert code == 0, srv.log_tail()
        assert stream.next_block(timeout=2) is None
        assert stream.ended, "the chunked body was not ended properly"
    finally:
        stream.close()
