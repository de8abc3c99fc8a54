"""A key sees only its own merchant; missing or unknown keys are refused (SEC)."""

import urllib.parse

import pytest

from conftest import assert_problem


@pytest.fixture(scope="module")
def a_data(server):
    """Merchant alpha's product (low stock, so it has an alert), receipt and order."""
    a = server.a
    sku = a.create_product(low_stock_threshold=5)
    a.receive(sku, 6)
    order = a.order_ok(sku, 3)
    assert any(al["sku"] == sku for al in a.alerts()), "setup: alpha should have an alert"
    return {"sku": sku, "order": order}


def test_other_merchants_resources_are_404(server, a_data):
    b = server.b
    sku, oid = a_data["sku"], a_data["order"]["id"]
    q = urllib.parse.quote(sku)
    for path in (f"/api/v1/orders/{oid}", f"/api/v1/products/{q}", f"/api/v1/inventory/{q}",
                 f"/api/v1/inventory/{q}/ledger"):
        assert_problem(b.get(path), 404)
    # The same answer as for an id that does not exist at all.
    assert_problem(b.get("/api/v1/orders/999999999"), 404)


def test_other_merchant_cannot_change_anything(server, a_data):
    a, b = server.a, server.b
    sku, oid = a_data["sku"], a_data["order"]["id"]
    before_order = a.get_order(oid)
    before_stock = a.stock(sku)

    assert_problem(b.patch(f"/api/v1/orders/{oid}", {"notes": "hijack"},
                           headers={"If-Match": str(before_order["version"])}), 404)
    assert_problem(b.post(f"/api/v1/orders/{oid}/cancel", {}), 404)
    assert_problem(b.pay(oid, 100), 404)
    r = b.post("/api/v1/inventory/receipts", {"sku": sku, "quantity": 5})
    assert r.status in (404, 422), r
    r = b.post("/api/v1/inventory/adjustments", {"sku": sku, "delta": -1, "reason": "x"})
    assert r.status in (404, 422), r
    r = b.create_order(sku, 1)
    assert_problem(r, 422, "lines[0].sku")

    after = a.get_order(oid)
    assert (after["version"], after["status"], after.get("notes"), after["paid_amount"]) == \
        (before_order["version"], before_order["status"], before_order.get("notes"),
         before_order["paid_amount"])
    assert a.stock(sku) == before_stock


def test_other_merchants_lists_never_show_a_data(server, a_data):
    a, b = server.a, server.b
    sku, oid = a_data["sku"], a_data["order"]["id"]
    # B has data of its own, so an empty list cannot pass by accident.
    bsku = b.create_product(low_stock_threshold=5)
    b.receive(bsku, 6)
    border = b.order_ok(bsku, 3)

    b_orders = b.orders()
    assert oid not in {o["id"] for o in b_orders}
    assert border["id"] in {o["id"] for o in b_orders}
    assert all(o["lines"][0]["sku"] != sku for o in b_orders)

    b_products = {p["sku"] for p in b.list_all("/api/v1/products")}
    assert sku not in b_products and bsku in b_products

    b_events = b.events(0)
    assert b_events, "B should see its own events"
    assert all(e.get("order_id") != oid and e.get("sku") != sku for e in b_events)

    b_alerts = b.alerts()
    assert sku not in {al["sku"] for al in b_alerts}
    assert bsku in {al["sku"] for al in b_alerts}

    assert oid not in {o["id"] for o in b.orders(sku=sku)}
    # And A does not see B's.
    assert border["id"] not in {o["id"] for o in a.orders()}


def test_same_sku_in_two_merchants_is_two_products(server):
    a, b = server.a, server.b
    sku = a.new_sku("SHARED")
    a.create_product(sku, price=100)
    b.create_product(sku, price=200)
    a.receive(sku, 7)
    assert b.stock(sku)["on_hand"] == 0
    assert a.get(f"/api/v1/products/{sku}").json["price"] == 100
    assert b.get(f"/api/v1/products/{sku}").json["price"] == 200


@pytest.mark.parametrize("method,path,body", [
    ("GET", "/api/v1/orders", None),
    ("POST", "/api/v1/orders", {"lines": []}),
    ("GET", "/api/v1/products", None),
    ("GET", "/api/v1/events", None),
    ("GET", "/api/v1/alerts", None),
    ("GET", "/api/v1/settings", None),
])
def test_missing_or_unknown_key_is_401(server, method, path, body):
    anon = server.anon
    assert_problem(anon.request(method, path, body), 401)
    assert_problem(anon.request(method, path, body, key="not-a-real-key"), 401)
    assert_problem(anon.request(method, path, body,
                                headers={"Authorization": "Basic YWxwaGE6cGFzcw=="}), 401)
    assert_problem(anon.request(method, path, body, headers={"Authorization": "Bearer "}), 401)
    # A near miss of a real key is still unknown.
    real = server.keys["alpha"]
    assert_problem(anon.request(method, path, body, key=real[:-1] + ("x" if real[-1] != "x"
                                                                     else "y")), 401)


def test_refused_unauthenticated_write_changes_nothing(server):
    a = server.a
    sku = a.product_with_stock(5)
    r = server.anon.request("POST", "/api/v1/orders", a.order_body([(sku, 2)]))
    assert_problem(r, 401)
    r = server.anon.request("POST", "/api/v1/inventory/receipts", {"sku": sku, "quantity": 5},
                            key="bogus")
    assert_problem(r, 401)
    st = a.stock(sku)
    assert (st["on_hand"], st["reserved"]) == (5, 0)


def test_viewer_may_read_but_not_write(server):
    a, viewer = server.a, server.viewer
    sku = a.product_with_stock(5)
    assert viewer.get(f"/api/v1/inventory/{sku}").status == 200
    assert viewer.get("/api/v1/orders").status == 200
    assert_problem(viewer.create_order(sku, 1), 403)
    assert_problem(viewer.post("/api/v1/inventory/receipts", {"sku": sku, "quantity": 1}), 403)
    assert_problem(viewer.post("/api/v1/products", {"sku": a.new_sku(), "name": "x",
                                                    "price": 1}), 403)
    st = a.stock(sku)
    assert (st["on_hand"], st["reserved"]) == (5, 0)
