"""Idempotent order creation: Idempotency-Key, and (platform, external_no) without one."""

import uuid
from concurrent.futures import ThreadPoolExecutor

from conftest import assert_problem


def reservations_for(api, sku):
    return [m for m in api.ledger(sku) if m["kind"] == "reservation"]


def test_same_key_twice_answers_the_same_order_once(api):
    sku = api.product_with_stock(10)
    key = str(uuid.uuid4())
    body = api.order_body([(sku, 3, 1500)])

    first = api.post("/api/v1/orders", body, headers={"Idempotency-Key": key})
    assert first.status == 201, first
    second = api.post("/api/v1/orders", body, headers={"Idempotency-Key": key})
    assert second.status == 200, second
    assert second.json["id"] == first.json["id"]
    assert second.json["order_no"] == first.json["order_no"]

    st, _ = api.assert_ledger_consistent(sku)
    assert st["reserved"] == 3 and st["available"] == 7
    res = reservations_for(api, sku)
    assert len(res) == 1 and res[0]["order_id"] == first.json["id"], res
    assert [o["id"] for o in api.orders(sku=sku)] == [first.json["id"]]


def test_same_key_different_body_is_refused_and_changes_nothing(api):
    sku = api.product_with_stock(10)
    key = str(uuid.uuid4())
    first = api.post("/api/v1/orders", api.order_body([(sku, 2)]),
                     headers={"Idempotency-Key": key})
    assert first.status == 201, first
    before = api.stock(sku)

    r = api.post("/api/v1/orders", api.order_body([(sku, 4)]), headers={"Idempotency-Key": key})
    assert_problem(r, 422)

    assert api.stock(sku) == before
    assert len(reservations_for(api, sku)) == 1
    assert [o["id"] for o in api.orders(sku=sku)] == [first.json["id"]]
    assert api.get_order(first.json["id"])["lines"][0]["quantity"] == 2


def test_platform_external_no_without_key_is_idempotent(api):
    sku = api.product_with_stock(10)
    ext = f"T{uuid.uuid4().hex[:10]}"
    body = api.order_body([(sku, 2)], platform="taobao", external_no=ext)

    first = api.post("/api/v1/orders", body)
    assert first.status == 201, first
    assert first.json["platform"] == "taobao" and first.json["external_no"] == ext
    second = api.post("/api/v1/orders", body)
    assert second.status == 200, second
    assert second.json["id"] == first.json["id"]

    st, _ = api.assert_ledger_consistent(sku)
    assert st["reserved"] == 2
    assert len(reservations_for(api, sku)) == 1
    found = api.orders(platform="taobao", external_no=ext)
    assert [o["id"] for o in found] == [first.json["id"]]


def test_platform_external_no_with_different_body_is_refused(api):
    sku = api.product_with_stock(10)
    ext = f"T{uuid.uuid4().hex[:10]}"
    first = api.post("/api/v1/orders", api.order_body([(sku, 2)], platform="jd", external_no=ext))
    assert first.status == 201, first
    r = api.post("/api/v1/orders", api.order_body([(sku, 5)], platform="jd", external_no=ext))
    assert_problem(r, 422)
    st = api.stock(sku)
    assert st["reserved"] == 2
    assert len(reservations_for(api, sku)) == 1


def test_platform_without_external_no_does_not_merge_orders(api):
    """(platform, "") is no identifier: two different orders from one platform stay two."""
    sku = api.product_with_stock(10)
    r1 = api.post("/api/v1/orders", api.order_body([(sku, 1)], platform="douyin"))
    if r1.status == 422:  # a server may insist on external_no alongside platform
        assert_problem(r1, 422, "external_no")
        return
    assert r1.status == 201, r1
    r2 = api.post("/api/v1/orders", api.order_body([(sku, 2)], platform="douyin"))
    assert r2.status == 201, r2
    assert r2.json["id"] != r1.json["id"]
    assert api.stock(sku)["reserved"] == 3


def test_same_external_no_on_another_platform_is_another_order(api):
    sku = api.product_with_stock(10)
    ext = f"T{uuid.uuid4().hex[:10]}"
    a = api.post("/api/v1/orders", api.order_body([(sku, 1)], platform="taobao", external_no=ext))
    b = api.post("/api/v1/orders", api.order_body([(sku, 1)], platform="jd", external_no=ext))
    assert a.status == 201 and b.status == 201, (a, b)
    assert a.json["id"] != b.json["id"]
    assert api.stock(sku)["reserved"] == 2


def test_concurrent_repeats_of_one_key_create_one_order(api):
    sku = api.product_with_stock(10)
    key = str(uuid.uuid4())
    body = api.order_body([(sku, 2)])

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(
            lambda _: api.post("/api/v1/orders", body, headers={"Idempotency-Key": key}),
            range(10)))

    statuses = sorted(r.status for r in results)
    assert statuses == [200] * 9 + [201], statuses
    assert len({r.json["id"] for r in results}) == 1
    st, _ = api.assert_ledger_consistent(sku)
    assert st["reserved"] == 2
    assert len(reservations_for(api, sku)) == 1
    assert len(api.orders(sku=sku)) == 1


def test_concurrent_repeats_of_one_external_no_create_one_order(api):
    sku = api.product_with_stock(10)
    body = api.order_body([(sku, 1)], platform="pdd", external_no=f"P{uuid.uuid4().hex[:10]}")

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: api.post("/api/v1/orders", body), range(10)))

    statuses = sorted(r.status for r in results)
    assert statuses == [200] * 9 + [201], statuses
    assert len({r.json["id"] for r in results}) == 1
    assert api.stock(sku)["reserved"] == 1
    assert len(reservations_for(api, sku)) == 1


def test_idempotency_keys_are_per_merchant(server):
    """B reusing A's key string gets its own order, not A's."""
    a, b = server.a, server.b
    key = str(uuid.uuid4())
    sa = a.product_with_stock(5)
    sb = b.product_with_stock(5)
    ra = a.post("/api/v1/orders", a.order_body([(sa, 1)]), headers={"Idempotency-Key": key})
    rb = b.post("/api/v1/orders", b.order_body([(sb, 1)]), headers={"Idempotency-Key": key})
    assert ra.status == 201 and rb.status == 201, (ra, rb)
    assert rb.json["lines"][0]["sku"] == sb
    assert b.stock(sb)["reserved"] == 1
