"""A provider that accepts the connection and never answers holds up only its own work.

Merchant alpha's webhook points at a port that accepts connections and then says nothing, and
never reads what it is sent: the webhook deliveries hang there until depot's timeout. Meanwhile
orders are created, paid and shipped at their usual pace and their SMS go out at once; the hung
deliveries time out, are recorded as a failed attempt and retried on the retry schedule, and
reach the endpoint once it answers again. A geocoder that hangs delays only the payments that wait
for its answer, by at most its timeout, and those are judged on the offline checks.
"""

import shutil
import socket
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import Server, create_key
from provider_receivers import AliyunSmsReceiver, WebhookReceiver, wait_for

RETRY_BASE_MS = 150
WEBHOOK_TIMEOUT_S = 10  # WebhookOptions::timeout
GEOCODER_TIMEOUT_S = 3  # AmapOptions::total_timeout
ORDERS = 4
SMS_KEY_ID, SMS_SECRET, SIGN_NAME = "LTAI5tHangKeyId", "sms-hang-secret", "深蓝小店"
SMS_TEMPLATES = {"shipment.created": "SMS_460735001"}
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class SilentServer:
    """Accepts every connection, then neither reads nor writes: a provider that hangs."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.accepted.append(conn)

    def count(self):
        with self.lock:
            return len(self.accepted)

    def close(self):
        self.sock.close()
        with self.lock:
            for conn in self.accepted:
                conn.close()


@pytest.fixture(scope="module")
def api(depot_bin):
    """Merchant alpha on a server of its own (one key: the sanitized CLI is slow to make more)."""
    tmp = Path(tempfile.mkdtemp(prefix="depot-api-hang-"))
    srv = Server(depot_bin, tmp / "data", tmp / "server.log")
    try:
        srv.data_dir.mkdir(parents=True)
        srv.keys["alpha"] = create_key(depot_bin, srv.data_dir, "alpha")
        srv.start()
        yield srv.a
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


def put_channel(api, channel, body):
    r = api.request("PUT", f"/api/v1/channels/{channel}", body)
    assert r.status in (200, 201), r


def deliveries(api, order_id, channel):
    return [n for n in api.list_all("/api/v1/notifications", {"order_id": order_id})
            if n["channel"] == channel]


def detail(api, notification_id):
    r = api.get(f"/api/v1/notifications/{notification_id}")
    assert r.status == 200, r
    return r.json


def timed(call):
    started = time.monotonic()
    answer = call()
    return answer, time.monotonic() - started


def test_a_webhook_that_never_answers_delays_nothing_but_its_own_deliveries(api, silent):
    r = api.patch("/api/v1/settings", {"notification_retry_base_ms": RETRY_BASE_MS,
                                       "default_channels": ["sms"]})
    assert r.status == 200, r
    with AliyunSmsReceiver(SMS_KEY_ID, SMS_SECRET, SIGN_NAME, SMS_TEMPLATES) as sms, \
            WebhookReceiver(WEBHOOK_SECRET) as healthy:
        put_channel(api, "sms", {"url": sms.url, "access_key_id": SMS_KEY_ID,
                                 "access_key_secret": SMS_SECRET, "sign_name": SIGN_NAME,
                                 "templates": SMS_TEMPLATES})
        put_channel(api, "webhook", {"url": f"http://127.0.0.1:{silent.port}/hooks/depot",
                                     "secret": WEBHOOK_SECRET})
        sku = api.product_with_stock(100)
        slowest = 0.0
        orders = []
        hung_from = time.monotonic()
        for i in range(ORDERS):
            phone = f"1390000{i:04d}"
            order, took = timed(lambda: api.order_ok(sku, 1, customer={"name": "李四",
                                                                       "phone": phone}))
            paid, took_pay = timed(lambda: api.pay(order["id"], order["total"]))
            assert paid.status == 201, paid
            shipped, took_ship = timed(lambda: api.post(
                f"/api/v1/orders/{order['id']}/shipments",
                {"carrier": "SF", "tracking_no": f"SF{1000000000000 + i}"}))
            assert shipped.status == 201, shipped
            slowest = max(slowest, took, took_pay, took_ship)
            orders.append(order)
        # The webhook holds its connections while the orders go on at their usual pace.
        assert silent.count() > 0, "no webhook delivery reached the hanging endpoint"
        assert slowest < WEBHOOK_TIMEOUT_S / 2, f"an order call took {slowest:.1f}s"

        # Every order's SMS is sent while the webhook deliveries are still hanging.
        for order in orders:
            wait_for(lambda: any(n["status"] == "sent" for n in deliveries(api, order["id"],
                                                                            "sms")),
                     timeout=8, what=f"the SMS of order {order['id']}")
        still_hanging = [n for o in orders for n in deliveries(api, o["id"], "webhook")
                         if n["status"] == "sending"]
        assert still_hanging, "the SMS waited until the webhook deliveries ended"
        assert time.monotonic() - hung_from < WEBHOOK_TIMEOUT_S

        # The hung deliveries time out, count as a failed attempt and are due again.
        first = orders[0]["id"]

        def attempt_logs():
            logs = [detail(api, n["id"])["attempt_log"] for n in deliveries(api, first, "webhook")]
            return logs if logs and all(logs) else None

        for log in wait_for(attempt_logs, timeout=WEBHOOK_TIMEOUT_S + 15,
                            what="the hung webhook deliveries to time out"):
            assert log[0]["outcome"] == "retry_later", log
            assert WEBHOOK_TIMEOUT_S * 900 <= log[0]["duration_ms"] <= WEBHOOK_TIMEOUT_S * 2000, log

        # The endpoint answers again (elsewhere; the hung connections drop): the retries get
        # through.
        put_channel(api, "webhook", {"url": healthy.url})
        silent.close()

        def delivered():
            ns = deliveries(api, first, "webhook")
            return ns if ns and all(n["status"] == "sent" for n in ns) else None

        for n in wait_for(delivered, timeout=WEBHOOK_TIMEOUT_S + 15, what="the retries"):
            log = detail(api, n["id"])["attempt_log"]
            assert [a["outcome"] for a in log[:1] + log[-1:]] == ["retry_later", "sent"], log
            assert all(a["started_at"] >= b["finished_at"] for a, b in zip(log[1:], log)), log
        assert healthy.ok_ids() >= {n["key"] for n in deliveries(api, first, "webhook")}
        api.request("DELETE", "/api/v1/channels/webhook")
        api.request("DELETE", "/api/v1/channels/sms")


def test_a_geocoder_that_never_answers_delays_only_the_payments_that_ask_it(api, silent):
    r = api.request("PUT", "/api/v1/geocoder",
                    {"url": f"http://127.0.0.1:{silent.port}", "key": "amap-key"})
    assert r.status == 200, r
    try:
        sku = api.product_with_stock(100)
        orders = [api.order_ok(sku, 1, shipping_address={
            "province": "上海市", "city": "上海市", "district": "浦东新区",
            "detail": f"世纪大道 {300 + i} 号"}) for i in range(8)]
        with ThreadPoolExecutor(max_workers=len(orders)) as pool:
            started = time.monotonic()
            paying = [pool.submit(timed, lambda o=o: api.pay(o["id"], o["total"]))
                      for o in orders]
            # While every payment waits for the geocoder, the rest of depot answers at once.
            wait_for(lambda: silent.count() >= 1, timeout=5, what="the geocoder to be asked")
            _, took_read = timed(lambda: api.orders(sku=sku))
            _, took_create = timed(lambda: api.order_ok(sku, 1))
            paid = [f.result() for f in paying]
            everything = time.monotonic() - started
        assert max(took_read, took_create) < GEOCODER_TIMEOUT_S - 0.5, (took_read, took_create)
        for answer, took in paid:
            assert answer.status == 201, answer
            # A geocoder that says nothing never holds an order: the offline checks decide.
            assert answer.json["status"] == "awaiting_shipment", answer.json["hold_reasons"]
            assert took < GEOCODER_TIMEOUT_S + 4, f"a payment waited {took:.1f}s"
        # They waited side by side, not one after another.
        assert everything < 2 * GEOCODER_TIMEOUT_S + 4, everything
    finally:
        assert api.request("DELETE", "/api/v1/geocoder").status in (200, 204)
