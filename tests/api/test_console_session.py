"""The console's server side: the single-page app at / and its client routes, `depot user create`,
login sessions with an HttpOnly cookie and CSRF protection, slowed guessing, users and API keys
(owner only), and the division tree of the address picker (SPEC UI-1, SEC-1, SEC-2)."""

import json
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from conftest import API_DOCUMENT, Server, assert_problem, http_request, run_cli

PASSWORD = "correct horse 1"
# The users the tests log in as, made with `depot user create` before the server starts: the
# command writes to the database directly, so it is for setting up (or for a stopped server);
# a running server's users are added through the API (docs/console.md).
USERS = {
    "owner": ("alpha", "owner"),
    "operator": ("alpha", "operator"),
    "service": ("alpha", "service"),
    "viewer": ("alpha", "viewer"),
    "wrong-password": ("alpha", "viewer"),
    "throttled": ("alpha", "operator"),
    "bystander": ("alpha", "operator"),
    "beta-owner": ("beta", "owner"),
}


def new_email(prefix="u"):
    return f"{prefix}-{uuid.uuid4().hex[:8]}@shop.test"


def email_of(name):
    return f"{name}@shop.test"


@pytest.fixture(scope="module")
def server(depot_bin):
    tmp = tempfile.mkdtemp(prefix="depot-api-console-")
    srv = Server(depot_bin, Path(tmp) / "data", Path(tmp) / "server.log")
    try:
        srv.setup_data()
        for name, (tenant, role) in USERS.items():
            run_cli(srv.binary, "user", "create", "--data", str(srv.data_dir), "--tenant", tenant,
                    "--email", email_of(name), "--role", role, "--password", PASSWORD)
        srv.start()
        yield srv
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def logged_in(server, name):
    browser = Browser(server)
    resp = browser.log_in(email_of(name), PASSWORD)
    assert resp.status == 200, resp
    return browser


class Browser:
    """What a browser does with depot's cookie: keeps it, sends it, and sends the CSRF token on
    writes when the page's script puts it there."""

    def __init__(self, server):
        self.server = server
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, csrf=True, headers=None):
        hdrs = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if self.cookie:
            hdrs["Cookie"] = f"depot_session={self.cookie}"
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            hdrs["X-CSRF-Token"] = self.csrf
        resp = http_request("127.0.0.1", self.server.port, method, path, data, hdrs)
        API_DOCUMENT.check(method, path, resp.status, resp.headers.get("content-type", ""),
                           resp.body)
        return resp

    def log_in(self, email, password):
        resp = self.request("POST", "/api/v1/session", {"email": email, "password": password})
        if resp.status == 200:
            self.cookie = re.match(r"depot_session=([^;]*)", resp.headers["set-cookie"]).group(1)
            self.csrf = resp.json["csrf_token"]
        return resp


@pytest.fixture(scope="module")
def owner(server):
    return logged_in(server, "owner")


# --------------------------------------------------------------------------------------------
# The app and its routes


def test_root_and_client_routes_serve_the_console(server):
    root = http_request("127.0.0.1", server.port, "GET", "/")
    assert root.status == 200
    assert root.headers["content-type"].startswith("text/html")
    assert b'<div id="app">' in root.body and b'type="module"' in root.body
    assert root.headers["cache-control"] == "no-cache"
    assert "script-src" not in root.headers["content-security-policy"]  # default-src 'self'
    for client_route in ("/orders", "/orders/12", "/inventory", "/login"):
        page = http_request("127.0.0.1", server.port, "GET", client_route)
        assert page.status == 200 and page.body == root.body, client_route
    # The API keeps its own 404s, and the API page stays at /docs/.
    assert_problem(server.anon.get("/api/v1/no-such-thing"), 404)
    assert b"swagger-ui" in http_request("127.0.0.1", server.port, "GET", "/docs/").body


def test_hashed_assets_are_cached_for_a_year(server):
    root = http_request("127.0.0.1", server.port, "GET", "/").body.decode()
    assets = re.findall(r'(?:src|href)="(/assets/[^"]+)"', root)
    assert assets, root
    for path in assets:
        asset = http_request("127.0.0.1", server.port, "GET", path)
        assert asset.status == 200, path
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert asset.headers["content-type"].split(";")[0] in ("text/javascript", "text/css")
    missing = http_request("127.0.0.1", server.port, "GET", "/assets/nope-123.js")
    assert missing.status == 404


# --------------------------------------------------------------------------------------------
# depot user create


def test_user_create_takes_the_password_from_an_option_or_standard_input(server_factory):
    srv = server_factory()
    base = [srv.binary, "user", "create", "--data", str(srv.data_dir)]
    by_option = subprocess.run(base + ["--tenant", "alpha", "--email", "Option@Shop.test",
                                       "--role", "owner", "--password", "from option 1"],
                               capture_output=True, text=True, timeout=60,
                               env=srv.command_env())
    assert by_option.returncode == 0, by_option.stderr
    by_stdin = subprocess.run(base + ["--tenant", "alpha", "--email", "stdin@shop.test",
                                      "--role", "service"],
                              input="from stdin 123\n", capture_output=True, text=True,
                              timeout=60, env=srv.command_env())
    assert by_stdin.returncode == 0, by_stdin.stderr
    # A new merchant is made on the way, as `depot apikey create` does.
    new_shop = subprocess.run(base + ["--tenant", "delta", "--email", "d@shop.test", "--role",
                                      "viewer", "--password", "delta pass 1"],
                              capture_output=True, text=True, timeout=60,
                              env=srv.command_env())
    assert new_shop.returncode == 0, new_shop.stderr
    srv.start()
    assert Browser(srv).log_in("option@shop.test", "from option 1").json["user"]["role"] == "owner"
    assert Browser(srv).log_in("stdin@shop.test", "from stdin 123").json["user"]["role"] == "service"
    assert Browser(srv).log_in("d@shop.test", "delta pass 1").json["tenant"]["slug"] == "delta"


def test_user_create_refuses_bad_input(server_factory):
    srv = server_factory()
    base = [srv.binary, "user", "create", "--data", str(srv.data_dir), "--tenant", "alpha"]

    def attempt(email, role, password):
        return subprocess.run(base + ["--email", email, "--role", role, "--password", password],
                              capture_output=True, text=True, timeout=60,
                              env=srv.command_env())

    short = attempt("a@shop.test", "viewer", "short")
    assert short.returncode != 0 and "password" in short.stderr
    assert attempt("a@shop.test", "viewer", "long enough 1").returncode == 0
    again = attempt("A@SHOP.test", "owner", "long enough 1")
    assert again.returncode != 0 and "email" in again.stderr
    assert attempt("not-an-email", "viewer", "long enough 1").returncode != 0
    assert attempt("b@shop.test", "boss", "long enough 1").returncode != 0


# --------------------------------------------------------------------------------------------
# Sessions


def test_login_sets_an_http_only_lax_cookie_and_answers_the_session(server):
    email, password = email_of("operator"), PASSWORD
    browser = Browser(server)
    resp = browser.log_in(email.upper(), password)  # emails are found whatever their case
    assert resp.status == 200
    cookie = resp.headers["set-cookie"]
    attributes = [part.strip() for part in cookie.split(";")]
    assert "HttpOnly" in attributes and "SameSite=Lax" in attributes and "Path=/" in attributes
    assert any(a.startswith("Max-Age=") and int(a[8:]) > 3600 for a in attributes)
    assert "Secure" not in attributes  # plain HTTP on loopback
    body = resp.json
    assert body["user"]["email"] == email and body["user"]["role"] == "operator"
    assert body["tenant"]["slug"] == "alpha"
    assert "create_orders" in body["permissions"] and "manage" not in body["permissions"]
    assert len(body["csrf_token"]) >= 32
    assert resp.headers["cache-control"] == "no-store"
    again = browser.request("GET", "/api/v1/session")
    assert again.status == 200 and again.json["csrf_token"] == body["csrf_token"]
    # Behind an HTTPS proxy the cookie is Secure.
    proxied = Browser(server).request("POST", "/api/v1/session",
                                      {"email": email, "password": password},
                                      headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in [p.strip() for p in proxied.headers["set-cookie"].split(";")]


def test_wrong_password_and_unknown_email_answer_the_same_401(server):
    email = email_of("wrong-password")
    wrong = Browser(server).log_in(email, "not the password")
    unknown = Browser(server).log_in(new_email("nobody"), "not the password")
    assert_problem(wrong, 401)
    assert_problem(unknown, 401)
    assert wrong.json["detail"] == unknown.json["detail"]
    assert "set-cookie" not in wrong.headers
    assert_problem(Browser(server).request("POST", "/api/v1/session", {"email": email}), 422,
                   "password")
    assert_problem(Browser(server).request("GET", "/api/v1/session"), 401)


def test_reads_need_only_the_cookie_and_writes_need_the_csrf_token(server, owner):
    assert owner.request("GET", "/api/v1/orders").status == 200
    sku = f"CSRF-{uuid.uuid4().hex[:6]}"
    product = {"sku": sku, "name": "Cup", "price": 1200}
    assert_problem(owner.request("POST", "/api/v1/products", product, csrf=False), 403)
    assert_problem(owner.request("POST", "/api/v1/products", product, csrf=False,
                                 headers={"X-CSRF-Token": "x" * 32}), 403)
    assert server.a.get(f"/api/v1/products/{sku}").status == 404  # nothing was written
    created = owner.request("POST", "/api/v1/products", product)
    assert created.status == 201, created
    # A forged cookie is no session at all.
    forged = Browser(server)
    forged.cookie, forged.csrf = "made-up", "made-up"
    assert_problem(forged.request("GET", "/api/v1/orders"), 401)
    # Written as the user, in the audit log.
    entries = server.a.get("/api/v1/audit", params={"object": f"product:{sku}"}).json["items"]
    assert entries[0]["actor"] == f"user:{owner.request('GET', '/api/v1/session').json['user']['id']}"


def test_roles_are_enforced_for_sessions_as_for_keys(server):
    order = server.a.order_ok(server.a.product_with_stock(5), 1)
    viewer = logged_in(server, "viewer")
    assert viewer.request("GET", f"/api/v1/orders/{order['id']}").status == 200
    refused = viewer.request("POST", f"/api/v1/orders/{order['id']}/cancel", {"reason": "no"})
    assert_problem(refused, 403)
    assert server.a.get_order(order["id"])["status"] == order["status"]
    assert_problem(viewer.request("GET", "/api/v1/users"), 403)


def test_a_session_sees_only_its_merchant(server):
    alpha_order = server.a.order_ok(server.a.product_with_stock(5), 1)
    beta = logged_in(server, "beta-owner")
    assert beta.request("GET", "/api/v1/session").json["tenant"]["slug"] == "beta"
    assert_problem(beta.request("GET", f"/api/v1/orders/{alpha_order['id']}"), 404)
    listed = beta.request("GET", f"/api/v1/orders?order_no={alpha_order['order_no']}")
    assert listed.status == 200 and listed.json["items"] == []


def test_logout_ends_the_session_for_good(server):
    browser = logged_in(server, "service")
    copied = browser.cookie
    assert_problem(browser.request("DELETE", "/api/v1/session", csrf=False), 403)
    out = browser.request("DELETE", "/api/v1/session")
    assert out.status == 204
    assert "Max-Age=0" in out.headers["set-cookie"]
    thief = Browser(server)
    thief.cookie = copied
    assert_problem(thief.request("GET", "/api/v1/orders"), 401)
    assert_problem(thief.request("GET", "/api/v1/session"), 401)


def test_repeated_failures_are_slowed_for_that_email(server):
    email = email_of("throttled")
    for _ in range(5):
        assert Browser(server).log_in(email, "wrong password").status == 401
    throttled = Browser(server).log_in(email, PASSWORD)  # even the right password must wait
    assert_problem(throttled, 429)
    assert int(throttled.headers["retry-after"]) >= 1
    # Another email from the same address is not held up by this one.
    logged_in(server, "bystander")


# --------------------------------------------------------------------------------------------
# Users and keys (owner only)


def test_owner_manages_users_and_a_change_ends_their_sessions(server, owner):
    email = new_email("staff")
    created = owner.request("POST", "/api/v1/users",
                            {"email": email, "role": "operator", "password": "staff pass 1"})
    assert created.status == 201, created
    user_id = created.json["id"]
    assert created.json["last_login_at"] is None
    assert_problem(owner.request("POST", "/api/v1/users",
                                 {"email": email, "role": "viewer", "password": "staff pass 1"}),
                   409, "email")
    assert_problem(owner.request("POST", "/api/v1/users",
                                 {"email": "not-an-email", "role": "chief", "password": "x"}),
                   422, "email", "role", "password")
    listed = owner.request("GET", "/api/v1/users").json["items"]
    assert any(u["email"] == email for u in listed)
    assert all("password_hash" not in u and "password" not in u for u in listed)

    staff = Browser(server)
    assert staff.log_in(email, "staff pass 1").status == 200
    demoted = owner.request("PATCH", f"/api/v1/users/{user_id}", {"role": "viewer"})
    assert demoted.status == 200 and demoted.json["role"] == "viewer"
    assert_problem(staff.request("GET", "/api/v1/orders"), 401)  # logs in again as a viewer
    assert staff.log_in(email, "staff pass 1").json["user"]["role"] == "viewer"

    assert owner.request("DELETE", f"/api/v1/users/{user_id}").status == 204
    assert_problem(staff.request("GET", "/api/v1/orders"), 401)
    assert_problem(Browser(server).log_in(email, "staff pass 1"), 401)
    me = owner.request("GET", "/api/v1/session").json["user"]["id"]
    assert_problem(owner.request("DELETE", f"/api/v1/users/{me}"), 409)
    actions = [e["action"] for e in server.a.get(
        "/api/v1/audit", params={"object": f"user:{user_id}"}).json["items"]]
    assert {"user.create", "user.update", "user.delete", "session.create"} <= set(actions)


def test_owner_creates_and_revokes_api_keys(server, owner):
    created = owner.request("POST", "/api/v1/keys", {"role": "operator"})
    assert created.status == 201
    key = created.json["key"]
    assert key.startswith(created.json["prefix"])
    assert server.client(key).get("/api/v1/orders").status == 200
    listed = owner.request("GET", "/api/v1/keys").json["items"]
    assert any(k["id"] == created.json["id"] for k in listed)
    assert key not in str(listed)
    assert owner.request("DELETE", f"/api/v1/keys/{created.json['id']}").status == 204
    assert_problem(server.client(key).get("/api/v1/orders"), 401)
    assert_problem(owner.request("DELETE", f"/api/v1/keys/{created.json['id']}"), 404)
    assert_problem(owner.request("POST", "/api/v1/keys", {"role": "root"}), 422, "role")
    assert_problem(server.keys and server.client(server.keys["alpha-operator"]).get("/api/v1/keys"),
                   403)


# --------------------------------------------------------------------------------------------
# The address picker's divisions


def names(resp):
    assert resp.status == 200, resp
    return {d["name"]: d for d in resp.json["items"]}


def test_divisions_walk_province_city_district(server):
    api = server.a
    provinces = names(api.get("/api/v1/divisions"))
    assert len(provinces) == 31 and "浙江省" in provinces
    cities = names(api.get("/api/v1/divisions", params={"parent": provinces["浙江省"]["code"]}))
    assert cities["杭州市"]["leaf"] is False
    districts = names(api.get("/api/v1/divisions", params={"parent": cities["杭州市"]["code"]}))
    assert districts["西湖区"]["leaf"] is True
    # A municipality is its own single city; a city without districts is a leaf.
    beijing = names(api.get("/api/v1/divisions", params={"parent": provinces["北京市"]["code"]}))
    assert list(beijing) == ["北京市"]
    assert "东城区" in names(api.get("/api/v1/divisions",
                                    params={"parent": beijing["北京市"]["code"]}))
    guangdong = names(api.get("/api/v1/divisions", params={"parent": provinces["广东省"]["code"]}))
    assert guangdong["东莞市"]["leaf"] is True
    hubei = names(api.get("/api/v1/divisions", params={"parent": provinces["湖北省"]["code"]}))
    assert hubei["仙桃市"]["leaf"] is True
    assert_problem(api.get("/api/v1/divisions", params={"parent": "999999"}), 422, "parent")
    assert_problem(api.get("/api/v1/divisions", params={"parent": "abc"}), 422, "parent")
    assert_problem(server.anon.get("/api/v1/divisions"), 401)


@pytest.mark.parametrize("province, city, district", [
    ("北京市", "北京市", "东城区"),
    ("广东省", "东莞市", "东莞市"),
    ("湖北省", "仙桃市", "仙桃市"),
    ("浙江省", "杭州市", "西湖区"),
])
def test_what_the_picker_offers_is_an_address_orders_accept(server, province, city, district):
    api = server.a
    sku = api.product_with_stock(3)
    order = api.create_order(sku, 1, shipping_address={
        "province": province, "city": city, "district": district, "detail": "1 号"})
    assert order.status == 201, order
    assert not any(r["code"].startswith("address.") for r in order.json["hold_reasons"])


# --------------------------------------------------------------------------------------------
# The new-order form's product search


def test_products_search_by_sku_or_name(server):
    api = server.a
    tag = uuid.uuid4().hex[:6].upper()
    api.create_product(sku=f"PICK-{tag}-A", name="青花瓷碗 Blue bowl")
    api.create_product(sku=f"PICK-{tag}-B", name="Plain plate")
    api.create_product(sku=f"PICK-{tag}_C", name="100% cotton")
    skus = lambda q: [p["sku"] for p in api.get("/api/v1/products", params={"q": q}).json["items"]]
    assert skus(f"pick-{tag}") == [f"PICK-{tag}-A", f"PICK-{tag}-B", f"PICK-{tag}_C"]
    assert skus("blue BOWL") == [f"PICK-{tag}-A"]
    assert skus("青花") == [f"PICK-{tag}-A"]
    assert skus(f"{tag}_") == [f"PICK-{tag}_C"]  # _ and % are plain characters here
    assert skus("100%") == [f"PICK-{tag}_C"]
    page = api.get("/api/v1/products", params={"q": f"PICK-{tag}", "limit": 2}).json
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = api.get("/api/v1/products", params={"q": f"PICK-{tag}", "cursor": page["next_cursor"]})
    assert [p["sku"] for p in rest.json["items"]] == [f"PICK-{tag}_C"]
    assert_problem(api.get("/api/v1/products", params={"q": "x" * 65}), 422, "q")
