"""Editing (If-Match, edit window), cancelling and paying orders (ORD-3 … ORD-5)."""

import time

from conftest import assert_problem, etag_version


def edit(api, order_id, body, version=None, headers=None):
    h = dict(headers or {})
    if version is not None:
        h["If-Match"] = str(version)
    return api.patch(f"/api/v1/orders/{order_id}", body, headers=h)


def line_patch(sku, quantity, unit_price=1000):
    return {"lines": [{"sku": sku, "quantity": quantity, "unit_price": unit_price}]}


def snapshot(api, order_id, sku):
    order = api.get_order(order_id)
    return ({k: order[k] for k in ("version", "status", "lines", "total", "customer",
                                   "shipping_address", "paid_amount", "refund_due")},
            api.stock(sku), len(api.ledger(sku)))


def movements_for(api, sku, order_id):
    return [m for m in api.ledger(sku) if m.get("order_id") == order_id]


# ---- edit ------------------------------------------------------------------------------------


def test_edit_inside_window_rereserves_and_bumps_version(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 2, 1000)
    v = order["version"]
    assert api.stock(sku)["reserved"] == 2

    r = edit(api, order["id"], line_patch(sku, 5, 1000), version=v)
    assert r.status == 200, r
    assert r.json["version"] == v + 1
    assert [(l["sku"], l["quantity"], l["unit_price"]) for l in r.json["lines"]] == [(sku, 5, 1000)]
    assert r.json["total"] == 5000

    got = api.get_order(order["id"])
    assert got["version"] == v + 1
    assert [(l["sku"], l["quantity"]) for l in got["lines"]] == [(sku, 5)]

    st, _ = api.assert_ledger_consistent(sku)
    assert (st["on_hand"], st["reserved"], st["available"]) == (10, 5, 5)
    moves = movements_for(api, sku, order["id"])
    kinds = [m["kind"] for m in moves]
    assert "release" in kinds, kinds
    assert kinds.count("reservation") >= 2, kinds
    assert sum(m["reserved_delta"] for m in moves) == 5
    release = [m for m in moves if m["kind"] == "release"]
    assert sum(m["reserved_delta"] for m in release) == -2, release


def test_edit_other_fields_keeps_reservation(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 3)
    addr = {"province": "北京市", "city": "北京市", "district": "朝阳区", "detail": "建国路 88 号",
            "postcode": "100022"}
    r = edit(api, order["id"], {"shipping_address": addr, "notes": "leave at door"},
             version=order["version"])
    assert r.status == 200, r
    assert r.json["shipping_address"]["district"] == "朝阳区"
    assert r.json["notes"] == "leave at door"
    assert api.stock(sku)["reserved"] == 3


def test_edit_may_use_stock_released_by_old_lines(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 4)
    assert api.stock(sku)["available"] == 6
    r = edit(api, order["id"], line_patch(sku, 10), version=order["version"])
    assert r.status == 200, r
    st, _ = api.assert_ledger_consistent(sku)
    assert (st["reserved"], st["available"]) == (10, 0)


def test_edit_returns_etag_matching_version(api):
    sku = api.product_with_stock(5)
    order = api.order_ok(sku, 1)
    r = api.get(f"/api/v1/orders/{order['id']}")
    etag = r.headers.get("etag")
    assert etag is not None, r.headers
    assert etag_version(etag) == str(r.json["version"]), (etag, r.json["version"])
    # The ETag value as sent works as If-Match.
    r2 = edit(api, order["id"], {"notes": "etag"}, headers={"If-Match": etag})
    assert r2.status == 200, r2


def test_stale_if_match_is_412_and_changes_nothing(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 2)
    v = order["version"]
    r = edit(api, order["id"], {"notes": "first edit"}, version=v)
    assert r.status == 200, r
    before = snapshot(api, order["id"], sku)

    r = edit(api, order["id"], line_patch(sku, 7), version=v)
    assert_problem(r, 412)
    assert snapshot(api, order["id"], sku) == before


def test_missing_if_match_is_428_and_changes_nothing(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 2)
    before = snapshot(api, order["id"], sku)
    r = edit(api, order["id"], line_patch(sku, 7))
    assert_problem(r, 428)
    assert snapshot(api, order["id"], sku) == before


def test_edit_outside_window_is_409_and_changes_nothing(server):
    c = server.c  # gamma: its settings are changed here only
    r = c.get("/api/v1/settings")
    assert r.status == 200, r
    old_window = r.json["edit_window_seconds"]
    try:
        r = c.patch("/api/v1/settings", {"edit_window_seconds": 1})
        assert r.status == 200, r
        assert r.json["edit_window_seconds"] == 1
        assert c.get("/api/v1/settings").json["edit_window_seconds"] == 1

        sku = c.product_with_stock(10)
        order = c.order_ok(sku, 2)
        time.sleep(2.1)
        before = snapshot(c, order["id"], sku)
        r = edit(c, order["id"], line_patch(sku, 3), version=order["version"])
        assert_problem(r, 409)
        assert snapshot(c, order["id"], sku) == before
    finally:
        c.patch("/api/v1/settings", {"edit_window_seconds": old_window})


def test_edit_beyond_available_is_409_and_changes_nothing(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 2)
    before = snapshot(api, order["id"], sku)
    r = edit(api, order["id"], line_patch(sku, 11), version=order["version"])
    assert_problem(r, 409)
    assert snapshot(api, order["id"], sku) == before
    api.assert_ledger_consistent(sku)


def test_edit_with_unknown_field_is_422(api):
    sku = api.product_with_stock(5)
    order = api.order_ok(sku, 1)
    before = snapshot(api, order["id"], sku)
    r = edit(api, order["id"], {"notse": "typo"}, version=order["version"])
    assert_problem(r, 422, "notse")
    assert snapshot(api, order["id"], sku) == before


def test_edit_unknown_order_is_404(api):
    r = edit(api, 987654321, {"notes": "x"}, version=1)
    assert_problem(r, 404)


# ---- cancel ----------------------------------------------------------------------------------


def test_cancel_releases_stock_and_records_history(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 4)
    r = api.post(f"/api/v1/orders/{order['id']}/cancel", {"reason": "customer asked"})
    assert r.status == 200, r
    assert r.json["status"] == "cancelled"

    got = api.get_order(order["id"])
    assert got["status"] == "cancelled"
    last = got["history"][-1]
    assert last["from"] == "pending_payment" and last["to"] == "cancelled", got["history"]

    st, _ = api.assert_ledger_consistent(sku)
    assert (st["on_hand"], st["reserved"], st["available"]) == (10, 0, 10)
    moves = movements_for(api, sku, order["id"])
    assert [m["kind"] for m in moves].count("release") == 1, moves

    cancelled = {o["id"] for o in api.orders(status="cancelled")}
    assert order["id"] in cancelled


def test_cancel_twice_is_409_and_changes_nothing(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 4)
    assert api.post(f"/api/v1/orders/{order['id']}/cancel", {}).status == 200
    before = snapshot(api, order["id"], sku)
    r = api.post(f"/api/v1/orders/{order['id']}/cancel", {})
    assert_problem(r, 409)
    assert snapshot(api, order["id"], sku) == before


def test_cancelled_order_cannot_be_edited_or_paid(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 2)
    r = api.post(f"/api/v1/orders/{order['id']}/cancel", {})
    assert r.status == 200, r
    before = snapshot(api, order["id"], sku)
    r = edit(api, order["id"], line_patch(sku, 3), version=r.json["version"])
    assert_problem(r, 409)
    r = api.pay(order["id"], 2000)
    assert r.status in (409, 422), r
    assert snapshot(api, order["id"], sku) == before


# ---- payments --------------------------------------------------------------------------------


def test_full_payment_moves_to_awaiting_shipment(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 2, 1500)
    assert order["status"] == "pending_payment" and order["total"] == 3000
    r = api.pay(order["id"], 3000, reference="PAY-1")
    assert r.status == 201, r
    assert r.json["status"] == "awaiting_shipment"
    assert r.json["paid_amount"] == 3000
    got = api.get_order(order["id"])
    assert got["status"] == "awaiting_shipment"
    assert any(h["from"] == "pending_payment" and h["to"] == "awaiting_shipment"
               for h in got["history"]), got["history"]
    # Payment keeps the reservation.
    assert api.stock(sku)["reserved"] == 2


def test_partial_payments_add_up(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 2, 1500)
    r = api.pay(order["id"], 1000)
    assert r.status == 201, r
    assert r.json["status"] == "pending_payment" and r.json["paid_amount"] == 1000
    r = api.pay(order["id"], 2000)
    assert r.status == 201, r
    assert r.json["status"] == "awaiting_shipment" and r.json["paid_amount"] == 3000


def test_overpayment_is_422_and_changes_nothing(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 2, 1500)
    before = snapshot(api, order["id"], sku)
    r = api.pay(order["id"], 3001)
    assert_problem(r, 422)
    assert snapshot(api, order["id"], sku) == before

    assert api.pay(order["id"], 1000).status == 201
    before = snapshot(api, order["id"], sku)
    r = api.pay(order["id"], 2001)  # only 2000 still due
    assert_problem(r, 422)
    assert snapshot(api, order["id"], sku) == before


def test_payment_with_non_positive_amount_is_422(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 1)
    for amount in (0, -5):
        r = api.pay(order["id"], amount)
        assert_problem(r, 422, "amount")
    assert api.get_order(order["id"])["paid_amount"] == 0


def test_cancel_paid_order_records_refund_due(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 3, 700)
    assert api.pay(order["id"], 2100).status == 201
    r = api.post(f"/api/v1/orders/{order['id']}/cancel", {"reason": "out of stock"})
    assert r.status == 200, r
    assert r.json["status"] == "cancelled"
    assert r.json["refund_due"] == 2100
    assert api.get_order(order["id"])["refund_due"] == 2100
    st, _ = api.assert_ledger_consistent(sku)
    assert st["reserved"] == 0


def test_paid_order_cannot_grow_beyond_what_was_paid(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 2, 1000)
    r = api.pay(order["id"], 2000)
    assert r.status == 201, r
    before = snapshot(api, order["id"], sku)
    r = edit(api, order["id"], line_patch(sku, 3, 1000), version=r.json["version"])
    assert r.status in (409, 422), r
    assert snapshot(api, order["id"], sku) == before


def test_a_payment_reference_is_recorded_once(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 2, unit_price=500)
    first = api.post(f"/api/v1/orders/{order['id']}/payments",
                     {"amount": 400, "method": "wechat", "reference": "WX-1"})
    assert first.status == 201 and first.json["paid_amount"] == 400
    again = api.post(f"/api/v1/orders/{order['id']}/payments",
                     {"amount": 400, "method": "wechat", "reference": "WX-1"})
    assert again.status == 201 and again.json["paid_amount"] == 400, "a retry pays nothing"
    assert again.json["version"] == first.json["version"]
    rest = api.post(f"/api/v1/orders/{order['id']}/payments",
                    {"amount": 600, "method": "wechat", "reference": "WX-2"})
    assert rest.json["paid_amount"] == 1000 and rest.json["status"] == "awaiting_shipment"
