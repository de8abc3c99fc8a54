"""A provider that accepts the connection and never answers holds up only its own work.

Merchant alpha's webhook points at a port that accepts connections and then says nothing, and
never reads what it is sent: the webhook deliveries hang there until depot's timeout. Meanwhile
orders are created, paid and shipped at their usual pace and their SMS go out at once; the hung
deliveries time out, are recorded as a failed attempt and retried on the retry schedule, and
reach the endpoint once it answers again. A geocoder that hangs delays only the payments that wait
for its answer, by at most its timeout, and those are judged on the offline checks.

The same holds for a mail server that accepts the connection and never greets: only that
merchant's mail waits, for at most --smtp-timeout-seconds, and it goes out once the server
answers; one that takes the message and never answers holds up only the exchanges it stalls
(libcurl waits for that reply blocking, so each exchange has a thread of its own). And for a tracking aggregator
that never answers: shipments and their messages go on, the subscriptions time out after
--tracking-timeout-seconds and stay due, and parcels shipped once it answers are subscribed.
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
from provider_receivers import (AliyunSmsReceiver, Kuaidi100Receiver, SmtpReceiver,
                                WebhookReceiver, wait_for)

RETRY_BASE_MS = 150
WEBHOOK_TIMEOUT_S = 10  # WebhookOptions::timeout
GEOCODER_TIMEOUT_S = 3  # AmapOptions::total_timeout
SMTP_TIMEOUT_S = 4  # --smtp-timeout-seconds (60 by default)
TRACKING_TIMEOUT_S = 4  # --tracking-timeout-seconds (10 by default)
KD100_KEY, KD100_CUSTOMER, KD100_SALT = "kd100-hang-key", "CUSTHANG01", "salt-hang"
ORDERS = 4
SMS_KEY_ID, SMS_SECRET, SIGN_NAME = "LTAI5tHangKeyId", "sms-hang-secret", "深蓝小店"
SMS_TEMPLATES = {"shipment.created": "SMS_460735001"}
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class SilentServer:
    """Accepts every connection, then neither reads nor writes: a provider that hangs."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Its connections pass this on, so another server may listen on the port beside them.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
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

    def stop_listening(self):
        """Frees the port for another server; the connections taken so far go on hanging."""
        try:
            # Wakes the accepting thread: a socket closed under a blocked accept() would listen on.
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already shut
        self.sock.close()

    def close(self):
        self.stop_listening()
        with self.lock:
            for conn in self.accepted:
                conn.close()


@pytest.fixture(scope="module")
def server(depot_bin):
    """Merchants alpha and beta on a server of their own (two keys: the sanitized CLI is slow to
    make more), with the shortest mail and tracking timeouts the tests can tell from a fast
    answer."""
    tmp = Path(tempfile.mkdtemp(prefix="depot-api-hang-"))
    srv = Server(depot_bin, tmp / "data", tmp / "server.log",
                 extra_args=["--smtp-timeout-seconds", str(SMTP_TIMEOUT_S),
                             "--tracking-timeout-seconds", str(TRACKING_TIMEOUT_S)])
    try:
        srv.data_dir.mkdir(parents=True)
        srv.keys["alpha"] = create_key(depot_bin, srv.data_dir, "alpha")
        srv.keys["beta"] = create_key(depot_bin, srv.data_dir, "beta")
        srv.start()
        yield srv
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def api(server):
    return server.a


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


def attempt_logs(api, order_ids, channel):
    """The attempt logs of the orders' deliveries on `channel`, once each has one."""
    logs = [detail(api, n["id"])["attempt_log"] for o in order_ids
            for n in deliveries(api, o, channel)]
    return logs if logs and all(logs) else None


def all_sent(api, order_ids, channel):
    ns = [n for o in order_ids for n in deliveries(api, o, channel)]
    return ns if ns and all(n["status"] == "sent" for n in ns) else None


def shipped_order(api, sku, customer, number):
    """Creates, pays and ships an order; answers it with the longest of the three calls."""
    order, took = timed(lambda: api.order_ok(sku, 1, customer=customer))
    paid, took_pay = timed(lambda: api.pay(order["id"], order["total"]))
    assert paid.status == 201, paid
    shipped, took_ship = timed(lambda: api.post(f"/api/v1/orders/{order['id']}/shipments",
                                                {"carrier": "SF", "tracking_no": number}))
    assert shipped.status == 201, shipped
    return order, max(took, took_pay, took_ship)


def customer(i, channel):
    return {"name": "李四", "phone": f"1370000{i:04d}", "email": f"lisi.{i}@example.com",
            "preferred_channels": [channel]}


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
        wait_for(lambda: silent.count() > 0, timeout=10,
                 what="a webhook delivery to reach the hanging endpoint")
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


def test_a_mail_server_that_never_answers_delays_nothing_but_its_own_mail(server, silent):
    alpha, beta = server.a, server.b
    for api in (alpha, beta):
        r = api.patch("/api/v1/settings", {"notification_retry_base_ms": RETRY_BASE_MS})
        assert r.status == 200, r
    mail = {"host": "127.0.0.1", "from": "notify@shop.example"}
    with AliyunSmsReceiver(SMS_KEY_ID, SMS_SECRET, SIGN_NAME, SMS_TEMPLATES) as sms, \
            SmtpReceiver() as healthy:
        # Alpha's mail server accepts the connection and never sends its greeting; alpha's SMS
        # and beta's mail go to servers that answer.
        put_channel(alpha, "email", {**mail, "port": silent.port})
        put_channel(alpha, "sms", {"url": sms.url, "access_key_id": SMS_KEY_ID,
                                   "access_key_secret": SMS_SECRET, "sign_name": SIGN_NAME,
                                   "templates": SMS_TEMPLATES})
        put_channel(beta, "email", {**mail, "port": healthy.port})
        alpha_sku, beta_sku = alpha.product_with_stock(10), beta.product_with_stock(10)
        hung, slowest = [], 0.0
        order, took = shipped_order(alpha, alpha_sku, customer(1, "email"), "SF2000000000001")
        hung.append(order["id"])
        texted, took_sms = shipped_order(alpha, alpha_sku, customer(2, "sms"), "SF2000000000002")
        mailed, took_mail = shipped_order(beta, beta_sku, customer(3, "email"), "SF2000000000003")
        order, took_last = shipped_order(alpha, alpha_sku, customer(4, "email"), "SF2000000000004")
        hung.append(order["id"])
        slowest = max(took, took_sms, took_mail, took_last)
        assert slowest < SMTP_TIMEOUT_S / 2, f"an order call took {slowest:.1f}s"
        wait_for(lambda: silent.count() > 0, timeout=10, what="a mail to reach the hanging server")

        sent_sms = wait_for(lambda: all_sent(alpha, [texted["id"]], "sms"), timeout=10,
                            what="alpha's SMS")
        sent_mail = wait_for(lambda: all_sent(beta, [mailed["id"]], "email"), timeout=10,
                             what="beta's mail")
        assert [m for m in healthy.received() if "lisi.3@example.com" in m.rcpt_tos]

        def hanging():
            ns = [n for o in hung for n in deliveries(alpha, o, "email")]
            return ns if ns and silent.count() >= len(ns) else None

        wait_for(hanging, timeout=10, what="alpha's mail to reach its server")

        # The mail server comes back on the same port while the first attempts still hang, but
        # takes each message and then never answers.
        silent.stop_listening()
        with SmtpReceiver(port=silent.port) as back:
            back.stall_data = True
            # The first attempts time out (the greeting counts towards the timeout) and are
            # recorded as failed and due again; the SMS and beta's mail went out before that.
            logs = wait_for(lambda: attempt_logs(alpha, hung, "email"),
                            timeout=SMTP_TIMEOUT_S + 15, what="the hung mail to time out")
            for log in logs:
                assert log[0]["outcome"] == "retry_later", log
                # Up to twice the timeout, and a second more for a machine busy with both API
                # suites at once (an attempt once took 8,006 ms there).
                assert SMTP_TIMEOUT_S * 900 <= log[0]["duration_ms"] <= SMTP_TIMEOUT_S * 2000 \
                    + 1000, log
            first_timeout = min(log[0]["finished_at"] for log in logs)
            for n in sent_sms:
                assert detail(alpha, n["id"])["attempt_log"][-1]["finished_at"] < first_timeout
            for n in sent_mail:
                assert detail(beta, n["id"])["attempt_log"][-1]["finished_at"] < first_timeout

            # The retries stall after DATA and time out too (the whole exchange is bounded);
            # the server answers the attempts after those, and each mail goes out once.
            wait_for(lambda: back.stalled, timeout=10,
                     what="a retry to reach the server that stalls")
            # Beta's mail goes out while alpha's server holds a message without answering.
            later, _ = shipped_order(beta, beta_sku, customer(5, "email"), "SF2000000000005")
            wait_for(lambda: all_sent(beta, [later["id"]], "email"), timeout=SMTP_TIMEOUT_S,
                     what="beta's mail while alpha's server stalls")
            assert not all_sent(alpha, hung, "email"), "the stall ended before beta's mail went"
            back.stall_data = False
            delivered = wait_for(lambda: all_sent(alpha, hung, "email"),
                                 timeout=4 * SMTP_TIMEOUT_S + 15, what="the retries")
            for n in delivered:
                log = detail(alpha, n["id"])["attempt_log"]
                assert [a["outcome"] for a in log] == ["retry_later"] * (len(log) - 1) + ["sent"]
                # The reply to the message, then to QUIT, each waited for up to the timeout.
                assert SMTP_TIMEOUT_S * 900 <= log[-2]["duration_ms"] <= SMTP_TIMEOUT_S * 3000
            assert sorted(m.message_id for m in back.received()) == \
                sorted(f"<{n['key']}@depot>" for n in delivered)
        for api in (alpha, beta):
            api.request("DELETE", "/api/v1/channels/email")
        alpha.request("DELETE", "/api/v1/channels/sms")


def test_a_tracking_aggregator_that_never_answers_delays_nothing_but_tracking(api, silent):
    r = api.patch("/api/v1/settings", {"notification_retry_base_ms": RETRY_BASE_MS})
    assert r.status == 200, r
    account = {"key": KD100_KEY, "customer": KD100_CUSTOMER, "salt": KD100_SALT}
    r = api.request("PUT", "/api/v1/carriers/kuaidi100",
                    {**account, "url": f"http://127.0.0.1:{silent.port}"})
    assert r.status in (200, 201), r
    with AliyunSmsReceiver(SMS_KEY_ID, SMS_SECRET, SIGN_NAME, SMS_TEMPLATES) as sms, \
            Kuaidi100Receiver(KD100_KEY, KD100_CUSTOMER) as aggregator:
        put_channel(api, "sms", {"url": sms.url, "access_key_id": SMS_KEY_ID,
                                 "access_key_secret": SMS_SECRET, "sign_name": SIGN_NAME,
                                 "templates": SMS_TEMPLATES})
        sku = api.product_with_stock(10)
        hung_from = time.monotonic()
        shipped = [shipped_order(api, sku, customer(10 + i, "sms"), f"SF300000000000{i}")
                   for i in range(3)]
        orders = [o["id"] for o, _ in shipped]
        slowest = max(took for _, took in shipped)
        assert slowest < TRACKING_TIMEOUT_S / 2, f"an order call took {slowest:.1f}s"
        wait_for(lambda: silent.count() >= 1, timeout=5, what="a subscription at the aggregator")

        # The shipments' SMS go out while the subscriptions still hang.
        wait_for(lambda: all_sent(api, orders, "sms"), timeout=10, what="the SMS")

        def parcels():
            return [p for o in orders
                    for p in api.get(f"/api/v1/orders/{o}/tracking").json["parcels"]]

        assert any(p["subscription_error"] is None for p in parcels()), \
            "the SMS waited until the subscriptions ended"
        assert time.monotonic() - hung_from < TRACKING_TIMEOUT_S + 2

        # The subscriptions time out and stay due (retried on their backoff), never failed.
        timed_out = wait_for(lambda: all(p["subscription_error"] for p in parcels()) and parcels(),
                             timeout=TRACKING_TIMEOUT_S + 15, what="the subscriptions to time out")
        for p in timed_out:
            assert p["subscription"] == "pending", p
            assert "timed out" in p["subscription_error"].lower(), p

        # Once the aggregator answers (the merchant points the account at it), parcels are
        # subscribed at once.
        r = api.request("PUT", "/api/v1/carriers/kuaidi100", {**account, "url": aggregator.url})
        assert r.status in (200, 201), r
        silent.close()
        order, _ = shipped_order(api, sku, customer(20, "sms"), "SF3000000000009")
        wait_for(lambda: aggregator.subscribed("SF3000000000009"), timeout=10,
                 what="the subscription once the aggregator answers")
        wait_for(lambda: api.get(f"/api/v1/orders/{order['id']}/tracking").json["parcels"][0]
                 ["subscription"] == "subscribed", timeout=10, what="the subscription recorded")
        api.request("DELETE", "/api/v1/channels/sms")
