"""The dashboard (RPT-1) over HTTP: the contract's shape, ranges refused naming the field, and the
numbers moving as orders are created, cancelled, paid and shipped through the API."""

import datetime
import itertools
import random

from conftest import assert_problem, merchant_today

DASHBOARD = "/api/v1/reports/dashboard"
STATUSES = ["pending_payment", "awaiting_shipment", "partially_shipped", "shipped", "delivered",
            "completed", "on_hold", "cancelled"]

_numbers = itertools.count(random.randrange(10**9, 10**10))


def dashboard(api, **params):
    r = api.get(DASHBOARD, params=params)
    assert r.status == 200, r
    return r.json


def day_of(board, date):
    rows = [d for d in board["orders_per_day"] if d["date"] == date.isoformat()]
    assert len(rows) == 1, board["orders_per_day"]
    return rows[0]


def sku_row(board, sku):
    rows = [s for s in board["top_skus"] if s["sku"] == sku]
    return rows[0] if rows else None


def test_the_default_range_is_the_last_thirty_days_with_every_field(api):
    board = dashboard(api)
    days = [d["date"] for d in board["orders_per_day"]]
    assert len(days) == 30
    assert days == sorted(days)
    assert board["to"] == days[-1] == merchant_today().isoformat()
    assert board["from"] == days[0] == (merchant_today() - datetime.timedelta(days=29)).isoformat()
    assert board["utc_offset_minutes"] == 480
    assert set(board["status_counts"]) == set(STATUSES)
    for field in ("orders_per_day", "status_counts", "on_time_ship_rate", "top_skus", "totals",
                  "average_hours_to_ship", "shipping", "carriers", "notifications",
                  "after_sales", "stock", "low_stock"):
        assert field in board, field
    for day in board["orders_per_day"]:
        assert set(day) >= {"date", "orders", "gmv"}


def test_a_range_of_one_day_and_of_a_leap_year(api):
    board = dashboard(api, **{"from": "2024-02-29", "to": "2024-02-29"})
    assert [d["date"] for d in board["orders_per_day"]] == ["2024-02-29"]
    assert board["orders_per_day"][0]["orders"] == 0
    assert board["on_time_ship_rate"] is None
    board = dashboard(api, **{"from": "2024-01-01", "to": "2024-12-31"})
    assert len(board["orders_per_day"]) == 366


def test_bad_ranges_are_refused_naming_the_field(api):
    cases = [
        ({"from": "2026-02-30", "to": "2026-03-01"}, "from"),
        ({"from": "2026-03-01", "to": "tomorrow"}, "to"),
        ({"from": "1 March", "to": "2026-03-01"}, "from"),
        ({"from": "2026-03-08", "to": "2026-03-01"}, "from"),
        ({"from": "2025-01-01", "to": "2026-01-02"}, "to"),
        ({"to": "2026-3-1"}, "to"),
    ]
    for params, field in cases:
        r = api.get(DASHBOARD, params=params)
        assert_problem(r, 422, field)


def test_every_role_may_read_it_and_no_key_may_not(server):
    assert server.viewer.get(DASHBOARD).status == 200
    assert server.anon.get(DASHBOARD).status == 401


def test_the_numbers_follow_orders_created_cancelled_and_shipped(api):
    sku = api.new_sku("DASH")
    api.create_product(sku, price=700)
    api.receive(sku, 100)
    for _ in range(2):
        date = merchant_today()
        before = dashboard(api)
        kept = api.order_ok(sku, 3, 700)
        r = api.post("/api/v1/orders", api.order_body([(sku, 2, 700), (sku, 1, 700)]))
        assert r.status == 201, r
        second = r.json
        cancelled = api.order_ok(sku, 5, 700)
        r = api.post(f"/api/v1/orders/{cancelled['id']}/cancel", {"reason": "test"})
        assert r.status == 200, r
        paid = api.pay(second["id"], second["total"])
        assert paid.status == 201, paid
        shipped = api.post(f"/api/v1/orders/{second['id']}/shipments",
                           {"carrier": "SF", "tracking_no": f"SF{next(_numbers):013d}"})
        assert shipped.status == 201, shipped
        after = dashboard(api)
        if merchant_today() == date:
            break  # else the local day turned during the test: once more

    was, now = day_of(before, date), day_of(after, date)
    assert now["orders"] - was["orders"] == 2
    assert now["gmv"] - was["gmv"] == kept["total"] + second["total"] == 6 * 700
    assert now["cancelled"] - was["cancelled"] == 1
    assert after["totals"]["orders"] - before["totals"]["orders"] == 2
    counts, counted = after["status_counts"], before["status_counts"]
    assert counts["pending_payment"] - counted["pending_payment"] == 1
    assert counts["shipped"] - counted["shipped"] == 1
    assert counts["cancelled"] - counted["cancelled"] == 1
    assert after["shipping"]["shipped"] - before["shipping"]["shipped"] == 1
    assert after["shipping"]["on_time"] - before["shipping"]["on_time"] == 1
    assert after["on_time_ship_rate"] is not None
    # The new SKU: 3 + 3 units on two orders; the cancelled order's 5 count nowhere.
    row = sku_row(after, sku)
    assert row == {"sku": sku, "units": 6, "revenue": 6 * 700, "orders": 2}, after["top_skus"]
    assert sku_row(before, sku) is None
    # Stock now: 3 units left with the shipped order, 3 are reserved for the one still unpaid.
    assert after["stock"]["on_hand"] - before["stock"]["on_hand"] == -3
    assert after["stock"]["reserved"] - before["stock"]["reserved"] == 3
