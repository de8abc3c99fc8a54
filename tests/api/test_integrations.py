"""Inbound platform integration (INT-2): signed order webhooks per platform connection, idempotent
by platform and external number, and bulk import of orders from CSV."""

import base64
import copy
import hashlib
import hmac
import json
import time
import urllib.parse
import uuid

from conftest import assert_problem


# ---- helpers ---------------------------------------------------------------------------------


def connect(api, platform="generic", name=None, **extra):
    body = {"platform": platform, "name": name or f"{platform}-{uuid.uuid4().hex[:8]}"}
    body.update(extra)
    r = api.post("/api/v1/integrations", body)
    assert r.status == 201, r
    assert set(r.json) >= {"id", "secret", "webhook_url"}, r.json
    return r.json


def hook_path(integration):
    return urllib.parse.urlparse(integration["webhook_url"]).path


def signature(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(api, integration, order, topic=None, secret=None, headers=None, raw=None):
    """POSTs `order` (or the bytes `raw`) to the connection's webhook, signed with its secret."""
    body = raw if raw is not None else json.dumps(order, ensure_ascii=False).encode("utf-8")
    hdrs = {"X-Depot-Signature": signature(secret or integration["secret"], body)}
    if topic:
        hdrs["X-Depot-Topic"] = topic
    hdrs.update(headers or {})
    return api.post_raw(hook_path(integration), body, key=None, headers=hdrs)


def orders_numbered(api, platform, external_no):
    return api.orders(platform=platform, external_no=external_no)


def generic_order(sku, external_no=None, quantity=2, unit_price=1990, **over):
    body = {
        "external_no": external_no or f"G-{uuid.uuid4().hex[:10]}",
        "lines": [{"sku": sku, "quantity": quantity, "unit_price": unit_price}],
        "customer": {"name": "王芳", "phone": "13912345678", "email": "wang@example.com"},
        "shipping_address": {"province": "上海市", "city": "上海市", "district": "浦东新区",
                             "detail": "世纪大道 1 号", "postcode": "200120"},
    }
    body.update(over)
    return body


# ---- connections -----------------------------------------------------------------------------


def test_a_connection_shows_its_secret_once(server, api):
    created = connect(api, "shopify", name="Shopify 旗舰店")
    assert created["platform"] == "shopify" and created["name"] == "Shopify 旗舰店"
    assert len(created["secret"]) >= 32
    tenant, integration_id = hook_path(created).split("/")[-2:]
    assert hook_path(created) == f"/api/v1/hooks/platforms/{tenant}/{integration_id}"
    assert int(tenant) > 0 and integration_id == str(created["id"])

    listed = api.get("/api/v1/integrations")
    assert listed.status == 200, listed
    mine = [i for i in listed.json["items"] if i["id"] == created["id"]]
    assert len(mine) == 1 and "secret" not in mine[0], mine
    assert created["secret"] not in listed.body.decode()
    one = api.get(f"/api/v1/integrations/{created['id']}")
    assert one.status == 200 and "secret" not in one.json, one
    assert one.json["webhook_url"] == created["webhook_url"]

    assert_problem(api.post("/api/v1/integrations", {"platform": "shopify", "name": "Shopify 旗舰店"}),
                   409, "name")
    assert_problem(api.post("/api/v1/integrations", {"platform": "ebay", "name": "x"}), 422,
                   "platform")
    assert_problem(api.post("/api/v1/integrations", {"platform": "generic", "name": ""}), 422,
                   "name")
    operator = server.client(server.keys["alpha-operator"])
    assert_problem(operator.post("/api/v1/integrations", {"platform": "generic", "name": "op"}), 403)
    assert_problem(operator.get("/api/v1/integrations"), 403)
    # Another merchant sees none of it.
    assert api.get(f"/api/v1/integrations/{created['id']}").status == 200
    assert_problem(server.b.get(f"/api/v1/integrations/{created['id']}"), 404)


def test_a_deleted_connection_takes_no_more_deliveries(api):
    sku = api.product_with_stock(5)
    integration = connect(api)
    r = api.request("DELETE", f"/api/v1/integrations/{integration['id']}")
    assert r.status == 204, r
    order = generic_order(sku)
    assert_problem(deliver(api, integration, order), 404)
    assert orders_numbered(api, "generic", order["external_no"]) == []


def test_a_platform_may_dictate_the_secret(api):
    sku = api.product_with_stock(5)
    key = "shpss_" + uuid.uuid4().hex
    integration = connect(api, secret=key)
    assert integration["secret"] == key
    assert deliver(api, integration, generic_order(sku)).status == 201
    assert_problem(api.post("/api/v1/integrations", {"platform": "generic", "name": "short",
                                                     "secret": "too short"}), 422, "secret")


# ---- the generic shape -------------------------------------------------------------------------


def test_a_delivery_repeated_creates_one_order(api):
    sku = api.product_with_stock(10)
    integration = connect(api)
    order = generic_order(sku, quantity=2)
    first = deliver(api, integration, order, topic="orders/create")
    assert first.status == 201, first
    second = deliver(api, integration, order, topic="orders/create")
    assert second.status == 200, second
    assert second.json["id"] == first.json["id"]
    assert second.json["version"] == first.json["version"]
    found = orders_numbered(api, "generic", order["external_no"])
    assert [o["id"] for o in found] == [first.json["id"]]
    assert api.stock(sku)["reserved"] == 2
    created = api.get_order(first.json["id"])
    assert created["platform"] == "generic" and created["external_no"] == order["external_no"]
    assert created["lines"] == order["lines"]
    assert created["customer"]["name"] == "王芳"
    assert created["shipping_address"]["district_code"] == "310115"
    assert created["history"][0]["actor"] == f"integration:{integration['id']}"
    # The audit log names the connection as the actor that created the order.
    audit = api.get("/api/v1/audit", params={"object": f"order:{first.json['id']}"})
    assert audit.status == 200, audit
    assert any(e["actor"] == f"integration:{integration['id']}" for e in audit.json["items"]), audit


def test_an_update_changes_the_order_and_a_repeat_changes_nothing(api):
    sku, other = api.product_with_stock(10), api.product_with_stock(10)
    integration = connect(api)
    order = generic_order(sku, quantity=2)
    created = deliver(api, integration, order).json
    changed = copy.deepcopy(order)
    changed["lines"] = [{"sku": sku, "quantity": 1, "unit_price": 1990},
                        {"sku": other, "quantity": 3, "unit_price": 500}]
    changed["shipping_address"]["detail"] = "世纪大道 2 号"
    r = deliver(api, integration, changed, topic="orders/updated")
    assert r.status == 200, r
    assert r.json["id"] == created["id"]
    assert r.json["version"] == created["version"] + 1
    stored = api.get_order(created["id"])
    assert stored["lines"] == changed["lines"]
    assert stored["total"] == 1990 + 1500
    assert stored["shipping_address"]["detail"] == "世纪大道 2 号"
    assert (api.stock(sku)["reserved"], api.stock(other)["reserved"]) == (1, 3)
    again = deliver(api, integration, changed, topic="orders/updated")
    assert again.status == 200 and again.json["version"] == stored["version"], again
    api.assert_ledger_consistent(sku)


def test_a_payment_delivery_pays_once(api):
    sku = api.product_with_stock(10)
    integration = connect(api)
    order = generic_order(sku, quantity=2, unit_price=1990)
    created = deliver(api, integration, order).json
    assert created["status"] == "pending_payment"
    paid_body = dict(order, payment={"amount": 3980, "method": "wechat", "reference": "WX-1"})
    paid = deliver(api, integration, paid_body, topic="orders/paid")
    assert paid.status == 200, paid
    assert (paid.json["status"], paid.json["paid_amount"]) == ("awaiting_shipment", 3980)
    again = deliver(api, integration, paid_body, topic="orders/paid")
    assert again.status == 200 and again.json["version"] == paid.json["version"], again
    assert api.get_order(created["id"])["paid_amount"] == 3980


def test_a_paid_delivery_of_an_unknown_order_creates_it_paid(api):
    sku = api.product_with_stock(10)
    integration = connect(api)
    order = generic_order(sku, quantity=1, unit_price=1000)
    r = deliver(api, integration, order, topic="orders/paid")
    assert r.status == 201, r
    assert (r.json["status"], r.json["paid_amount"]) == ("awaiting_shipment", 1000)


def test_a_cancel_delivery_cancels_and_releases_stock(api):
    sku = api.product_with_stock(10)
    integration = connect(api)
    order = generic_order(sku, quantity=4)
    created = deliver(api, integration, order).json
    assert api.stock(sku)["reserved"] == 4
    r = deliver(api, integration, dict(order, cancellation={"reason": "buyer asked"}),
                topic="orders/cancelled")
    assert r.status == 200, r
    assert r.json["status"] == "cancelled"
    assert api.stock(sku)["reserved"] == 0
    again = deliver(api, integration, order, topic="orders/cancelled")
    assert again.status == 200 and again.json["version"] == r.json["version"], again
    assert api.get_order(created["id"])["status"] == "cancelled"
    api.assert_ledger_consistent(sku)


def test_an_edit_depot_refuses_is_409_and_changes_nothing(api):
    sku = api.product_with_stock(10)
    integration = connect(api)
    order = generic_order(sku, quantity=1, unit_price=1000)
    created = deliver(api, integration, dict(order, payment={})).json
    assert created["status"] == "awaiting_shipment", created
    shipped = api.post(f"/api/v1/orders/{created['id']}/shipments",
                       {"carrier": "SF", "tracking_no": "SF1234567890123"})
    assert shipped.status == 201, shipped
    before = api.get_order(created["id"])
    r = deliver(api, integration, dict(order, notes="changed after shipping"))
    assert_problem(r, 409)
    assert api.get_order(created["id"])["version"] == before["version"]


# ---- signatures --------------------------------------------------------------------------------


def test_a_bad_signature_writes_nothing(api):
    sku = api.product_with_stock(10)
    integration = connect(api)
    order = generic_order(sku)
    body = json.dumps(order).encode()
    assert_problem(deliver(api, integration, order, secret="not the secret"), 401)
    assert_problem(api.post_raw(hook_path(integration), body, key=None), 401)  # no signature
    tampered = body.replace(b'"quantity": 2', b'"quantity": 9')
    assert tampered != body
    assert_problem(api.post_raw(hook_path(integration), tampered, key=None,
                                headers={"X-Depot-Signature": signature(integration["secret"], body)}),
                   401)
    assert_problem(api.post_raw(hook_path(integration), body, key=None,
                                headers={"X-Depot-Signature": signature(integration["secret"], body)[7:]}),
                   401)  # without "sha256="
    assert orders_numbered(api, "generic", order["external_no"]) == []
    assert api.stock(sku)["reserved"] == 0
    # The same body, signed right (upper-case hex is the same signature), goes through.
    upper = "sha256=" + signature(integration["secret"], body)[7:].upper()
    r = api.post_raw(hook_path(integration), body, key=None, headers={"X-Depot-Signature": upper})
    assert r.status == 201, r


def test_another_merchants_connection_is_not_found(server, api):
    sku = api.product_with_stock(10)
    theirs = connect(server.b)
    mine = connect(api)
    my_tenant = hook_path(mine).split("/")[-2]
    their_tenant = hook_path(theirs).split("/")[-2]
    assert my_tenant != their_tenant
    order = generic_order(sku)
    body = json.dumps(order).encode()
    # Their connection's id under my merchant, signed with their secret: no such address.
    crossed = f"/api/v1/hooks/platforms/{my_tenant}/{theirs['id']}"
    r = api.post_raw(crossed, body, key=None,
                     headers={"X-Depot-Signature": signature(theirs["secret"], body)})
    assert_problem(r, 404)
    assert_problem(api.post_raw("/api/v1/hooks/platforms/x/1", body, key=None), 404)
    assert orders_numbered(api, "generic", order["external_no"]) == []


def test_generic_needs_external_no_and_names_bad_fields(api):
    sku = api.product_with_stock(10)
    integration = connect(api)
    order = generic_order(sku)
    del order["external_no"]
    assert_problem(deliver(api, integration, order), 422, "external_no")
    bad = generic_order("NO-SUCH-SKU-" + uuid.uuid4().hex[:6])
    assert_problem(deliver(api, integration, bad), 422, "lines[0].sku")
    assert orders_numbered(api, "generic", bad["external_no"]) == []
    assert_problem(deliver(api, integration, generic_order(sku), topic="orders/deleted"), 422,
                   "X-Depot-Topic")


# ---- Shopify ----------------------------------------------------------------------------------


def shopify_order(mug, tea, name):
    """An orders/create body as Shopify sends it (REST Admin API order JSON)."""
    return {
        "id": 5882468925498, "admin_graphql_api_id": "gid://shopify/Order/5882468925498",
        "app_id": 580111, "browser_ip": "203.0.113.7", "buyer_accepts_marketing": False,
        "cancel_reason": None, "cancelled_at": None, "cart_token": None,
        "checkout_id": 34511123456, "checkout_token": "a2b7f0c1d3e4",
        "confirmation_number": "9XKQ1ZB2M", "confirmed": True,
        "contact_email": "zhang.san@example.com", "created_at": "2026-11-22T10:00:00+08:00",
        "currency": "CNY", "current_subtotal_price": "247.00", "current_total_price": "257.00",
        "customer_locale": "zh-CN", "email": "zhang.san@example.com",
        "financial_status": "paid", "fulfillment_status": None, "landing_site": "/",
        "name": name, "note": "请周末送货", "note_attributes": [], "number": 1,
        "order_number": 1001, "order_status_url": "https://shop.example.com/orders/a2b7",
        "payment_gateway_names": ["alipay"], "phone": None, "presentment_currency": "CNY",
        "processed_at": "2026-11-22T10:00:00+08:00", "source_name": "web",
        "subtotal_price": "247.00", "tags": "", "tax_lines": [], "taxes_included": True,
        "test": False, "total_discounts": "0.00", "total_line_items_price": "247.00",
        "total_outstanding": "0.00", "total_price": "257.00", "total_tax": "0.00",
        "total_weight": 900, "updated_at": "2026-11-22T10:00:01+08:00",
        "total_price_set": {"shop_money": {"amount": "257.00", "currency_code": "CNY"},
                            "presentment_money": {"amount": "257.00", "currency_code": "CNY"}},
        "discount_codes": [], "discount_applications": [], "fulfillments": [], "refunds": [],
        "shipping_lines": [{"id": 4455, "code": "SF", "price": "10.00", "title": "顺丰速运"}],
        "line_items": [
            {"id": 13589498528058, "admin_graphql_api_id": "gid://shopify/LineItem/1358949",
             "fulfillable_quantity": 2, "fulfillment_service": "manual",
             "fulfillment_status": None, "gift_card": False, "grams": 300,
             "name": "Ceramic mug - Red", "price": "39.50",
             "price_set": {"shop_money": {"amount": "39.50", "currency_code": "CNY"}},
             "product_exists": True, "product_id": 8111, "properties": [], "quantity": 2,
             "requires_shipping": True, "sku": mug, "taxable": True, "title": "Ceramic mug",
             "total_discount": "0.00", "variant_id": 45001, "variant_title": "Red",
             "vendor": "depot demo", "tax_lines": [], "duties": [], "discount_allocations": []},
            {"id": 13589498528060, "fulfillable_quantity": 1, "gift_card": False,
             "grams": 250, "name": "Longjing tea 250g", "price": "168.00", "quantity": 1,
             "requires_shipping": True, "sku": tea, "title": "Longjing tea 250g",
             "variant_id": 45002, "tax_lines": [], "discount_allocations": []},
            {"id": 13589498528061, "gift_card": False, "name": "Tip", "price": "5.00",
             "quantity": 1, "requires_shipping": False, "sku": None, "title": "Tip"},
        ],
        "billing_address": {"first_name": "三", "last_name": "张", "address1": "西湖区文三路 90 号",
                            "city": "杭州市", "province": "Zhejiang", "country": "China",
                            "country_code": "CN", "province_code": "ZJ", "zip": "310012",
                            "phone": None, "name": "三 张", "company": None},
        "shipping_address": {"first_name": "三", "last_name": "张", "name": "三 张",
                             "address1": "西湖区文三路 90 号", "address2": "东部软件园 2 号楼",
                             "city": "杭州市", "province": "Zhejiang", "province_code": "ZJ",
                             "country": "China", "country_code": "CN", "zip": "310012",
                             "phone": "+86 138 0013 8000", "company": None,
                             "latitude": 30.28, "longitude": 120.13},
        "customer": {"id": 115310627314723954, "email": "zhang.san@example.com",
                     "first_name": "三", "last_name": "张", "phone": None, "state": "enabled",
                     "verified_email": True, "tags": "", "currency": "CNY",
                     "created_at": "2026-01-02T10:00:00+08:00"},
    }


def shopify_deliver(api, integration, body, topic):
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    digest = hmac.new(integration["secret"].encode(), raw, hashlib.sha256).digest()
    headers = {"X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
               "X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": "demo.myshopify.com"}
    return api.post_raw(hook_path(integration), raw, key=None, headers=headers)


def test_a_shopify_orders_create_becomes_a_correct_order(api):
    mug, tea = api.product_with_stock(10), api.product_with_stock(10)
    integration = connect(api, "shopify")
    name = f"#{uuid.uuid4().int % 10**8}"
    body = shopify_order(mug, tea, name)
    r = shopify_deliver(api, integration, body, "orders/create")
    assert r.status == 201, r
    order = api.get_order(r.json["id"])
    assert (order["platform"], order["external_no"]) == ("shopify", name)
    assert order["currency"] == "CNY"
    assert order["lines"] == [{"sku": mug, "quantity": 2, "unit_price": 3950},
                              {"sku": tea, "quantity": 1, "unit_price": 16800}]
    assert order["total"] == 24700
    customer = order["customer"]
    assert (customer["name"], customer["phone"], customer["email"], customer["locale"]) == (
        "张三", "+8613800138000", "zhang.san@example.com", "zh-CN")
    address = order["shipping_address"]
    assert (address["province"], address["city"], address["district"]) == ("浙江省", "杭州市", "西湖区")
    assert address["district_code"] == "330106"
    assert address["detail"] == "文三路 90 号 东部软件园 2 号楼"
    assert address["postcode"] == "310012"
    assert order["notes"] == "请周末送货"
    # financial_status "paid": paid in full (the goods; shipping stays on Shopify) and verified.
    assert (order["status"], order["paid_amount"]) == ("awaiting_shipment", 24700), order
    assert (api.stock(mug)["reserved"], api.stock(tea)["reserved"]) == (2, 1)

    # Shopify retries, then sends orders/paid and orders/updated for the same order: one order,
    # paid once.
    assert shopify_deliver(api, integration, body, "orders/create").status == 200
    assert shopify_deliver(api, integration, body, "orders/paid").status == 200
    assert shopify_deliver(api, integration, body, "orders/updated").status == 200
    again = api.get_order(order["id"])
    assert (again["version"], again["paid_amount"]) == (order["version"], 24700)
    assert [o["id"] for o in orders_numbered(api, "shopify", name)] == [order["id"]]

    cancelled = dict(body, cancelled_at="2026-11-22T12:00:00+08:00", cancel_reason="customer",
                     financial_status="refunded")
    r = shopify_deliver(api, integration, cancelled, "orders/cancelled")
    assert r.status == 200, r
    assert (r.json["status"], r.json["refund_due"]) == ("cancelled", 24700)
    assert api.stock(mug)["reserved"] == 0


def test_shopify_faults_name_shopifys_fields(api):
    mug = api.product_with_stock(10)
    integration = connect(api, "shopify")
    body = shopify_order(mug, "NO-SUCH-" + uuid.uuid4().hex[:6], f"#{uuid.uuid4().hex[:6]}")
    assert_problem(shopify_deliver(api, integration, body, "orders/create"), 422,
                   "line_items[1].sku")
    body["line_items"][0]["price"] = "39.505"
    assert_problem(shopify_deliver(api, integration, body, "orders/create"), 422,
                   "line_items[0].price")
    assert orders_numbered(api, "shopify", body["name"]) == []


# ---- Taobao -----------------------------------------------------------------------------------


def taobao_trade(sku, tid, status="WAIT_SELLER_SEND_GOODS"):
    return {"trade": {
        "tid": tid, "tid_str": str(tid), "status": status, "type": "fixed",
        "payment": "88.00", "total_fee": "78.00", "post_fee": "10.00",
        "created": "2026-11-22 10:01:02", "pay_time": "2026-11-22 10:02:03",
        "alipay_no": f"20261122220011{tid % 10**10}", "buyer_message": "不要放快递柜",
        "receiver_name": "李四", "receiver_mobile": "13912345678", "receiver_phone": "",
        "receiver_state": "广东省", "receiver_city": "深圳市", "receiver_district": "南山区",
        "receiver_town": "粤海街道", "receiver_address": "深南大道 9988 号", "receiver_zip": "518057",
        "orders": {"order": [{"oid": tid, "num_iid": 6001, "outer_iid": "MUG",
                              "outer_sku_id": sku, "title": "马克杯", "num": 2, "price": "39.00",
                              "total_fee": "78.00", "status": status}]}}}


def test_a_taobao_trade_is_created_paid_and_closed(api):
    sku = api.product_with_stock(10)
    integration = connect(api, "taobao")
    tid = 3378562291845000000 + uuid.uuid4().int % 10**6
    r = deliver(api, integration, taobao_trade(sku, tid))
    assert r.status == 201, r
    order = api.get_order(r.json["id"])
    assert (order["platform"], order["external_no"]) == ("taobao", str(tid))
    assert order["lines"] == [{"sku": sku, "quantity": 2, "unit_price": 3900}]
    assert (order["status"], order["paid_amount"]) == ("awaiting_shipment", 7800)
    assert order["customer"]["name"] == "李四" and order["customer"]["phone"] == "13912345678"
    address = order["shipping_address"]
    assert (address["province"], address["city"], address["district"]) == ("广东省", "深圳市", "南山区")
    assert address["detail"] == "粤海街道深南大道 9988 号"
    assert order["notes"] == "不要放快递柜"
    assert deliver(api, integration, taobao_trade(sku, tid)).status == 200
    closed = deliver(api, integration, taobao_trade(sku, tid, "TRADE_CLOSED"))
    assert closed.status == 200, closed
    assert (closed.json["status"], closed.json["refund_due"]) == ("cancelled", 7800)
    assert_problem(deliver(api, integration, taobao_trade(sku, tid + 1, "NO_SUCH_STATUS")), 422,
                   "status")


# ---- CSV import -------------------------------------------------------------------------------


def import_orders(api, text):
    r = api.post_raw("/api/v1/orders/import", text, content_type="text/csv; charset=utf-8")
    assert r.status == 202, r
    assert r.json["kind"] == "orders"
    deadline = time.time() + 60
    while time.time() < deadline:
        report = api.get(f"/api/v1/orders/imports/{r.json['id']}")
        assert report.status == 200, report
        if report.json["status"] == "finished":
            return report.json
        time.sleep(0.05)
    raise AssertionError(f"import {r.json['id']} did not finish: {report!r}")


def test_csv_import_reports_each_row_and_a_repeat_changes_nothing(api):
    mug, tea = api.product_with_stock(50), api.product_with_stock(50)
    run = uuid.uuid4().hex[:6]
    text = "\n".join([
        "external_no,platform,customer_name,phone,province,city,district,detail,sku,quantity,unit_price,paid",
        f"A-{run},jd,李四,13800138000,上海市,上海市,浦东新区,世纪大道 1 号,{mug},2,19.90,yes",
        f"B-{run},jd,王芳,13912345678,广东省,深圳市,南山区,科技园 1 号,{tea},1,268,no",
        f"A-{run},jd,,,,,,,{tea},1,100.5,",
        f"C-{run},jd,赵六,13700137000,北京市,北京市,朝阳区,建国路 1 号,{mug},1,10,no",
        f"C-{run},jd,,,,,,,NO-SUCH-SKU,1,10,",
        f"D-{run},jd,钱七,13600136000,北京市,北京市,朝阳区,建国路 2 号,{mug},zero,10,no",
    ]) + "\n"
    report = import_orders(api, text)
    assert (report["total"], report["applied"], report["unchanged"], report["failed"]) == (
        6, 3, 0, 3), report
    by_row = {e["row"]: e for e in report["errors"]}
    assert sorted(by_row) == [5, 6, 7], report["errors"]
    assert by_row[6]["column"] == "sku" and "NO-SUCH-SKU" in by_row[6]["message"]
    assert by_row[5]["column"] == "sku" and "line 6" in by_row[5]["message"]
    assert by_row[7]["column"] == "quantity"

    [a] = orders_numbered(api, "jd", f"A-{run}")
    order = api.get_order(a["id"])
    assert order["lines"] == [{"sku": mug, "quantity": 2, "unit_price": 1990},
                              {"sku": tea, "quantity": 1, "unit_price": 10050}]
    assert (order["status"], order["paid_amount"]) == ("awaiting_shipment", 3980 + 10050)
    assert order["customer"]["name"] == "李四"
    assert order["shipping_address"]["district_code"] == "310115"
    [b] = orders_numbered(api, "jd", f"B-{run}")
    assert b["status"] == "pending_payment"
    assert orders_numbered(api, "jd", f"C-{run}") == []
    assert orders_numbered(api, "jd", f"D-{run}") == []
    reserved = api.stock(mug)["reserved"]

    again = import_orders(api, text)
    assert (again["applied"], again["unchanged"], again["failed"]) == (0, 3, 3), again
    assert api.stock(mug)["reserved"] == reserved
    assert api.get_order(a["id"])["version"] == order["version"]
    api.assert_ledger_consistent(mug)


def test_csv_import_reads_chinese_headers_gbk_and_multipart(api):
    sku = api.product_with_stock(10)
    run = uuid.uuid4().hex[:6]
    text = ("外部订单号,收货人,手机,省,市,区,详细地址,商品编码,数量,单价,已付款\n"
            f"E-{run},孙八,13500135000,浙江省,杭州市,西湖区,文三路 90 号,{sku},1,9.9,是\n")
    r = api.post_raw("/api/v1/orders/import", text.encode("gbk"), content_type="text/csv")
    assert r.status == 202, r
    boundary = "depotboundary"
    multipart = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                 f"filename=\"orders.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() + \
        text.replace(f"E-{run}", f"F-{run}").encode("utf-8") + f"\r\n--{boundary}--\r\n".encode()
    r2 = api.post_raw("/api/v1/orders/import", multipart,
                      content_type=f"multipart/form-data; boundary={boundary}")
    assert r2.status == 202, r2
    deadline = time.time() + 60
    while time.time() < deadline:
        if orders_numbered(api, "csv", f"E-{run}") and orders_numbered(api, "csv", f"F-{run}"):
            break
        time.sleep(0.05)
    [e] = orders_numbered(api, "csv", f"E-{run}")
    assert e["status"] == "awaiting_shipment"
    assert api.get_order(e["id"])["customer"]["name"] == "孙八"


def test_csv_import_refuses_a_header_it_cannot_read(api):
    assert_problem(api.post_raw("/api/v1/orders/import", "external_no,sku,quantity\nA,B,1\n",
                                content_type="text/csv"), 422, "customer_name")
    assert_problem(api.post_raw("/api/v1/orders/import",
                                "external_no,customer_name,sku,quantity,unit_price,colour\n",
                                content_type="text/csv"), 422, "colour")
    assert_problem(api.post_raw("/api/v1/orders/import", "{}", content_type="application/json"),
                   415)
    # A shipment import's id is not an order import's.
    assert_problem(api.get("/api/v1/orders/imports/999999"), 404)


def test_an_order_import_killed_midway_resumes_and_counts_every_row_once(server_factory):
    srv = server_factory()
    srv.start()
    api = srv.a
    sku = api.product_with_stock(100000)
    rows = 8000
    text = "external_no,customer_name,phone,province,city,district,detail,sku,quantity,unit_price\n" + \
        "".join(f"K-{i},李四,13800138000,上海市,上海市,浦东新区,世纪大道 1 号,{sku},1,1\n"
                for i in range(rows))
    r = api.post_raw("/api/v1/orders/import", text, content_type="text/csv")
    assert r.status == 202, r
    job = r.json["id"]
    deadline = time.time() + 60
    while time.time() < deadline:
        report = api.get(f"/api/v1/orders/imports/{job}").json
        if report["applied"] > 0:
            break
        time.sleep(0.005)
    assert 0 < report["applied"] < rows, f"the import was not caught midway: {report}"
    srv.kill9()
    srv.start()
    api = srv.a
    deadline = time.time() + 120
    while time.time() < deadline:
        report = api.get(f"/api/v1/orders/imports/{job}").json
        if report["status"] == "finished":
            break
        time.sleep(0.05)
    assert report["status"] == "finished", report
    # Orders applied just before the kill are counted as applied, never applied again.
    assert (report["applied"], report["unchanged"], report["failed"]) == (rows, 0, 0), report
    assert api.stock(sku)["reserved"] == rows
    assert len(api.orders(platform="csv")) == rows
    api.assert_ledger_consistent(sku)
