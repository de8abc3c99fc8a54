"""After-sales (AFS-1 … AFS-4): returns and exchanges, refunds, delivery feedback and complaints,
against the real binary."""

import itertools
import random

import pytest

from conftest import assert_problem

_numbers = itertools.count(random.randrange(10**9, 10**10))


def sf_number():
    return f"SF{next(_numbers):013d}"


def yt_number():
    return f"YT{next(_numbers):013d}"


def paid_order(api, lines, **over):
    """lines: [(sku, quantity)] at 1000 each; answers the paid order."""
    r = api.post("/api/v1/orders", api.order_body([(s, q, 1000) for s, q in lines], **over))
    assert r.status == 201, r
    paid = api.pay(r.json["id"], r.json["total"])
    assert paid.status == 201 and paid.json["status"] == "awaiting_shipment", paid
    return paid.json


def ship(api, order_id, carrier="SF", tracking_no=None, lines=None):
    body = {"carrier": carrier, "tracking_no": tracking_no or sf_number()}
    if lines is not None:
        body["lines"] = [{"sku": s, "quantity": q} for s, q in lines]
    r = api.post(f"/api/v1/orders/{order_id}/shipments", body)
    assert r.status == 201, r
    return r.json


def shipped_order(api, lines, **over):
    order = paid_order(api, lines, **over)
    ship(api, order["id"])
    return api.get_order(order["id"])


def request_return(api, order_id, lines, kind="return", **extra):
    body = {"lines": [{"sku": s, "quantity": q} for s, q in lines], "reason": "尺码不合适",
            "kind": kind}
    body.update(extra)
    return api.post(f"/api/v1/orders/{order_id}/returns", body)


def approved_return(api, order_id, lines, kind="return", **extra):
    r = request_return(api, order_id, lines, kind, **extra)
    assert r.status == 201, r
    assert r.json["status"] == "requested"
    approved = api.post(f"/api/v1/returns/{r.json['id']}/approve")
    assert approved.status == 200 and approved.json["status"] == "approved", approved
    return approved.json


def event_types(api, after, order_id):
    return [e["type"] for e in api.events(after) if e.get("order_id") == order_id]


# ---- returns -----------------------------------------------------------------------------


def test_a_restocked_return_puts_the_units_back_and_the_ledger_adds_up(api):
    sku = api.product_with_stock(10)
    order = shipped_order(api, [(sku, 3)])
    assert api.stock(sku)["on_hand"] == 7
    before = api.last_event_id()

    r = request_return(api, order["id"], [(sku, 2)])
    assert r.status == 201, r
    assert r.json["status"] == "requested" and isinstance(r.json["id"], int)
    assert r.headers["location"] == f"/api/v1/returns/{r.json['id']}"
    approved = api.post(f"/api/v1/returns/{r.json['id']}/approve", {"note": "请用原包装寄回"})
    assert approved.status == 200 and approved.json["decision_note"] == "请用原包装寄回"
    received = api.post(f"/api/v1/returns/{r.json['id']}/receive",
                        {"restock": True, "note": "吊牌完好"})
    assert received.status == 200, received
    assert received.json["status"] == "received"
    assert received.json["disposition"] == "restocked"
    assert received.json["location"] == "main/default"
    assert received.json["inspection_note"] == "吊牌完好"
    assert received.json["received_at"]

    stock, ledger = api.assert_ledger_consistent(sku)
    assert stock["on_hand"] == 9 and stock["reserved"] == 0
    restocks = [m for m in ledger if m["kind"] == "return_restock"]
    assert len(restocks) == 1
    assert (restocks[0]["on_hand_delta"], restocks[0]["reserved_delta"]) == (2, 0)
    assert restocks[0]["order_id"] == order["id"]
    assert event_types(api, before, order["id"]) == [
        "return.requested", "return.approved", "return.received"]


def test_a_restock_goes_to_the_chosen_location(api):
    sku = api.product_with_stock(5)
    code = f"A-{random.randrange(10**6)}"
    r = api.post("/api/v1/warehouses/main/locations", {"code": code})
    assert r.status == 201, r
    order = shipped_order(api, [(sku, 2)])
    ret = approved_return(api, order["id"], [(sku, 1)])
    assert_problem(api.post(f"/api/v1/returns/{ret['id']}/receive",
                            {"restock": True, "location": "main/NO-SUCH"}), 422, "location")
    assert_problem(api.post(f"/api/v1/returns/{ret['id']}/receive",
                            {"restock": True, "location": ""}), 422, "location")
    assert api.get(f"/api/v1/returns/{ret['id']}").json["status"] == "approved"
    r = api.post(f"/api/v1/returns/{ret['id']}/receive",
                 {"restock": True, "location": f"main/{code}"})
    assert r.status == 200, r
    assert r.json["location"] == f"main/{code}"
    at = {row["location"]: row for row in api.stock(sku)["locations"]}
    assert at[f"main/{code}"]["on_hand"] == 1
    assert at["main/default"]["on_hand"] == 3
    api.assert_ledger_consistent(sku)


def test_a_written_off_return_moves_no_stock(api):
    sku = api.product_with_stock(5)
    order = shipped_order(api, [(sku, 2)])
    ret = approved_return(api, order["id"], [(sku, 2)])
    assert_problem(api.post(f"/api/v1/returns/{ret['id']}/receive",
                            {"restock": False, "location": "main/default"}), 422, "location")
    r = api.post(f"/api/v1/returns/{ret['id']}/receive", {"restock": False, "note": "屏幕碎裂"})
    assert r.status == 200, r
    assert r.json["disposition"] == "written_off" and r.json["location"] is None
    stock, ledger = api.assert_ledger_consistent(sku)
    assert stock["on_hand"] == 3
    assert not [m for m in ledger if m["kind"] == "return_restock"]


def test_no_more_comes_back_than_shipped_less_what_was_already_claimed(api):
    sku_a, sku_b = api.product_with_stock(10), api.product_with_stock(10)
    order = paid_order(api, [(sku_a, 3), (sku_b, 1)])
    ship(api, order["id"], lines=[(sku_a, 2)])  # partly shipped: 2 of A, none of B

    assert_problem(request_return(api, order["id"], [(sku_a, 3)]), 422, "lines[0].quantity")
    assert_problem(request_return(api, order["id"], [(sku_b, 1)]), 422, "lines[0].sku")
    assert_problem(request_return(api, order["id"], [(sku_a, 1), (sku_a, 2)]), 422,
                   "lines[1].quantity")
    first = request_return(api, order["id"], [(sku_a, 1), (sku_a, 1)])
    assert first.status == 201, first
    assert first.json["lines"] == [{"sku": sku_a, "quantity": 2}]
    assert_problem(request_return(api, order["id"], [(sku_a, 1)]), 422, "lines[0].quantity")

    # A rejected request gives its units back to what may still come back.
    r = api.post(f"/api/v1/returns/{first.json['id']}/reject", {"reason": "已超过退货期限"})
    assert r.status == 200 and r.json["status"] == "rejected", r
    assert r.json["decision_note"] == "已超过退货期限"
    again = request_return(api, order["id"], [(sku_a, 2)])
    assert again.status == 201, again


def test_an_order_that_has_not_shipped_takes_no_return(api):
    sku = api.product_with_stock(5)
    order = paid_order(api, [(sku, 1)])
    assert_problem(request_return(api, order["id"], [(sku, 1)]), 409)
    assert_problem(request_return(api, 999999999, [(sku, 1)]), 404)
    assert api.get("/api/v1/returns", params={"order_id": order["id"]}).json["items"] == []


@pytest.mark.parametrize("change,field", [
    ({"kind": "swap"}, "kind"),
    ({"reason": ""}, "reason"),
    ({"reason": "x" * 1001}, "reason"),
    ({"lines": []}, "lines"),
    ({"lines": [{"sku": "A", "quantity": 0}]}, "lines[0].quantity"),
    ({"lines": [{"sku": "A"}]}, "lines[0].quantity"),
    ({"lines": [{"sku": "A", "quantity": 1, "colour": "red"}]}, "lines[0].colour"),
    ({"photos": ["not a url"]}, "photos[0]"),
    ({"photos": ["https://x.example/p.jpg"] * 10}, "photos"),
    ({"replacement_lines": [{"sku": "A", "quantity": 1}]}, "replacement_lines"),
    ({"unknown": 1}, "unknown"),
])
def test_a_bad_return_request_names_the_field_and_changes_nothing(api, change, field):
    sku = api.product_with_stock(5)
    order = shipped_order(api, [(sku, 1)])
    body = {"lines": [{"sku": sku, "quantity": 1}], "reason": "坏了", "kind": "return"}
    body.update(change)
    assert_problem(api.post(f"/api/v1/orders/{order['id']}/returns", body), 422, field)
    assert api.get("/api/v1/returns", params={"order_id": order["id"]}).json["items"] == []


def test_the_state_machine_refuses_steps_out_of_turn(api):
    sku = api.product_with_stock(5)
    order = shipped_order(api, [(sku, 2)])
    r = request_return(api, order["id"], [(sku, 1)])
    rid = r.json["id"]
    assert_problem(api.post(f"/api/v1/returns/{rid}/receive", {"restock": True}), 409)
    assert_problem(api.post(f"/api/v1/returns/{rid}/receive", {}), 422, "restock")
    assert_problem(api.post(f"/api/v1/returns/{rid}/reject", {}), 422, "reason")
    assert_problem(api.post(f"/api/v1/returns/{rid}/reject", {"reason": " "}), 422, "reason")
    assert api.post(f"/api/v1/returns/{rid}/reject", {"reason": "不支持"}).status == 200
    assert_problem(api.post(f"/api/v1/returns/{rid}/approve"), 409)
    assert_problem(api.post(f"/api/v1/returns/{rid}/receive", {"restock": True}), 409)
    assert_problem(api.post("/api/v1/returns/999999999/approve"), 404)
    assert api.stock(sku)["on_hand"] == 3


def test_the_parcel_back_is_validated_and_one_returns_per_number(api):
    sku = api.product_with_stock(5)
    order = shipped_order(api, [(sku, 2)])
    first = approved_return(api, order["id"], [(sku, 1)])
    second = approved_return(api, order["id"], [(sku, 1)])
    path = f"/api/v1/returns/{first['id']}/parcel"
    assert_problem(api.post(path, {"carrier": "PIGEON", "tracking_no": "1"}), 422, "carrier")
    assert_problem(api.post(path, {"carrier": "SF", "tracking_no": "12"}), 422, "tracking_no")
    assert_problem(api.post(path, {"carrier": "SF"}), 422, "tracking_no")
    number = sf_number()
    r = api.post(path, {"carrier": "shunfeng", "tracking_no": number.lower()})
    assert r.status == 200, r
    assert r.json["parcel"] == {"carrier": "SF", "tracking_no": number}
    assert api.post(path, {"carrier": "SF", "tracking_no": number}).status == 200
    assert_problem(api.post(f"/api/v1/returns/{second['id']}/parcel",
                            {"carrier": "SF", "tracking_no": number}), 409)
    assert api.get(f"/api/v1/returns/{second['id']}").json["parcel"] is None


def test_returns_are_listed_by_order_and_status(api):
    sku = api.product_with_stock(10)
    order = shipped_order(api, [(sku, 3)])
    a = request_return(api, order["id"], [(sku, 1)]).json
    b = approved_return(api, order["id"], [(sku, 1)])
    listed = api.list_all("/api/v1/returns", {"order_id": order["id"]}, limit=1)
    assert [r["id"] for r in listed] == [b["id"], a["id"]]
    approved = api.get("/api/v1/returns", params={"order_id": order["id"], "status": "approved"})
    assert [r["id"] for r in approved.json["items"]] == [b["id"]]
    assert_problem(api.get("/api/v1/returns", params={"status": "lost"}), 422, "status")
    assert_problem(api.get("/api/v1/returns", params={"limit": 0}), 422, "limit")
    assert_problem(api.get("/api/v1/returns/999999999"), 404)
    fetched = api.get(f"/api/v1/returns/{a['id']}")
    assert fetched.status == 200 and fetched.json["lines"] == [{"sku": sku, "quantity": 1}]


def test_a_repeated_request_with_its_key_creates_one_return(api):
    sku = api.product_with_stock(5)
    order = shipped_order(api, [(sku, 2)])
    key = {"Idempotency-Key": f"ret-{random.randrange(10**12)}"}
    body = {"lines": [{"sku": sku, "quantity": 1}], "reason": "坏了"}
    first = api.post(f"/api/v1/orders/{order['id']}/returns", body, headers=key)
    assert first.status == 201 and first.json["kind"] == "return"
    again = api.post(f"/api/v1/orders/{order['id']}/returns", body, headers=key)
    assert again.status == 200 and again.json["id"] == first.json["id"]
    other = dict(body, reason="别的")
    assert_problem(api.post(f"/api/v1/orders/{order['id']}/returns", other, headers=key), 422,
                   "Idempotency-Key")


# ---- exchanges ---------------------------------------------------------------------------


def test_an_exchange_ships_a_replacement(api):
    sku = api.product_with_stock(10)
    order = shipped_order(api, [(sku, 2)])
    ret = approved_return(api, order["id"], [(sku, 1)], kind="exchange")
    r = api.post(f"/api/v1/returns/{ret['id']}/receive", {"restock": True})
    assert r.status == 200, r
    replacement_id = r.json["replacement_order_id"]
    assert isinstance(replacement_id, int) and replacement_id != order["id"]

    replacement = api.get_order(replacement_id)
    assert replacement["status"] == "awaiting_shipment"
    assert replacement["total"] == 0 and replacement["paid_amount"] == 0
    assert replacement["lines"] == [{"sku": sku, "quantity": 1, "unit_price": 0}]
    assert order["order_no"] in replacement["notes"]
    assert replacement["customer"]["phone"] == order["customer"]["phone"]
    assert replacement["shipping_address"]["detail"] == order["shipping_address"]["detail"]
    stock, _ = api.assert_ledger_consistent(sku)
    assert (stock["on_hand"], stock["reserved"]) == (9, 1)

    parcel = ship(api, replacement_id)
    assert parcel["lines"] == [{"sku": sku, "quantity": 1}]
    assert api.get_order(replacement_id)["status"] == "shipped"
    stock, _ = api.assert_ledger_consistent(sku)
    assert (stock["on_hand"], stock["reserved"]) == (8, 0)


def test_an_exchange_for_another_sku_reserves_that_sku(api):
    small, large = api.product_with_stock(5), api.product_with_stock(1)
    order = shipped_order(api, [(small, 1)])
    assert_problem(request_return(api, order["id"], [(small, 1)], "exchange",
                                  replacement_lines=[{"sku": "NO-SUCH-SKU", "quantity": 1}]),
                   422, "replacement_lines[0].sku")
    ret = approved_return(api, order["id"], [(small, 1)], "exchange",
                          replacement_lines=[{"sku": large, "quantity": 1}])
    assert ret["replacement_lines"] == [{"sku": large, "quantity": 1}]
    r = api.post(f"/api/v1/returns/{ret['id']}/receive", {"restock": False})
    assert r.status == 200, r
    replacement = api.get_order(r.json["replacement_order_id"])
    assert replacement["lines"] == [{"sku": large, "quantity": 1, "unit_price": 0}]
    assert api.stock(large)["available"] == 0
    assert api.stock(small)["on_hand"] == 4  # written off: nothing came back on the shelf


def test_an_exchange_short_of_stock_is_not_received(api):
    sku = api.product_with_stock(1)
    order = shipped_order(api, [(sku, 1)])
    ret = approved_return(api, order["id"], [(sku, 1)], "exchange")
    r = api.post(f"/api/v1/returns/{ret['id']}/receive", {"restock": False})
    assert_problem(r, 409)
    assert api.get(f"/api/v1/returns/{ret['id']}").json["status"] == "approved"
    # Restocking the returned unit first covers the replacement in the same step.
    r = api.post(f"/api/v1/returns/{ret['id']}/receive", {"restock": True})
    assert r.status == 200, r
    stock, _ = api.assert_ledger_consistent(sku)
    assert (stock["on_hand"], stock["reserved"]) == (1, 1)


# ---- refunds -----------------------------------------------------------------------------


def test_refunds_never_exceed_what_was_paid(api):
    sku = api.product_with_stock(5)
    order = paid_order(api, [(sku, 3)])  # 3000 paid
    before = api.last_event_id()
    path = f"/api/v1/orders/{order['id']}/refunds"
    first = api.post(path, {"amount": 1000, "reason": "运费补偿"})
    assert first.status == 201, first
    assert first.json["status"] == "pending" and first.json["amount"] == 1000
    assert_problem(api.post(path, {"amount": 2001, "reason": "退款"}), 422, "amount")
    second = api.post(path, {"amount": 2000, "reason": "退款"})
    assert second.status == 201, second
    assert_problem(api.post(path, {"amount": 1, "reason": "退款"}), 422, "amount")
    assert_problem(api.post(path, {"amount": 0, "reason": "x"}), 422, "amount")
    assert_problem(api.post(path, {"amount": 5}), 422, "reason")
    assert_problem(api.post(path, {"amount": "5", "reason": "x"}), 422, "amount")
    assert_problem(api.post("/api/v1/orders/999999999/refunds", {"amount": 1, "reason": "x"}), 404)
    listed = api.get("/api/v1/refunds", params={"order_id": order["id"]}).json["items"]
    assert [r["id"] for r in listed] == [second.json["id"], first.json["id"]]

    done = api.post(f"/api/v1/refunds/{first.json['id']}/complete", {"reference": "ALI-1"})
    assert done.status == 200, done
    assert done.json["status"] == "completed" and done.json["reference"] == "ALI-1"
    assert_problem(api.post(f"/api/v1/refunds/{first.json['id']}/complete"), 409)
    fetched = api.get_order(order["id"])
    assert fetched["refunded_amount"] == 1000 and fetched["paid_amount"] == 3000
    pending = api.get("/api/v1/refunds", params={"order_id": order["id"], "status": "pending"})
    assert [r["id"] for r in pending.json["items"]] == [second.json["id"]]
    assert api.post(f"/api/v1/refunds/{second.json['id']}/complete").status == 200
    assert api.get_order(order["id"])["refunded_amount"] == 3000
    assert event_types(api, before, order["id"]) == [
        "refund.created", "refund.created", "refund.completed", "refund.completed"]
    completed = [e for e in api.events(before) if e["type"] == "refund.completed"]
    assert completed[-1]["data"]["refunded_amount"] == 3000


def test_an_unpaid_order_has_nothing_to_refund(api):
    sku = api.product_with_stock(5)
    order = api.order_ok(sku, 1)
    assert_problem(api.post(f"/api/v1/orders/{order['id']}/refunds",
                            {"amount": 1, "reason": "x"}), 422, "amount")


def test_a_cancelled_paid_order_refunds_what_it_owes(api):
    sku = api.product_with_stock(5)
    order = paid_order(api, [(sku, 2)])
    cancelled = api.post(f"/api/v1/orders/{order['id']}/cancel", {"reason": "缺货"})
    assert cancelled.status == 200 and cancelled.json["refund_due"] == 2000, cancelled
    r = api.post(f"/api/v1/orders/{order['id']}/refunds", {"amount": 2000, "reason": "取消退款"})
    assert r.status == 201, r
    assert api.post(f"/api/v1/refunds/{r.json['id']}/complete").status == 200
    after = api.get_order(order["id"])
    assert (after["refund_due"], after["refunded_amount"]) == (0, 2000)


def test_a_refund_names_its_return_of_the_same_order(api):
    sku = api.product_with_stock(5)
    order = shipped_order(api, [(sku, 2)])
    other = shipped_order(api, [(sku, 1)])
    ret = request_return(api, order["id"], [(sku, 1)]).json
    elsewhere = request_return(api, other["id"], [(sku, 1)]).json
    path = f"/api/v1/orders/{order['id']}/refunds"
    assert_problem(api.post(path, {"amount": 1000, "reason": "退货", "return_id": elsewhere["id"]}),
                   422, "return_id")
    assert_problem(api.post(path, {"amount": 1000, "reason": "退货", "return_id": 0}), 422,
                   "return_id")
    r = api.post(path, {"amount": 1000, "reason": "退货", "return_id": ret["id"]})
    assert r.status == 201 and r.json["return_id"] == ret["id"], r
    assert api.get(f"/api/v1/refunds/{r.json['id']}").json == r.json
    assert_problem(api.get("/api/v1/refunds/999999999"), 404)


def test_a_repeated_refund_with_its_key_is_recorded_once(api):
    sku = api.product_with_stock(5)
    order = paid_order(api, [(sku, 1)])
    path = f"/api/v1/orders/{order['id']}/refunds"
    key = {"Idempotency-Key": f"refund-{random.randrange(10**12)}"}
    first = api.post(path, {"amount": 600, "reason": "差价"}, headers=key)
    assert first.status == 201, first
    again = api.post(path, {"amount": 600, "reason": "差价"}, headers=key)
    assert again.status == 200 and again.json["id"] == first.json["id"]
    assert_problem(api.post(path, {"amount": 400, "reason": "差价"}, headers=key), 422,
                   "Idempotency-Key")
    assert len(api.get("/api/v1/refunds", params={"order_id": order["id"]}).json["items"]) == 1


# ---- feedback ----------------------------------------------------------------------------


def test_feedback_is_taken_once_after_shipping(api):
    sku = api.product_with_stock(5)
    order = paid_order(api, [(sku, 1)])
    path = f"/api/v1/orders/{order['id']}/feedback"
    assert_problem(api.post(path, {"intact": True, "rating": 5}), 409)
    assert_problem(api.get(path), 404)
    ship(api, order["id"])
    assert_problem(api.post(path, {"intact": True, "rating": 6}), 422, "rating")
    assert_problem(api.post(path, {"rating": 5}), 422, "intact")
    assert_problem(api.post(path, {"intact": "yes", "rating": 5}), 422, "intact")
    assert_problem(api.post(path, {"intact": True, "rating": 5, "comment": "好" * 1001}), 422,
                   "comment")
    r = api.post(path, {"intact": True, "rating": 4, "comment": "好" * 1000})
    assert r.status == 201, r
    assert (r.json["intact"], r.json["rating"], r.json["order_id"]) == (True, 4, order["id"])
    assert_problem(api.post(path, {"intact": False, "rating": 1}), 409)
    assert api.get(path).json == r.json
    assert_problem(api.post("/api/v1/orders/999999999/feedback", {"intact": True, "rating": 5}),
                   404)


def summary(api, by):
    r = api.get("/api/v1/feedback/summary", params={"by": by})
    assert r.status == 200 and r.json["by"] == by, r
    return {item[by]: item for item in r.json["items"]}


def test_feedback_aggregates_per_carrier_and_per_sku(api):
    sku = api.product_with_stock(10)
    before = summary(api, "carrier")
    rated = []
    for carrier, number, rating, intact in (("SF", sf_number(), 5, True),
                                            ("SF", sf_number(), 2, False),
                                            ("YTO", yt_number(), 4, True)):
        order = paid_order(api, [(sku, 1)])
        ship(api, order["id"], carrier, number)
        r = api.post(f"/api/v1/orders/{order['id']}/feedback",
                     {"intact": intact, "rating": rating})
        assert r.status == 201, r
        rated.append(order["id"])
    after = summary(api, "carrier")

    def totals(table, carrier):
        item = table.get(carrier, {"count": 0, "average_rating": 0, "intact_share": 0})
        n = item["count"]
        return n, item["average_rating"] * n, item["intact_share"] * n

    for carrier, count, rating_sum, intact in (("SF", 2, 7, 1), ("YTO", 1, 4, 1)):
        n0, r0, i0 = totals(before, carrier)
        n1, r1, i1 = totals(after, carrier)
        assert n1 - n0 == count
        assert abs((r1 - r0) - rating_sum) < 0.05 * (n1 + 1)
        assert abs((i1 - i0) - intact) < 0.005 * (n1 + 1)

    by_sku = summary(api, "sku")
    assert by_sku[sku] == {"sku": sku, "count": 3, "average_rating": 3.67, "intact_share": 0.667}
    assert_problem(api.get("/api/v1/feedback/summary", params={"by": "colour"}), 422, "by")


def test_an_order_sent_with_two_carriers_counts_for_both(api):
    sku = api.product_with_stock(10)
    order = paid_order(api, [(sku, 2)])
    ship(api, order["id"], "SF", sf_number(), lines=[(sku, 1)])
    ship(api, order["id"], "YTO", yt_number(), lines=[(sku, 1)])
    before = summary(api, "carrier")
    assert api.post(f"/api/v1/orders/{order['id']}/feedback",
                    {"intact": True, "rating": 5}).status == 201
    after = summary(api, "carrier")
    assert after["SF"]["count"] == before.get("SF", {"count": 0})["count"] + 1
    assert after["YTO"]["count"] == before.get("YTO", {"count": 0})["count"] + 1


# ---- complaints --------------------------------------------------------------------------


def test_a_complaint_opens_a_ticket_on_the_order(api):
    sku = api.product_with_stock(5)
    order = shipped_order(api, [(sku, 1)])
    text = "快递员未经同意把包裹放在门口\n包裹被雨淋湿了"
    r = api.post(f"/api/v1/orders/{order['id']}/complaints", {"text": text})
    assert r.status == 201, r
    assert r.json["kind"] == "complaint" and r.json["order_id"] == order["id"]
    assert r.json["subject"] == "快递员未经同意把包裹放在门口"
    assert [c["text"] for c in r.json["comments"]] == [text]
    tickets = api.get("/api/v1/tickets", params={"order_id": order["id"], "kind": "complaint"})
    assert [t["id"] for t in tickets.json["items"]] == [r.json["id"]]
    assert_problem(api.post(f"/api/v1/orders/{order['id']}/complaints", {"text": " "}), 422,
                   "text")
    assert_problem(api.post(f"/api/v1/orders/{order['id']}/complaints", {}), 422, "text")
    assert_problem(api.post("/api/v1/orders/999999999/complaints", {"text": "x"}), 404)


# ---- roles and isolation -----------------------------------------------------------------


def test_roles_and_merchants_are_kept_apart(server, api):
    sku = api.product_with_stock(5)
    order = shipped_order(api, [(sku, 2)])
    ret = approved_return(api, order["id"], [(sku, 1)])
    service = server.client(server.keys["alpha-service"])
    assert_problem(service.post(f"/api/v1/returns/{ret['id']}/receive", {"restock": True}), 403)
    assert_problem(server.viewer.post(f"/api/v1/orders/{order['id']}/refunds",
                                      {"amount": 1, "reason": "x"}), 403)
    assert server.viewer.get(f"/api/v1/returns/{ret['id']}").status == 200
    assert_problem(server.b.get(f"/api/v1/returns/{ret['id']}"), 404)
    assert_problem(server.b.post(f"/api/v1/returns/{ret['id']}/approve"), 404)
    assert ret["id"] not in [r["id"] for r in server.b.get("/api/v1/returns").json["items"]]
