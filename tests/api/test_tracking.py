"""Parcel tracking (TRK-1 … TRK-4, UI-2) against a Kuaidi100-shaped aggregator on loopback.

The receiver checks what Kuaidi100 would (paths, form fields, the query signature); the tests push
to depot as Kuaidi100 does, signed with the merchant's salt, and read what the merchant and the
customer see: the order's tracking, its notifications, and the public tracking page in a browser.
"""
import hashlib
import json
import os
import shutil
import subprocess
import urllib.parse
import uuid

import pytest

from conftest import assert_problem, http_request
from provider_receivers import Kuaidi100Receiver, wait_for

KEY = "kd100-key-" + uuid.uuid4().hex[:8]
CUSTOMER = "CUST" + uuid.uuid4().hex[:8].upper()
SALT = "salt-" + uuid.uuid4().hex[:8]


@pytest.fixture(scope="module")
def kuaidi100():
    with Kuaidi100Receiver(KEY, CUSTOMER) as receiver:
        yield receiver


@pytest.fixture(scope="module")
def account(server, kuaidi100):
    api = server.a
    r = api.request("PUT", "/api/v1/carriers/kuaidi100",
                    {"url": kuaidi100.url, "key": KEY, "customer": CUSTOMER, "salt": SALT})
    assert r.status in (200, 201), r
    r = api.request("PUT", "/api/v1/channels/email", {"sandbox": True})
    assert r.status in (200, 201), r
    for channel in ("sms", "wechat", "push", "webhook"):
        api.request("DELETE", f"/api/v1/channels/{channel}")
    return api.get("/api/v1/carriers/kuaidi100").json


def sf_number():
    return "SF" + str(uuid.uuid4().int)[:13]


def shipped(api, phone="13912345678", quantity=1, parcels=1):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, quantity, customer={
        "name": "王小明", "phone": phone, "email": f"wang.{uuid.uuid4().hex[:6]}@example.com",
        "preferred_channels": ["email"]},
        shipping_address={"province": "上海市", "city": "上海市", "district": "浦东新区",
                          "detail": "世纪大道100号"})
    r = api.pay(order["id"], order["total"])
    assert r.status == 201, r
    numbers = []
    for _ in range(parcels):
        number = sf_number()
        r = api.post(f"/api/v1/orders/{order['id']}/shipments",
                     {"carrier": "SF", "tracking_no": number,
                      "lines": [{"sku": sku, "quantity": quantity // parcels}]})
        assert r.status == 201, r
        numbers.append(number)
    return order, numbers


def push(server, callback_url, number, state, checkpoints, salt=SALT, sign=None):
    param = json.dumps({
        "status": "polling", "billstatus": "got", "message": "",
        "lastResult": {"message": "ok", "state": str(state), "status": "200", "condition": "F00",
                       "ischeck": "1" if state == 3 else "0", "com": "shunfeng", "nu": number,
                       "data": checkpoints}}, ensure_ascii=False)
    sign = sign or hashlib.md5((param + salt).encode("utf-8")).hexdigest().upper()
    body = urllib.parse.urlencode({"param": param, "sign": sign}).encode()
    path = urllib.parse.urlparse(callback_url).path
    return http_request("127.0.0.1", server.port, "POST", path, body,
                        {"Content-Type": "application/x-www-form-urlencoded"})


def scan(text, time, state=None, area="上海市"):
    item = {"context": text, "time": time, "ftime": time, "areaName": area}
    if state is not None:
        item["status"] = state
    return item


def tracking(api, order_id):
    r = api.get(f"/api/v1/orders/{order_id}/tracking")
    assert r.status == 200, r
    return r.json


def sandbox_events(api, order_id):
    r = api.get("/api/v1/sandbox/messages", params={"order_id": order_id})
    assert r.status == 200, r
    return r.json["items"]


# --------------------------------------------------------------------------------------------
# The account


def test_the_account_answers_the_callback_url_and_never_its_secrets(server, account):
    assert account["callback_url"].startswith(f"http://127.0.0.1:{server.port}/api/v1/hooks/")
    assert account["key_set"] and account["salt_set"]
    assert KEY not in json.dumps(account) and SALT not in json.dumps(account)
    # Updating without the secrets keeps them, and keeps the callback address.
    r = server.a.request("PUT", "/api/v1/carriers/kuaidi100",
                         {"url": account["url"], "customer": CUSTOMER})
    assert r.status == 200, r
    assert r.json["callback_url"] == account["callback_url"]
    assert_problem(server.a.request("PUT", "/api/v1/carriers/kuaidi100", {"url": "ftp://x"}),
                   422, "url")
    assert_problem(server.viewer.get("/api/v1/carriers/kuaidi100"), 403)
    assert_problem(server.b.get("/api/v1/carriers/kuaidi100"), 404)


def test_settings_carry_the_stall_time(server):
    r = server.a.patch("/api/v1/settings", {"tracking_stall_hours": 72,
                                            "tracking_stall_hours_by_carrier": {"sf": 24}})
    assert r.status == 200, r
    assert r.json["tracking_stall_hours"] == 72
    assert r.json["tracking_stall_hours_by_carrier"] == {"SF": 24}
    assert_problem(server.a.patch("/api/v1/settings", {"tracking_stall_hours": 0}), 422,
                   "tracking_stall_hours")
    assert_problem(server.a.patch("/api/v1/settings",
                                  {"tracking_stall_hours_by_carrier": {"NOPE": 5}}), 422,
                   "tracking_stall_hours_by_carrier.NOPE")
    assert server.a.patch("/api/v1/settings", {"tracking_stall_hours": 48,
                                               "tracking_stall_hours_by_carrier": {}}).status == 200


# --------------------------------------------------------------------------------------------
# Subscribe, push, deliver


def test_a_shipment_is_subscribed_and_pushes_move_parcel_and_order(server, account, kuaidi100):
    api = server.a
    order, [number] = shipped(api)
    wait_for(lambda: kuaidi100.subscribed(number), what="the subscription at the aggregator")
    [sub] = kuaidi100.subscribed(number)
    assert sub["company"] == "shunfeng" and sub["key"] == KEY
    assert sub["parameters"]["callbackurl"] == account["callback_url"]
    assert sub["parameters"]["salt"] == SALT and sub["parameters"]["resultv2"] == "1"
    assert sub["parameters"]["phone"] == "13912345678"
    wait_for(lambda: tracking(api, order["id"])["parcels"][0]["subscription"] == "subscribed",
             what="the subscription to be recorded")

    # A push with a bad signature is refused and changes nothing.
    bad = push(server, account["callback_url"], number, 5,
               [scan("快件正在派送", "2026-11-23 09:00:00", "派件")], sign="0" * 32)
    assert bad.status == 401 and bad.json["result"] is False
    view = tracking(api, order["id"])
    assert view["parcels"][0]["events"] == [] and view["parcels"][0]["status"] == "info_received"

    out = [scan("快件正在派送，派件员：张师傅", "2026-11-23 09:00:00", "派件"),
           scan("快件已到达上海浦东营业点", "2026-11-23 06:10:00", "在途")]
    r = push(server, account["callback_url"], number, 5, out)
    assert r.status == 200 and r.json == {"result": True, "returnCode": "200", "message": "成功"}
    view = tracking(api, order["id"])
    [parcel] = view["parcels"]
    assert parcel["shipment_id"] and parcel["carrier"] == "SF" and parcel["tracking_no"] == number
    assert parcel["status"] == "out_for_delivery"
    assert [e["text"] for e in parcel["events"]] == [out[1]["context"], out[0]["context"]]
    assert parcel["events"][1]["at"] == "2026-11-23T01:00:00.000Z"  # China time, UTC+8
    assert parcel["eta"] is not None
    assert view["tracking_url"].startswith(f"http://127.0.0.1:{server.port}/t/")

    # The same push again changes nothing.
    assert push(server, account["callback_url"], number, 5, out).status == 200
    assert len(tracking(api, order["id"])["parcels"][0]["events"]) == 2

    delivered = [scan("已签收，签收人：本人", "2026-11-23 11:30:00", "签收")] + out
    assert push(server, account["callback_url"], number, 3, delivered).status == 200
    view = tracking(api, order["id"])
    assert view["parcels"][0]["status"] == "delivered"
    assert view["parcels"][0]["delivered_at"] == "2026-11-23T03:30:00.000Z"
    assert api.get(f"/api/v1/orders/{order['id']}").json["status"] == "delivered"

    def told():
        return {m["subject"] for m in sandbox_events(api, order["id"])}
    wait_for(lambda: any("派送" in s for s in told()) and any("签收" in s for s in told()),
             what="the customer to hear of both")
    texts = " ".join(m["text"] for m in sandbox_events(api, order["id"]))
    assert "/t/" in texts, "messages carry the signed tracking link"


def test_a_push_to_another_address_or_for_an_unknown_number_changes_nothing(server, account):
    r = push(server, account["callback_url"] + "x", "SF0000000000000", 5, [])
    assert r.status == 404 and r.json["result"] is False
    r = push(server, account["callback_url"], "SF0000000000000", 5,
             [scan("x", "2026-11-23 09:00:00")])
    assert r.status == 404
    path = urllib.parse.urlparse(account["callback_url"]).path
    r = http_request("127.0.0.1", server.port, "POST", path, b"param=%7B%7D",
                     {"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 422 and r.json["result"] is False


def test_an_order_in_two_parcels_is_delivered_with_the_second(server, account):
    api = server.a
    order, numbers = shipped(api, quantity=2, parcels=2)
    for i, number in enumerate(numbers):
        r = push(server, account["callback_url"], number, 3,
                 [scan("已签收", f"2026-11-23 1{i}:00:00", "签收")])
        assert r.status == 200, r
        expected = "delivered" if i == 1 else "shipped"
        assert api.get(f"/api/v1/orders/{order['id']}").json["status"] == expected


# --------------------------------------------------------------------------------------------
# Checkpoints by hand and by file


def test_checkpoints_by_hand_are_checked_and_kept(server, account):
    api = server.a
    order, [number] = shipped(api)
    parcel_id = tracking(api, order["id"])["parcels"][0]["parcel_id"]
    r = api.post(f"/api/v1/parcels/{parcel_id}/events",
                 {"events": [{"status": "in_transit", "text": "到达杭州中转场",
                              "at": "2026-11-22T10:00:00Z", "location": "杭州"}]})
    assert r.status == 200, r
    assert r.json["status"] == "in_transit" and r.json["events"][0]["source"] == "manual"
    assert_problem(api.post(f"/api/v1/parcels/{parcel_id}/events",
                            {"events": [{"status": "lost", "text": ""}]}),
                   422, "events[0].status", "events[0].text")
    assert_problem(api.post(f"/api/v1/parcels/{parcel_id}/events",
                            {"events": [{"status": "delivered", "text": "x",
                                         "at": "2099-01-01T00:00:00Z"}]}), 422, "events[0].at")
    assert_problem(server.viewer.post(f"/api/v1/parcels/{parcel_id}/events",
                                      {"events": [{"status": "in_transit", "text": "x"}]}), 403)
    assert_problem(server.b.get(f"/api/v1/parcels/{parcel_id}"), 404)
    assert len(api.get(f"/api/v1/parcels/{parcel_id}").json["events"]) == 1


def test_a_tracking_file_applies_rows_and_names_bad_ones(server, account):
    api = server.a
    order, [number] = shipped(api)
    csv = ("tracking_no,status,text,at,location\r\n"
           f"{number},in_transit,已发往上海,2026-11-22 20:00,杭州\r\n"
           f"{number},in_transit,已发往上海,2026-11-22 20:00,杭州\r\n"
           f"{number},flying,x,2026-11-22 21:00\r\n"
           "SF9999999999999,in_transit,x,2026-11-22 21:00\r\n"
           f"{number},in_transit,x,yesterday\r\n")
    r = api.post_raw("/api/v1/tracking/import", csv, content_type="text/csv")
    assert r.status == 200, r
    assert (r.json["applied"], r.json["unchanged"]) == (1, 1)
    assert [(f["line"], f["column"]) for f in r.json["failed"]] == [
        (4, "status"), (5, "tracking_no"), (6, "at")]
    [event] = tracking(api, order["id"])["parcels"][0]["events"]
    assert event["at"] == "2026-11-22T12:00:00.000Z" and event["source"] == "csv"


# --------------------------------------------------------------------------------------------
# The public tracking page


def get_page(server, path, headers=None):
    return http_request("127.0.0.1", server.port, "GET", path, None, headers or {})


def test_the_page_by_signed_link_shows_the_timeline_and_nothing_private(server, account):
    api = server.a
    order, [number] = shipped(api, phone="13700001234")
    push(server, account["callback_url"], number, 0,
         [scan("快件已到达上海转运中心", "2026-11-23 08:00:00", "在途")])
    url = tracking(api, order["id"])["tracking_url"]
    path = urllib.parse.urlparse(url).path
    r = get_page(server, path)
    assert r.status == 200 and r.headers["content-type"].startswith("text/html")
    page = r.body.decode("utf-8")
    assert "快件已到达上海转运中心" in page and number in page and order["order_no"] in page
    assert "王**" in page and "王小明" not in page
    assert "世纪大道" not in page and "13700001234" not in page
    assert r.headers.get("cache-control") == "no-store"
    english = get_page(server, path + "?lang=en").body.decode("utf-8")
    assert "Expected delivery" in english and "SF Express" in english

    tampered = path[:-1] + ("0" if path[-1] != "0" else "1")
    r = get_page(server, tampered)
    assert r.status == 404 and number.encode() not in r.body
    other = path.replace(f".{order['id']}.", f".{order['id'] - 1}.")
    assert get_page(server, other).status == 404


def test_the_page_by_order_number_and_phone_digits(server, account):
    api = server.a
    order, [number] = shipped(api, phone="13700005678")
    slug = "alpha"
    q = urllib.parse.urlencode({"order_no": order["order_no"], "phone_last4": "5678"})
    r = get_page(server, f"/track/{slug}?{q}")
    assert r.status == 200, r.body[:300]
    assert number in r.body.decode("utf-8")
    q = urllib.parse.urlencode({"order_no": order["order_no"], "phone_last4": "0000"})
    r = get_page(server, f"/track/{slug}?{q}")
    assert r.status == 404 and number.encode() not in r.body
    assert get_page(server, f"/track/{slug}").status == 200  # the form


def test_feedback_from_the_page_counts_once(server, account):
    api = server.a
    order, [number] = shipped(api)
    path = urllib.parse.urlparse(tracking(api, order["id"])["tracking_url"]).path
    body = urllib.parse.urlencode({"intact": "yes", "rating": "4", "comment": "很快"}).encode()
    r = http_request("127.0.0.1", server.port, "POST", path + "/feedback", body,
                     {"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 303, r
    fb = api.get(f"/api/v1/orders/{order['id']}/feedback")
    assert fb.status == 200 and fb.json["rating"] == 4, fb
    assert "收货反馈" not in get_page(server, path).body.decode("utf-8")


def test_the_page_opens_on_a_phone_in_chromium(server, account, tmp_path):
    api = server.a
    order, [number] = shipped(api)
    push(server, account["callback_url"], number, 5,
         [scan("快件正在派送，派件员：张师傅 13800000000", "2026-11-23 09:00:00", "派件"),
          scan("快件已到达上海浦东营业点", "2026-11-23 06:10:00", "在途"),
          scan("顺丰速运 已收取快件", "2026-11-22 18:00:00", "揽收", area="杭州市")])
    url = tracking(api, order["id"])["tracking_url"] + "?lang=zh-CN"
    shot = tmp_path / "tracking-390x844.png"
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is installed by scripts/setup.sh"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=390,844",
                    f"--screenshot={shot}", url],
                   check=True, timeout=120, capture_output=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (390, 844)
    keep = os.environ.get("DEPOT_SCREENSHOTS")
    if keep:
        shutil.copy(shot, keep)


def test_guessing_phone_digits_is_slowed(server, account):
    api = server.a
    order, _ = shipped(api)
    statuses = []
    for guess in range(14):
        q = urllib.parse.urlencode({"order_no": order["order_no"],
                                    "phone_last4": f"{guess:04d}"})
        statuses.append(get_page(server, f"/track/alpha?{q}").status)
    assert statuses[-1] == 429, statuses


def test_a_return_parcel_is_followed_like_any_other(server, account, kuaidi100):
    api = server.a
    order, _ = shipped(api)
    sku = api.get(f"/api/v1/orders/{order['id']}").json["lines"][0]["sku"]
    r = api.post(f"/api/v1/orders/{order['id']}/returns",
                 {"lines": [{"sku": sku, "quantity": 1}], "reason": "尺码不合适", "kind": "return"})
    assert r.status == 201, r
    return_id = r.json["id"]
    assert api.post(f"/api/v1/returns/{return_id}/approve", {}).status == 200
    number = sf_number()
    r = api.post(f"/api/v1/returns/{return_id}/parcel", {"carrier": "SF", "tracking_no": number})
    assert r.status == 200, r
    wait_for(lambda: kuaidi100.subscribed(number), what="the return parcel's subscription")
    r = push(server, account["callback_url"], number, 0,
             [scan("退货快件已揽收", "2026-11-23 08:00:00", "揽收")])
    assert r.status == 200 and r.json["result"] is True, r
    # The order's own tracking lists the parcels it was sent in, not the one coming back.
    assert [p["tracking_no"] for p in tracking(api, order["id"])["parcels"]] != [number]
