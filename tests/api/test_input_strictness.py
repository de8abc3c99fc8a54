"""Inputs the API document calls invalid are refused, not guessed at (hardening findings)."""

from conftest import assert_problem, http_request


def test_a_repeated_json_key_is_refused(api):
    sku = api.product_with_stock(5)
    before = api.stock(sku)
    body = ('{"sku": "%s", "quantity": 1, "quantity": 1000}' % sku).encode()
    r = api.post_raw("/api/v1/inventory/receipts", body)
    problem = assert_problem(r, 400)
    assert "quantity" in problem["detail"]
    nested = ('{"lines": [{"sku": "%s", "sku": "X", "quantity": 1, "unit_price": 1}], '
              '"customer": {"name": "a"}, "shipping_address": {}}' % sku).encode()
    problem = assert_problem(api.post_raw("/api/v1/orders", nested), 400)
    assert "lines[0].sku" in problem["detail"]
    assert api.stock(sku) == before
    # The same key in different objects is no repetition.
    fine = api.post_raw("/api/v1/orders", (
        '{"lines": [{"sku": "%s", "quantity": 1, "unit_price": 1}, '
        '{"sku": "%s", "quantity": 1, "unit_price": 1}], "customer": {"name": "a"}, '
        '"shipping_address": {"detail": "x"}}' % (sku, sku)).encode())
    assert fine.status == 201, fine


def test_a_body_without_content_type_is_415(api):
    sku = api.product_with_stock(5)
    r = api.post_raw("/api/v1/inventory/receipts", '{"sku": "%s", "quantity": 1}' % sku,
                     content_type=None)
    assert_problem(r, 415)
    assert api.stock(sku)["on_hand"] == 5
    order = api.order_ok(sku, 1)
    # An empty body needs no Content-Type.
    r = api.post_raw(f"/api/v1/orders/{order['id']}/cancel", b"", content_type=None)
    assert r.status == 200, r


def test_an_empty_location_is_not_the_default_location(api):
    sku = api.product_with_stock(5)
    r = api.post("/api/v1/inventory/receipts", {"sku": sku, "quantity": 1, "location": ""})
    assert_problem(r, 422, "location")
    r = api.post("/api/v1/inventory/adjustments",
                 {"sku": sku, "delta": 1, "reason": "x", "location": ""})
    assert_problem(r, 422, "location")
    assert api.stock(sku)["on_hand"] == 5


def test_settings_cannot_be_set_to_null(server):
    api = server.c
    before = api.get("/api/v1/settings").json
    r = api.patch("/api/v1/settings", {"edit_window_seconds": None, "currency": None})
    assert_problem(r, 422, "edit_window_seconds", "currency")
    assert api.get("/api/v1/settings").json == before


def test_if_match_star_matches_the_current_version(api):
    sku = api.product_with_stock(5)
    order = api.order_ok(sku, 1)
    r = api.patch(f"/api/v1/orders/{order['id']}", {"notes": "星号"}, headers={"If-Match": "*"})
    assert r.status == 200, r
    assert r.json["version"] == order["version"] + 1
    r = api.patch(f"/api/v1/products/{sku}", {"name": "renamed"}, headers={"If-Match": "*"})
    assert r.status == 200, r
    for bogus in ("0", "-1", "W/\"0\""):
        assert_problem(api.patch(f"/api/v1/orders/{order['id']}", {"notes": "x"},
                                 headers={"If-Match": bogus}), 412)


def test_media_names_that_are_not_files_are_404(server):
    for path in ("/media/.", "/media/%2e", "/media/.hidden"):
        r = http_request("127.0.0.1", server.port, "GET", path)
        assert r.status == 404, (path, r)
