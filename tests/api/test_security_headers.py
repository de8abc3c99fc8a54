"""Security headers on every answer, private data files, and provider secrets kept out of the log
(issue 13, "Security headers and secrets")."""

import base64
import json
import re
import stat
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ON_POSTGRES, http_request, run_cli
from test_images import png_bytes, upload

# Debug level: the access log and every provider line are written, so the log check sees them.
SERVE_ARGS = ["--log-level", "debug"]


def get(server, path, headers=None):
    return http_request("127.0.0.1", server.port, "GET", path, headers=headers or {})


def assert_common_headers(r, what):
    assert r.headers.get("x-content-type-options") == "nosniff", (what, r.headers)
    assert r.headers.get("x-frame-options") == "DENY", (what, r.headers)
    assert r.headers.get("referrer-policy") == "no-referrer", (what, r.headers)


def assert_page_policy(r, what):
    policy = r.headers.get("content-security-policy", "")
    directives = {d.strip().split(" ")[0] for d in policy.split(";") if d.strip()}
    assert "default-src" in directives, (what, policy)
    assert "frame-ancestors 'none'" in policy, (what, policy)
    assert "'unsafe-eval'" not in policy, (what, policy)
    assert not re.search(r"script-src[^;]*'unsafe-inline'", policy), (what, policy)


def test_every_kind_of_answer_carries_the_security_headers(server, api):
    key = {"Authorization": f"Bearer {server.keys['alpha']}"}
    answers = {
        "health": get(server, "/healthz"),
        "api": get(server, "/api/v1/products", key),
        "api document": get(server, "/api/v1/openapi.json"),
        "401 problem": get(server, "/api/v1/products"),
        "404 problem": get(server, "/api/v1/no-such-thing", key),
        "metrics": get(server, "/metrics"),
        "console": get(server, "/"),
        "console route": get(server, "/orders/42"),
        "docs page": get(server, "/docs/"),
        "tracking page": get(server, "/t/no-such-token"),
        "tracking lookup": get(server, "/track/alpha"),
    }
    sku = api.create_product()
    image = upload(api, sku, "p.png", "image/png", png_bytes())
    assert image.status == 201, image
    answers["media"] = get(server, image.json["url"])
    assert answers["media"].headers.get("content-security-policy") == "default-src 'none'; sandbox"
    for page in ("console", "docs page", "tracking page"):
        assert answers[page].headers.get("content-type", "").startswith("text/html"), page
    index = answers["console"].body.decode("utf-8", "replace")
    asset = re.search(r'/assets/[^"\']+', index)
    if asset:
        answers["asset"] = get(server, asset.group(0))
        assert answers["asset"].status == 200, answers["asset"]
    for what, r in answers.items():
        assert_common_headers(r, what)
        if r.headers.get("content-type", "").startswith("text/html"):
            assert_page_policy(r, what)


def test_the_tracking_page_has_a_policy_that_lets_its_form_work(server):
    r = get(server, "/track/alpha")
    assert r.headers.get("content-type", "").startswith("text/html"), r
    policy = r.headers.get("content-security-policy", "")
    assert "form-action 'self'" in policy, policy
    assert "script-src" not in policy or "'none'" in policy, policy


def test_files_the_service_creates_are_private_to_its_user(server, api, depot_bin, tmp_path):
    data = server.data_dir
    if not ON_POSTGRES:  # the database's own files, which depot on PostgreSQL does not have
        fresh = tmp_path / "fresh-data"
        run_cli(depot_bin, "migrate", "--data", str(fresh))
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
        assert stat.S_IMODE((fresh / "depot.db").stat().st_mode) == 0o600
        backup = tmp_path / "backup.db"
        run_cli(depot_bin, "backup", "--data", str(fresh), "--to", str(backup))
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        for name in ("depot.db", "depot.db-wal"):
            assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name

    # Every stored image.
    sku = api.create_product()
    assert upload(api, sku, "p.png", "image/png", png_bytes()).status == 201
    media = data / "media"
    assert stat.S_IMODE(media.stat().st_mode) == 0o700
    files = list(media.iterdir())
    assert files
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


# ---- Provider secrets never reach the log, even when a provider echoes the request back


class _EchoHandler(BaseHTTPRequestHandler):
    """Answers every request 400 with the request itself (line, headers, body) as its body: the
    worst a provider could send back, since depot logs what a failing provider answered."""

    def _echo(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        text = (f"{self.command} {self.path}\n{self.headers}\n").encode() + body
        answer = json.dumps({"errcode": 40013, "error": {"code": 1003,
                                                         "message": text.decode("latin-1")},
                             "Code": "isv.INVALID", "Message": text.decode("latin-1")}).encode()
        self.server.requests.append(text)
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = _echo

    def log_message(self, *args):
        pass


@pytest.fixture
def echo():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHandler)
    srv.requests = []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_provider_secrets_are_never_logged(server, api, echo):
    url = f"http://127.0.0.1:{echo.server_address[1]}"
    secrets = {
        "sms": "sms-secret-" + uuid.uuid4().hex,
        "wechat": "wx-secret-" + uuid.uuid4().hex,
        "push": "push-secret-" + uuid.uuid4().hex,
        "webhook": "whsec_" + base64.b64encode(uuid.uuid4().bytes * 2).decode(),
    }
    accounts = {
        "sms": {"url": url, "access_key_id": "LTAIkey", "access_key_secret": secrets["sms"],
                "sign_name": "店", "templates": {"shipment.created": "SMS_1"}},
        "wechat": {"url": url, "appid": "wx0123456789abcdef", "secret": secrets["wechat"],
                   "templates": {"shipment.created": "tmpl-1"}},
        "push": {"url": url, "app_key": "push-app", "master_secret": secrets["push"]},
        "webhook": {"url": url + "/hook", "secret": secrets["webhook"]},
    }
    for channel, body in accounts.items():
        r = api.request("PUT", f"/api/v1/channels/{channel}", body)
        assert r.status in (200, 201), r
    try:
        assert api.patch("/api/v1/settings", {
            "notification_retry_base_ms": 100,
            "default_channels": ["sms", "wechat", "push"]}).status == 200
        sku = api.product_with_stock(3)
        order = api.order_ok(sku, 1, customer={
            "name": "李四", "phone": "13912345678", "email": "li@example.com",
            "wechat_openid": "o-openid-1", "device_token": "dev-token-1"})
        assert api.pay(order["id"], order["total"]).status in (200, 201)
        r = api.post(f"/api/v1/orders/{order['id']}/shipments",
                     {"carrier": "SF", "tracking_no": "SF" + str(uuid.uuid4().int)[:13]})
        assert r.status == 201, r
        # Every provider was asked (and answered with the request echoed back).
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            seen = b"\n".join(echo.requests)
            if all(marker in seen for marker in (b"/hook", b"SendSms", b"cgi-bin", b"push")):
                break
            time.sleep(0.2)
        time.sleep(1.0)  # the outcomes are logged as they come back
    finally:
        for channel in accounts:
            api.request("DELETE", f"/api/v1/channels/{channel}")
    seen = b"\n".join(echo.requests).decode("latin-1")
    assert secrets["wechat"] in seen, "the WeChat token request did not reach the echo"
    basic = base64.b64encode(f"push-app:{secrets['push']}".encode()).decode()
    assert basic in seen, "the push request did not reach the echo"
    log = server.log_path.read_text(errors="replace")
    # The failures were logged with what the providers answered: where a secret would show.
    assert "jpush" in log and "wechat" in log, log[-3000:]
    for name, secret in (*secrets.items(), ("push basic auth", basic)):
        assert secret not in log, f"the {name} secret is in the server log"
