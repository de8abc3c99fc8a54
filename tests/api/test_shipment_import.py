"""Bulk shipping from CSV (SHP-5): good rows apply, bad rows are reported, repeats change nothing."""

import time

from conftest import assert_problem


def paid_order(api, sku, quantity=1):
    order = api.order_ok(sku, quantity)
    assert api.pay(order["id"], order["total"]).status == 201
    return order


def import_csv(api, data, content_type="text/csv; charset=utf-8"):
    r = api.post_raw("/api/v1/shipments/import", data, content_type=content_type)
    assert r.status == 202, r
    job_id = r.json["id"]
    deadline = time.time() + 60
    while time.time() < deadline:
        report = api.get(f"/api/v1/shipments/imports/{job_id}")
        assert report.status == 200, report
        if report.json["status"] == "finished":
            return report.json
        time.sleep(0.05)
    raise AssertionError(f"import {job_id} did not finish: {report!r}")


def test_good_rows_apply_and_bad_rows_are_reported(api):
    sku = api.product_with_stock(20)
    good1, good2, other = paid_order(api, sku), paid_order(api, sku, 2), paid_order(api, sku)
    unpaid = api.order_ok(sku, 1)
    text = "\n".join([
        "order_no,carrier,tracking_no,sku,quantity",
        f"{good1['order_no']},SF,SF1000000000001,,",
        f"{good2['order_no']},zhongtong,73100000000011,{sku},2",
        "D20990101999999,SF,SF1000000000002,,",
        f"{unpaid['order_no']},SF,SF1000000000003,,",
        f"{other['order_no']},NOPE,X1,,",
        f"{other['order_no']},SF,SF1000000000004,{sku},abc",
        f"{other['order_no']},SF,bad number,,",
    ]) + "\n"
    report = import_csv(api, text)
    assert (report["total"], report["applied"], report["failed"]) == (7, 2, 5), report
    by_row = {e["row"]: e for e in report["errors"]}
    assert by_row[4]["column"] == "order_no"
    assert "paid" in by_row[5]["message"]
    assert by_row[6]["column"] == "carrier"
    assert by_row[7]["column"] == "quantity"
    assert by_row[8]["column"] == "tracking_no"
    assert api.get_order(good1["id"])["status"] == "shipped"
    assert api.get_order(good2["id"])["status"] == "shipped"
    assert api.get_order(unpaid["id"])["status"] == "pending_payment"
    assert api.get_order(other["id"])["status"] == "awaiting_shipment"
    api.assert_ledger_consistent(sku)


def test_the_same_file_twice_applies_once(api):
    sku = api.product_with_stock(10)
    order = paid_order(api, sku, 3)
    text = (f"{order['order_no']},SF,SF2000000000001,{sku},1\r\n"
            f"{order['order_no']},SF,SF2000000000001,{sku},1\r\n"
            f"{order['order_no']},YTO,YT2000000000002,{sku},1\r\n")
    first = import_csv(api, text)
    assert (first["applied"], first["failed"]) == (3, 0), first
    on_hand = api.stock(sku)["on_hand"]
    assert on_hand == 7
    second = import_csv(api, text)
    assert (second["applied"], second["unchanged"], second["failed"]) == (0, 3, 0), second
    assert api.stock(sku)["on_hand"] == on_hand
    parcels = api.get(f"/api/v1/orders/{order['id']}/shipments").json["items"]
    assert [(p["tracking_no"], p["lines"][0]["quantity"]) for p in parcels] == [
        ("SF2000000000001", 2), ("YT2000000000002", 1)]
    assert api.get_order(order["id"])["status"] == "shipped"


def test_gbk_and_bom_files(api):
    sku = api.product_with_stock(10)
    a, b = paid_order(api, sku), paid_order(api, sku)
    gbk = ("订单号,快递,运单号\n".replace("订单号,快递,运单号", "order_no,carrier,tracking_no")
           + f"{a['order_no']},shunfeng,SF3000000000001\n"
           + "不存在的订单,顺丰,SF3000000000002\n").encode("gbk")
    report = import_csv(api, gbk, content_type="text/csv")
    assert (report["applied"], report["failed"]) == (1, 1), report
    assert "不存在的订单" in report["errors"][0]["message"]
    bom = b"\xef\xbb\xbf" + f"{b['order_no']},SF,SF3000000000003\n".encode()
    report = import_csv(api, bom)
    assert report["applied"] == 1, report
    assert api.get_order(b["id"])["status"] == "shipped"


def test_ten_thousand_rows_finish(api):
    sku = api.product_with_stock(1)
    lines = [f"D-NONE-{i},SF,SF{4000000000000 + i}" for i in range(10_000)]
    report = import_csv(api, "\n".join(lines))
    assert (report["total"], report["failed"]) == (10_000, 10_000)
    assert len(report["errors"]) == 1000
    assert report["errors"][0]["row"] == 1


def test_a_file_that_is_not_csv_is_refused(api):
    assert_problem(api.post_raw("/api/v1/shipments/import", b"a,b,c", content_type="text/plain"),
                   415)
    assert_problem(api.post_raw("/api/v1/shipments/import", b"\"unterminated,x\n",
                                content_type="text/csv"), 422, "body")
    assert_problem(api.post_raw("/api/v1/shipments/import", b"\n\n", content_type="text/csv"),
                   422, "body")
    assert_problem(api.get("/api/v1/shipments/imports/999999"), 404)


def test_an_import_killed_mid_way_resumes_and_ships_each_parcel_once(server_factory):
    srv = server_factory()
    srv.start()
    api = srv.a
    sku = api.product_with_stock(5000)
    orders = [paid_order(api, sku) for _ in range(1000)]
    text = "".join(f"{o['order_no']},SF,SF{5000000000000 + i}\n" for i, o in enumerate(orders))
    r = api.post_raw("/api/v1/shipments/import", text, content_type="text/csv")
    assert r.status == 202, r
    job_id = r.json["id"]
    srv.kill9()
    srv.start()
    deadline = time.time() + 60
    while time.time() < deadline:
        report = api.get(f"/api/v1/shipments/imports/{job_id}").json
        if report["status"] == "finished":
            break
        time.sleep(0.05)
    assert report["status"] == "finished", report
    assert (report["applied"], report["unchanged"], report["failed"]) == (1000, 0, 0), report
    st, ledger = api.assert_ledger_consistent(sku)
    assert st["on_hand"] == 5000 - 1000 and st["reserved"] == 0
    assert [m["kind"] for m in ledger].count("shipment") == 1000
    assert api.orders(status="shipped") and len(api.orders(status="shipped")) == 1000
