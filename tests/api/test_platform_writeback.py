"""Write-back to the platform (issue 9, 自动发货回传): when an order a platform connection created
ships, depot POSTs the shipment to the connection's callback URL, signed like the connection's
inbound webhooks (X-Depot-Signature), carried by the notification machinery: one delivery per
shipment event (X-Depot-Delivery, the same on every retry), retries, the attempt log, and a
ticket when it dies — also across a kill -9. A Shopify connection's orders are fulfilled through
the shop's Admin API instead, with its access token."""

import collections
import http.client
import threading
import time

import test_integrations as integrations
from conftest import assert_problem
from provider_receivers import PlatformReceiver, ShopifyReceiver, wait_for


def connected(api, receiver_factory):
    """A generic connection whose write-backs go to a new PlatformReceiver (started)."""
    integration = integrations.connect(api)
    receiver = receiver_factory(integration["secret"]).start()
    r = api.patch(f"/api/v1/integrations/{integration['id']}", {"callback_url": receiver.url})
    assert r.status == 200, r
    return integration, receiver


def platform_order(api, integration, sku, tracking_no=None):
    """An order delivered through the connection, paid; shipped when `tracking_no` is given."""
    body = integrations.generic_order(sku, quantity=1)
    r = integrations.deliver(api, integration, body)
    assert r.status == 201, r
    order = r.json
    assert api.pay(order["id"], order["total"]).status == 201
    if tracking_no:
        ship(api, order, tracking_no)
    return order


def ship(api, order, tracking_no, **kw):
    r = api.post(f"/api/v1/orders/{order['id']}/shipments",
                 {"carrier": "SF", "tracking_no": tracking_no}, **kw)
    assert r.status in (200, 201), r
    return r


def write_backs(api, order_id):
    return api.list_all("/api/v1/notifications", {"order_id": order_id, "channel": "platform"})


def fast_retries(api):
    r = api.patch("/api/v1/settings", {"notification_retry_base_ms": 50})
    assert r.status == 200, r


def test_a_connection_takes_a_callback_url(server, api):
    integration = integrations.connect(api)
    path = f"/api/v1/integrations/{integration['id']}"
    assert api.get(path).json["callback_url"] == ""
    r = api.patch(path, {"callback_url": "https://shop.example/depot/shipped?t=1", "name": "主店"})
    assert r.status == 200, r
    assert r.json["callback_url"] == "https://shop.example/depot/shipped?t=1"
    assert r.json["name"] == "主店" and "secret" not in r.json
    assert api.get(path).json["callback_url"] == "https://shop.example/depot/shipped?t=1"
    entry = [e for e in api.list_all("/api/v1/audit", {"object": f"integration:{integration['id']}"})
             if e["action"] == "integration.update"][0]
    assert {c["field"] for c in entry["changes"]} == {"name", "callback_url"}
    assert "t=1" not in str(entry)  # the URL by its host only

    assert api.patch(path, {"callback_url": ""}).json["callback_url"] == ""
    assert_problem(api.patch(path, {"callback_url": "ftp://shop.example/x"}), 422, "callback_url")
    assert_problem(api.patch(path, {"callback_url": None}), 422, "callback_url")
    assert_problem(api.patch(path, {"secret": "x" * 32}), 422, "secret")
    assert_problem(api.patch(path, {"name": ""}), 422, "name")
    other = integrations.connect(api)
    assert_problem(api.patch(path, {"name": other["name"]}), 409, "name")
    taobao = integrations.connect(api, "taobao")
    assert_problem(api.patch(f"/api/v1/integrations/{taobao['id']}",
                             {"callback_url": "https://x.taobao.example"}), 422, "callback_url")
    assert_problem(api.patch(path, {"access_token": "shpat_0123456789abcdef"}), 422,
                   "access_token")
    assert_problem(api.patch("/api/v1/integrations/999999999", {"name": "x"}), 404)
    operator = server.client(server.keys["alpha-operator"])
    assert_problem(operator.patch(path, {"callback_url": "https://a.example/"}), 403)
    assert_problem(server.b.patch(path, {"callback_url": "https://a.example/"}), 404)
    assert_problem(api.request("PUT", "/api/v1/channels/platform", {"url": "https://a.example/"}),
                   404)
    # Nobody is told on the platform channel.
    assert_problem(api.patch("/api/v1/settings", {"default_channels": ["platform"]}), 422,
                   "default_channels[0]")


def test_a_shipped_order_from_a_connection_is_written_back_once_signed(api):
    sku = api.product_with_stock(10)
    integration, platform = connected(api, PlatformReceiver)
    try:
        # An order made through the API ships first: it has no platform to tell.
        plain = api.order_ok(sku, 1)
        assert api.pay(plain["id"], plain["total"]).status == 201
        ship(api, plain, "SF1000000000001")
        order = platform_order(api, integration, sku, tracking_no="sf1000000000002")

        [received] = wait_for(lambda: list(platform.accepted().values()), what="the write-back")
        assert received["verified"] and received["content_type"] == "application/json"
        assert received["event"] == "shipment.created"
        body = received["json"]
        assert body["external_no"] == order["external_no"]
        assert body["order_no"] == order["order_no"]
        assert body["carrier"] == "SF" and body["carrier_code"] == "shunfeng"
        assert body["tracking_no"] == "SF1000000000002"
        assert body["lines"] == [{"sku": sku, "quantity": 1}]
        assert body["platform"] == "generic" and body["shipped_at"]

        [delivery] = wait_for(lambda: [n for n in write_backs(api, order["id"])
                                       if n["status"] == "sent"], what="the delivery to be sent")
        assert delivery["key"] == received["delivery"]
        assert delivery["audience"] == "merchant" and delivery["attempts"] == 1
        assert delivery["recipient"] == f"http://127.0.0.1:{platform.port}"  # the host alone
        assert write_backs(api, plain["id"]) == []
        assert len(platform.received()) == 1

        # Shipping the same parcel again changes nothing and tells nobody again.
        ship(api, order, "SF1000000000002")
        assert len(write_backs(api, order["id"])) == 1
    finally:
        platform.stop()


def test_a_failing_platform_is_retried_with_the_same_delivery_id(server_factory):
    srv = server_factory().start()
    try:
        api = srv.a
        fast_retries(api)
        sku = api.product_with_stock(5)
        integration, platform = connected(api, PlatformReceiver)
        with platform:
            platform.script = [500, 500]
            order = platform_order(api, integration, sku, tracking_no="SF1000000000011")
            [delivery] = wait_for(lambda: [n for n in write_backs(api, order["id"])
                                           if n["status"] == "sent"], what="sent after retries")
            detail = api.get(f"/api/v1/notifications/{delivery['id']}").json
            log = [a["outcome"] for a in detail["attempt_log"]]
            assert log == ["retry_later", "retry_later", "sent"], detail["attempt_log"]
            assert detail["attempts"] == 3
            assert detail["message"]["payload"]  # the body as planned
            assert [r["status"] for r in platform.received()] == [500, 500, 200]
            assert {r["delivery"] for r in platform.received()} == {delivery["key"]}
            assert all(r["verified"] for r in platform.received())
    finally:
        srv.stop()


def test_a_refused_write_back_dies_and_opens_one_ticket(server_factory):
    srv = server_factory().start()
    try:
        api = srv.a
        fast_retries(api)
        sku = api.product_with_stock(5)
        integration, platform = connected(api, PlatformReceiver)
        with platform:
            platform.set_mode("refuse")
            order = platform_order(api, integration, sku, tracking_no="SF1000000000021")
            [dead] = wait_for(lambda: [n for n in write_backs(api, order["id"])
                                       if n["status"] == "dead"], what="the write-back to die")
            assert "HTTP 400" in dead["last_error"]
            tickets = wait_for(lambda: api.list_all("/api/v1/tickets", {
                "order_id": order["id"], "kind": "writeback_failed"}), what="a ticket")
            assert len(tickets) == 1, tickets
            assert order["order_no"] in tickets[0]["subject"]
            assert tickets[0]["notification_id"] == dead["id"]
            assert len(platform.received()) == 1  # a 400 is not tried again
            # A customer's notification fallback is not involved: no notification_failed ticket.
            assert api.list_all("/api/v1/tickets", {"order_id": order["id"],
                                                    "kind": "notification_failed"}) == []
    finally:
        srv.stop()


def test_kill_9_mid_way_through_shipping_writes_each_order_back_once(server_factory):
    srv = server_factory().start()
    orders_count = 30
    try:
        api = srv.a
        fast_retries(api)
        sku = api.product_with_stock(orders_count * 2)
        integration, platform = connected(api, PlatformReceiver)
        with platform:
            orders = [platform_order(api, integration, sku) for _ in range(orders_count)]
            numbers = {o["id"]: f"SF{1000000001000 + i}" for i, o in enumerate(orders)}
            # The platform is slow to answer, so the kill lands with write-backs in flight.
            platform.set_mode("hang")
            stop = threading.Event()
            shipped = []

            def ship_all(client):
                for o in orders:
                    if stop.is_set():
                        return
                    try:
                        r = client.post(f"/api/v1/orders/{o['id']}/shipments",
                                        {"carrier": "SF", "tracking_no": numbers[o["id"]]},
                                        timeout=10)
                    except (OSError, http.client.HTTPException):
                        return
                    if r.status == 201:
                        shipped.append(o["id"])
                    time.sleep(0.05)  # an operator's pace: the kill lands mid-way

            shipper = threading.Thread(target=ship_all, args=(srv.a,), daemon=True)
            shipper.start()
            wait_for(lambda: platform.held >= 3, timeout=30, what="write-backs held in flight")
            srv.kill9()
            stop.set()
            shipper.join(timeout=15)
            assert 3 <= len(shipped) < orders_count, "the kill came too late to be mid-way"
            platform.release()

            srv.start()
            api = srv.a
            for o in orders:  # the rest; a parcel shipped before the kill is a no-op
                ship(api, o, numbers[o["id"]])
            by_external = {o["external_no"]: o for o in orders}

            def all_written_back():
                accepted = platform.accepted()
                done = {r["json"]["external_no"] for r in accepted.values()}
                return accepted if done == set(by_external) else None

            accepted = wait_for(all_written_back, timeout=60, interval=0.2,
                                what="every shipped order to be written back")
            received = platform.received()
            assert all(r["verified"] for r in received)
            deliveries_per_order = collections.defaultdict(set)
            for r in received:
                deliveries_per_order[r["json"]["external_no"]].add(r["delivery"])
            # Exactly one write-back per shipped order: repeats after the crash share its id.
            assert {k: len(v) for k, v in deliveries_per_order.items()} == {
                k: 1 for k in by_external}
            assert len(accepted) == orders_count
            for o in orders:
                [n] = write_backs(api, o["id"])
                assert {n["key"]} == deliveries_per_order[o["external_no"]]
                assert accepted[n["key"]]["json"]["tracking_no"] == numbers[o["id"]]
            repeats = len(received) - orders_count
            print(f"{orders_count} orders, {len(shipped)} shipped before the kill, {repeats} "
                  "write-backs repeated after it")
    finally:
        srv.stop()


# ---- Shopify: the fulfillment call -------------------------------------------------------------

SHOPIFY_TOKEN = "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"


def test_a_shopify_connection_takes_the_shop_and_a_token_it_never_shows(api):
    shopify = integrations.connect(api, "shopify")
    path = f"/api/v1/integrations/{shopify['id']}"
    assert api.get(path).json["access_token_set"] is False
    r = api.patch(path, {"callback_url": "https://demo.myshopify.com",
                         "access_token": SHOPIFY_TOKEN})
    assert r.status == 200, r
    assert r.json["callback_url"] == "https://demo.myshopify.com"
    assert r.json["access_token_set"] is True
    views = [r.json, api.get(path).json, api.patch(path, {"name": "Shopify 主店"}).json]
    views += [i for i in api.get("/api/v1/integrations").json["items"] if i["id"] == shopify["id"]]
    assert len(views) == 4
    for view in views:
        assert "access_token" not in view and view["access_token_set"] is True, view
        assert SHOPIFY_TOKEN not in str(view)
    audit = api.list_all("/api/v1/audit", {"object": f"integration:{shopify['id']}"})
    assert SHOPIFY_TOKEN not in str(audit)
    [entry] = [e for e in audit if e["action"] == "integration.update"
               and "access_token" in {c["field"] for c in e["changes"]}]
    assert_problem(api.patch(path, {"access_token": "shpat with spaces"}), 422, "access_token")
    assert_problem(api.patch(path, {"access_token": None}), 422, "access_token")
    assert api.patch(path, {"access_token": ""}).json["access_token_set"] is False


def test_a_shipped_shopify_order_is_fulfilled_once_with_its_tracking_number(server_factory):
    srv = server_factory().start()
    try:
        api = srv.a
        fast_retries(api)
        mug, tea = api.product_with_stock(10), api.product_with_stock(10)
        shopify = integrations.connect(api, "shopify")
        with ShopifyReceiver(SHOPIFY_TOKEN) as shop:
            shop_order = integrations.shopify_order(mug, tea, "#7001")
            shop.add_order(shop_order["id"], [1046000811, 1046000812])
            r = api.patch(f"/api/v1/integrations/{shopify['id']}",
                          {"callback_url": shop.url, "access_token": SHOPIFY_TOKEN})
            assert r.status == 200, r
            r = integrations.shopify_deliver(api, shopify, shop_order, "orders/create")
            assert r.status == 201, r
            order = r.json
            assert order["status"] == "awaiting_shipment"  # paid: financial_status "paid"
            ship(api, order, "sf1000000000031")

            [fulfillment] = wait_for(shop.fulfilled, what="the fulfillment")
            assert fulfillment["line_items_by_fulfillment_order"] == [
                {"fulfillment_order_id": 1046000811}, {"fulfillment_order_id": 1046000812}]
            assert fulfillment["tracking_info"]["number"] == "SF1000000000031"
            assert fulfillment["tracking_info"]["company"] == "顺丰速运"
            assert fulfillment["notify_customer"] is False
            [delivery] = wait_for(lambda: [n for n in write_backs(api, order["id"])
                                           if n["status"] == "sent"], what="sent")
            assert delivery["attempts"] == 1
            payload = api.get(f"/api/v1/notifications/{delivery['id']}").json["message"]["payload"]
            assert '"platform_order_id":"5882468925498"' in payload.replace(" ", "")
            assert SHOPIFY_TOKEN not in str(api.get(f"/api/v1/notifications/{delivery['id']}").json)

            # Sent again (as after a crash, when depot cannot know the first call arrived): the
            # order has nothing open any more, so nothing is fulfilled twice.
            r = api.post(f"/api/v1/notifications/{delivery['id']}/resend", {})
            assert r.status in (200, 201, 202), r
            wait_for(lambda: [n for n in write_backs(api, order["id"])
                              if n["status"] == "sent" and n["id"] != delivery["id"]],
                     what="the resend to be sent")
            assert len(shop.fulfilled()) == 1
            assert shop.requests.count(("POST", "/admin/api/2024-01/fulfillments.json")) == 1

            # A wrong token is Shopify's 401: the write-back dies with its words and a ticket.
            other_order = integrations.shopify_order(mug, tea, "#7002")
            other_order["id"] = 5882468925499
            shop.add_order(other_order["id"], [1046000813])
            api.patch(f"/api/v1/integrations/{shopify['id']}", {"access_token": "shpat_wrong"})
            other = integrations.shopify_deliver(api, shopify, other_order, "orders/create").json
            ship(api, other, "SF1000000000032")
            [dead] = wait_for(lambda: [n for n in write_backs(api, other["id"])
                                       if n["status"] == "dead"], what="the write-back to die")
            assert "HTTP 401" in dead["last_error"] and "Invalid API key" in dead["last_error"]
            assert "shpat_wrong" not in str(dead)
            assert wait_for(lambda: api.list_all("/api/v1/tickets", {
                "order_id": other["id"], "kind": "writeback_failed"}), what="a ticket")
            assert len(shop.fulfilled()) == 1
    finally:
        srv.stop()
