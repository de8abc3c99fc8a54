"""Unpaid orders are cancelled automatically after unpaid_timeout_seconds (ORD-6)."""

import time

import pytest

from provider_receivers import wait_for

SERVE_ARGS = ["--sweep-interval-ms", "200"]


@pytest.fixture(scope="module")
def short_timeout(server):
    api = server.a
    r = api.patch("/api/v1/settings", {"unpaid_timeout_seconds": 1})
    assert r.status == 200, r
    assert r.json["unpaid_timeout_seconds"] == 1
    return api


def wait_for_status(api, order_id, status, timeout):
    deadline = time.monotonic() + timeout
    order = api.get_order(order_id)
    while order["status"] != status and time.monotonic() < deadline:
        time.sleep(0.1)
        order = api.get_order(order_id)
    return order


def test_unpaid_order_is_cancelled_and_stock_released(short_timeout):
    api = short_timeout
    start_event = api.last_event_id()
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 3)
    assert api.stock(sku)["reserved"] == 3

    got = wait_for_status(api, order["id"], "cancelled", timeout=6)
    assert got["status"] == "cancelled", f"still {got['status']} after 6 s"
    assert got["history"][-1]["to"] == "cancelled"

    st, led = api.assert_ledger_consistent(sku)
    assert (st["on_hand"], st["reserved"], st["available"]) == (10, 0, 10)
    assert any(m["kind"] == "release" and m.get("order_id") == order["id"] for m in led), led

    # The sweep's change shows in the order before its event is on disk and in the feed.
    cancelled = wait_for(lambda: [e for e in api.events(start_event)
                                  if e["type"] == "order.cancelled"
                                  and e.get("order_id") == order["id"]],
                         timeout=5, what="the sweep's order.cancelled in the event feed")
    assert len(cancelled) == 1, cancelled
    assert (cancelled[0].get("data") or {}).get("automatic") is True, cancelled[0]


def test_paid_order_is_not_cancelled(short_timeout):
    api = short_timeout
    sku = api.product_with_stock(10)
    paid = api.order_ok(sku, 2, 1000)
    r = api.pay(paid["id"], 2000)
    assert r.status == 201, r
    assert r.json["status"] == "awaiting_shipment"
    unpaid = api.order_ok(sku, 1, 1000)

    # Once the unpaid one (created later) is gone, the sweeper has looked at the paid one too.
    got = wait_for_status(api, unpaid["id"], "cancelled", timeout=6)
    assert got["status"] == "cancelled"
    time.sleep(0.5)
    assert api.get_order(paid["id"])["status"] == "awaiting_shipment"
    st, _ = api.assert_ledger_consistent(sku)
    assert st["reserved"] == 2

