"""Loopback stand-ins for the providers depot's notification channels speak to (SPEC NTF-2, INT-3).

Each receiver listens on 127.0.0.1 on a free port, checks what the real provider would check
(signatures, credentials, required parameters), records every request that reached it, and can be
told to fail (answer "try later", refuse for good, or hold the request open) and to recover:

    SmtpReceiver      a real SMTP server (aiosmtpd from Debian); messages parsed by `email`
    AliyunSmsReceiver Aliyun's SendSms RPC API, recomputing the HMAC-SHA1 signature (v1.0)
    WebhookReceiver   a merchant endpoint verifying Standard Webhooks signatures
    PlatformReceiver  a platform taking depot's shipment write-backs (X-Depot-Signature)
    WechatReceiver    WeChat's stable_token and message/template/send
    JPushReceiver     JPush REST v3 /v3/push with Basic auth
    Kuaidi100Receiver Kuaidi100's (快递100) tracking API: /poll and /poll/query.do

Use them as context managers (`with WebhookReceiver(secret) as hook: ...`) or start()/stop().
Everything recorded is kept in plain lists guarded by each receiver's lock; `wait_for()` polls a
condition with a deadline so tests never sleep for fixed times.
"""

import asyncio
import base64
import collections
import email
import email.policy
import hashlib
import hmac
import itertools
import json
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout=15.0, interval=0.05, what="condition"):
    """Polls `condition()` until it returns something truthy; returns that, or raises."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def expect_one_webhook_per_event(api, hook, first_event, event_ids, timeout):
    """Waits until every event after `first_event` has its webhook delivery sent, then checks that
    each of `event_ids` has exactly one delivery, that `hook` received every delivery's key with a
    200, each signed, and that every event came under one webhook id however often it was sent.
    Returns the deliveries' keys and what `hook` received for those events."""
    def all_sent():
        ns = [n for n in api.list_all("/api/v1/notifications", {"channel": "webhook"})
              if n["event_id"] > first_event]
        return ns if len(ns) >= len(event_ids) and all(
            n["status"] == "sent" for n in ns) else None

    ns = wait_for(all_sent, timeout=timeout, interval=0.5, what="every webhook to be sent")
    per_event = collections.Counter(n["event_id"] for n in ns)
    assert set(per_event) == event_ids, "deliveries without an event, or events without one"
    assert set(per_event.values()) == {1}, [e for e, c in per_event.items() if c != 1][:10]

    keys = {n["key"] for n in ns}
    received = [r for r in hook.received() if r["json"]["data"]["id"] > first_event]
    assert all(r["verified"] for r in received)
    assert {r["id"] for r in received if r["status"] == 200} == keys
    ids_per_event = collections.defaultdict(set)
    for r in received:
        ids_per_event[r["json"]["data"]["id"]].add(r["id"])
    assert all(len(ids) == 1 for ids in ids_per_event.values())
    return keys, received


# --------------------------------------------------------------------------------------------
# HTTP receivers


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the receiver that owns the server."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _dispatch(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client died mid-request: nothing arrived
            self.close_connection = True
            return
        receiver = self.server.receiver
        try:
            answer = receiver.handle(self.command, self.path, {k.lower(): v for k, v in
                                                               self.headers.items()}, body)
        except Exception as failure:  # a bug in a receiver must show, not hang depot
            answer = (500, {"error": repr(failure)}, {})
        if answer is None:  # the receiver dropped the connection on purpose
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        status, payload, headers = answer
        data = payload if isinstance(payload, bytes) else json.dumps(
            payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client went away (a killed depot): nothing to answer

    do_GET = do_POST = do_PUT = _dispatch


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # depot opens many connections at once; 5 would drop some SYNs

    def handle_error(self, request, client_address):
        # A killed depot resets its connections; anything else is a receiver bug worth seeing.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class HttpReceiver:
    """Base of the HTTP stand-ins: a threaded server, a lock, a mode and a gate for holding."""

    def __init__(self):
        self.lock = threading.Lock()
        self.port = None
        self._httpd = None
        self._thread = None
        self.mode = "ok"  # ok | down | refuse | gone | hang, as each receiver reads them
        self.retry_after = None  # seconds, sent with "down" answers when set
        self._gate = threading.Event()
        self._gate.set()
        self.held = 0  # requests currently held open

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.port = _free_port()
        self._httpd = _QuietServer(("127.0.0.1", self.port), _Handler)
        self._httpd.receiver = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._gate.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def set_mode(self, mode, retry_after=None):
        with self.lock:
            self.mode = mode
            self.retry_after = retry_after
            if mode == "hang":
                self._gate.clear()
            else:
                self._gate.set()

    def release(self):
        """Lets held requests go on (they are answered as the mode then says)."""
        self.set_mode("ok")

    def _hold(self, timeout=60):
        """Holds the current request while the mode is "hang"."""
        with self.lock:
            self.held += 1
        try:
            self._gate.wait(timeout)
        finally:
            with self.lock:
                self.held -= 1

    def handle(self, method, path, headers, body):
        raise NotImplementedError


# --------------------------------------------------------------------------------------------
# Aliyun SMS (SendSms, RPC style, signature version 1.0)


def aliyun_percent_encode(text):
    """Aliyun's POP encoding: RFC 3986 unreserved kept, everything else %XX (space %20, * %2A)."""
    return urllib.parse.quote(text, safe="-_.~")


def aliyun_signature(method, params, secret):
    canonical = "&".join(f"{aliyun_percent_encode(k)}={aliyun_percent_encode(v)}"
                         for k, v in sorted(params.items()) if k != "Signature")
    to_sign = f"{method}&{aliyun_percent_encode('/')}&{aliyun_percent_encode(canonical)}"
    digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsReceiver(HttpReceiver):
    """Answers SendSms like dysmsapi.aliyuncs.com. `requests` holds every SendSms that reached
    it: {params, verified, answer}; `accepted` the ones answered OK.

    Modes: ok; down (503 ServiceUnavailable); throttled (200 isv.BUSINESS_LIMIT_CONTROL);
    invalid (200 isv.MOBILE_NUMBER_ILLEGAL: a permanent refusal); hang (hold the request)."""

    def __init__(self, access_key_id, access_key_secret, sign_name, templates):
        super().__init__()
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.sign_name = sign_name
        self.templates = dict(templates)  # event -> TemplateCode the account may use
        self.requests = []
        self.accepted = []
        self._nonces = set()
        self._biz = itertools.count(1)

    def handle(self, method, path, headers, body):
        if method != "POST" or urllib.parse.urlsplit(path).path != "/":
            return 404, {"Code": "InvalidAction.NotFound", "Message": f"{method} {path}"}, {}
        ctype = headers.get("content-type", "")
        if not ctype.startswith("application/x-www-form-urlencoded"):
            return 400, {"Code": "InvalidParameter", "Message": f"content type {ctype}"}, {}
        pairs = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                                       strict_parsing=True)
        params = dict(pairs)
        if len(params) != len(pairs):
            return 400, {"Code": "InvalidParameter", "Message": "a parameter is repeated"}, {}
        record = {"params": params, "verified": False, "answer": None, "at": time.time()}
        with self.lock:
            self.requests.append(record)
            mode = self.mode
        if mode == "hang":
            self._hold()
            with self.lock:
                mode = self.mode
        answer = self._answer(params, record, mode)
        record["answer"] = answer[1]
        return answer

    def _answer(self, params, record, mode):
        request_id = str(uuid.uuid4()).upper()
        refuse = lambda code, msg, status=200: (  # noqa: E731
            status, {"Code": code, "Message": msg, "RequestId": request_id}, {})
        expected = aliyun_signature("POST", params, self.access_key_secret)
        if not hmac.compare_digest(params.get("Signature", ""), expected):
            return refuse("SignatureDoesNotMatch", "Specified signature is not matched with our "
                          "calculation.", 400)
        record["verified"] = True
        fixed = {"Action": "SendSms", "Version": "2017-05-25", "SignatureMethod": "HMAC-SHA1",
                 "SignatureVersion": "1.0", "Format": "JSON"}
        for name, value in fixed.items():
            if params.get(name) != value:
                return refuse("InvalidParameter", f"{name} must be {value}", 400)
        if params.get("AccessKeyId") != self.access_key_id:
            return refuse("InvalidAccessKeyId.NotFound", "Specified access key is not found.",
                          404)
        nonce = params.get("SignatureNonce", "")
        with self.lock:
            seen = nonce in self._nonces
            self._nonces.add(nonce)
        if not nonce or seen:
            return refuse("SignatureNonceUsed", "Specified signature nonce was used already.",
                          400)
        if not params.get("Timestamp", "").endswith("Z"):
            return refuse("MissingTimestamp", "Timestamp must be UTC ISO 8601", 400)
        if mode == "down":
            headers = {"Retry-After": str(self.retry_after)} if self.retry_after else {}
            return 503, {"Code": "ServiceUnavailable", "Message": "down for the test",
                         "RequestId": request_id}, headers
        if mode == "throttled":
            return refuse("isv.BUSINESS_LIMIT_CONTROL", "触发流控")
        phone = params.get("PhoneNumbers", "")
        if mode == "invalid" or not (len(phone) == 11 and phone.isdigit() and phone[0] == "1"):
            return refuse("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
        if params.get("SignName") != self.sign_name:
            return refuse("isv.SMS_SIGNATURE_ILLEGAL", "签名不合法")
        if params.get("TemplateCode") not in self.templates.values():
            return refuse("isv.SMS_TEMPLATE_ILLEGAL", "模板不合法")
        if "TemplateParam" in params:
            try:
                template_param = json.loads(params["TemplateParam"])
            except ValueError:
                return refuse("isv.INVALID_JSON_PARAM", "JSON参数不合法")
            if not isinstance(template_param, dict) or not all(
                    isinstance(v, str) for v in template_param.values()):
                return refuse("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值")
        out_id = params.get("OutId", "")
        if not out_id or len(out_id) > 256:
            return refuse("isv.INVALID_PARAMETERS", "OutId")
        biz_id = f"{next(self._biz):06d}^{uuid.uuid4().int % 10**10}"
        with self.lock:
            self.accepted.append(params)
        return 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": request_id}, {}

    def sent_to(self, out_id_prefix=None):
        with self.lock:
            return [p for p in self.accepted
                    if out_id_prefix is None or p.get("OutId", "").startswith(out_id_prefix)]


# --------------------------------------------------------------------------------------------
# Merchant webhooks (Standard Webhooks)


def standard_webhooks_key(secret):
    if secret.startswith("whsec_"):
        return base64.b64decode(secret[len("whsec_"):])
    return secret.encode("utf-8")


def standard_webhooks_signature(secret, msg_id, timestamp, body):
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(standard_webhooks_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class WebhookReceiver(HttpReceiver):
    """A merchant's endpoint. `requests` holds every POST: {id, timestamp, signature, body (bytes),
    json, verified, status}. Modes: ok (200), down (503 [+ Retry-After]), gone (410), hang (hold,
    then answer as the mode says once released), slow (sleep `delay`, then 200)."""

    TOLERANCE_SECONDS = 5 * 60  # what the spec's reference libraries accept

    def __init__(self, secret, path="/hooks/depot"):
        super().__init__()
        self.secret = secret
        self.path = path
        self.requests = []
        self.delay = 0.0

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}{self.path}"

    def verify(self, headers, body):
        msg_id = headers.get("webhook-id")
        stamp = headers.get("webhook-timestamp")
        sigs = headers.get("webhook-signature", "")
        if not msg_id or not stamp or not stamp.isdigit():
            return False
        if abs(time.time() - int(stamp)) > self.TOLERANCE_SECONDS:
            return False
        expected = standard_webhooks_signature(self.secret, msg_id, stamp, body)
        # The header may carry several space-separated signatures (key rotation).
        return any(hmac.compare_digest(s, expected) for s in sigs.split(" "))

    def handle(self, method, path, headers, body):
        if method != "POST" or path != self.path:
            return 404, {"error": "no such hook"}, {}
        verified = self.verify(headers, body)
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            parsed = None
        record = {"id": headers.get("webhook-id"), "timestamp": headers.get("webhook-timestamp"),
                  "signature": headers.get("webhook-signature"), "body": body, "json": parsed,
                  "verified": verified, "content_type": headers.get("content-type"),
                  "status": None, "at": time.time()}
        with self.lock:
            self.requests.append(record)
            mode = self.mode
        if mode == "hang":
            self._hold()
            with self.lock:
                mode = self.mode
        if mode == "slow":
            time.sleep(self.delay)
        if not verified:
            status, headers_out = 401, {}
        elif mode == "down":
            status = 503
            headers_out = {"Retry-After": str(self.retry_after)} if self.retry_after else {}
        elif mode == "gone":
            status, headers_out = 410, {}
        else:
            status, headers_out = 200, {}
        record["status"] = status
        return status, {"received": status == 200}, headers_out

    def received(self):
        with self.lock:
            return list(self.requests)

    def ok_ids(self):
        with self.lock:
            return {r["id"] for r in self.requests if r["status"] == 200}


# --------------------------------------------------------------------------------------------
# Write-back to a platform (issue 9): depot's own signature, the connection's secret


class PlatformReceiver(HttpReceiver):
    """A platform's callback URL for depot's write-backs. Verifies X-Depot-Signature ("sha256=" +
    hex HMAC-SHA256 of the raw body under the connection's secret; a wrong one is answered 401).
    `requests` holds every POST: {delivery, event, signature, body (bytes), json, verified,
    status}. `script` is a list of statuses answered to the next POSTs, in order (then `mode`):
    ok (200), down (503 [+ Retry-After]), refuse (400), hang (hold, then as the mode says)."""

    def __init__(self, secret, path="/depot/shipped"):
        super().__init__()
        self.secret = secret
        self.path = path
        self.requests = []
        self.script = []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}{self.path}"

    def verify(self, headers, body):
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(headers.get("x-depot-signature", ""), expected)

    def handle(self, method, path, headers, body):
        if method != "POST" or path != self.path:
            return 404, {"error": "no such hook"}, {}
        verified = self.verify(headers, body)
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            parsed = None
        record = {"delivery": headers.get("x-depot-delivery"), "event": headers.get("x-depot-event"),
                  "signature": headers.get("x-depot-signature"), "body": body, "json": parsed,
                  "verified": verified, "content_type": headers.get("content-type"),
                  "status": None, "at": time.time()}
        with self.lock:
            self.requests.append(record)
            scripted = self.script.pop(0) if self.script else None
            mode = self.mode
        if mode == "hang" and scripted is None:
            self._hold()
            with self.lock:
                mode = self.mode
        headers_out = {}
        if not verified:
            status = 401
        elif scripted is not None:
            status = scripted
        elif mode == "down":
            status = 503
            headers_out = {"Retry-After": str(self.retry_after)} if self.retry_after else {}
        elif mode == "refuse":
            status = 400
        else:
            status = 200
        record["status"] = status
        return status, {"received": status == 200}, headers_out

    def received(self):
        with self.lock:
            return list(self.requests)

    def accepted(self):
        """The write-backs answered 200, by X-Depot-Delivery."""
        with self.lock:
            return {r["delivery"]: r for r in self.requests if r["status"] == 200}


# --------------------------------------------------------------------------------------------
# Shopify's Admin API: fulfillment orders and fulfillments (REST, 2024-01)


class ShopifyReceiver(HttpReceiver):
    """A Shopify shop's Admin API as depot's write-back uses it. Every request must carry
    X-Shopify-Access-Token equal to `token` (else 401 with Shopify's words). `orders` maps
    Shopify's numeric order id to its fulfillment orders [{id, status}]:
      GET  /admin/api/2024-01/orders/{id}/fulfillment_orders.json  → {"fulfillment_orders": [...]}
      POST /admin/api/2024-01/fulfillments.json  fulfils the named fulfillment orders (status
           "closed"; 422 when one is not open) and records the fulfillment in `fulfillments`.
    `requests` holds every request as (method, path)."""

    API = "/admin/api/2024-01"

    def __init__(self, token):
        super().__init__()
        self.token = token
        self.orders = {}
        self.fulfillments = []
        self.requests = []

    def add_order(self, order_id, fulfillment_order_ids):
        with self.lock:
            self.orders[str(order_id)] = [{"id": fo, "order_id": order_id, "status": "open"}
                                          for fo in fulfillment_order_ids]

    def handle(self, method, path, headers, body):
        with self.lock:
            self.requests.append((method, path))
        if not hmac.compare_digest(headers.get("x-shopify-access-token", ""), self.token):
            return 401, {"errors": "[API] Invalid API key or access token (unrecognized login "
                                   "or wrong password)"}, {}
        prefix, suffix = self.API + "/orders/", "/fulfillment_orders.json"
        if method == "GET" and path.startswith(prefix) and path.endswith(suffix):
            with self.lock:
                found = self.orders.get(path[len(prefix):-len(suffix)])
                listed = [dict(fo) for fo in found] if found is not None else None
            if listed is None:
                return 404, {"errors": "Not Found"}, {}
            return 200, {"fulfillment_orders": listed}, {}
        if method == "POST" and path == self.API + "/fulfillments.json":
            fulfillment = json.loads(body.decode("utf-8"))["fulfillment"]
            wanted = [item["fulfillment_order_id"]
                      for item in fulfillment["line_items_by_fulfillment_order"]]
            with self.lock:
                by_id = {fo["id"]: fo for fos in self.orders.values() for fo in fos}
                if any(by_id.get(fo, {}).get("status") not in ("open", "in_progress")
                       for fo in wanted):
                    return 422, {"errors": ["Fulfillment order is not open"]}, {}
                for fo in wanted:
                    by_id[fo]["status"] = "closed"
                fulfillment = dict(fulfillment, id=len(self.fulfillments) + 1)
                self.fulfillments.append(fulfillment)
            return 201, {"fulfillment": {"id": fulfillment["id"], "status": "success"}}, {}
        return 404, {"errors": "Not Found"}, {}

    def fulfilled(self):
        with self.lock:
            return list(self.fulfillments)


# --------------------------------------------------------------------------------------------
# WeChat official account: stable_token and template messages


class WechatReceiver(HttpReceiver):
    """`token_fetches` counts stable_token calls ({force_refresh, token}); `messages` holds every
    template message accepted. `expire_token()` makes WeChat forget the current token, so the
    next send with it gets errcode 40001 and a plain (not forced) stable_token hands the same,
    dead token back, as the real stable_token does within its lifetime."""

    def __init__(self, appid, secret, templates):
        super().__init__()
        self.appid = appid
        self.secret = secret
        self.templates = dict(templates)
        self.token_fetches = []
        self.messages = []
        self.refused = []  # (token, errcode) of sends WeChat refused
        self.token_delay = 0.0  # seconds stable_token takes to answer
        self._token = None
        self._valid = set()
        self._counter = itertools.count(1)

    def expire_token(self):
        with self.lock:
            self._valid.discard(self._token)

    def handle(self, method, path, headers, body):
        url = urllib.parse.urlsplit(path)
        try:
            payload = json.loads(body.decode("utf-8")) if body else {}
        except (ValueError, UnicodeDecodeError):
            return 200, {"errcode": 47001, "errmsg": "data format error"}, {}
        if method == "POST" and url.path == "/cgi-bin/stable_token":
            return self._stable_token(payload)
        if method == "POST" and url.path == "/cgi-bin/message/template/send":
            token = urllib.parse.parse_qs(url.query).get("access_token", [""])[0]
            return self._send(token, payload)
        return 404, {"errcode": 404, "errmsg": "not found"}, {}

    def _stable_token(self, payload):
        time.sleep(self.token_delay)  # a slow token service lets concurrent sends pile up
        with self.lock:
            if payload.get("grant_type") != "client_credential":
                return 200, {"errcode": 40002, "errmsg": "invalid grant_type"}, {}
            if payload.get("appid") != self.appid or payload.get("secret") != self.secret:
                return 200, {"errcode": 40125, "errmsg": "invalid appsecret"}, {}
            force = bool(payload.get("force_refresh"))
            if force or self._token is None:
                self._token = f"ACCESS_TOKEN_{next(self._counter)}_{uuid.uuid4().hex}"
                self._valid = {self._token}
            self.token_fetches.append({"force_refresh": force, "token": self._token})
            return 200, {"access_token": self._token, "expires_in": 7200}, {}

    def _send(self, token, payload):
        with self.lock:
            mode = self.mode
            if token not in self._valid:
                self.refused.append((token, 40001))
                return 200, {"errcode": 40001, "errmsg": "invalid credential, access_token is "
                             "invalid or not latest"}, {}
        if mode == "down":
            return 200, {"errcode": -1, "errmsg": "system error"}, {}
        if not payload.get("touser") or payload.get("template_id") not in self.templates.values():
            return 200, {"errcode": 40037, "errmsg": "invalid template_id"}, {}
        data = payload.get("data")
        if not isinstance(data, dict) or not all(
                isinstance(v, dict) and isinstance(v.get("value"), str) for v in data.values()):
            return 200, {"errcode": 47001, "errmsg": "data format error"}, {}
        msgid = next(self._counter) + 1_000_000
        with self.lock:
            self.messages.append(payload)
        return 200, {"errcode": 0, "errmsg": "ok", "msgid": msgid}, {}


# --------------------------------------------------------------------------------------------
# JPush REST v3


class JPushReceiver(HttpReceiver):
    def __init__(self, app_key, master_secret):
        super().__init__()
        self.app_key = app_key
        self.master_secret = master_secret
        self.pushes = []

    def handle(self, method, path, headers, body):
        if method != "POST" or urllib.parse.urlsplit(path).path != "/v3/push":
            return 404, {"error": {"code": 404, "message": "not found"}}, {}
        expected = "Basic " + base64.b64encode(
            f"{self.app_key}:{self.master_secret}".encode()).decode()
        if headers.get("authorization") != expected:
            return 401, {"error": {"code": 1004, "message": "app_key and master_secret do not "
                                   "match"}}, {}
        try:
            payload = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return 400, {"error": {"code": 1003, "message": "not JSON"}}, {}
        with self.lock:
            self.pushes.append(payload)
        return 200, {"sendno": "0", "msg_id": str(1000 + len(self.pushes))}, {}


class Kuaidi100Receiver(HttpReceiver):
    """Kuaidi100's poll API: subscriptions at /poll (refused with returnCode 600 for another
    key), real-time queries at /poll/query.do (signed with key and customer; answers "no
    result")."""

    def __init__(self, key, customer):
        super().__init__()
        self.key = key
        self.customer = customer
        self.subscriptions = []
        self.queries = []

    def handle(self, method, path, headers, body):
        assert method == "POST", method
        assert headers["content-type"].startswith("application/x-www-form-urlencoded")
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8")))
        if path == "/poll":
            assert form["schema"] == "json"
            param = json.loads(form["param"])
            with self.lock:
                self.subscriptions.append(param)
            if param["key"] != self.key:
                return 200, {"result": False, "returnCode": "600", "message": "不是订阅用户"}, {}
            return 200, {"result": True, "returnCode": "200", "message": "提交成功"}, {}
        if path == "/poll/query.do":
            expected = hashlib.md5((form["param"] + self.key + self.customer).encode())
            with self.lock:
                self.queries.append(form)
            if (form["sign"] != expected.hexdigest().upper()
                    or form["customer"] != self.customer):
                return 200, {"result": False, "returnCode": "503", "message": "验证签名失败"}, {}
            return 200, {"result": False, "returnCode": "500", "message": "查询无结果"}, {}
        return 404, {"message": "no such path"}, {}

    def subscribed(self, number):
        with self.lock:
            return [s for s in self.subscriptions if s["number"] == number]


# --------------------------------------------------------------------------------------------
# SMTP


class _SmtpHandler:
    def __init__(self, receiver):
        self.receiver = receiver

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.receiver.down:
            return "451 4.3.0 Mail server temporarily unavailable, try later"
        if self.receiver.reject_rcpt:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.receiver.stall_data:
            # Took the message and never answers: the sender gives up waiting and hangs up
            # (which cancels this handler).
            with self.receiver.lock:
                self.receiver.stalled += 1
            while server.transport is not None and not server.transport.is_closing():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Stalled"
        if self.receiver.down:
            return "451 4.3.0 Mail server temporarily unavailable, try later"
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        login = session.auth_data.login.decode() if session.authenticated else None
        with self.receiver.lock:
            self.receiver.messages.append(SmtpMessage(envelope.mail_from,
                                                      list(envelope.rcpt_tos), raw, parsed,
                                                      tls=session.ssl is not None, login=login))
        return "250 2.0.0 Message accepted for delivery"


class SmtpMessage:
    """One message as the SMTP server received it: `tls` says whether the session had turned
    TLS on (STARTTLS), `login` who authenticated (None without AUTH)."""

    def __init__(self, mail_from, rcpt_tos, raw, parsed, tls=False, login=None):
        self.mail_from = mail_from
        self.rcpt_tos = rcpt_tos
        self.raw = raw
        self.message = parsed
        self.tls = tls
        self.login = login

    @property
    def subject(self):
        return str(self.message["Subject"])

    @property
    def message_id(self):
        return str(self.message["Message-ID"]).strip()

    def part(self, subtype):
        """The decoded text of the text/<subtype> part ("plain" or "html")."""
        found = self.message.get_body(preferencelist=(subtype,))
        if found is None or found.get_content_subtype() != subtype:
            return None
        return found.get_content()

    @property
    def text(self):
        return self.part("plain")

    @property
    def html(self):
        return self.part("html")


def _self_signed_context(directory):
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1 (openssl CLI)."""
    cert, key = f"{directory}/cert.pem", f"{directory}/key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class SmtpReceiver:
    """A real SMTP server on loopback. `down = True` answers 451 to RCPT and DATA (a temporary
    failure); `reject_rcpt = True` answers 550 (permanent); `stall_data = True` reads each
    message and then never answers it (the sender times out; nothing is kept), and `stalled`
    counts those messages. `port` listens on that port rather than a free one (a server back
    where another one was).

    With `starttls=True` it offers STARTTLS (a self-signed certificate) and refuses mail without
    it (`starttls="optional"`: offers it, takes mail either way); with `username`/`password` it
    requires AUTH (PLAIN or LOGIN) and answers 535 to a wrong password. `auth_failures`
    counts refused logins."""

    def __init__(self, starttls=False, username=None, password=None, port=None):
        self.lock = threading.Lock()
        self.messages = []
        self.down = False
        self.reject_rcpt = False
        self.stall_data = False
        self.stalled = 0
        self.port = port
        self.starttls = starttls
        self.username = username
        self.password = password
        self.auth_failures = 0
        self._controller = None
        self._tmp = None

    @property
    def host(self):
        return "127.0.0.1"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == self.username
              and auth_data.password.decode() == self.password)
        if not ok:
            with self.lock:
                self.auth_failures += 1
        # handled=False: aiosmtpd then answers 535 itself.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def start(self):
        self.port = self.port or _free_port()
        options = {}
        if self.starttls:
            self._tmp = tempfile.TemporaryDirectory(prefix="smtp-tls-")
            options.update(tls_context=_self_signed_context(self._tmp.name),
                           require_starttls=self.starttls != "optional")
        if self.username is not None:
            options.update(authenticator=self._authenticate, auth_required=True,
                           auth_require_tls=self.starttls)
        self._controller = Controller(_SmtpHandler(self), hostname="127.0.0.1", port=self.port,
                                      ready_timeout=10, **options)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def received(self):
        with self.lock:
            return list(self.messages)
