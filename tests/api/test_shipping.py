"""Verification, holds, release and shipments (SHP-1, SHP-3, ORD-4)."""

import time

import pytest

from conftest import assert_problem

SERVE_ARGS = ["--sweep-interval-ms", "200"]

GOOD_ADDRESS = {"province": "上海市", "city": "上海市", "district": "浦东新区",
                "detail": "世纪大道 1 号", "postcode": "200120"}


def paid_order(api, sku, quantity=2, **over):
    order = api.order_ok(sku, quantity, **over)
    r = api.pay(order["id"], order["total"])
    assert r.status == 201, r
    return r.json


def codes(order):
    return [reason["code"] for reason in order["hold_reasons"]]


def ship(api, order_id, carrier="SF", tracking_no="SF1234567890123", lines=None):
    body = {"carrier": carrier, "tracking_no": tracking_no}
    if lines is not None:
        body["lines"] = [{"sku": s, "quantity": q} for s, q in lines]
    return api.post(f"/api/v1/orders/{order_id}/shipments", body)


def test_a_bad_phone_is_accepted_and_held_once_paid(api):
    sku = api.product_with_stock(10)
    r = api.create_order(sku, 1, customer={"name": "王五", "phone": "12345"})
    assert r.status == 201, r
    assert r.json["status"] == "pending_payment"
    assert r.json["hold_reasons"] == []
    paid = api.pay(r.json["id"], r.json["total"]).json
    assert paid["status"] == "on_hold"
    assert codes(paid) == ["customer.phone_invalid"]
    assert paid["hold_reasons"][0]["field"] == "customer.phone"
    fetched = api.get_order(r.json["id"])
    assert fetched["status"] == "on_hold" and fetched["hold_reasons"]
    listed = api.orders(status="on_hold")
    assert r.json["id"] in [o["id"] for o in listed]
    by_reason = api.orders(hold_reason="customer.phone_invalid")
    assert r.json["id"] in [o["id"] for o in by_reason]


@pytest.mark.parametrize("address,code", [
    ({"province": "上海市", "city": "上海市", "district": "朝阳区", "detail": "x 路 1 号"},
     "address.district_not_in_city"),
    ({"province": "浙江省", "city": "杭州市", "district": "不存在区", "detail": "x 路 1 号"},
     "address.district_unknown"),
    ({"province": "浙江省", "city": "广州市", "district": "天河区", "detail": "x 路 1 号"},
     "address.city_not_in_province"),
    ({"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": " "},
     "address.detail_missing"),
    ({"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "x 路",
      "postcode": "9999"}, "address.postcode_invalid"),
    ({"province": "", "city": "杭州市", "district": "西湖区", "detail": "x 路"},
     "address.province_missing"),
])
def test_a_bad_address_holds_the_paid_order_with_its_code(api, address, code):
    sku = api.product_with_stock(5)
    paid = paid_order(api, sku, 1, shipping_address=address)
    assert paid["status"] == "on_hold", paid
    assert code in codes(paid), paid["hold_reasons"]


def test_short_forms_are_normalised_with_codes(api):
    sku = api.product_with_stock(5)
    order = api.order_ok(sku, 1, shipping_address={"province": "上海", "city": "上海",
                                                   "district": "浦东", "detail": "世纪大道 1 号"})
    addr = order["shipping_address"]
    assert (addr["province"], addr["city"], addr["district"]) == ("上海市", "上海市", "浦东新区")
    assert addr["district_code"] == "310115"
    paid = api.pay(order["id"], order["total"]).json
    assert paid["status"] == "awaiting_shipment", paid["hold_reasons"]


def test_held_order_is_refused_then_corrected_released_and_shipped(api):
    sku = api.product_with_stock(10)
    paid = paid_order(api, sku, 2, shipping_address={
        "province": "上海市", "city": "上海市", "district": "朝阳区", "detail": "世纪大道 1 号"})
    oid = paid["id"]
    assert paid["status"] == "on_hold"
    held_events = [e for e in api.events() if e["type"] == "order.held" and e.get("order_id") == oid]
    assert len(held_events) == 1
    assert "address.district_not_in_city" in held_events[0]["data"]["codes"]
    assert any(a["kind"] == "order_held" and a["order_id"] == oid for a in api.alerts())

    assert_problem(ship(api, oid), 422, "status")
    assert_problem(api.post(f"/api/v1/orders/{oid}/release"), 409, "address.district_not_in_city")

    order = api.get_order(oid)
    r = api.patch(f"/api/v1/orders/{oid}", {"shipping_address": GOOD_ADDRESS},
                  headers={"If-Match": str(order["version"])})
    assert r.status == 200, r
    r = api.post(f"/api/v1/orders/{oid}/release")
    assert r.status == 200, r
    assert r.json["status"] == "awaiting_shipment"
    assert r.json["hold_reasons"] == []
    assert not any(a["kind"] == "order_held" and a["order_id"] == oid for a in api.alerts())

    r = ship(api, oid)
    assert r.status == 201, r
    assert r.json["carrier"] == "SF" and r.json["tracking_no"] == "SF1234567890123"
    assert api.get_order(oid)["status"] == "shipped"


def test_an_unpaid_order_cannot_ship(api):
    sku = api.product_with_stock(5)
    order = api.order_ok(sku, 1)
    assert_problem(ship(api, order["id"]), 422, "status")
    assert api.get_order(order["id"])["status"] == "pending_payment"


def test_shipment_names_every_failed_check(api):
    sku = api.product_with_stock(5)
    unpaid = api.order_ok(sku, 1)
    r = api.post(f"/api/v1/orders/{unpaid['id']}/shipments",
                 {"carrier": "NOPE", "tracking_no": "x", "lines": [{"sku": sku, "quantity": 9}]})
    assert_problem(r, 422, "status", "carrier", "lines[0].quantity")
    paid = paid_order(api, sku, 1)
    r = ship(api, paid["id"], carrier="shunfeng", tracking_no="SF12")
    assert_problem(r, 422, "tracking_no")
    assert api.get_order(paid["id"])["status"] == "awaiting_shipment"


def test_partial_shipments_move_stock_and_the_ledger_adds_up(api):
    sku_a = api.product_with_stock(10)
    sku_b = api.product_with_stock(10)
    order = api.post("/api/v1/orders", api.order_body([(sku_a, 3), (sku_b, 2)])).json
    api.pay(order["id"], order["total"])
    r = ship(api, order["id"], "ZTO", "73100000000001", lines=[(sku_a, 2)])
    assert r.status == 201, r
    assert api.get_order(order["id"])["status"] == "partially_shipped"
    st, ledger = api.assert_ledger_consistent(sku_a)
    assert (st["on_hand"], st["reserved"]) == (8, 1)
    assert [m["kind"] for m in ledger].count("shipment") == 1

    assert_problem(ship(api, order["id"], "YTO", "YT1234567890123",
                        lines=[(sku_a, 2)]), 422, "lines[0].quantity")
    r = ship(api, order["id"], "YTO", "YT1234567890123")
    assert r.status == 201, r
    assert sorted((l["sku"], l["quantity"]) for l in r.json["lines"]) == sorted(
        [(sku_a, 1), (sku_b, 2)])
    final = api.get_order(order["id"])
    assert final["status"] == "shipped"
    for sku, on_hand in ((sku_a, 7), (sku_b, 8)):
        st, _ = api.assert_ledger_consistent(sku)
        assert (st["on_hand"], st["reserved"]) == (on_hand, 0)
    parcels = api.get(f"/api/v1/orders/{order['id']}/shipments").json["items"]
    assert len(parcels) == 2
    created = [e for e in api.events() if e["type"] == "shipment.created"
               and e.get("order_id") == order["id"]]
    assert [e["data"]["tracking_no"] for e in created] == ["73100000000001", "YT1234567890123"]


def test_the_same_tracking_number_twice_is_one_shipment(api):
    sku = api.product_with_stock(5)
    paid = paid_order(api, sku, 2)
    first = ship(api, paid["id"], "SF", "sf1234567890123", lines=[(sku, 1)])
    assert first.status == 201, first
    again = ship(api, paid["id"], "shunfeng", "SF1234567890123", lines=[(sku, 1)])
    assert again.status == 200, again
    assert again.json["id"] == first.json["id"]
    assert api.stock(sku)["on_hand"] == 4
    other = ship(api, paid["id"], "ZTO", "SF1234567890123")
    assert_problem(other, 409)


def test_release_overrides_a_named_check_with_a_reason(api):
    sku = api.product_with_stock(5)
    paid = paid_order(api, sku, 1, customer={"name": "王五", "phone": "999"})
    oid = paid["id"]
    assert codes(paid) == ["customer.phone_invalid"]
    assert_problem(api.post(f"/api/v1/orders/{oid}/release",
                            {"overrides": ["customer.phone_invalid"]}), 422, "reason")
    assert_problem(api.post(f"/api/v1/orders/{oid}/release",
                            {"overrides": ["no.such.check"], "reason": "x"}), 422, "overrides[0]")
    r = api.post(f"/api/v1/orders/{oid}/release",
                 {"overrides": ["customer.phone_invalid"], "reason": "客户电话已人工确认"})
    assert r.status == 200, r
    assert r.json["status"] == "awaiting_shipment"
    assert r.json["overrides"] == ["customer.phone_invalid"]
    assert any("客户电话已人工确认" in h["reason"] for h in r.json["history"])
    assert ship(api, oid).status == 201


def test_cancelling_a_held_order_closes_its_alert(api):
    sku = api.product_with_stock(5)
    paid = paid_order(api, sku, 1, customer={"name": "王五", "phone": "1"})
    assert any(a["kind"] == "order_held" and a["order_id"] == paid["id"] for a in api.alerts())
    assert api.post(f"/api/v1/orders/{paid['id']}/cancel", {}).status == 200
    assert not any(a["kind"] == "order_held" and a["order_id"] == paid["id"]
                   for a in api.alerts())
    assert api.stock(sku)["reserved"] == 0


def test_carriers_list_codes_and_names(api):
    r = api.get("/api/v1/carriers")
    assert r.status == 200
    by_code = {c["code"]: c for c in r.json["items"]}
    assert by_code["SF"]["kuaidi100"] == "shunfeng"
    kuaidi = {c["kuaidi100"] for c in r.json["items"]}
    for code in ("shunfeng", "zhongtong", "yuantong", "shentong", "yunda", "jd", "ems",
                 "jtexpress", "debangwuliu", "ups", "fedex", "dhl"):
        assert code in kuaidi, code


def test_a_viewer_cannot_ship(server, api):
    sku = api.product_with_stock(5)
    paid = paid_order(api, sku, 1)
    assert_problem(ship(server.viewer, paid["id"]), 403)


def test_reminders_list_orders_near_their_promise_and_raise_events(server):
    api = server.c
    r = api.patch("/api/v1/settings", {"ship_sla_hours": 1, "ship_due_soon_hours": 2,
                                       "ship_escalate_hours": 24,
                                       "ship_sla_hours_by_platform": {"jd": 1}})
    assert r.status == 200, r
    assert r.json["ship_sla_hours"] == 1 and r.json["ship_sla_hours_by_platform"] == {"jd": 1}
    assert_problem(api.patch("/api/v1/settings", {"ship_sla_hours": 0}), 422, "ship_sla_hours")
    sku = api.product_with_stock(5)
    order = paid_order(api, sku, 1)
    assert order["ship_due_at"] is not None
    items = api.list_all("/api/v1/shipping/reminders")
    mine = [i for i in items if i["order_id"] == order["id"]]
    assert mine and mine[0]["state"] == "due_soon" and mine[0]["order_no"] == order["order_no"]
    deadline = time.time() + 10
    while time.time() < deadline:
        raised = [e for e in api.events() if e["type"] == "shipment.due_soon"
                  and e.get("order_id") == order["id"]]
        if raised:
            break
        time.sleep(0.1)
    assert len(raised) == 1, "the scheduler did not raise shipment.due_soon"
    assert ship(api, order["id"]).status == 201
    assert order["id"] not in [i["order_id"] for i in api.list_all("/api/v1/shipping/reminders")]
