"""Health, OpenAPI, docs page, events, lists, products and inventory basics."""

import re
import urllib.parse

from conftest import assert_problem, etag_version, http_request

# Every path (and method) the suite relies on must be described by the OpenAPI document.
USED = {
    "/api/v1/products": {"get", "post"},
    "/api/v1/products/{}": {"get", "patch"},
    "/api/v1/products/{}/images": {"post"},
    "/api/v1/warehouses": {"get"},
    "/api/v1/inventory/receipts": {"post"},
    "/api/v1/inventory/adjustments": {"post"},
    "/api/v1/inventory/{}": {"get"},
    "/api/v1/inventory/{}/ledger": {"get"},
    "/api/v1/alerts": {"get"},
    "/api/v1/orders": {"get", "post"},
    "/api/v1/orders/{}": {"get", "patch"},
    "/api/v1/orders/{}/cancel": {"post"},
    "/api/v1/orders/{}/payments": {"post"},
    "/api/v1/settings": {"get", "patch"},
    "/api/v1/events": {"get"},
}


def test_health_needs_no_key(server):
    for path in ("/healthz", "/readyz"):
        r = http_request("127.0.0.1", server.port, "GET", path)
        assert r.status == 200, (path, r)


def test_openapi_document(server):
    r = http_request("127.0.0.1", server.port, "GET", "/api/v1/openapi.json")
    assert r.status == 200, r
    assert r.headers.get("content-type", "").startswith("application/json"), r.headers
    doc = r.json
    assert isinstance(doc, dict), r
    assert str(doc.get("openapi", "")).startswith("3."), doc.get("openapi")
    assert isinstance(doc.get("info"), dict)

    prefix = ""
    servers = doc.get("servers") or []
    if servers and isinstance(servers[0], dict):
        prefix = urllib.parse.urlsplit(servers[0].get("url", "")).path.rstrip("/")
    described = {}
    for path, item in doc.get("paths", {}).items():
        norm = re.sub(r"\{[^}]*\}", "{}", path)
        methods = {m.lower() for m in item}
        for p in {norm, prefix + norm}:
            described.setdefault(p, set()).update(methods)
    missing = {p: sorted(m - described.get(p, set())) for p, m in USED.items()
               if m - described.get(p, set())}
    assert not missing, f"OpenAPI lacks: {missing}"


def test_docs_page(server):
    r = http_request("127.0.0.1", server.port, "GET", "/docs/")
    assert r.status == 200, r
    assert r.headers.get("content-type", "").startswith("text/html"), r.headers
    assert b"<html" in r.body.lower() or b"<!doctype html" in r.body.lower()


def test_unknown_route_is_404_problem(api):
    assert_problem(api.get("/api/v1/no-such-thing"), 404)


# ---- events ----------------------------------------------------------------------------------


def test_events_grow_and_after_filters(api):
    start = api.last_event_id()
    sku = api.create_product()
    api.receive(sku, 5)
    order = api.order_ok(sku, 2)

    new = api.events(start)
    ids = [e["id"] for e in new]
    assert ids == sorted(ids) and len(set(ids)) == len(ids), ids
    assert all(i > start for i in ids)
    for e in new:
        assert e.get("type") and e.get("at"), e
    types = [(e["type"], e.get("sku"), e.get("order_id")) for e in new]
    assert any(t == "product.created" and s == sku for t, s, _ in types), types
    assert any(t == "stock.received" and s == sku for t, s, _ in types), types
    assert any(t == "order.created" and o == order["id"] for t, _, o in types), types
    # The events appear in the order the changes happened.
    pos = {}
    for i, (t, s, o) in enumerate(types):
        if s == sku or o == order["id"]:
            pos.setdefault(t, i)
    assert pos["product.created"] < pos["stock.received"] < pos["order.created"], types

    # after= the last id returns nothing older.
    last = ids[-1]
    r = api.get("/api/v1/events", params={"after": last})
    assert r.status == 200, r
    assert all(e["id"] > last for e in r.json["items"])
    # after= a middle id returns exactly the later ones.
    mid = ids[len(ids) // 2]
    assert [e["id"] for e in api.events(mid)] == [i for i in ids if i > mid]


def test_events_limit_pages(api):
    start = api.last_event_id()
    for _ in range(3):
        api.create_product()
    r = api.get("/api/v1/events", params={"after": start, "limit": 2})
    assert r.status == 200, r
    assert len(r.json["items"]) == 2
    assert r.json["next_cursor"]


def test_payment_and_cancel_write_events(api):
    start = api.last_event_id()
    sku = api.product_with_stock(5)
    o1 = api.order_ok(sku, 1, 500)
    assert api.pay(o1["id"], 500).status == 201
    o2 = api.order_ok(sku, 1, 500)
    assert api.post(f"/api/v1/orders/{o2['id']}/cancel", {}).status == 200
    got = {(e["type"], e.get("order_id")) for e in api.events(start)}
    assert ("order.paid", o1["id"]) in got
    assert ("order.cancelled", o2["id"]) in got


# ---- orders list ------------------------------------------------------------------------------


def test_orders_pagination_returns_each_order_once(api):
    sku = api.product_with_stock(20)
    mine = [api.order_ok(sku, 1)["id"] for _ in range(5)]

    seen = []
    pages = 0
    cursor = None
    while True:
        params = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        r = api.get("/api/v1/orders", params=params)
        assert r.status == 200, r
        assert len(r.json["items"]) <= 2
        seen.extend(o["id"] for o in r.json["items"])
        pages += 1
        if pages == 1:
            api.order_ok(sku, 1)  # created after the first page: must not shift later pages
        cursor = r.json["next_cursor"]
        if not cursor:
            break
        assert pages < 500
    assert len(seen) == len(set(seen)), "an order appeared twice across pages"
    assert set(mine) <= set(seen), "an order was skipped"

    filtered = []
    cursor = None
    for _ in range(10):
        params = {"limit": 2, "sku": sku}
        if cursor:
            params["cursor"] = cursor
        r = api.get("/api/v1/orders", params=params)
        filtered.extend(o["id"] for o in r.json["items"])
        cursor = r.json["next_cursor"]
        if not cursor:
            break
    assert len(filtered) == 6 and set(mine) <= set(filtered), filtered


def test_status_filter(api):
    sku = api.product_with_stock(10)
    pending = api.order_ok(sku, 1, 100)
    paid = api.order_ok(sku, 1, 100)
    assert api.pay(paid["id"], 100).status == 201
    cancelled = api.order_ok(sku, 1, 100)
    assert api.post(f"/api/v1/orders/{cancelled['id']}/cancel", {}).status == 200

    for status, member, others in (
            ("pending_payment", pending, (paid, cancelled)),
            ("awaiting_shipment", paid, (pending, cancelled)),
            ("cancelled", cancelled, (pending, paid))):
        items = api.orders(status=status)
        assert all(o["status"] == status for o in items), (status, items)
        ids = {o["id"] for o in items}
        assert member["id"] in ids
        assert not ids & {o["id"] for o in others}


def test_order_detail_has_history_and_etag(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 2, 1250)
    assert isinstance(order["id"], int)
    assert isinstance(order["order_no"], str) and order["order_no"]
    assert order["status"] == "pending_payment"
    assert order["total"] == 2500 and order["paid_amount"] == 0
    assert order["currency"] == "CNY"

    r = api.get(f"/api/v1/orders/{order['id']}")
    assert r.status == 200, r
    assert etag_version(r.headers.get("etag")) == str(r.json["version"])
    hist = r.json["history"]
    assert len(hist) == 1, hist
    assert hist[0]["from"] is None and hist[0]["to"] == "pending_payment", hist
    assert hist[0]["at"]
    assert r.json["customer"]["phone"] == "13800138000"
    assert r.json["shipping_address"]["district"] == "浦东新区"

    assert api.pay(order["id"], 2500).status == 201
    hist = api.get_order(order["id"])["history"]
    assert [(h["from"], h["to"]) for h in hist] == [(None, "pending_payment"),
                                                    ("pending_payment", "awaiting_shipment")]


def test_counts(api):
    before = api.get("/api/v1/orders/counts")
    assert before.status == 200, before
    sku = api.product_with_stock(5)
    api.order_ok(sku, 1)
    after = api.get("/api/v1/orders/counts").json
    assert after["pending_payment"] == before.json.get("pending_payment", 0) + 1


# ---- products, warehouses, inventory ---------------------------------------------------------


def test_product_roundtrip_and_duplicate(api):
    sku = api.new_sku("MUG")
    r = api.post("/api/v1/products", {"sku": sku, "name": "Mug", "price": 1990,
                                      "barcode": "6901234567892", "low_stock_threshold": 3,
                                      "attributes": {"colour": "blue"}, "weight_grams": 350})
    assert r.status == 201, r
    p = api.get(f"/api/v1/products/{sku}")
    assert p.status == 200, p
    for k, v in {"sku": sku, "name": "Mug", "price": 1990, "currency": "CNY",
                 "barcode": "6901234567892", "low_stock_threshold": 3,
                 "attributes": {"colour": "blue"}, "weight_grams": 350, "images": []}.items():
        assert p.json[k] == v, (k, p.json)
    assert etag_version(p.headers.get("etag")) == str(p.json["version"])
    assert_problem(api.post("/api/v1/products", {"sku": sku, "name": "Mug 2", "price": 1}), 409)
    assert api.get(f"/api/v1/products/{sku}").json["name"] == "Mug"

    r = api.patch(f"/api/v1/products/{sku}", {"price": 2490},
                  headers={"If-Match": str(p.json["version"])})
    assert r.status == 200, r
    assert r.json["price"] == 2490 and r.json["version"] == p.json["version"] + 1
    r = api.patch(f"/api/v1/products/{sku}", {"price": 1},
                  headers={"If-Match": str(p.json["version"])})
    assert_problem(r, 412)
    assert api.get(f"/api/v1/products/{sku}").json["price"] == 2490


def test_new_merchant_has_main_default(api):
    r = api.get("/api/v1/warehouses")
    assert r.status == 200, r
    main = [w for w in r.json["items"] if w["code"] == "main"]
    assert len(main) == 1, r.json
    assert "default" in main[0]["locations"]


def test_receipt_and_ledger(api):
    sku = api.create_product()
    r = api.post("/api/v1/inventory/receipts", {"sku": sku, "quantity": 12, "reason": "PO-7"})
    assert r.status == 201, r
    assert (r.json["on_hand"], r.json["reserved"], r.json["available"]) == (12, 0, 12)
    st = api.stock(sku)
    assert st["sku"] == sku
    assert [(l["location"], l["on_hand"]) for l in st["locations"]] == [("main/default", 12)]
    led = api.ledger(sku)
    assert len(led) == 1, led
    m = led[0]
    assert m["kind"] == "inbound" and m["location"] == "main/default"
    assert (m["on_hand_delta"], m["reserved_delta"]) == (12, 0)
    assert m["actor"] and m["at"]
    assert m["reason"] == "PO-7"


def test_adjustments_counted_and_delta(api):
    sku = api.product_with_stock(10)
    r = api.post("/api/v1/inventory/adjustments",
                 {"sku": sku, "counted_quantity": 7, "reason": "stocktake"})
    assert r.status == 201, r
    assert r.json["on_hand"] == 7
    r = api.post("/api/v1/inventory/adjustments",
                 {"sku": sku, "location": "main/default", "delta": -2, "reason": "broken"})
    assert r.status == 201, r
    assert r.json["on_hand"] == 5
    st, led = api.assert_ledger_consistent(sku)
    adj = [m for m in led if m["kind"] == "adjustment"]
    assert sorted((m["on_hand_delta"], m["reason"]) for m in adj) == [(-3, "stocktake"),
                                                                      (-2, "broken")]


def test_adjustment_below_reserved_is_409(api):
    sku = api.product_with_stock(10)
    api.order_ok(sku, 6)
    before = (api.stock(sku), len(api.ledger(sku)))
    r = api.post("/api/v1/inventory/adjustments",
                 {"sku": sku, "counted_quantity": 5, "reason": "stocktake"})
    assert_problem(r, 409)
    r = api.post("/api/v1/inventory/adjustments", {"sku": sku, "delta": -5, "reason": "lost"})
    assert_problem(r, 409)
    assert (api.stock(sku), len(api.ledger(sku))) == before
    # Down to exactly the reserved amount is fine.
    r = api.post("/api/v1/inventory/adjustments",
                 {"sku": sku, "counted_quantity": 6, "reason": "stocktake"})
    assert r.status == 201, r
    assert (r.json["on_hand"], r.json["available"]) == (6, 0)


def test_ledger_pages_sum_to_stock(api):
    sku = api.create_product()
    for q in range(1, 8):
        api.receive(sku, q)
    r = api.get(f"/api/v1/inventory/{sku}/ledger", params={"limit": 3})
    assert r.status == 200, r
    assert len(r.json["items"]) == 3 and r.json["next_cursor"]
    led = api.list_all(f"/api/v1/inventory/{sku}/ledger", limit=3)
    assert len(led) == 7 and len({m["id"] for m in led}) == 7
    assert api.stock(sku)["on_hand"] == 28 == sum(m["on_hand_delta"] for m in led)


def test_settings_roundtrip(server):
    c = server.c
    r = c.get("/api/v1/settings")
    assert r.status == 200, r
    old = r.json
    try:
        r = c.patch("/api/v1/settings", {"edit_window_seconds": 1234,
                                         "unpaid_timeout_seconds": 4321})
        assert r.status == 200, r
        got = c.get("/api/v1/settings").json
        assert (got["edit_window_seconds"], got["unpaid_timeout_seconds"]) == (1234, 4321)
        # Another merchant's settings are untouched.
        assert server.a.get("/api/v1/settings").json["edit_window_seconds"] != 1234
    finally:
        c.patch("/api/v1/settings", {k: old[k] for k in
                                     ("edit_window_seconds", "unpaid_timeout_seconds")})
