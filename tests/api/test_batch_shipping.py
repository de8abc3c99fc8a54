"""One-click shipping (issue 9): sender addresses, batch shipping with electronic waybills from an
aggregator speaking Kuaidi100's label protocol, packing slips and the batch's PDF."""

import contextlib
import subprocess
import tempfile
from pathlib import Path

from conftest import assert_problem
from provider_receivers import AliyunSmsReceiver, wait_for
from waybill_receiver import WaybillReceiver

WAYBILL_KEY, WAYBILL_SECRET = "wb-key", "wb-secret"
SMS_KEY_ID, SMS_SECRET, SIGN_NAME = "LTAI5tBatch", "batch-secret", "深蓝小店"
SMS_TEMPLATES = {"shipment.created": "SMS_460735001"}
SENDER = {"name": "深蓝小店仓库", "phone": "13900139000", "province": "浙江省", "city": "杭州市",
          "district": "余杭区", "detail": "文一西路 969 号"}


def set_up_shipping(api, receiver, carriers=("SF",)):
    r = api.request("PUT", "/api/v1/carriers/kuaidi100/waybill", {
        "url": receiver.url, "key": WAYBILL_KEY, "secret": WAYBILL_SECRET,
        "accounts": {c: {"partnerId": f"{c}-monthly", "partnerKey": "pk"} for c in carriers}})
    assert r.status in (200, 201), r
    r = api.request("PUT", "/api/v1/warehouses/main/sender", SENDER)
    assert r.status == 200, r


def paid_orders(api, count, held=0):
    """`count` paid orders of one product; the first `held` with a phone verification holds."""
    sku = api.create_product(name="蓝色马克杯", weight_grams=350)
    api.receive(sku, count * 2)
    ids = []
    for i in range(count):
        phone = "12345" if i < held else f"1380013{i:04d}"
        order = api.order_ok(sku, 2, customer={"name": f"顾客{i}", "phone": phone})
        paid = api.pay(order["id"], order["total"])
        assert paid.status == 201, paid
        assert (paid.json["status"] == "on_hold") == (i < held), paid.json
        ids.append(order["id"])
    return sku, ids


def start_batch(api, ids, carrier="SF"):
    r = api.post("/api/v1/shipments/batch", {"order_ids": ids, "carrier": carrier})
    assert r.status == 202, r
    assert r.headers.get("location") == f"/api/v1/shipments/batches/{r.json['id']}"
    return r.json["id"]


def finished(api, batch_id, timeout=60):
    def done():
        r = api.get(f"/api/v1/shipments/batches/{batch_id}")
        assert r.status == 200, r
        return r.json if r.json["status"] == "finished" else None
    return wait_for(done, timeout=timeout, what=f"batch {batch_id} to finish")


@contextlib.contextmanager
def pdf_file(data):
    """The PDF's bytes as a file in a temporary directory, for Debian's PDF tools."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        yield path


def pdf_info(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(l.split(":", 1) for l in out.stdout.splitlines() if ":" in l)


def pdf_text(data):
    """The PDF's page count and its text (pdfinfo, pdftotext)."""
    with pdf_file(data) as path:
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        return int(pdf_info(path)["Pages"]), text


def page_size(data):
    """pdfinfo's "Page size" of the PDF."""
    with pdf_file(data) as path:
        return pdf_info(path)["Page size"].strip()


def barcodes(data, page=1):
    """The barcodes zbarimg reads on one page of the PDF, rendered at 300 dpi."""
    with pdf_file(data) as path:
        subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", str(page), "-l", str(page),
                        str(path), str(path.parent / "page")], check=True)
        [image] = list(path.parent.glob("page*.png"))
        found = subprocess.run(["zbarimg", "-q", str(image)], capture_output=True, text=True)
        return found.stdout.split()


def test_a_sender_address_is_checked_and_shown_on_the_warehouse(api):
    r = api.request("PUT", "/api/v1/warehouses/main/sender", dict(SENDER, district="不存在区"))
    assert_problem(r, 422, "district")
    r = api.request("PUT", "/api/v1/warehouses/main/sender", dict(SENDER, name=" "))
    assert_problem(r, 422, "name")
    r = api.request("PUT", "/api/v1/warehouses/main/sender", dict(SENDER, color="blue"))
    assert_problem(r, 422, "color")
    r = api.request("PUT", "/api/v1/warehouses/nowhere/sender", SENDER)
    assert r.status == 404, r
    r = api.request("PUT", "/api/v1/warehouses/main/sender", dict(SENDER, city="杭州"))
    assert r.status == 200, r
    assert r.json["sender"]["city"] == "杭州市"  # stored as the division table names it
    [main] = [w for w in api.get("/api/v1/warehouses").json["items"] if w["code"] == "main"]
    assert main["sender"] == SENDER
    assert r.json == main  # the answer is the whole warehouse, its locations too
    assert main["locations"]
    # Shipping advice assumes parcels leave from there (Zhejiang) unless told otherwise.
    advice = api.get("/api/v1/shipping/advice", params={"province": "440000"})
    assert advice.status == 200 and advice.json["origin"] == "330000", advice
    advice = api.get("/api/v1/shipping/advice", params={"province": "440000", "origin": "110000"})
    assert advice.json["origin"] == "110000", advice


def test_a_batch_ships_the_paid_orders_skips_the_held_and_never_buys_twice(server):
    api = server.a
    with WaybillReceiver(WAYBILL_KEY, WAYBILL_SECRET) as receiver, \
            AliyunSmsReceiver(SMS_KEY_ID, SMS_SECRET, SIGN_NAME, SMS_TEMPLATES) as sms:
        set_up_shipping(api, receiver)
        r = api.request("PUT", "/api/v1/channels/sms", {
            "url": sms.url, "access_key_id": SMS_KEY_ID, "access_key_secret": SMS_SECRET,
            "sign_name": SIGN_NAME, "templates": SMS_TEMPLATES})
        assert r.status in (200, 201), r
        _, ids = paid_orders(api, 50, held=3)

        batch = finished(api, start_batch(api, ids))
        assert (batch["total"], batch["shipped"], batch["skipped"], batch["failed"]) == \
            (50, 47, 3, 0), batch
        assert sorted(e["order_id"] for e in batch["errors"]) == sorted(ids[:3])
        for e in batch["errors"]:
            assert any("customer.phone_invalid" in reason for reason in e["reasons"]), e
        assert not receiver.refused, receiver.refused
        assert len(set(receiver.order_ids())) == 47

        # Each shipped order carries the tracking number the aggregator gave its parcel.
        for entry in batch["orders"]:
            order = api.get_order(entry["order_id"])
            if entry["outcome"] != "shipped":
                assert order["status"] == "on_hold"
                continue
            assert order["status"] == "shipped"
            [shipment] = api.get(f"/api/v1/orders/{order['id']}/shipments").json["items"]
            assert shipment["tracking_no"] == entry["tracking_no"]
            assert entry["tracking_no"] in receiver.issued.values()
            [parcel] = api.get(f"/api/v1/orders/{order['id']}/tracking").json["parcels"]
            assert (parcel["origin"], parcel["destination"]) == ("330000", "310000"), parcel
        param = receiver.requests[0]
        assert param["kuaidicom"] == "shunfeng" and param["partnerId"] == "SF-monthly"
        assert param["sendMan"]["name"] == SENDER["name"]
        assert param["sendMan"]["printAddr"].startswith("浙江省杭州市余杭区")
        assert param["cargo"] == "蓝色马克杯" and int(param["count"]) == 2

        # The customers hear of their parcels.
        wait_for(lambda: len(sms.sent_to()) >= 47, timeout=30, what="47 shipping texts")

        # Repeating the batch ships nothing twice and buys no second waybill.
        again = finished(api, start_batch(api, ids))
        assert (again["shipped"], again["skipped"]) == (0, 50), again
        assert len(receiver.order_ids()) == 47

        # One PDF prints the batch: the pick list, then a label and a slip per parcel.
        r = api.get(f"/api/v1/shipments/batches/{batch['id']}/labels.pdf")
        assert r.status == 200, r
        assert r.headers["content-type"] == "application/pdf"
        pages, text = pdf_text(r.body)
        assert pages >= 1 + 47 * 2, pages
        assert "拣货单" in text and "发货单" in text and "蓝色马克杯" in text
        shipped = [api.get_order(e["order_id"]) for e in batch["orders"]
                   if e["outcome"] == "shipped"]
        assert all(o["order_no"] in text for o in shipped)

        # The same on A4.
        r = api.get(f"/api/v1/shipments/batches/{batch['id']}/labels.pdf", params={"size": "a4"})
        assert r.status == 200, r
        pages, text = pdf_text(r.body)
        assert pages >= 1 + 47 * 2 and "拣货单" in text, pages
        assert page_size(r.body) == "595.276 x 841.89 pts (A4)"
        assert_problem(api.get(f"/api/v1/shipments/batches/{batch['id']}/labels.pdf",
                               params={"size": "a3"}), 422, "size")

        # One order's label prints again on its own; a held order has none.
        r = api.get(f"/api/v1/orders/{shipped[0]['id']}/labels.pdf")
        assert r.status == 200 and r.headers["content-type"] == "application/pdf", r
        assert pdf_text(r.body)[0] == 1
        assert api.get(f"/api/v1/orders/{ids[0]}/labels.pdf").status == 404
        assert server.viewer.get(f"/api/v1/orders/{shipped[0]['id']}/labels.pdf").status == 403


def test_the_packing_slip_is_a_pdf_with_the_order_number_as_a_barcode(api):
    sku = api.create_product(name="青花瓷碗")
    api.receive(sku, 3)
    order = api.order_ok(sku, 2, customer={"name": "张三", "phone": "13800138000"})
    for size in ("a4", "label"):
        r = api.get(f"/api/v1/orders/{order['id']}/packing-slip.pdf", params={"size": size})
        assert r.status == 200, r
        assert r.headers["content-type"] == "application/pdf"
        assert r.body.startswith(b"%PDF-")
        pages, text = pdf_text(r.body)
        assert pages == 1
        assert "发货单" in text and "青花瓷碗" in text and order["order_no"] in text
        assert f"CODE-128:{order['order_no']}" in barcodes(r.body)
    r = api.get(f"/api/v1/orders/{order['id']}/packing-slip.pdf", params={"size": "a5"})
    assert_problem(r, 422, "size")
    assert api.get("/api/v1/orders/999999/packing-slip.pdf").status == 404


def test_a_batch_is_refused_without_what_it_needs(server):
    api = server.b
    with WaybillReceiver(WAYBILL_KEY, WAYBILL_SECRET) as receiver:
        _, ids = paid_orders(api, 1)
        r = api.post("/api/v1/shipments/batch", {"order_ids": ids, "carrier": "SF"})
        assert_problem(r, 422, "carrier", "sender")
        set_up_shipping(api, receiver)
        assert_problem(api.post("/api/v1/shipments/batch", {"order_ids": ids, "carrier": "XX"}),
                       422, "carrier")
        assert_problem(api.post("/api/v1/shipments/batch", {"order_ids": ids, "carrier": "YTO"}),
                       422, "carrier")
        assert_problem(api.post("/api/v1/shipments/batch", {"carrier": "SF"}), 422, "order_ids")
        assert_problem(api.post("/api/v1/shipments/batch",
                                {"order_ids": list(range(1, 1002)), "carrier": "SF"}),
                       422, "order_ids")
        assert_problem(api.post("/api/v1/shipments/batch",
                                {"order_ids": ["x"], "carrier": "SF"}), 422, "order_ids[0]")
        r = server.viewer.post("/api/v1/shipments/batch", {"order_ids": ids, "carrier": "SF"})
        assert r.status == 403, r
        r = api.get("/api/v1/shipments/batches/424242")
        assert r.status == 404, r


def test_a_batch_by_filter_and_a_refusal_by_the_aggregator(server):
    api = server.b
    with WaybillReceiver(WAYBILL_KEY, WAYBILL_SECRET) as receiver:
        set_up_shipping(api, receiver)
        sku, ids = paid_orders(api, 3)
        receiver.set_mode("refuse")
        batch = finished(api, start_batch(api, ids))
        assert (batch["shipped"], batch["failed"]) == (0, 3), batch
        assert all("收件地址不在服务范围" in e["reasons"][0] for e in batch["errors"]), batch
        receiver.set_mode("ok")
        r = api.post("/api/v1/shipments/batch", {"filter": {"sku": sku}, "carrier": "SF"})
        assert r.status == 202, r
        batch = finished(api, r.json["id"])
        assert (batch["total"], batch["shipped"]) == (3, 3), batch


def test_kill_9_in_the_middle_of_a_batch_buys_each_waybill_once(server_factory):
    srv = server_factory(extra_args=["--sweep-interval-ms", "200"])
    srv.start()
    api = srv.a
    with WaybillReceiver(WAYBILL_KEY, WAYBILL_SECRET) as receiver:
        set_up_shipping(api, receiver)
        _, ids = paid_orders(api, 120)
        receiver.set_mode("hang")  # depot's first chunk of requests waits at the aggregator
        batch_id = start_batch(api, ids)
        wait_for(lambda: receiver.held > 0, what="waybill requests in flight")
        srv.kill9()
        receiver.release()
        srv.start()
        api = srv.a
        batch = finished(api, batch_id)
        assert (batch["shipped"], batch["failed"]) == (120, 0), batch
        # Requests the crash cut off were asked again under the same key: one number each.
        assert len(receiver.issued) == 120
        numbers = [e["tracking_no"] for e in batch["orders"]]
        assert sorted(numbers) == sorted(receiver.issued.values())


def test_a_batch_killed_mid_way_writes_back_to_the_platform_once_per_order(server_factory):
    import test_integrations as integrations
    from provider_receivers import PlatformReceiver

    srv = server_factory(extra_args=["--sweep-interval-ms", "200"])
    srv.start()
    api = srv.a
    integration = integrations.connect(api)
    with WaybillReceiver(WAYBILL_KEY, WAYBILL_SECRET) as receiver, \
            PlatformReceiver(integration["secret"]) as platform:
        r = api.patch(f"/api/v1/integrations/{integration['id']}", {"callback_url": platform.url})
        assert r.status == 200, r
        set_up_shipping(api, receiver)
        sku = api.product_with_stock(200)
        ids = []
        for _ in range(80):
            r = integrations.deliver(api, integration, integrations.generic_order(sku, quantity=1))
            assert r.status == 201, r
            assert api.pay(r.json["id"], r.json["total"]).status == 201
            ids.append(r.json["id"])
        batch_id = start_batch(api, ids)
        # Kill once some orders have shipped (their write-backs may be on their way) and the rest
        # of the batch is still to come.
        wait_for(lambda: api.get(f"/api/v1/shipments/batches/{batch_id}").json["shipped"] > 0,
                 what="the first shipped orders")
        srv.kill9()
        srv.start()
        api = srv.a
        batch = finished(api, batch_id)
        assert batch["shipped"] == 80, batch
        external = {api.get_order(i)["external_no"]: i for i in ids}

        def every_order_written_back():
            with platform.lock:
                got = {r["json"]["external_no"] for r in platform.requests if r["json"]}
            return got == set(external)
        wait_for(every_order_written_back, timeout=60, what="a write-back per shipped order")
        with platform.lock:
            requests = list(platform.requests)
        assert all(r["verified"] for r in requests), "a write-back without a valid signature"
        deliveries = {}
        for r in requests:
            deliveries.setdefault(r["json"]["external_no"], set()).add(r["delivery"])
        assert all(len(keys) == 1 for keys in deliveries.values()), deliveries
        by_order = {e["order_id"]: e["tracking_no"] for e in batch["orders"]}
        for r in requests:
            assert r["json"]["carrier"] == "SF"
            assert r["json"]["tracking_no"] == by_order[external[r["json"]["external_no"]]]
