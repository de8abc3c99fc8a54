"""kill -9 and notifications (issue 6): no notification is lost, none is planned twice, and a send
that may have reached the provider before the crash is repeated with the same dedupe key."""

import collections
import http.client
import itertools
import threading

from provider_receivers import (AliyunSmsReceiver, WebhookReceiver,
                                expect_one_webhook_per_event, wait_for)

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SMS_KEY_ID, SMS_SECRET, SIGN_NAME = "LTAI5tCrash", "crash-secret", "深蓝小店"
SMS_TEMPLATES = {"shipment.created": "SMS_460735001"}
EVENTS = 1000
THREADS = 8


def start_server(server_factory):
    srv = server_factory()
    srv.start()
    r = srv.a.patch("/api/v1/settings", {"notification_retry_base_ms": 100})
    assert r.status == 200, r
    return srv


def put_channel(api, channel, body):
    r = api.request("PUT", f"/api/v1/channels/{channel}", body)
    assert r.status in (200, 201), r


def sms_account(sms):
    return {"url": sms.url, "access_key_id": SMS_KEY_ID, "access_key_secret": SMS_SECRET,
            "sign_name": SIGN_NAME, "templates": SMS_TEMPLATES}


def ship_an_order(api):
    sku = api.product_with_stock(5)
    order = api.order_ok(sku, 1, customer={"name": "李四", "phone": "13800138000"},
                         shipping_address={"province": "上海市", "city": "上海市",
                                           "district": "浦东新区", "detail": "世纪大道100号"})
    assert api.pay(order["id"], order["total"]).status == 201
    r = api.post(f"/api/v1/orders/{order['id']}/shipments",
                 {"carrier": "SF", "tracking_no": "SF1234567890123"})
    assert r.status == 201, r
    return order


def deliveries(api, **params):
    return api.list_all("/api/v1/notifications", params)


def settled(api, order_id):
    """The order's deliveries once every one of them has been sent; else None."""
    ns = deliveries(api, order_id=order_id)
    if ns and all(n["status"] == "sent" for n in ns) and any(
            n["event"] == "shipment.created" and n["channel"] == "sms" for n in ns):
        return ns
    return None


def assert_one_per_event_and_channel(ns):
    counts = collections.Counter((n["event_id"], n["channel"]) for n in ns)
    doubles = {k: c for k, c in counts.items() if c != 1}
    assert not doubles, doubles


def test_kill_9_while_the_provider_holds_the_send_repeats_it_once_with_the_same_key(
        server_factory):
    srv = start_server(server_factory)
    api = srv.a
    with AliyunSmsReceiver(SMS_KEY_ID, SMS_SECRET, SIGN_NAME, SMS_TEMPLATES) as sms, \
            WebhookReceiver(SECRET) as hook:
        put_channel(api, "sms", sms_account(sms))
        put_channel(api, "webhook", {"url": hook.url, "secret": SECRET})
        sms.set_mode("hang")
        hook.set_mode("hang")
        order = ship_an_order(api)
        wait_for(lambda: sms.held == 1, what="the SMS to reach the provider and be held")
        shipped_event = [e for e in api.events() if e["type"] == "shipment.created"
                         and e.get("order_id") == order["id"]][0]
        wait_for(lambda: any(r["json"]["data"]["id"] == shipped_event["id"]
                             for r in hook.received()), what="the webhook to be held")
        before = {n["key"]: n for n in deliveries(api, order_id=order["id"])}
        assert {n["status"] for n in before.values()} == {"sending"}

        srv.kill9()  # while both providers hold depot's requests open
        sms.release()
        hook.release()
        srv.start()
        api = srv.a
        ns = wait_for(lambda: settled(api, order["id"]), timeout=20,
                      what="every delivery of the order to be sent after the restart")

        assert_one_per_event_and_channel(ns)
        assert {n["key"] for n in ns} == set(before)  # nothing planned again
        [text] = [n for n in ns if n["channel"] == "sms"]
        out_ids = [r["params"]["OutId"] for r in sms.requests]
        assert set(out_ids) == {text["key"]}, out_ids
        assert len(out_ids) == 2  # the held one, and the one repeat after the restart
        assert all(r["verified"] for r in sms.requests)
        log = api.get(f"/api/v1/notifications/{text['id']}").json["attempt_log"]
        assert [a["outcome"] for a in log] == ["interrupted", "sent"], log

        by_event = collections.defaultdict(set)
        for r in hook.received():
            assert r["verified"], r
            by_event[r["json"]["data"]["id"]].add(r["id"])
        hooked = {n["event_id"]: n["key"] for n in ns if n["channel"] == "webhook"}
        # Every event (the product's and stock's too) reached the endpoint under one id only.
        assert all(len(ids) == 1 for ids in by_event.values()), dict(by_event)
        for event_id, key in hooked.items():
            assert by_event[event_id] == {key}
        assert set(hooked.values()) <= hook.ok_ids()


def test_kill_9_right_after_the_commit_still_notifies_once(server_factory):
    srv = start_server(server_factory)
    api = srv.a
    with AliyunSmsReceiver(SMS_KEY_ID, SMS_SECRET, SIGN_NAME, SMS_TEMPLATES) as sms:
        put_channel(api, "sms", sms_account(sms))
        order = ship_an_order(api)
        srv.kill9()  # the shipment is committed; the dispatcher may not have planned it yet
        srv.start()
        api = srv.a
        ns = wait_for(lambda: settled(api, order["id"]), timeout=20, what="the SMS")
        assert_one_per_event_and_channel(ns)
        [text] = [n for n in ns if n["channel"] == "sms"]
        assert {p["OutId"] for p in sms.sent_to()} == {text["key"]}


def test_a_thousand_events_and_a_kill_9_mid_way_give_each_exactly_one_webhook_delivery(
        server_factory):
    srv = start_server(server_factory)
    api = srv.a
    with WebhookReceiver(SECRET) as hook:
        put_channel(api, "webhook", {"url": hook.url, "secret": SECRET})
        sku = api.product_with_stock(100000)
        first_event = api.last_event_id()

        stop = threading.Event()
        counter = itertools.count()
        lock = threading.Lock()
        answered = []

        def create_orders():
            client = srv.a  # bound to this server's port: fails once it is killed
            while not stop.is_set():
                i = next(counter)
                if i >= EVENTS:
                    return
                try:
                    r = client.post("/api/v1/orders", client.order_body([(sku, 1)]), timeout=10)
                except (OSError, http.client.HTTPException, AttributeError):
                    return
                with lock:
                    answered.append(r.status)

        threads = [threading.Thread(target=create_orders, daemon=True) for _ in range(THREADS)]
        for t in threads:
            t.start()
        wait_for(lambda: len(hook.ok_ids()) >= EVENTS // 4, timeout=60,
                 what=f"{EVENTS // 4} webhooks before the kill")
        srv.kill9()
        stop.set()
        for t in threads:
            t.join(timeout=15)
        assert set(answered) == {201}, collections.Counter(answered)
        killed_at = len(hook.ok_ids())
        assert killed_at < EVENTS, "the kill came too late to be mid-way"

        srv.start()
        api = srv.a
        made = len(api.orders())
        for _ in range(EVENTS - made):
            assert api.create_order(sku, 1).status == 201
        events = api.events(after=first_event)
        assert len(events) >= EVENTS
        event_ids = {e["id"] for e in events}

        keys, received = expect_one_webhook_per_event(api, hook, first_event, event_ids,
                                                      timeout=60)
        repeats = len(received) - len(keys)
        print(f"{len(keys)} events, kill -9 after {killed_at} webhooks, {repeats} repeated sends")
