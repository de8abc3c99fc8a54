"""Low-stock alerts open once below the threshold and close when stock is back (INV-6)."""

from conftest import assert_problem


def alerts_for(api, sku):
    return [a for a in api.alerts() if a.get("sku") == sku]


def events_for(api, after, type_, sku):
    return [e for e in api.events(after) if e["type"] == type_ and e.get("sku") == sku]


def test_alert_opens_once_closes_and_reopens(api):
    start = api.last_event_id()
    sku = api.create_product(low_stock_threshold=5)
    api.receive(sku, 10)
    assert alerts_for(api, sku) == []

    api.order_ok(sku, 6)
    assert api.stock(sku)["available"] == 4
    open1 = alerts_for(api, sku)
    assert len(open1) == 1, open1
    a = open1[0]
    assert a["kind"] == "low_stock" and a["available"] == 4 and a["threshold"] == 5, a
    assert a.get("id") is not None and a.get("opened_at")

    api.order_ok(sku, 1)
    still = alerts_for(api, sku)
    assert len(still) == 1, still
    assert still[0]["id"] == a["id"]
    assert len(events_for(api, start, "stock.low", sku)) == 1

    api.receive(sku, 20)  # available 23
    assert alerts_for(api, sku) == []
    assert len(events_for(api, start, "stock.replenished", sku)) == 1

    api.order_ok(sku, 20)  # available 3
    reopened = alerts_for(api, sku)
    assert len(reopened) == 1, reopened
    assert reopened[0]["id"] != a["id"]
    assert reopened[0]["available"] == 3
    assert len(events_for(api, start, "stock.low", sku)) == 2


def test_no_alert_at_exactly_the_threshold(api):
    sku = api.create_product(low_stock_threshold=5)
    api.receive(sku, 10)
    api.order_ok(sku, 5)  # available 5: not below
    assert alerts_for(api, sku) == []
    api.order_ok(sku, 1)  # available 4
    assert len(alerts_for(api, sku)) == 1


def test_cancel_that_restores_stock_closes_the_alert(api):
    sku = api.create_product(low_stock_threshold=5)
    api.receive(sku, 10)
    order = api.order_ok(sku, 8)
    assert len(alerts_for(api, sku)) == 1
    r = api.post(f"/api/v1/orders/{order['id']}/cancel", {})
    assert r.status == 200, r
    assert alerts_for(api, sku) == []


def test_adjustment_below_threshold_opens_alert(api):
    start = api.last_event_id()
    sku = api.create_product(low_stock_threshold=5)
    api.receive(sku, 10)
    r = api.post("/api/v1/inventory/adjustments",
                 {"sku": sku, "counted_quantity": 2, "reason": "stocktake"})
    assert r.status == 201, r
    got = alerts_for(api, sku)
    assert len(got) == 1 and got[0]["available"] == 2, got
    assert len(events_for(api, start, "stock.low", sku)) == 1


def test_threshold_zero_never_alerts(api):
    sku = api.product_with_stock(3, low_stock_threshold=0)
    api.order_ok(sku, 3)
    assert alerts_for(api, sku) == []


def test_failed_order_does_not_open_alert(api):
    sku = api.create_product(low_stock_threshold=5)
    api.receive(sku, 10)
    r = api.create_order(sku, 11)
    assert_problem(r, 409)
    assert alerts_for(api, sku) == []
