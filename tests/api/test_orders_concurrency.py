"""Concurrent order creation never oversells (ORD-1, INV-3)."""

from concurrent.futures import ThreadPoolExecutor

from conftest import assert_problem


def test_200_concurrent_orders_for_50_units_sell_exactly_50(api):
    sku = api.product_with_stock(50)

    def attempt(i):
        # Client.request opens its own connection for every call.
        return api.create_order(sku, 1, 1000, notes=f"race {i}")

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(attempt, range(200)))

    statuses = [r.status for r in results]
    created = [r for r in results if r.status == 201]
    refused = [r for r in results if r.status == 409]
    others = [r for r in results if r.status not in (201, 409)]
    assert not others, f"unexpected answers: {others[:5]}"
    assert len(created) == 50, f"201 x {len(created)}, 409 x {len(refused)}: {statuses}"
    assert len(refused) == 150
    for r in refused:
        assert_problem(r, 409)

    ids = {r.json["id"] for r in created}
    assert len(ids) == 50, "two 201 answers carry the same order id"
    assert len({r.json["order_no"] for r in created}) == 50, "order_no repeated"
    for r in created:
        assert r.json["status"] == "pending_payment"
        assert r.json["lines"][0]["sku"] == sku and r.json["lines"][0]["quantity"] == 1

    st, led = api.assert_ledger_consistent(sku)
    assert st["on_hand"] == 50
    assert st["reserved"] == 50
    assert st["available"] == 0

    reservations = [m for m in led if m["kind"] == "reservation"]
    assert len(reservations) == 50, f"{len(reservations)} reservation movements for 50 orders"
    assert {m["order_id"] for m in reservations} == ids

    # Exactly the 50 created orders exist for this SKU.
    listed = {o["id"] for o in api.orders(sku=sku)}
    assert listed == ids


def test_concurrent_multi_line_orders_reserve_all_lines_or_none(api):
    """Two SKUs with 10 each; 40 racers want 1 of each: 10 succeed, both SKUs end at 0."""
    s1 = api.product_with_stock(10)
    s2 = api.product_with_stock(10)
    body = api.order_body([(s1, 1), (s2, 1)])

    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(lambda _: api.post("/api/v1/orders", body), range(40)))

    assert sorted({r.status for r in results}) == [201, 409], [r.status for r in results]
    assert sum(r.status == 201 for r in results) == 10
    for sku in (s1, s2):
        st, _ = api.assert_ledger_consistent(sku)
        assert (st["on_hand"], st["reserved"], st["available"]) == (10, 10, 0)
