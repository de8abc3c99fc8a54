"""Masking of customers' contact details by role, and the audit log of every write (SEC-3)."""

import json

from conftest import assert_problem

PHONE = "13800138001"
EMAIL = "li@example.com"
DETAIL = "世纪大道 1 号"


def role_client(server, role):
    return server.client(server.keys[f"alpha-{role}"])


def contact_order(api, **over):
    sku = api.product_with_stock(20)
    body = api.order_body([(sku, 2, 1000)], **over)
    body["customer"] = {"name": "李四", "phone": PHONE, "email": EMAIL}
    body["shipping_address"] = {"province": "上海市", "city": "上海市", "district": "浦东新区",
                                "detail": DETAIL, "postcode": "200120"}
    r = api.post("/api/v1/orders", body)
    assert r.status == 201, r
    return sku, r.json


def audit(client, obj=None, **params):
    if obj is not None:
        params["object"] = obj
    r = client.get("/api/v1/audit", params=params)
    assert r.status == 200, r
    return r.json["items"]


def change(entry, field):
    found = [c for c in entry["changes"] if c["field"] == field]
    assert len(found) == 1, (field, entry)
    return found[0]["before"], found[0]["after"]


def creator_of(order):
    return order["history"][0]["actor"]


# ---- masking ---------------------------------------------------------------------------------


def listed(client, order):
    r = client.get("/api/v1/orders", params={"order_no": order["order_no"]})
    assert r.status == 200, r
    assert [o["id"] for o in r.json["items"]] == [order["id"]]
    return r.json["items"][0]


def assert_full(order):
    assert order["customer"]["phone"] == PHONE
    assert order["customer"]["email"] == EMAIL
    assert order["customer"]["name"] == "李四"
    assert order["shipping_address"]["detail"] == DETAIL


def assert_masked(order):
    assert order["customer"]["phone"] == "138****8001"
    assert order["customer"]["email"] == "l***@example.com"
    assert order["customer"]["name"] == "李*"
    assert order["shipping_address"]["detail"] == "***"
    # Where the parcel goes is not personal: the divisions stay.
    assert (order["shipping_address"]["province"], order["shipping_address"]["district"]) == \
        ("上海市", "浦东新区")


def test_lists_mask_contact_details_for_operator_and_viewer_only(server, api):
    _, order = contact_order(api)
    assert_full(listed(role_client(server, "owner"), order))
    assert_full(listed(role_client(server, "service"), order))
    assert_masked(listed(role_client(server, "operator"), order))
    assert_masked(listed(role_client(server, "viewer"), order))


def test_a_search_by_phone_still_finds_the_order_it_masks(server, api):
    _, order = contact_order(api)
    r = server.viewer.get("/api/v1/orders", params={"phone": PHONE})
    assert r.status == 200, r
    found = [o for o in r.json["items"] if o["id"] == order["id"]]
    assert len(found) == 1
    assert_masked(found[0])
    assert PHONE not in json.dumps(r.json, ensure_ascii=False)


def test_one_orders_page_is_masked_for_the_viewer_and_full_for_the_operator(server, api):
    _, order = contact_order(api)
    path = f"/api/v1/orders/{order['id']}"
    r = server.viewer.get(path)
    assert r.status == 200, r
    assert_masked(r.json)
    for role in ("operator", "service", "owner"):
        r = role_client(server, role).get(path)
        assert r.status == 200, (role, r)
        assert_full(r.json)


# ---- the audit log ---------------------------------------------------------------------------


def test_an_edit_shows_each_field_before_and_after(server, api):
    sku, order = contact_order(api)
    r = api.patch(f"/api/v1/orders/{order['id']}",
                  {"lines": [{"sku": sku, "quantity": 3, "unit_price": 1250}],
                   "customer": {"name": "李四", "phone": "13900139002", "email": EMAIL},
                   "notes": "ring twice"},
                  headers={"If-Match": str(order["version"])})
    assert r.status == 200, r

    items = audit(api, f"order:{order['id']}")
    assert [e["action"] for e in items] == ["order.update", "order.create"]
    edit, created = items
    assert edit["actor"] == creator_of(order)
    assert edit["actor"].startswith("key:")
    assert edit["object"] == f"order:{order['id']}"
    assert change(edit, "lines") == (f"{sku}×2@10.00", f"{sku}×3@12.50")
    assert change(edit, "total") == ("20.00", "37.50")
    assert change(edit, "customer.phone") == (PHONE, "13900139002")
    assert change(edit, "notes") == ("", "ring twice")
    assert not [c for c in edit["changes"] if c["field"] == "customer.email"]  # unchanged
    assert edit["at"].endswith("Z")
    assert edit["id"] > created["id"]
    assert change(created, "order_no") == ("", order["order_no"])
    assert change(created, "total") == ("", "20.00")


def test_payment_cancel_product_and_settings_changes_appear(server, api):
    _, paid = contact_order(api)
    assert api.pay(paid["id"], paid["total"]).status == 201
    pay = audit(api, f"order:{paid['id']}")[0]
    assert pay["action"] == "order.pay"
    assert change(pay, "paid_amount") == ("0.00", "20.00")
    assert change(pay, "status")[0] == "pending_payment"
    assert [c["after"] for c in pay["changes"] if c["field"] == "payment"] == ["20.00 alipay"]

    _, cancelled = contact_order(api)
    r = api.post(f"/api/v1/orders/{cancelled['id']}/cancel", {"reason": "customer changed mind"})
    assert r.status == 200, r
    cancel = audit(api, f"order:{cancelled['id']}")[0]
    assert cancel["action"] == "order.cancel"
    assert change(cancel, "status") == ("pending_payment", "cancelled")
    assert change(cancel, "reason") == ("", "customer changed mind")

    sku = api.create_product(price=1000)
    product = api.get(f"/api/v1/products/{sku}").json
    r = api.patch(f"/api/v1/products/{sku}", {"price": 1250, "name": "Red mug"},
                  headers={"If-Match": str(product["version"])})
    assert r.status == 200, r
    update, create = audit(api, f"product:{sku}")
    assert (update["action"], create["action"]) == ("product.update", "product.create")
    assert change(update, "price") == ("10.00", "12.50")
    assert change(update, "name")[1] == "Red mug"

    c = server.c
    before = c.get("/api/v1/settings").json["edit_window_seconds"]
    r = c.patch("/api/v1/settings", {"edit_window_seconds": before + 60})
    assert r.status == 200, r
    entry = audit(c, "settings")[0]
    assert entry["action"] == "settings.update"
    assert entry["changes"] == [{"field": "edit_window_seconds", "before": str(before),
                                 "after": str(before + 60)}]


def test_stock_changes_are_audited(api):
    sku = api.create_product()
    api.receive(sku, 7)
    entry = audit(api, f"stock:{sku}")[0]
    assert entry["action"] == "stock.receive"
    assert change(entry, "on_hand@main/default") == ("0", "7")


def test_secrets_never_appear_in_the_log(server):
    c = server.c  # a merchant that places no orders here: its geocoder is never asked
    geo_key, sms_secret, salt = "geo-TOPSECRET-1", "sms-TOPSECRET-2", "salt-TOPSECRET-3"
    r = c.request("PUT", "/api/v1/geocoder", {"url": "http://127.0.0.1:9/geo", "key": geo_key})
    assert r.status == 200, r
    r = c.request("PUT", "/api/v1/geocoder",
                  {"url": "http://127.0.0.1:9/geo", "key": geo_key + "-rotated"})
    assert r.status == 200, r
    r = c.request("PUT", "/api/v1/channels/sms",
                  {"sandbox": True, "url": "http://127.0.0.1:9/sms?token=TOPSECRET-4",
                   "access_key_id": "ak-1", "access_key_secret": sms_secret, "sign_name": "depot"})
    assert r.status in (200, 201), r
    r = c.request("PUT", "/api/v1/carriers/kuaidi100",
                  {"url": "http://127.0.0.1:9/k100", "key": "k100-TOPSECRET-5",
                   "customer": "cust-1", "salt": salt})
    assert r.status in (200, 201), r
    try:
        everything = json.dumps(c.list_all("/api/v1/audit"), ensure_ascii=False)
        assert "TOPSECRET" not in everything
        rotated = audit(c, "geocoder")[0]
        assert rotated["action"] == "geocoder.update"
        assert rotated["changes"] == [{"field": "key", "before": "", "after": "(changed)"}]
        sms = audit(c, "channel_account:sms")[0]
        assert change(sms, "access_key_secret") == ("", "(changed)")
        assert change(sms, "url") == ("", "http://127.0.0.1:9")
        assert change(sms, "access_key_id") == ("", "ak-1")
        carrier = audit(c, "carrier_account:kuaidi100")[0]
        assert change(carrier, "salt") == ("", "(changed)")
        assert change(carrier, "customer") == ("", "cust-1")
    finally:
        assert c.request("DELETE", "/api/v1/geocoder").status in (200, 204)
        assert c.request("DELETE", "/api/v1/channels/sms").status == 204
    deleted = audit(c, "geocoder")[0]
    assert deleted["action"] == "geocoder.delete"
    assert change(deleted, "key") == ("", "(changed)")


def test_another_merchants_objects_show_nothing(server, api):
    _, order = contact_order(api)
    assert audit(server.b, f"order:{order['id']}") == []
    assert all(e["object"] != f"order:{order['id']}" for e in server.b.list_all("/api/v1/audit"))


def test_a_bad_object_is_refused_naming_it(api):
    for bad in ("order 12", "Order:12", "order:", ":12", "order:12:x?", "x" * 33):
        assert_problem(api.get("/api/v1/audit", params={"object": bad}), 422, "object")
    assert_problem(api.get("/api/v1/audit", params={"limit": "0"}), 422, "limit")
    assert_problem(api.get("/api/v1/audit", params={"cursor": "abc"}), 422, "cursor")


def test_pages_follow_the_cursor_newest_first(api):
    sku = api.create_product()
    for quantity in (1, 2, 3):
        api.receive(sku, quantity)
    first = api.get("/api/v1/audit", params={"object": f"stock:{sku}", "limit": 2}).json
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = api.get("/api/v1/audit", params={"object": f"stock:{sku}", "limit": 2,
                                            "cursor": first["next_cursor"]}).json
    assert rest["next_cursor"] is None
    on_hand = [change(e, "on_hand@main/default") for e in first["items"] + rest["items"]]
    assert on_hand == [("3", "6"), ("1", "3"), ("0", "1")]


def test_who_may_read_the_log_and_what_the_operator_sees(server, api):
    sku, order = contact_order(api)
    r = api.patch(f"/api/v1/orders/{order['id']}",
                  {"customer": {"name": "王五", "phone": "13900139002", "email": "wang@example.com"},
                   "shipping_address": {"province": "上海市", "city": "上海市",
                                        "district": "浦东新区", "detail": "陆家嘴环路 2 号",
                                        "postcode": "200120"}},
                  headers={"If-Match": str(order["version"])})
    assert r.status == 200, r
    obj = f"order:{order['id']}"
    assert_problem(server.viewer.get("/api/v1/audit", params={"object": obj}), 403)

    for role in ("owner", "service"):
        edit = audit(role_client(server, role), obj)[0]
        assert change(edit, "customer.phone") == (PHONE, "13900139002"), role
        assert change(edit, "shipping_address.detail") == (DETAIL, "陆家嘴环路 2 号"), role

    edit = audit(role_client(server, "operator"), obj)[0]
    assert change(edit, "customer.phone") == ("138****8001", "139****9002")
    assert change(edit, "customer.email") == ("l***@example.com", "w***@example.com")
    assert change(edit, "customer.name") == ("李*", "王*")
    assert change(edit, "shipping_address.detail") == ("***", "***")


def test_keys_made_on_the_command_line_are_recorded_by_prefix(server, api):
    made = [e for e in api.list_all("/api/v1/audit") if e["action"] == "api_key.create"]
    # alpha's owner key and one key per role (conftest), none of them in the log in full.
    assert sorted(change(e, "role")[1] for e in made) == \
        ["operator", "owner", "owner", "service", "viewer"]
    assert all(e["actor"] == "cli" for e in made)
    everything = json.dumps(api.list_all("/api/v1/audit"))
    for key in (server.keys["alpha"], server.keys["alpha-viewer"]):
        assert key not in everything
        assert f"api_key:{key[:8]}" in [e["object"] for e in made]
