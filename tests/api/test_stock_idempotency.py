"""Stock receipts, adjustments and transfers take an Idempotency-Key: a retried request changes
stock once, and a different request under the same key is refused."""

import uuid

from conftest import assert_problem


def test_a_retried_receipt_counts_once(api):
    sku = api.create_product()
    key = {"Idempotency-Key": f"rcv-{uuid.uuid4()}"}
    first = api.post("/api/v1/inventory/receipts", {"sku": sku, "quantity": 7}, headers=key)
    again = api.post("/api/v1/inventory/receipts", {"sku": sku, "quantity": 7}, headers=key)
    assert (first.status, again.status) == (201, 200)
    assert api.stock(sku)["on_hand"] == 7
    assert len([m for m in api.ledger(sku) if m["kind"] == "inbound"]) == 1
    assert_problem(api.post("/api/v1/inventory/receipts", {"sku": sku, "quantity": 8},
                            headers=key), 422, "Idempotency-Key")
    assert api.stock(sku)["on_hand"] == 7


def test_retried_adjustments_and_transfers_count_once(api):
    sku = api.product_with_stock(10)
    key = {"Idempotency-Key": f"adj-{uuid.uuid4()}"}
    body = {"sku": sku, "delta": -3, "reason": "damaged"}
    assert api.post("/api/v1/inventory/adjustments", body, headers=key).status == 201
    assert api.post("/api/v1/inventory/adjustments", body, headers=key).status == 200
    assert api.stock(sku)["on_hand"] == 7

    code = "t" + uuid.uuid4().hex[:8]
    assert api.post("/api/v1/warehouses/main/locations", {"code": code}).status == 201
    key = {"Idempotency-Key": f"tr-{uuid.uuid4()}"}
    move = {"sku": sku, "from": "main/default", "to": code, "quantity": 2}
    assert api.post("/api/v1/inventory/transfers", move, headers=key).status == 201
    assert api.post("/api/v1/inventory/transfers", move, headers=key).status == 200
    on_hand = {l["location"]: l["on_hand"] for l in api.stock(sku)["locations"]}
    assert on_hand == {"main/default": 5, f"main/{code}": 2}
    api.assert_ledger_consistent(sku)


def test_a_key_that_failed_can_be_used_again(api):
    sku = api.create_product()
    key = {"Idempotency-Key": f"fail-{uuid.uuid4()}"}
    body = {"sku": sku, "delta": -1, "reason": "lost"}
    assert_problem(api.post("/api/v1/inventory/adjustments", body, headers=key), 409)
    api.receive(sku, 5)
    assert api.post("/api/v1/inventory/adjustments", body, headers=key).status == 201
    assert api.stock(sku)["on_hand"] == 4
