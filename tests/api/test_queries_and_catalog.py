"""Order queries (ORD-3), roles (SEC-2), product edits, warehouses, locations and transfers."""

import time

from conftest import assert_problem


def test_order_filters_and_sorting(api):
    sku_a = api.product_with_stock(100)
    sku_b = api.product_with_stock(100)
    phone = "139" + str(time.time_ns())[-8:]
    first = api.order_ok(sku_a, 1)
    time.sleep(0.005)  # distinct creation times, so the date window below has two sides
    second = api.create_order(sku_b, 2, customer={"name": "王五", "phone": phone}).json
    time.sleep(0.005)
    third = api.order_ok(sku_a, 3, platform="pdd", external_no=f"P{time.time_ns()}")

    by_sku = [o["id"] for o in api.list_all("/api/v1/orders", {"sku": sku_a})]
    assert by_sku == [third["id"], first["id"]], "newest first by default"
    oldest_first = [o["id"] for o in api.list_all("/api/v1/orders",
                                                  {"sku": sku_a, "sort": "created_at"})]
    assert oldest_first == [first["id"], third["id"]]
    assert [o["id"] for o in api.list_all("/api/v1/orders", {"phone": phone})] == [second["id"]]
    assert [o["id"] for o in api.list_all("/api/v1/orders",
                                          {"order_no": first["order_no"]})] == [first["id"]]
    assert [o["id"] for o in api.list_all("/api/v1/orders",
                                          {"platform": "pdd",
                                           "external_no": third["external_no"]})] == [third["id"]]
    window = {"sku": sku_a, "created_from": first["created_at"],
              "created_to": third["created_at"]}
    assert [o["id"] for o in api.list_all("/api/v1/orders", window)] == [first["id"]], \
        "created_from is inclusive, created_to exclusive"
    assert_problem(api.get("/api/v1/orders", params={"status": "lost"}), 422, "status")
    assert_problem(api.get("/api/v1/orders", params={"created_from": "soon"}), 422, "created_from")
    assert_problem(api.get("/api/v1/orders", params={"sort": "price"}), 422, "sort")


def test_roles_limit_what_a_key_may_do(server):
    owner = server.a
    viewer = server.viewer
    sku = owner.product_with_stock(10)
    order = owner.order_ok(sku, 1)
    assert viewer.get(f"/api/v1/orders/{order['id']}").status == 200
    assert_problem(viewer.post("/api/v1/orders", owner.order_body([(sku, 1, 100)])), 403)
    assert_problem(viewer.post(f"/api/v1/orders/{order['id']}/cancel", {}), 403)
    assert_problem(viewer.post("/api/v1/inventory/receipts", {"sku": sku, "quantity": 1}), 403)
    assert owner.stock(sku)["reserved"] == 1, "refused requests changed nothing"


def test_product_edit_needs_the_current_version_and_rechecks_alerts(api):
    sku = api.product_with_stock(10)
    product = api.get(f"/api/v1/products/{sku}")
    assert product.headers["etag"] == '"1"'
    assert_problem(api.patch(f"/api/v1/products/{sku}", {"name": "x"}), 428)
    assert_problem(api.patch(f"/api/v1/products/{sku}", {"name": "x"},
                             headers={"If-Match": '"7"'}), 412)
    edited = api.patch(f"/api/v1/products/{sku}", {"low_stock_threshold": 20, "price": 2500},
                       headers={"If-Match": '"1"'})
    assert edited.status == 200, edited
    assert edited.json["version"] == 2 and edited.json["price"] == 2500
    alerts = [a for a in api.alerts() if a["sku"] == sku]
    assert len(alerts) == 1 and alerts[0]["threshold"] == 20, "a raised threshold opens an alert"
    assert_problem(api.patch(f"/api/v1/products/{sku}", {"price": -1},
                             headers={"If-Match": '"2"'}), 422, "price")
    assert api.get(f"/api/v1/products/{sku}").json["price"] == 2500


def test_warehouses_locations_and_transfers(api):
    code = "wh" + str(time.time_ns())[-6:]
    assert api.post("/api/v1/warehouses", {"code": code, "name": "East"}).status == 201
    assert_problem(api.post("/api/v1/warehouses", {"code": code, "name": "Again"}), 409, "code")
    r = api.post(f"/api/v1/warehouses/{code}/locations", {"code": "A-01"})
    assert r.status == 201 and r.json["location"] == f"{code}/A-01"
    assert_problem(api.post("/api/v1/warehouses/nowhere/locations", {"code": "A"}), 404)
    listed = {w["code"]: w for w in api.get("/api/v1/warehouses").json["items"]}
    assert listed[code]["locations"] == ["A-01"]

    sku = api.product_with_stock(10)
    moved = api.post("/api/v1/inventory/transfers",
                     {"sku": sku, "from": "main/default", "to": f"{code}/A-01", "quantity": 4})
    assert moved.status == 201, moved
    by_location = {l["location"]: l["on_hand"] for l in moved.json["locations"]}
    assert by_location == {"main/default": 6, f"{code}/A-01": 4}
    assert_problem(api.post("/api/v1/inventory/transfers",
                            {"sku": sku, "from": f"{code}/A-01", "to": "main/default",
                             "quantity": 5}), 409)
    assert_problem(api.post("/api/v1/inventory/receipts",
                            {"sku": sku, "quantity": 1, "location": f"{code}/nope"}), 422,
                   "location")
    # An order takes the default location first, then the others.
    api.order_ok(sku, 8)
    stock = {l["location"]: l["reserved"] for l in api.stock(sku)["locations"]}
    assert stock == {"main/default": 6, f"{code}/A-01": 2}
    api.assert_ledger_consistent(sku)


def test_unknown_paths_and_methods_answer_problems(api):
    assert_problem(api.request("DELETE", "/api/v1/orders"), 405)
    assert_problem(api.get("/api/v1/nothing-here"), 404)
    assert_problem(api.get("/api/v1/orders/not-a-number"), 404)
