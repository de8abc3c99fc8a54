"""Refused requests answer problem+json naming the fields at fault, and change nothing."""

import copy
import json
import urllib.parse

import pytest

from conftest import assert_problem


@pytest.fixture(scope="module")
def stocked(server):
    api = server.a
    sku = api.product_with_stock(10)
    api.order_ok(sku, 1)  # so the order list is not empty
    return sku


def snapshot(api, sku):
    return {
        "orders": sorted(o["id"] for o in api.orders()),
        "stock": api.stock(sku),
        "ledger": len(api.ledger(sku)),
        "products": len(api.list_all("/api/v1/products")),
        "last_event": api.last_event_id(),
    }


def good_body(sku):
    return {
        "lines": [{"sku": sku, "quantity": 2, "unit_price": 1000}],
        "customer": {"name": "王五", "phone": "13900139000"},
        "shipping_address": {"province": "广东省", "city": "深圳市", "district": "南山区",
                             "detail": "科技园 1 号"},
    }


def mutate(body, path, value=None, delete=False):
    body = copy.deepcopy(body)
    node = body
    for k in path[:-1]:
        node = node[k]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return body


def test_good_body_is_accepted(server, stocked):
    """The baseline the refusal cases below deviate from is itself valid."""
    r = server.a.post("/api/v1/orders", good_body(stocked))
    assert r.status == 201, r
    assert server.a.post(f"/api/v1/orders/{r.json['id']}/cancel", {}).status == 200


@pytest.mark.parametrize("raw", [
    b'{"lines": [',
    b'{"lines": [}',
    b"not json at all",
    b'{"a": 1,}',
])
def test_malformed_json_is_400(server, stocked, raw):
    api = server.a
    before = snapshot(api, stocked)
    assert_problem(api.post_raw("/api/v1/orders", raw), 400)
    assert snapshot(api, stocked) == before


@pytest.mark.parametrize("raw", [b"[]", b'[{"sku": "x"}]', b'"order"', b"42", b"null", b"true"])
def test_body_not_an_object_is_400(server, stocked, raw):
    api = server.a
    before = snapshot(api, stocked)
    assert_problem(api.post_raw("/api/v1/orders", raw), 400)
    assert snapshot(api, stocked) == before


CASES = [
    # (id, mutation(body, sku) -> body, fields that must be named)
    ("quantity-string", lambda b, s: mutate(b, ["lines", 0, "quantity"], "2"),
     ["lines[0].quantity"]),
    ("quantity-fraction", lambda b, s: mutate(b, ["lines", 0, "quantity"], 1.5),
     ["lines[0].quantity"]),
    ("quantity-zero", lambda b, s: mutate(b, ["lines", 0, "quantity"], 0), ["lines[0].quantity"]),
    ("quantity-negative", lambda b, s: mutate(b, ["lines", 0, "quantity"], -1),
     ["lines[0].quantity"]),
    ("unit-price-string", lambda b, s: mutate(b, ["lines", 0, "unit_price"], "x"),
     ["lines[0].unit_price"]),
    ("unit-price-negative", lambda b, s: mutate(b, ["lines", 0, "unit_price"], -100),
     ["lines[0].unit_price"]),
    ("unknown-sku", lambda b, s: mutate(b, ["lines", 0, "sku"], "NO-SUCH-SKU-" + s),
     ["lines[0].sku"]),
    ("unknown-sku-second-line",
     lambda b, s: mutate(b, ["lines"], [b["lines"][0],
                                         {"sku": "NOPE-" + s, "quantity": 1, "unit_price": 1}]),
     ["lines[1].sku"]),
    ("phone-not-a-string", lambda b, s: mutate(b, ["customer", "phone"], 13900139000),
     ["customer.phone"]),
    ("city-not-a-string", lambda b, s: mutate(b, ["shipping_address", "city"], ["深圳市"]),
     ["shipping_address.city"]),
    ("detail-too-long", lambda b, s: mutate(b, ["shipping_address", "detail"], "路" * 201),
     ["shipping_address.detail"]),
    ("missing-address", lambda b, s: mutate(b, ["shipping_address"], delete=True),
     ["shipping_address"]),
    ("missing-lines", lambda b, s: mutate(b, ["lines"], delete=True), ["lines"]),
    ("lines-not-a-list", lambda b, s: mutate(b, ["lines"], "abc"), ["lines"]),
    ("empty-lines", lambda b, s: mutate(b, ["lines"], []), ["lines"]),
    ("unknown-top-level-field", lambda b, s: mutate(b, ["colour"], "red"), ["colour"]),
    ("two-bad-fields",
     lambda b, s: mutate(mutate(b, ["lines", 0, "quantity"], 0), ["customer", "phone"],
                         {"number": "139"}),
     ["lines[0].quantity", "customer.phone"]),
]


@pytest.mark.parametrize("mutation,fields", [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_order_fields_are_422_naming_the_field(server, stocked, mutation, fields):
    api = server.a
    before = snapshot(api, stocked)
    r = api.post("/api/v1/orders", mutation(good_body(stocked), stocked))
    assert_problem(r, 422, *fields)
    assert snapshot(api, stocked) == before


def test_body_over_1_mib_is_413(server, stocked):
    api = server.a
    before = snapshot(api, stocked)
    body = good_body(stocked)
    body["notes"] = "x" * (1024 * 1024 + 16)  # a valid order apart from its size
    raw = json.dumps(body).encode()
    assert len(raw) > 1024 * 1024
    assert_problem(api.post_raw("/api/v1/orders", raw), 413)
    assert snapshot(api, stocked) == before


def test_out_of_stock_is_409_naming_the_line(server, stocked):
    api = server.a
    before = snapshot(api, stocked)
    avail = before["stock"]["available"]
    r = api.post("/api/v1/orders", mutate(good_body(stocked), ["lines", 0, "quantity"], avail + 1))
    assert_problem(r, 409)
    assert stocked in json.dumps(r.json, ensure_ascii=False), "409 should name the short line"
    assert snapshot(api, stocked) == before


def test_multi_line_order_short_on_one_line_reserves_nothing(server, stocked):
    api = server.a
    other = api.product_with_stock(1)
    before = snapshot(api, stocked)
    body = good_body(stocked)
    body["lines"].append({"sku": other, "quantity": 2, "unit_price": 10})
    assert_problem(api.post("/api/v1/orders", body), 409)
    assert snapshot(api, stocked) == before
    assert api.stock(other)["reserved"] == 0


@pytest.mark.parametrize("limit", ["100000", "0", "-1", "201", "abc"])
def test_list_limit_out_of_range_is_422(server, stocked, limit):
    r = server.a.get("/api/v1/orders", params={"limit": limit})
    assert_problem(r, 422, "limit")


def test_list_limit_bounds_are_accepted(server, stocked):
    for limit in ("1", "200"):
        r = server.a.get("/api/v1/orders", params={"limit": limit})
        assert r.status == 200, r
        assert len(r.json["items"]) <= int(limit)


def test_bad_status_filter_is_422(server, stocked):
    assert_problem(server.a.get("/api/v1/orders", params={"status": "teleported"}), 422, "status")


@pytest.mark.parametrize("body,field", [
    ({"name": "n", "price": "x"}, "price"),
    ({"name": "n", "price": -1}, "price"),
    ({"price": 100}, "name"),
    ({"name": "n", "price": 100, "colour": "red"}, "colour"),
    ({"name": "n", "price": 100, "low_stock_threshold": "5"}, "low_stock_threshold"),
])
def test_bad_product_fields_are_422(server, stocked, body, field):
    api = server.a
    sku = api.new_sku()
    before = snapshot(api, stocked)
    r = api.post("/api/v1/products", dict(body, sku=sku))
    assert_problem(r, 422, field)
    assert snapshot(api, stocked) == before
    assert_problem(api.get(f"/api/v1/products/{sku}"), 404)


@pytest.mark.parametrize("sku", ["has space", "slash/inside", "x" * 65, ""])
def test_bad_sku_is_422(server, stocked, sku):
    api = server.a
    before = snapshot(api, stocked)
    r = api.post("/api/v1/products", {"sku": sku, "name": "n", "price": 1})
    assert_problem(r, 422, "sku")
    assert snapshot(api, stocked) == before


def test_duplicate_sku_is_409(server, stocked):
    api = server.a
    before = snapshot(api, stocked)
    r = api.post("/api/v1/products", {"sku": stocked, "name": "again", "price": 1})
    assert_problem(r, 409)
    assert snapshot(api, stocked) == before
    assert api.get(f"/api/v1/products/{urllib.parse.quote(stocked)}").json["name"] != "again"


@pytest.mark.parametrize("body,field", [
    ({"quantity": 0}, "quantity"),
    ({"quantity": -3}, "quantity"),
    ({"quantity": "5"}, "quantity"),
])
def test_bad_receipt_is_422(server, stocked, body, field):
    api = server.a
    before = snapshot(api, stocked)
    r = api.post("/api/v1/inventory/receipts", dict(body, sku=stocked))
    assert_problem(r, 422, field)
    assert snapshot(api, stocked) == before


def test_receipt_for_unknown_sku_is_refused(server, stocked):
    api = server.a
    before = snapshot(api, stocked)
    r = api.post("/api/v1/inventory/receipts", {"sku": "NOPE-" + stocked, "quantity": 1})
    assert r.status in (404, 422), r
    assert snapshot(api, stocked) == before


@pytest.mark.parametrize("body", [
    {"counted_quantity": -1, "reason": "x"},
    {"delta": 0, "reason": "x"},
    {"reason": "neither"},
    {"delta": -1},  # no reason
])
def test_bad_adjustment_is_422(server, stocked, body):
    api = server.a
    before = snapshot(api, stocked)
    r = api.post("/api/v1/inventory/adjustments", dict(body, sku=stocked))
    assert_problem(r, 422)
    assert snapshot(api, stocked) == before


@pytest.mark.parametrize("body,field", [
    ({"edit_window_seconds": -5}, "edit_window_seconds"),
    ({"unpaid_timeout_seconds": "soon"}, "unpaid_timeout_seconds"),
    ({"edit_windw_seconds": 5}, "edit_windw_seconds"),
])
def test_bad_settings_are_422(server, stocked, body, field):
    api = server.a
    before = api.get("/api/v1/settings").json
    assert_problem(api.patch("/api/v1/settings", body), 422, field)
    assert api.get("/api/v1/settings").json == before
