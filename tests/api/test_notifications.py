"""Customer notifications (issue 6; SPEC NTF-1 … NTF-7, INT-3, AFS-4) against loopback providers.

Every test points merchant alpha's channels at receivers of its own
(tests/api/provider_receivers.py) that check what the real provider would check: a real SMTP
server, Aliyun's SendSms with its RPC signature recomputed, Standard Webhooks signatures, WeChat's
token and template-message API. The retry base is 150 ms so that four attempts take about a
second.
"""

import calendar
import json
import random
import re
import time
import uuid

import pytest

from conftest import assert_problem, http_request
from provider_receivers import (AliyunSmsReceiver, JPushReceiver, SmtpReceiver, WebhookReceiver,
                                WechatReceiver, wait_for)

RETRY_BASE_MS = 150
CHANNELS = ("email", "sms", "wechat", "push", "webhook")

SMS_KEY_ID = "LTAI5tTestKeyId"
SMS_SECRET = "sms-secret/with+odd*chars~"
SIGN_NAME = "深蓝小店"
SMS_TEMPLATES = {"shipment.created": "SMS_460735001", "order.held": "SMS_460735002",
                 "order.cancelled": "SMS_460735003"}
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
WECHAT_APPID = "wx8a1b2c3d4e5f6a7b"
WECHAT_SECRET = "wechat-app-secret-0123456789"
WECHAT_TEMPLATES = {"shipment.created": "tmpl-ship-ok", "order.cancelled": "tmpl-cancel"}
PUSH_KEY, PUSH_SECRET = "jpush-app-key", "jpush-master-secret"


# --------------------------------------------------------------------------------------------
# Receivers and channel accounts


@pytest.fixture
def smtp():
    with SmtpReceiver() as receiver:
        yield receiver


@pytest.fixture
def sms():
    with AliyunSmsReceiver(SMS_KEY_ID, SMS_SECRET, SIGN_NAME, SMS_TEMPLATES) as receiver:
        yield receiver


@pytest.fixture
def webhook():
    with WebhookReceiver(WEBHOOK_SECRET) as receiver:
        yield receiver


@pytest.fixture
def wechat():
    with WechatReceiver(WECHAT_APPID, WECHAT_SECRET, WECHAT_TEMPLATES) as receiver:
        yield receiver


def email_account(smtp):
    return {"host": "127.0.0.1", "port": smtp.port, "from": "深蓝小店 <notify@shop.example>"}


def sms_account(sms):
    return {"url": sms.url, "access_key_id": SMS_KEY_ID, "access_key_secret": SMS_SECRET,
            "sign_name": SIGN_NAME, "templates": SMS_TEMPLATES}


def webhook_account(hook):
    return {"url": hook.url, "secret": hook.secret}


def wechat_account(wx):
    return {"url": wx.url, "appid": WECHAT_APPID, "secret": WECHAT_SECRET,
            "templates": WECHAT_TEMPLATES}


def configure(api, **accounts):
    """Sets up exactly the channels given (name -> body) and removes every other one."""
    for channel in CHANNELS:
        if channel in accounts:
            r = api.request("PUT", f"/api/v1/channels/{channel}", accounts[channel])
            assert r.status in (200, 201), r
        else:
            r = api.request("DELETE", f"/api/v1/channels/{channel}")
            assert r.status in (204, 404), r


@pytest.fixture(scope="module", autouse=True)
def fast_retries(server):
    api = server.a
    r = api.patch("/api/v1/settings", {"notification_retry_base_ms": RETRY_BASE_MS,
                                       "default_channels": ["sms", "wechat", "push", "email"]})
    assert r.status == 200, r
    assert r.json["notification_retry_base_ms"] == RETRY_BASE_MS


def unfinished(api):
    """Deliveries that may still go out: queued, in flight, or waiting for a retry."""
    return [n for n in api.list_all("/api/v1/notifications")
            if n["status"] in ("queued", "sending") or n["next_attempt_at"] is not None]


@pytest.fixture(autouse=True)
def no_channels_left(server):
    """Each test sets up its own channels; none is left pointing at a stopped receiver, and no
    delivery of one test is left to reach the receivers of the next."""
    yield
    if server.alive():
        configure(server.a)
        wait_for(lambda: not unfinished(server.a), timeout=20,
                 what="the test's deliveries to finish")
        r = server.a.patch("/api/v1/settings",
                           {"default_channels": ["sms", "wechat", "push", "email"]})
        assert r.status == 200, r


# --------------------------------------------------------------------------------------------
# Orders and their notifications


def new_phone():
    return "139" + "".join(random.choice("0123456789") for _ in range(8))


def sf_number():
    return "SF" + "".join(random.choice("0123456789") for _ in range(13))


def customer(phone=None, **extra):
    body = {"name": "李四", "phone": phone or new_phone(),
            "email": f"lisi.{uuid.uuid4().hex[:8]}@example.com"}
    body.update(extra)
    return {k: v for k, v in body.items() if v is not None}


def paid_order(api, cust, quantity=1):
    sku = api.product_with_stock(5)
    order = api.order_ok(sku, quantity, customer=cust, shipping_address={
        "province": "上海市", "city": "上海市", "district": "浦东新区",
        "detail": "世纪大道100号", "postcode": "200120"})
    r = api.pay(order["id"], order["total"])
    assert r.status == 201, r
    assert r.json["status"] == "awaiting_shipment", r.json["hold_reasons"]
    return r.json


def ship(api, order, carrier="SF", tracking_no=None):
    tracking_no = tracking_no or sf_number()
    r = api.post(f"/api/v1/orders/{order['id']}/shipments",
                 {"carrier": carrier, "tracking_no": tracking_no})
    assert r.status == 201, r
    return r.json


def shipped_order(api, cust):
    order = paid_order(api, cust)
    shipment = ship(api, order)
    return order, shipment


def notifications(api, order_id, **params):
    return api.list_all("/api/v1/notifications", {"order_id": order_id, **params})


def customer_deliveries(api, order_id, event="shipment.created"):
    """The customer deliveries of one event of the order, oldest first."""
    items = [n for n in notifications(api, order_id)
             if n["audience"] == "customer" and n["event"] == event and n["resend_of"] is None]
    return sorted(items, key=lambda n: n["id"])


def wait_deliveries(api, order_id, done, timeout=15, event="shipment.created", what=None):
    """Polls the order's customer deliveries until done(list) holds; returns the list."""
    found = []

    def check():
        found[:] = customer_deliveries(api, order_id, event)
        return done(found)

    try:
        wait_for(check, timeout=timeout, what=what or f"deliveries of order {order_id}")
    except AssertionError as failure:
        raise AssertionError(f"{failure}: {json.dumps(found, ensure_ascii=False)[:2000]}")
    return list(found)


def detail(api, notification_id):
    r = api.get(f"/api/v1/notifications/{notification_id}")
    assert r.status == 200, r
    return r.json


def millis(stamp):
    """'2024-05-01T08:00:00.123Z' -> epoch milliseconds."""
    day, clock = stamp.rstrip("Z").split("T")
    whole, _, frac = clock.partition(".")
    t = time.strptime(f"{day}T{whole}", "%Y-%m-%dT%H:%M:%S")
    return calendar.timegm(t) * 1000 + int((frac or "0").ljust(3, "0")[:3])


def tickets(api, order_id, **params):
    return api.list_all("/api/v1/tickets", {"order_id": order_id, **params})


def report_path(api):
    r = api.get("/api/v1/channels")
    assert r.status == 200, r
    sms_item = [i for i in r.json["items"] if i["channel"] == "sms"]
    assert sms_item and sms_item[0].get("report_path"), r
    return sms_item[0]["report_path"]


def post_report(server, path, reports):
    """POSTs Aliyun's SmsReport array without an API key, as Aliyun does."""
    data = json.dumps(reports, ensure_ascii=False).encode()
    return http_request("127.0.0.1", server.port, "POST", path, data,
                        {"Content-Type": "application/json"})


def sms_report(key, phone, success=True, code="DELIVERED", msg="用户接收成功"):
    return {"phone_number": phone, "send_time": "2024-05-01 08:00:00",
            "report_time": "2024-05-01 08:00:05", "success": success, "err_code": code,
            "err_msg": msg, "sms_size": "1", "biz_id": "900619746936498440^0", "out_id": key}


# --------------------------------------------------------------------------------------------
# 1. What shipping an order sends, on each provider's protocol


def test_shipping_sends_a_zh_cn_email_through_smtp(api, smtp):
    configure(api, email=email_account(smtp))
    assert api.patch("/api/v1/settings", {"public_url": "https://shop.example"}).status == 200
    cust = customer(preferred_channels=["email"])
    try:
        order, shipment = shipped_order(api, cust)
        # The link is written when the mail is sent, from the settings of that moment.
        [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
    finally:
        assert api.patch("/api/v1/settings", {"public_url": ""}).status == 200
    assert (n["channel"], n["locale"], n["template"], n["attempts"]) == (
        "email", "zh-CN", "default", 1)
    local, domain = cust["email"].split("@")
    assert n["recipient"] == f"{local[0]}***@{domain}"

    [mail] = [m for m in smtp.received() if cust["email"] in m.rcpt_tos]
    assert mail.mail_from == "notify@shop.example"
    assert mail.message["From"].addresses[0].display_name == "深蓝小店"
    assert mail.message_id == f"<{n['key']}@depot>"
    assert mail.subject == f"您的订单{order['order_no']}已发货"
    assert mail.message.get_content_type() == "multipart/alternative"
    for body in (mail.text, mail.html):
        assert body is not None, mail.raw[:2000]
        assert order["order_no"] in body
        assert "顺丰速运" in body
        assert shipment["tracking_no"] in body
    assert "<" in mail.html and "收货地址" in mail.text
    # The signed link to the order's tracking page, under the merchant's public_url.
    assert re.search(rf"https://shop\.example/t/\d+\.{order['id']}\.[0-9a-f]{{32}}", mail.text)


def test_email_uses_starttls_and_auth_when_configured(api):
    with SmtpReceiver(starttls=True, username="shop@example.com", password="p@ss word") as tls:
        account = {**email_account(tls), "starttls": True, "username": "shop@example.com",
                   "password": "p@ss word"}
        # TLS verification is on by default: a self-signed certificate stops the mail.
        configure(api, email=account)
        order, _ = shipped_order(api, customer(preferred_channels=["email"]))
        wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["attempts"] >= 1 and
                        ns[0]["status"] in ("failed", "dead"))
        assert not tls.received()

        configure(api, email={**account, "tls_verify": False})
        cust = customer(preferred_channels=["email"])
        order, _ = shipped_order(api, cust)
        wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
        [mail] = [m for m in tls.received() if cust["email"] in m.rcpt_tos]
        assert mail.tls and mail.login == "shop@example.com"
        assert order["order_no"] in mail.subject

        # A wrong password is a refusal retrying cannot fix.
        configure(api, email={**account, "tls_verify": False, "password": "wrong"})
        order, _ = shipped_order(api, customer(preferred_channels=["email"]))
        [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "dead")
        assert n["attempts"] == 1 and "535" in n["last_error"], n
        assert tls.auth_failures >= 1


def test_a_connection_kept_from_an_earlier_mail_never_weakens_tls(api):
    """Mail that asks for STARTTLS, or for a verified certificate, must not ride on a connection
    libcurl kept open from an earlier mail that asked for less."""
    with SmtpReceiver(starttls="optional") as server:
        configure(api, email=email_account(server))
        order, _ = shipped_order(api, customer(preferred_channels=["email"]))
        wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
        assert server.received()[-1].tls is False

        configure(api, email={**email_account(server), "starttls": True, "tls_verify": False})
        order, _ = shipped_order(api, customer(preferred_channels=["email"]))
        wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
        assert server.received()[-1].tls is True, "STARTTLS asked for, mail sent in plain text"

        configure(api, email={**email_account(server), "starttls": True})
        order, _ = shipped_order(api, customer(preferred_channels=["email"]))
        [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["attempts"] >= 1 and
                              ns[0]["status"] in ("failed", "dead", "sent"))
        assert n["status"] != "sent", "a self-signed certificate passed verification"
        assert len(server.received()) == 2


def test_shipping_sends_a_signed_sendsms_whose_out_id_is_the_key(api, sms):
    configure(api, sms=sms_account(sms))
    phone = new_phone()
    order, shipment = shipped_order(api, customer(phone))
    [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
    assert n["channel"] == "sms" and n["recipient"] == f"{phone[:3]}****{phone[-4:]}"

    got = [r for r in sms.requests if r["params"].get("OutId") == n["key"]]
    assert len(got) == 1, sms.requests
    assert got[0]["verified"], got[0]
    params = got[0]["params"]
    assert params["PhoneNumbers"] == phone
    assert params["SignName"] == SIGN_NAME
    assert params["TemplateCode"] == SMS_TEMPLATES["shipment.created"]
    variables = json.loads(params["TemplateParam"])
    assert variables["order_no"] == order["order_no"]
    assert variables["tracking_no"] == shipment["tracking_no"]
    assert variables["carrier_name"] == "顺丰速运"
    assert n["provider_id"] == got[0]["answer"]["BizId"]
    log = detail(api, n["id"])["attempt_log"]
    assert [a["outcome"] for a in log] == ["sent"]


def test_every_event_goes_to_the_webhook_signed_with_the_key_as_webhook_id(api, webhook, sms):
    configure(api, webhook=webhook_account(webhook), sms=sms_account(sms))
    order, shipment = shipped_order(api, customer())

    def hooks():
        ns = [n for n in notifications(api, order["id"]) if n["channel"] == "webhook"]
        return ns if ns and all(n["status"] == "sent" for n in ns) and any(
            n["event"] == "shipment.created" for n in ns) else None

    hooked = wait_for(hooks, what="webhook deliveries")
    assert {n["audience"] for n in hooked} == {"merchant"}
    events = {e["id"]: e for e in api.events() if e.get("order_id") == order["id"]}
    # One webhook delivery per event of the order: created, paid, shipped, ...
    assert sorted(n["event_id"] for n in hooked) == sorted(events)
    by_id = {r["id"]: r for r in webhook.received()}
    for n in hooked:
        request = by_id[n["key"]]
        assert request["verified"], request
        assert request["content_type"].startswith("application/json")
        body = request["json"]
        assert body["type"] == n["event"]
        assert body["data"]["id"] == n["event_id"]
        assert body["data"]["order_id"] == order["id"]
    ship_hook = by_id[[n for n in hooked if n["event"] == "shipment.created"][0]["key"]]
    assert ship_hook["json"]["data"]["data"]["tracking_no"] == shipment["tracking_no"]


def test_a_raw_webhook_secret_is_used_as_its_bytes(api):
    with WebhookReceiver("plain secret, not base64!") as hook:
        configure(api, webhook=webhook_account(hook))
        sku = api.product_with_stock(3)
        order = api.order_ok(sku, 1)
        wait_for(lambda: any(r["json"] and r["json"]["data"].get("order_id") == order["id"]
                             and r["status"] == 200 for r in hook.received()),
                 what="a verified webhook for the new order")
        assert all(r["verified"] for r in hook.received())


def test_requests_signed_with_the_wrong_secret_are_refused_by_the_receivers(api, sms, webhook):
    configure(api, sms={**sms_account(sms), "access_key_secret": "not-the-secret"},
              webhook={"url": webhook.url, "secret": "whsec_" + "QUJD" * 8})
    order, _ = shipped_order(api, customer())
    [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "dead")
    assert "SignatureDoesNotMatch" in n["last_error"]
    assert not sms.accepted and sms.requests and not any(r["verified"] for r in sms.requests)
    wait_for(lambda: any(r["status"] == 401 for r in webhook.received()), what="a bad webhook")
    assert not any(r["verified"] for r in webhook.received())


def test_an_english_customer_gets_the_english_email(api, smtp):
    configure(api, email=email_account(smtp))
    cust = customer(locale="en", preferred_channels=["email"])
    order, shipment = shipped_order(api, cust)
    [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
    assert n["locale"] == "en"
    [mail] = [m for m in smtp.received() if cust["email"] in m.rcpt_tos]
    assert mail.subject == f"Your order {order['order_no']} has shipped"
    assert "SF Express" in mail.text and shipment["tracking_no"] in mail.text
    assert "顺丰" not in mail.text and "发货" not in mail.subject


# --------------------------------------------------------------------------------------------
# 2. Which channel: preference, then history, then the merchant's order


def first_channel(api, order_id):
    ns = wait_deliveries(api, order_id, lambda ns: len(ns) >= 1)
    return ns[0]


def test_the_customers_preference_comes_first_and_channels_without_address_are_skipped(
        api, smtp, sms):
    configure(api, email=email_account(smtp), sms=sms_account(sms))
    r = api.patch("/api/v1/settings", {"default_channels": ["sms", "email"]})
    assert r.status == 200, r
    order, _ = shipped_order(api, customer(preferred_channels=["email", "sms"]))
    n = first_channel(api, order["id"])
    assert n["channel"] == "email" and n["fallbacks"] == ["sms"]
    # WeChat is preferred but the customer has no openid (and no account is set up): skipped.
    order, _ = shipped_order(api, customer(preferred_channels=["wechat", "email"]))
    assert first_channel(api, order["id"])["channel"] == "email"


def test_without_preference_the_merchants_order_decides(api, smtp, sms):
    configure(api, email=email_account(smtp), sms=sms_account(sms))
    assert api.patch("/api/v1/settings", {"default_channels": ["email", "sms"]}).status == 200
    order, _ = shipped_order(api, customer())
    n = first_channel(api, order["id"])
    assert n["channel"] == "email" and n["fallbacks"] == ["sms"]
    assert api.patch("/api/v1/settings", {"default_channels": ["sms", "email"]}).status == 200
    order, _ = shipped_order(api, customer())
    n = first_channel(api, order["id"])
    assert n["channel"] == "sms" and n["fallbacks"] == ["email"]
    # No email address: email is skipped even though it comes first.
    assert api.patch("/api/v1/settings", {"default_channels": ["email", "sms"]}).status == 200
    order, _ = shipped_order(api, customer(email=None))
    n = first_channel(api, order["id"])
    assert n["channel"] == "sms" and n["fallbacks"] == []


def test_without_preference_the_customers_history_picks_the_channel_that_gets_through(
        server, api, smtp, sms):
    configure(api, email=email_account(smtp), sms=sms_account(sms))
    assert api.patch("/api/v1/settings", {"default_channels": ["email", "sms"]}).status == 200
    phone = new_phone()
    # An SMS that was delivered (the delivery report says so) ...
    first, _ = shipped_order(api, customer(phone, preferred_channels=["sms"]))
    [n] = wait_deliveries(api, first["id"], lambda ns: ns and ns[0]["status"] == "sent")
    r = post_report(server, report_path(api), [sms_report(n["key"], phone)])
    assert r.status == 200, r
    # ... and an email the customer's server refused for good.
    smtp.reject_rcpt = True
    second, _ = shipped_order(api, customer(phone, preferred_channels=["email"]))
    wait_deliveries(api, second["id"], lambda ns: ns and ns[0]["status"] == "dead")
    smtp.reject_rcpt = False

    third, _ = shipped_order(api, customer(phone))
    n = first_channel(api, third["id"])
    assert n["channel"] == "sms", n
    assert n["fallbacks"] == ["email"]
    # A stranger with no history gets the merchant's first channel.
    fourth, _ = shipped_order(api, customer())
    assert first_channel(api, fourth["id"])["channel"] == "email"


def test_failed_delivery_reports_count_against_the_channel(server, api, smtp, sms):
    configure(api, email=email_account(smtp), sms=sms_account(sms))
    assert api.patch("/api/v1/settings", {"default_channels": ["sms", "email"]}).status == 200
    path = report_path(api)
    phone = new_phone()
    for delivered in (True, False, False):
        order, _ = shipped_order(api, customer(phone, preferred_channels=["sms"]))
        [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
        report = sms_report(n["key"], phone) if delivered else sms_report(
            n["key"], phone, False, "MOBILE_NOT_ON_SERVICE", "停机")
        assert post_report(server, path, [report]).status == 200
        if not delivered:  # the email fallback gets through
            wait_deliveries(api, order["id"], lambda ns: len(ns) == 2 and ns[1]["status"] ==
                            "sent")
    # SMS: 1 of 3 got through; email: 2 of 2. The merchant's order alone would say SMS.
    order, _ = shipped_order(api, customer(phone))
    n = first_channel(api, order["id"])
    assert n["channel"] == "email", n


# --------------------------------------------------------------------------------------------
# 3. Provider down: retries with backoff, dead, fallback, a ticket, and a resend


def assert_backoff(log):
    """Four attempts, each gap (end of one to start of the next) at least the jittered
    base·2^(k-1) and growing."""
    assert [a["n"] for a in log] == [1, 2, 3, 4], log
    assert [a["outcome"] for a in log] == ["retry_later"] * 4, log
    gaps = [millis(log[k + 1]["started_at"]) - millis(log[k]["finished_at"]) for k in range(3)]
    for k, gap in enumerate(gaps):
        assert gap >= 0.8 * RETRY_BASE_MS * 2 ** k - 2, (gaps, log)
    assert gaps[0] < gaps[1] < gaps[2], (gaps, log)
    return gaps


def test_a_provider_that_is_down_gets_four_attempts_then_the_next_channel(api, smtp, sms):
    configure(api, email=email_account(smtp), sms=sms_account(sms))
    assert api.patch("/api/v1/settings", {"default_channels": ["email", "sms"]}).status == 200
    smtp.down = True
    phone = new_phone()
    order, shipment = shipped_order(api, customer(phone))
    ns = wait_deliveries(api, order["id"], lambda ns: len(ns) == 2 and ns[1]["status"] == "sent",
                         what="the email to die and the SMS to go out")
    email_n, sms_n = ns
    assert (email_n["channel"], email_n["status"], email_n["attempts"]) == ("email", "dead", 4)
    assert "451" in email_n["last_error"]
    assert_backoff(detail(api, email_n["id"])["attempt_log"])
    assert sms_n["channel"] == "sms" and sms_n["event_id"] == email_n["event_id"]
    assert [p["OutId"] for p in sms.sent_to()].count(sms_n["key"]) == 1
    assert not [m for m in smtp.received() if m.message_id == f"<{email_n['key']}@depot>"]
    assert tickets(api, order["id"]) == []


def test_when_every_channel_dies_one_ticket_opens_and_a_resend_delivers(api, smtp, sms):
    configure(api, email=email_account(smtp), sms=sms_account(sms))
    assert api.patch("/api/v1/settings", {"default_channels": ["sms", "email"]}).status == 200
    smtp.down = True
    sms.set_mode("down")
    order, _ = shipped_order(api, customer())
    ns = wait_deliveries(api, order["id"], lambda ns: len(ns) == 2 and all(
        n["status"] == "dead" for n in ns), what="both channels to die")
    assert [n["channel"] for n in ns] == ["sms", "email"]
    assert [n["attempts"] for n in ns] == [4, 4]
    assert_backoff(detail(api, ns[0]["id"])["attempt_log"])

    found = wait_for(lambda: tickets(api, order["id"]), what="a ticket")
    time.sleep(0.3)  # nothing else may open one: look again a little later
    found = tickets(api, order["id"])
    assert len(found) == 1, found
    ticket = found[0]
    assert (ticket["kind"], ticket["status"], ticket["order_id"]) == (
        "notification_failed", "open", order["id"])
    assert ticket["event_id"] == ns[0]["event_id"]
    assert ticket["notification_id"] == ns[1]["id"]
    kinds = [e["type"] for e in api.events() if e.get("order_id") == order["id"]]
    assert kinds.count("notification.dead") == 1 and kinds.count("ticket.opened") == 1

    # The SMS provider is back: a resend is a new delivery that gets through.
    sms.set_mode("ok")
    r = api.post(f"/api/v1/notifications/{ns[0]['id']}/resend")
    assert r.status == 201, r
    resent = r.json
    assert resent["resend_of"] == ns[0]["id"] and resent["key"] == ns[0]["key"] + "-r1"
    assert r.headers["location"] == f"/api/v1/notifications/{resent['id']}"
    wait_for(lambda: detail(api, resent["id"])["status"] == "sent", what="the resend")
    assert [p["OutId"] for p in sms.sent_to()].count(resent["key"]) == 1
    assert len(tickets(api, order["id"])) == 1
    assert detail(api, ns[0]["id"])["status"] == "dead"  # the original keeps its history
    # A resend of the resend is the original's second resend.
    r = api.post(f"/api/v1/notifications/{resent['id']}/resend")
    assert r.status == 201, r
    assert r.json["resend_of"] == ns[0]["id"] and r.json["key"] == ns[0]["key"] + "-r2", r.json
    wait_for(lambda: detail(api, r.json["id"])["status"] == "sent", what="the second resend")


def test_resend_is_refused_while_the_original_is_in_flight_and_for_unknown_ids(api, sms):
    configure(api, sms=sms_account(sms))
    sms.set_mode("hang")
    try:
        order, _ = shipped_order(api, customer())
        [n] = wait_deliveries(api, order["id"], lambda ns: ns and any(
            r["params"].get("OutId") == ns[0]["key"] for r in sms.requests),
            what="the SMS to reach the provider and be held")
        assert n["status"] == "sending"
        assert_problem(api.post(f"/api/v1/notifications/{n['id']}/resend"), 409)
    finally:
        sms.release()
    wait_deliveries(api, order["id"], lambda ns: ns[0]["status"] == "sent")
    assert_problem(api.post("/api/v1/notifications/999999999/resend"), 404)
    assert_problem(api.get("/api/v1/notifications/999999999"), 404)


def test_a_permanent_refusal_is_not_retried(api, sms, smtp):
    configure(api, sms=sms_account(sms), email=email_account(smtp))
    assert api.patch("/api/v1/settings", {"default_channels": ["sms", "email"]}).status == 200
    sms.set_mode("invalid")
    order, _ = shipped_order(api, customer())
    ns = wait_deliveries(api, order["id"], lambda ns: len(ns) == 2 and ns[1]["status"] == "sent")
    assert (ns[0]["status"], ns[0]["attempts"]) == ("dead", 1)
    assert "MOBILE_NUMBER_ILLEGAL" in ns[0]["last_error"]
    assert [a["outcome"] for a in detail(api, ns[0]["id"])["attempt_log"]] == ["permanent"]


def test_a_webhook_that_answers_503_with_retry_after_is_waited_for_and_410_disables_it(
        api, webhook):
    sku = api.product_with_stock(3)
    configure(api, webhook=webhook_account(webhook))
    webhook.set_mode("down", retry_after=1)
    order = api.order_ok(sku, 1)

    def hook_of(order_id):
        ns = [n for n in notifications(api, order_id) if n["channel"] == "webhook"]
        return ns[0] if ns else None

    def created_hooks():
        return [r for r in webhook.received() if r["json"] and r["json"]["type"] ==
                "order.created" and r["json"]["data"]["order_id"] == order["id"]]

    wait_for(lambda: len(created_hooks()) >= 2, what="a retry")
    first, second = created_hooks()[:2]
    assert first["id"] == second["id"] == hook_of(order["id"])["key"]
    assert second["at"] - first["at"] >= 0.95, "Retry-After: 1 was not honoured"
    webhook.set_mode("ok")
    wait_for(lambda: (hook_of(order["id"]) or {}).get("status") == "sent", what="the webhook")

    webhook.set_mode("gone")
    other = api.order_ok(sku, 1)
    wait_for(lambda: (hook_of(other["id"]) or {}).get("status") == "dead", what="a 410")
    [item] = [i for i in api.get("/api/v1/channels").json["items"] if i["channel"] == "webhook"]
    assert item["disabled"] is True
    count = len(webhook.received())
    third = api.order_ok(sku, 1)
    time.sleep(0.5)
    assert hook_of(third["id"]) is None  # a disabled endpoint gets nothing planned
    assert len(webhook.received()) == count
    # Setting the endpoint up again turns it back on.
    webhook.set_mode("ok")
    configure(api, webhook=webhook_account(webhook))
    assert not [i for i in api.get("/api/v1/channels").json["items"]
                if i["channel"] == "webhook"][0]["disabled"]


def test_held_orders_alert_the_staff_contacts_and_tell_the_customer(api, smtp):
    configure(api, email=email_account(smtp))
    r = api.patch("/api/v1/settings", {"alert_contacts": [
        {"channel": "email", "recipient": "ops@shop.example"}]})
    assert r.status == 200, r
    try:
        sku = api.product_with_stock(3)
        cust = customer(phone="12345", preferred_channels=["email"])
        order = api.order_ok(sku, 1, customer=cust)
        held = api.pay(order["id"], order["total"]).json
        assert held["status"] == "on_hold", held

        def sent_for_held():
            ns = [n for n in notifications(api, order["id"]) if n["event"] == "order.held"]
            return ns if {n["audience"] for n in ns} == {"customer", "staff"} and all(
                n["status"] == "sent" for n in ns) else None

        ns = wait_for(sent_for_held, what="the order.held notifications")
        staff = [n for n in ns if n["audience"] == "staff"]
        assert [n["channel"] for n in staff] == ["email"]
        to_ops = [m for m in smtp.received() if m.rcpt_tos == ["ops@shop.example"]]
        assert any(order["order_no"] in m.subject + m.text for m in to_ops), to_ops
        assert [m for m in smtp.received() if m.rcpt_tos == [cust["email"]]]
    finally:
        assert api.patch("/api/v1/settings", {"alert_contacts": []}).status == 200


# --------------------------------------------------------------------------------------------
# 5. SMS delivery reports


def test_delivery_reports_mark_an_sms_delivered_or_failed(server, api, sms, smtp):
    configure(api, sms=sms_account(sms), email=email_account(smtp))
    assert api.patch("/api/v1/settings", {"default_channels": ["sms", "email"]}).status == 200
    path = report_path(api)
    phone = new_phone()
    good, _ = shipped_order(api, customer(phone))
    [n] = wait_deliveries(api, good["id"], lambda ns: ns and ns[0]["status"] == "sent")
    r = post_report(server, path, [sms_report(n["key"], phone)])
    assert r.status == 200 and r.json == {"code": 0, "msg": "成功"}, r
    delivered = detail(api, n["id"])
    assert delivered["status"] == "delivered" and delivered["delivered_at"]
    assert delivered["attempt_log"][-1]["outcome"] == "delivered"
    # Aliyun repeats a report until it is answered: a repeat changes nothing.
    assert post_report(server, path, [sms_report(n["key"], phone)]).status == 200
    assert detail(api, n["id"])["status"] == "delivered"

    bad, _ = shipped_order(api, customer(phone))
    [n] = wait_deliveries(api, bad["id"], lambda ns: ns and ns[0]["status"] == "sent")
    r = post_report(server, path, [sms_report(n["key"], phone, False, "MOBILE_NOT_ON_SERVICE",
                                              "停机")])
    assert r.status == 200, r
    failed = detail(api, n["id"])
    assert failed["status"] == "failed" and "MOBILE_NOT_ON_SERVICE" in failed["last_error"]
    # Not delivered: the next channel is tried.
    ns = wait_deliveries(api, bad["id"], lambda ns: len(ns) == 2 and ns[1]["status"] == "sent")
    assert ns[1]["channel"] == "email"


def test_a_report_with_a_wrong_token_or_a_bad_body_is_refused(server, api, sms):
    configure(api, sms=sms_account(sms))
    path = report_path(api)
    assert path.startswith("/api/v1/hooks/sms/")
    prefix, token = path.rsplit("/", 1)
    report = [sms_report("depot-no-such-key", "13800138000")]
    r = post_report(server, prefix + "/" + token[:-1] + ("x" if token[-1] != "x" else "y"), report)
    assert_problem(r, 404)
    assert_problem(post_report(server, "/api/v1/hooks/sms/999999/" + token, report), 404)
    r = http_request("127.0.0.1", server.port, "POST", path, b"[{\"success\": true}]",
                     {"Content-Type": "application/json"})
    assert_problem(r, 422, "[0].out_id", "[0].biz_id")
    r = http_request("127.0.0.1", server.port, "POST", path,
                     json.dumps([{**report[0], "success": "yes"}]).encode(),
                     {"Content-Type": "application/json"})
    assert_problem(r, 422, "[0].success")
    r = http_request("127.0.0.1", server.port, "POST", path, b"{not json",
                     {"Content-Type": "application/json"})
    assert 400 <= r.status < 500, r
    # A report about a key depot does not know is acknowledged and ignored.
    assert post_report(server, path, report).status == 200


# --------------------------------------------------------------------------------------------
# 6. WeChat: one token for many sends, refreshed once on 40001


def test_wechat_fetches_its_token_once_and_refreshes_it_once_on_40001(api, wechat):
    configure(api, wechat=wechat_account(wechat))
    # The token service is slow: the sends of all three orders wait for the one fetch.
    wechat.token_delay = 1.0
    orders = []
    for _ in range(3):
        openid = "o" + uuid.uuid4().hex[:27]
        order, shipment = shipped_order(api, customer(wechat_openid=openid,
                                                      preferred_channels=["wechat"]))
        orders.append((order, shipment, openid))
    for order, _, _ in orders:
        wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
    assert len(wechat.token_fetches) == 1, wechat.token_fetches
    assert len(wechat.messages) == 3
    wechat.token_delay = 0.0
    for order, shipment, openid in orders:
        [msg] = [m for m in wechat.messages if m["touser"] == openid]
        assert msg["template_id"] == WECHAT_TEMPLATES["shipment.created"]
        values = {k: v["value"] for k, v in msg["data"].items()}
        assert values["order_no"] == order["order_no"]
        assert values["tracking_no"] == shipment["tracking_no"]

    wechat.expire_token()
    openid = "o" + uuid.uuid4().hex[:27]
    order, _ = shipped_order(api, customer(wechat_openid=openid, preferred_channels=["wechat"]))
    [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
    assert n["attempts"] == 1
    assert len(wechat.refused) == 1
    assert len(wechat.token_fetches) == 2, wechat.token_fetches
    assert wechat.token_fetches[1]["force_refresh"] is True
    assert [m["touser"] for m in wechat.messages].count(openid) == 1


def test_push_goes_to_jpush_with_basic_auth(api):
    with JPushReceiver(PUSH_KEY, PUSH_SECRET) as jpush:
        configure(api, push={"url": jpush.url, "app_key": PUSH_KEY, "master_secret": PUSH_SECRET})
        token = "1a0018970aa" + uuid.uuid4().hex[:8]
        order, shipment = shipped_order(api, customer(device_token=token,
                                                      preferred_channels=["push"]))
        [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
        assert n["channel"] == "push"
        [push] = [p for p in jpush.pushes if token in json.dumps(p)]
        assert order["order_no"] in json.dumps(push, ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# 7. Input: channels, templates, preview, tickets, roles


def test_channel_accounts_are_checked_and_never_echo_a_secret(api, server):
    assert_problem(api.request("PUT", "/api/v1/channels/sms", {
        "url": "http://127.0.0.1:9", "access_key_id": "k", "sign_name": "s"}), 422,
        "access_key_secret")
    assert_problem(api.request("PUT", "/api/v1/channels/email", {"host": "127.0.0.1"}), 422,
                   "port", "from")
    for sender in ("shop", "深蓝小店 <shop>", "Shop <a@shop.example", "Shop <a@shop.example>x",
                   "Shop <a@shop.example>\r\nBcc: b@else.example"):
        assert_problem(api.request("PUT", "/api/v1/channels/email", {
            "host": "127.0.0.1", "port": 25, "from": sender}), 422, "from")
    assert_problem(api.request("PUT", "/api/v1/channels/webhook", {
        "url": "http://127.0.0.1:9/h", "secret": "s", "colour": "blue"}), 422, "colour")
    assert_problem(api.request("PUT", "/api/v1/channels/webhook", {
        "url": "ftp://127.0.0.1/h", "secret": "s"}), 422, "url")
    assert_problem(api.request("PUT", "/api/v1/channels/sms", {
        "url": "http://127.0.0.1:9", "access_key_id": "k", "access_key_secret": "x",
        "sign_name": "s", "templates": {"no.such.event": "SMS_1"}}), 422)
    assert_problem(api.request("PUT", "/api/v1/channels/carrier-pigeon", {}), 404)

    secrets = {"sms": "sms-very-secret-1", "wechat": "wx-very-secret-2",
               "push": "push-very-secret-3", "webhook": "hook-very-secret-4",
               "email": "mail-very-secret-5"}
    configure(api)
    r = api.request("PUT", "/api/v1/channels/sms", {
        "url": "http://127.0.0.1:9", "access_key_id": "k", "access_key_secret": secrets["sms"],
        "sign_name": "s", "templates": SMS_TEMPLATES})
    assert r.status == 201, r
    assert api.request("PUT", "/api/v1/channels/sms", {
        "url": "http://127.0.0.1:9", "access_key_id": "k2", "sign_name": "s"}).status == 200
    for channel, body in (
            ("wechat", {"url": "http://127.0.0.1:9", "appid": "a", "secret": secrets["wechat"]}),
            ("push", {"url": "http://127.0.0.1:9", "app_key": "a",
                      "master_secret": secrets["push"]}),
            ("webhook", {"url": "http://127.0.0.1:9/h", "secret": secrets["webhook"]}),
            ("email", {"host": "127.0.0.1", "port": 2525, "from": "a@shop.example",
                       "username": "u", "password": secrets["email"], "starttls": True})):
        r = api.request("PUT", f"/api/v1/channels/{channel}", body)
        assert r.status == 201, r
        for secret in secrets.values():
            assert secret not in r.body.decode()
    r = api.get("/api/v1/channels")
    assert r.status == 200, r
    text = r.body.decode()
    for secret in secrets.values():
        assert secret not in text
    items = {i["channel"]: i for i in r.json["items"]}
    assert set(items) == set(CHANNELS)
    assert items["sms"]["secrets_set"] == ["access_key_secret"]  # kept when omitted
    assert items["sms"]["settings"]["access_key_id"] == "k2"
    assert items["email"]["secrets_set"] == ["password"]
    assert items["email"]["settings"]["starttls"] in ("true", True)
    assert items["sms"]["report_path"].startswith("/api/v1/hooks/sms/")
    # Only the owner manages channels.
    viewer_put = server.viewer.request("PUT", "/api/v1/channels/webhook",
                                       {"url": "http://127.0.0.1:9/h", "secret": "s"})
    assert_problem(viewer_put, 403)
    assert_problem(server.viewer.get("/api/v1/channels"), 403)
    assert_problem(server.client(server.keys["alpha-operator"]).request(
        "DELETE", "/api/v1/channels/webhook"), 403)
    # Another merchant sees none of it.
    assert server.b.get("/api/v1/channels").json["items"] == []
    assert api.request("DELETE", "/api/v1/channels/push").status == 204
    assert_problem(api.request("DELETE", "/api/v1/channels/push"), 404)


def test_templates_are_validated_saved_and_used(api, smtp):
    path = "/api/v1/templates/shipment.created/email/zh-CN"
    api.request("DELETE", path)
    assert_problem(api.request("PUT", path, {"subject": "发货", "body": "{{no_such_thing}}"}),
                   422, "body")
    assert_problem(api.request("PUT", path, {"subject": "发货", "body": "{{#order_no}}x"}),
                   422, "body")
    assert_problem(api.request("PUT", path, {"subject": "{{nope}}", "body": "ok"}), 422,
                   "subject")
    assert_problem(api.request("PUT", path, {"body": "ok", "footer": "x"}), 422, "footer")
    assert_problem(api.request("PUT", "/api/v1/templates/shipment.created/webhook/zh-CN",
                               {"body": "x"}), 422, "channel")
    assert_problem(api.request("PUT", "/api/v1/templates/shipment.created/email/fr",
                               {"body": "x"}), 422, "locale")
    r = api.get(path)
    assert r.status == 200 and r.json["template"] == "default", r

    body = "亲，{{order_no}}走{{carrier_name}}啦，单号{{tracking_no}}"
    r = api.request("PUT", path, {"subject": "小店发货：{{order_no}}", "body": body})
    assert r.status == 201, r
    assert api.request("PUT", path, {"subject": "小店发货：{{order_no}}", "body": body}).status \
        == 200
    listed = api.get("/api/v1/templates").json
    assert any(t["event"] == "shipment.created" and t["channel"] == "email" for t in
               listed["items"])
    assert {"order_no", "carrier_name", "tracking_no"} <= {v["name"] for v in listed["variables"]}

    configure(api, email=email_account(smtp))
    cust = customer(preferred_channels=["email"])
    order, shipment = shipped_order(api, cust)
    r = api.post("/api/v1/templates/preview", {"order_id": order["id"],
                                               "event": "shipment.created", "channel": "email"})
    assert r.status == 200, r
    assert r.json["template"] == "merchant"
    assert r.json["subject"] == f"小店发货：{order['order_no']}"
    assert r.json["text"] == f"亲，{order['order_no']}走顺丰速运啦，单号{shipment['tracking_no']}"
    assert r.json["values"]["tracking_no"] == shipment["tracking_no"]
    r = api.post("/api/v1/templates/preview", {"order_id": order["id"],
                                               "event": "shipment.created", "channel": "sms",
                                               "locale": "en"})
    assert r.status == 200 and r.json["template"] == "default", r
    assert "SF Express" in r.json["text"] and order["order_no"] in r.json["text"]
    assert_problem(api.post("/api/v1/templates/preview", {
        "order_id": order["id"], "event": "shipment.created", "channel": "email",
        "body": "{{bogus}}"}), 422, "body")
    assert_problem(api.post("/api/v1/templates/preview", {
        "order_id": 999999999, "event": "shipment.created", "channel": "email"}), 404)
    assert_problem(api.post("/api/v1/templates/preview", {"event": "nope", "channel": "fax"}),
                   422, "order_id", "event", "channel")

    [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
    assert n["template"] == "merchant"
    [mail] = [m for m in smtp.received() if cust["email"] in m.rcpt_tos]
    assert mail.subject == f"小店发货：{order['order_no']}"
    assert f"单号{shipment['tracking_no']}" in mail.text
    assert api.request("DELETE", path).status == 204
    assert api.get(path).json["template"] == "default"
    assert_problem(api.request("DELETE", path), 404)


def test_tickets_are_opened_changed_and_commented(api, server):
    sku = api.product_with_stock(3)
    order = api.order_ok(sku, 1)
    assert_problem(api.post("/api/v1/tickets", {"kind": "complaint", "subject": "x"}), 422,
                   "order_id")
    assert_problem(api.post("/api/v1/tickets", {"kind": "notification_failed",
                                                "order_id": order["id"], "subject": "x"}), 422,
                   "kind")
    assert_problem(api.post("/api/v1/tickets", {"kind": "complaint", "order_id": 999999999,
                                                "subject": "x"}), 422, "order_id")
    r = api.post("/api/v1/tickets", {"kind": "complaint", "order_id": order["id"],
                                     "subject": "快递员态度差", "comment": "客户来电投诉",
                                     "assignee": "小王"})
    assert r.status == 201, r
    ticket = r.json
    assert (ticket["kind"], ticket["status"], ticket["order_id"], ticket["assignee"]) == (
        "complaint", "open", order["id"], "小王")
    assert [c["text"] for c in ticket["comments"]] == ["客户来电投诉"]
    r = api.patch(f"/api/v1/tickets/{ticket['id']}", {"status": "in_progress",
                                                       "assignee": "小李"})
    assert r.status == 200 and (r.json["status"], r.json["assignee"]) == ("in_progress", "小李")
    assert_problem(api.patch(f"/api/v1/tickets/{ticket['id']}", {"status": "done"}), 422,
                   "status")
    assert_problem(api.patch(f"/api/v1/tickets/{ticket['id']}", {"owner": "x"}), 422, "owner")
    r = api.post(f"/api/v1/tickets/{ticket['id']}/comments", {"text": "已致电客户"})
    assert r.status == 201, r
    assert [c["text"] for c in r.json["comments"]] == ["客户来电投诉", "已致电客户"]
    assert_problem(api.post(f"/api/v1/tickets/{ticket['id']}/comments", {"text": ""}), 422,
                   "text")
    assert api.patch(f"/api/v1/tickets/{ticket['id']}", {"status": "resolved"}).status == 200
    got = api.get(f"/api/v1/tickets/{ticket['id']}")
    assert got.status == 200 and got.json["status"] == "resolved"
    assert len(got.json["comments"]) == 2
    listed = tickets(api, order["id"])
    assert [t["id"] for t in listed] == [ticket["id"]]
    assert tickets(api, order["id"], status="open") == []
    assert [t["id"] for t in tickets(api, order["id"], kind="complaint")] == [ticket["id"]]
    assert "ticket.opened" in [e["type"] for e in api.events() if e.get("order_id") ==
                               order["id"]]
    # Roles and merchants.
    assert_problem(server.viewer.post("/api/v1/tickets", {
        "kind": "complaint", "order_id": order["id"], "subject": "x"}), 403)
    assert server.viewer.get(f"/api/v1/tickets/{ticket['id']}").status == 200
    assert_problem(server.b.get(f"/api/v1/tickets/{ticket['id']}"), 404)
    assert_problem(api.get("/api/v1/tickets/999999999"), 404)


def test_the_notification_log_is_searchable_and_masks_recipients(api, server, sms):
    configure(api, sms=sms_account(sms))
    phone = new_phone()
    order, _ = shipped_order(api, customer(phone))
    [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] == "sent")
    by_phone = api.list_all("/api/v1/notifications", {"phone": phone})
    assert [x["id"] for x in by_phone] == [n["id"]]
    assert phone not in json.dumps(by_phone)
    assert api.list_all("/api/v1/notifications", {"phone": phone, "status": "dead"}) == []
    assert [x["id"] for x in api.list_all("/api/v1/notifications", {
        "phone": phone, "status": "sent", "channel": "sms"})] == [n["id"]]
    assert_problem(api.get("/api/v1/notifications", params={"status": "lost"}), 422, "status")
    assert_problem(api.get("/api/v1/notifications", params={"channel": "fax"}), 422, "channel")
    full = detail(api, n["id"])
    assert order["order_no"] in full["message"]["text"]
    assert full["attempt_log"][0]["duration_ms"] >= 0
    assert server.viewer.get(f"/api/v1/notifications/{n['id']}").status == 200
    assert_problem(server.viewer.post(f"/api/v1/notifications/{n['id']}/resend"), 403)
    assert_problem(server.b.get(f"/api/v1/notifications/{n['id']}"), 404)
    assert server.b.list_all("/api/v1/notifications", {"order_id": order["id"]}) == []


# --------------------------------------------------------------------------------------------
# 8. The sandbox


def test_a_sandbox_channel_delivers_into_the_sandbox_inbox(api):
    r = api.request("PUT", "/api/v1/channels/email", {"sandbox": True})
    assert r.status in (200, 201), r
    assert r.json["sandbox"] is True
    for channel in ("sms", "wechat", "push", "webhook"):
        api.request("DELETE", f"/api/v1/channels/{channel}")
    cust = customer(preferred_channels=["email"])
    order, shipment = shipped_order(api, cust)
    [n] = wait_deliveries(api, order["id"], lambda ns: ns and ns[0]["status"] in (
        "sent", "delivered"))
    r = api.get("/api/v1/sandbox/messages", params={"order_id": order["id"]})
    assert r.status == 200, r
    [msg] = r.json["items"]
    assert (msg["notification_id"], msg["order_id"], msg["channel"]) == (n["id"], order["id"],
                                                                          "email")
    assert msg["subject"] == f"您的订单{order['order_no']}已发货"
    assert shipment["tracking_no"] in msg["text"] and "顺丰速运" in msg["text"]
    assert cust["email"] not in json.dumps(msg)


def test_nothing_is_sent_for_events_the_merchant_does_not_notify(api, smtp, webhook):
    configure(api, email=email_account(smtp), webhook=webhook_account(webhook))
    sku = api.product_with_stock(3)
    cust = customer(preferred_channels=["email"])
    order = api.order_ok(sku, 1, customer=cust)
    wait_for(lambda: any(r["json"]["data"].get("order_id") == order["id"]
                         for r in webhook.received() if r["json"]),
             what="the order.created webhook")
    assert customer_deliveries(api, order["id"], "order.created") == []
    assert not [m for m in smtp.received() if cust["email"] in m.rcpt_tos]

