"""Negative API suite generated from docs/openapi.json (issue 13).

For every operation of the document, one test sends the hostile requests negative_cases.py
derives from its schema, plus every path parameter pointing at another merchant's real object,
and checks that each is refused with a 4xx problem (never a 5xx, never a hang), that nothing
changed for any merchant, and that no answer shows anything of the other merchant.

Who is who:
  alpha  owns one object of every kind: the target of the malformed bodies, queries and paths.
  beta   owns one object of every kind, named with a secret marker: the victim.
  gamma  owns nothing: it asks for beta's objects by their ids, so that an answer other than a
         refusal can only be beta's object (with ids counted per merchant, alpha asking for
         beta's order 3 might legitimately find alpha's own order 3).

The only hand-written part is OBJECT_MAKERS: how to make a real object for each kind of path
parameter. An operation whose parameters have no maker fails, naming them, so a new kind of
parameter cannot slip by untested. Run alone:

    DEPOT_BIN=build/depot python3 -m pytest -q tests/api/test_negative_generated.py
"""

import time
import urllib.parse
import uuid

import pytest

from conftest import Resp, assert_problem, http_request, is_problem, merchant_today
from negative_cases import (MAX_CASES_PER_OPERATION, REFUSE, SURVIVE, Case, Hang, Session,
                            body_cases, encode, operations, other_media_cases, path_cases,
                            query_cases)

# Exports of more than one row become jobs, so that a merchant has an export with an id.
SERVE_ARGS = ["--export-inline-rows", "1"]

OPERATIONS = operations()
UNREACHABLE = "http://127.0.0.1:9/"  # a loopback port nothing listens on


class Merchant:
    """Makes (once) the objects of one merchant that path parameters can name. Every text it
    writes carries `marker`, so that an answer showing any of it to someone else is caught."""

    def __init__(self, client, marker, phone):
        self.api = client
        self.marker = marker
        self.phone = phone
        self.secrets = {marker, phone}
        self._made = {}

    def once(self, name, make):
        if name not in self._made:
            self._made[name] = make()
        return self._made[name]

    def ok(self, r, *statuses):
        assert r.status in (statuses or (200, 201, 202)), f"{self.marker}: {r!r}"
        return r.json

    # -- catalogue and stock
    @property
    def sku(self):
        def make():
            sku = f"{self.marker}-SKU"
            self.api.create_product(sku=sku, name=f"{self.marker} 马克杯")
            self.api.receive(sku, 50)
            return sku
        return self.once("sku", make)

    @property
    def warehouse(self):
        def make():
            code = f"{self.marker.lower()}-wh"
            self.ok(self.api.post("/api/v1/warehouses", {"code": code,
                                                         "name": f"{self.marker} 仓"}))
            return code
        return self.once("warehouse", make)

    # -- orders and what hangs off them
    def _order(self):
        self.channels  # noqa: B018 - so that the order's events send notifications
        body = self.api.order_body([(self.sku, 2, 1000)], notes=f"{self.marker} notes")
        body["customer"] = {"name": f"{self.marker} 客户", "phone": self.phone,
                            "email": f"{self.marker.lower()}@example.com"}
        order = self.ok(self.api.post("/api/v1/orders", body))
        self.secrets.add(order["order_no"])
        paid = self.ok(self.api.pay(order["id"], order["total"]))
        return paid

    @property
    def order(self):
        """A paid order, shipped in one parcel."""
        def make():
            order = self._order()
            tracking_no = f"SF{uuid.uuid4().int % 10**13:013d}"
            self.secrets.add(tracking_no)
            self.ok(self.api.post(f"/api/v1/orders/{order['id']}/shipments",
                                  {"carrier": "SF", "tracking_no": tracking_no}))
            return order
        return self.once("order", make)

    @property
    def paid_order(self):
        """A paid order not shipped yet."""
        return self.once("paid_order", self._order)

    @property
    def parcel(self):
        def make():
            view = self.ok(self.api.get(f"/api/v1/orders/{self.order['id']}/tracking"))
            return view["parcels"][0]["parcel_id"]
        return self.once("parcel", make)

    @property
    def return_id(self):
        return self.once("return", lambda: self.ok(self.api.post(
            f"/api/v1/orders/{self.order['id']}/returns",
            {"kind": "return", "lines": [{"sku": self.sku, "quantity": 1}],
             "reason": f"{self.marker} 退货"}))["id"])

    @property
    def refund(self):
        return self.once("refund", lambda: self.ok(self.api.post(
            f"/api/v1/orders/{self.order['id']}/refunds",
            {"amount": 100, "reason": f"{self.marker} 退款"}))["id"])

    @property
    def ticket(self):
        return self.once("ticket", lambda: self.ok(self.api.post(
            "/api/v1/tickets", {"order_id": self.order["id"],
                                "subject": f"{self.marker} 工单"}))["id"])

    @property
    def notification(self):
        def make():
            self.order  # noqa: B018 - its shipment is what sends the notification
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                items = self.api.list_all("/api/v1/notifications",
                                          {"order_id": self.order["id"]})
                if items:
                    return items[0]["id"]
                time.sleep(0.1)
            raise AssertionError(f"{self.marker}: no notification for the shipped order")
        return self.once("notification", make)

    # -- jobs
    @property
    def export(self):
        def make():
            self.order, self.paid_order  # noqa: B018 - two rows: more than inline
            day = merchant_today().isoformat()
            r = self.api.get("/api/v1/exports/orders.csv", params={"from": day, "to": day})
            assert r.status == 202, r
            return r.json["id"]
        return self.once("export", make)

    @property
    def shipment_import(self):
        def make():
            r = self.api.post_raw("/api/v1/shipments/import",
                                  f"{self.marker}-NO-SUCH-ORDER,SF,SF1\n",
                                  content_type="text/csv")
            assert r.status == 202, r
            return r.json["id"]
        return self.once("shipment_import", make)

    @property
    def order_import(self):
        def make():
            text = ("外部订单号,收货人,手机,省,市,区,详细地址,商品编码,数量,单价,已付款\n"
                    f"{self.marker}-E1,{self.marker},{self.phone},浙江省,杭州市,西湖区,文三路 90 号,"
                    f"{self.sku},1,9.9,否\n")
            r = self.api.post_raw("/api/v1/orders/import", text, content_type="text/csv")
            assert r.status == 202, r
            return r.json["id"]
        return self.once("order_import", make)

    @property
    def batch(self):
        def make():
            self.ok(self.api.request("PUT", "/api/v1/carriers/kuaidi100/waybill", {
                "url": UNREACHABLE, "key": "wb-key", "secret": "wb-secret",
                "accounts": {"SF": {"partnerId": "SF-monthly", "partnerKey": "pk"}}}))
            self.ok(self.api.request("PUT", "/api/v1/warehouses/main/sender", {
                "name": f"{self.marker} 仓库", "phone": "13900139000", "province": "浙江省",
                "city": "杭州市", "district": "余杭区", "detail": "文一西路 969 号"}))
            r = self.api.post("/api/v1/shipments/batch",
                              {"order_ids": [self.paid_order["id"]], "carrier": "SF"})
            assert r.status == 202, r
            return r.json["id"]
        return self.once("batch", make)

    # -- settings-like objects
    @property
    def rule(self):
        return self.once("rule", lambda: self.ok(self.api.post("/api/v1/rules", {
            "name": f"{self.marker} 规则", "expression": "order.total > 100000000",
            "message": f"{self.marker} 规则说明", "enabled": False}))["id"])

    @property
    def integration(self):
        def make():
            made = self.ok(self.api.post("/api/v1/integrations", {
                "platform": "generic", "name": f"{self.marker} 店"}))
            self.secrets.add(made["secret"])
            return made
        return self.once("integration", make)

    @property
    def user(self):
        return self.once("user", lambda: self.ok(self.api.post("/api/v1/users", {
            "email": f"{self.marker.lower()}.user@example.com", "role": "viewer",
            "password": "correct horse battery staple"}))["id"])

    @property
    def api_key(self):
        def make():
            made = self.ok(self.api.post("/api/v1/keys", {"role": "viewer"}))
            for value in made.values():
                if isinstance(value, str) and len(value) >= 20:
                    self.secrets.add(value)
            return made["id"]
        return self.once("api_key", make)

    @property
    def channels(self):
        """A sandbox e-mail account and the notification template of one slot."""
        def make():
            self.ok(self.api.request("PUT", "/api/v1/channels/email", {"sandbox": True}))
            self.ok(self.api.request("PUT", "/api/v1/templates/shipment.created/email/zh-CN", {
                "subject": f"{self.marker} 主题", "body": f"{self.marker} {{{{order_no}}}}"}))
            return True
        return self.once("channels", make)

    @property
    def sms_hook(self):
        """The tenant number and token of the merchant's SMS delivery-report address."""
        def make():
            self.ok(self.api.request("PUT", "/api/v1/channels/sms", {
                "url": UNREACHABLE, "access_key_id": "LTAI5tNeg", "access_key_secret": "s",
                "sign_name": "深蓝小店", "templates": {"order.held": "SMS_1"}}))
            items = self.ok(self.api.get("/api/v1/channels"))["items"]
            path = next(i["report_path"] for i in items if i["channel"] == "sms")
            tenant, token = path.rstrip("/").split("/")[-2:]
            self.secrets.add(token)
            return tenant, token
        return self.once("sms_hook", make)

    @property
    def tracking_hook(self):
        """The tenant number and token of the merchant's kuaidi100 push address."""
        def make():
            self.ok(self.api.request("PUT", "/api/v1/carriers/kuaidi100", {
                "url": UNREACHABLE, "key": "k100", "customer": "C1", "salt": "salt"}))
            account = self.ok(self.api.get("/api/v1/carriers/kuaidi100"))
            path = urllib.parse.urlparse(account["callback_url"]).path
            tenant, token = path.rstrip("/").split("/")[-2:]
            self.secrets.add(token)
            return tenant, token
        return self.once("tracking_hook", make)


# How to make a real object for each kind of path parameter, keyed by the path up to its last
# parameter. scope:
#   object  the parameters name one merchant's object: another merchant's must be refused, and
#           values naming nothing too;
#   slot    the parameters name a slot every merchant has (a channel, a template): gamma asking
#           for beta's slot sees its own, never beta's; values naming no slot are refused;
#   lookup  a free-form value (a phone number): any value may answer, never with beta's data;
#   hook    unauthenticated addresses carrying their own credential: one merchant's credential
#           under another merchant's number must be refused;
#   public  served to anyone by an unguessable name (product images): nothing to cross.
OBJECT_MAKERS = {
    "/media/{name}": ("public", lambda m: {"name": "no-such-image.png"}),
    "/api/v1/products/{sku}": ("object", lambda m: {"sku": m.sku}),
    "/api/v1/inventory/{sku}": ("object", lambda m: {"sku": m.sku}),
    "/api/v1/forecast/{sku}": ("object", lambda m: {"sku": m.sku}),
    "/api/v1/warehouses/{code}": ("object", lambda m: {"code": m.warehouse}),
    "/api/v1/orders/{id}": ("object", lambda m: {"id": m.order["id"]}),
    "/api/v1/parcels/{id}": ("object", lambda m: {"id": m.parcel}),
    "/api/v1/returns/{id}": ("object", lambda m: {"id": m.return_id}),
    "/api/v1/refunds/{id}": ("object", lambda m: {"id": m.refund}),
    "/api/v1/tickets/{id}": ("object", lambda m: {"id": m.ticket}),
    "/api/v1/notifications/{id}": ("object", lambda m: {"id": m.notification}),
    "/api/v1/rules/{id}": ("object", lambda m: {"id": m.rule}),
    "/api/v1/integrations/{id}": ("object", lambda m: {"id": m.integration["id"]}),
    "/api/v1/exports/{id}": ("object", lambda m: {"id": m.export}),
    "/api/v1/shipments/imports/{id}": ("object", lambda m: {"id": m.shipment_import}),
    "/api/v1/orders/imports/{id}": ("object", lambda m: {"id": m.order_import}),
    "/api/v1/shipments/batches/{id}": ("object", lambda m: {"id": m.batch}),
    "/api/v1/users/{id}": ("object", lambda m: {"id": m.user}),
    "/api/v1/keys/{id}": ("object", lambda m: {"id": m.api_key}),
    "/api/v1/channels/{channel}": ("slot", lambda m: m.channels and {"channel": "email"}),
    "/api/v1/templates/{event}/{channel}/{locale}": (
        "slot", lambda m: m.channels and {"event": "shipment.created", "channel": "email",
                                          "locale": "zh-CN"}),
    "/api/v1/customers/{phone}": ("lookup", lambda m: m.order and {"phone": m.phone}),
    "/api/v1/hooks/sms/{tenant}/{token}": (
        "hook", lambda m: dict(zip(("tenant", "token"), m.sms_hook))),
    "/api/v1/hooks/kuaidi100/{tenant}/{token}": (
        "hook", lambda m: dict(zip(("tenant", "token"), m.tracking_hook))),
    "/api/v1/hooks/platforms/{tenant}/{id}": (
        "hook", lambda m: {"tenant": urllib.parse.urlparse(
            m.integration["webhook_url"]).path.split("/")[-2], "id": m.integration["id"]}),
}

# The parameters of these scopes must refuse a value that names nothing.
STRICT_SCOPES = ("object", "slot", "hook", "public")


class World:
    def __init__(self, server):
        self.server = server
        run = uuid.uuid4().hex[:8].upper()
        self.alpha = Merchant(server.a, f"ALPHA{run}", "13700137001")
        self.beta = Merchant(server.b, f"BETA{run}", "13600136002")
        self.keys = {"alpha": server.keys["alpha"], "beta": server.keys["beta"],
                     "gamma": server.keys["gamma"]}
        self.session = Session(server)
        self._last_event = {name: 0 for name in self.keys}
        self._values = {}
        self._last_fingerprint = None

    def values(self, merchant, prefix):
        """The path values of `merchant`'s object for `prefix` (made on first use)."""
        cache = (merchant.marker, prefix)
        if cache not in self._values:
            self._values[cache] = OBJECT_MAKERS[prefix][1](merchant)
        return self._values[cache]

    # -- fingerprints
    def _last_event_id(self, name):
        after = self._last_event[name]
        while True:
            page = self.session.get_json(f"/api/v1/events?after={after}&limit=200",
                                         self.keys[name])["items"]
            if not page:
                self._last_event[name] = after
                return after
            after = page[-1]["id"]

    def fingerprint(self):
        """What changes when anything of a merchant changes: every write leaves an audit entry
        or an event (an order's too), so their newest ids stand for the merchant's state."""
        out = {}
        for name, key in self.keys.items():
            audit = self.session.get_json("/api/v1/audit?limit=1", key)["items"]
            out[name] = (self._last_event_id(name), audit[0]["id"] if audit else 0)
        return out

    def fingerprint_before(self):
        """The fingerprint the previous operation ended with (nothing is sent in between)."""
        if self._last_fingerprint is None:
            self._last_fingerprint = self.fingerprint()
        return self._last_fingerprint

    def fingerprint_after(self):
        self._last_fingerprint = self.fingerprint()
        return self._last_fingerprint

    def what_changed(self, name, before):
        """The events and audit entries newer than the fingerprint `before`, for the report."""
        key = self.keys[name]
        events = self.session.get_json(f"/api/v1/events?after={before[0]}&limit=5", key)
        audit = self.session.get_json("/api/v1/audit?limit=5", key)["items"]
        return ([(e["type"], e.get("order_id")) for e in events["items"]] +
                [(a.get("action"), a.get("object"), a.get("actor")) for a in audit
                 if a["id"] > before[1]])

    def settle(self, timeout=20):
        """Waits until background work (notifications, jobs) has stopped changing anything."""
        deadline = time.monotonic() + timeout
        last = self.fingerprint()
        stable_since = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            now = self.fingerprint()
            if now != last:
                last, stable_since = now, time.monotonic()
            elif time.monotonic() - stable_since >= 1.0:
                return
        raise AssertionError("the merchants' state kept changing while nothing was sent")


@pytest.fixture(scope="module")
def world(server):
    w = World(server)
    # Every object of both merchants first, so that background work they start is over before
    # the first fingerprint.
    for merchant in (w.alpha, w.beta):
        for prefix in OBJECT_MAKERS:
            w.values(merchant, prefix)
    w.settle()
    yield w
    print(f"\nnegative suite: {w.session.sent} requests")
    w.session.close()


def capped(cases):
    """At most MAX_CASES_PER_OPERATION cases, taking the kinds of case in turn so that every
    field keeps some."""
    if len(cases) <= MAX_CASES_PER_OPERATION:
        return cases
    groups = {}
    for case in cases:
        groups.setdefault(case.label.split(":")[0], []).append(case)
    out = []
    while len(out) < MAX_CASES_PER_OPERATION and any(groups.values()):
        for group in groups.values():
            if group and len(out) < MAX_CASES_PER_OPERATION:
                out.append(group.pop(0))
    return out


def own_cases(op, world, scope):
    """alpha's malformed requests to its own objects."""
    own = world.values(world.alpha, op.object_prefix()) if op.path_names else {}
    path = op.path(own)
    base = op.base_body()
    cases = []
    if op.json_body is not None:
        cases += body_cases(op, path, base)
    cases += other_media_cases(op, path)
    cases += query_cases(op, path)
    strict = set(op.path_names) if scope in STRICT_SCOPES else set()
    cases += path_cases(op, own, base, strict)
    if op.method == "GET":
        cases.append(Case("unknown query parameter", op.method, f"{path}?zz_unknown=1",
                          expect=SURVIVE))
    if op.streams:
        # An answer that is not refused is a stream that stays open: only refusals can be sent.
        cases = [case for case in cases if case.expect == REFUSE]
    return capped(cases)


def cross_cases(op, world, scope):
    """Requests for beta's objects by someone else: (case, key) pairs."""
    if scope in ("public",) or not op.path_names:
        return []
    theirs = world.values(world.beta, op.object_prefix())
    base = op.base_body()
    body = encode(base) if base is not None else None
    ct = "application/json" if body is not None else None
    if scope == "hook":
        # beta's credential under alpha's number, and alpha's under beta's.
        mine = world.values(world.alpha, op.object_prefix())
        names = op.path_names
        crossed = [{names[0]: mine[names[0]], names[1]: theirs[names[1]]},
                   {names[0]: theirs[names[0]], names[1]: mine[names[1]]}]
        return [(Case("another merchant's credential", op.method, op.path(values), body, ct),
                 None) for values in crossed]
    if scope == "slot" and op.method not in ("GET", "DELETE"):
        return []  # gamma writing its own slot is no crossing
    expect = REFUSE if scope == "object" else SURVIVE
    case = Case("beta's object, asked by gamma", op.method, op.path(theirs), body, ct, expect)
    return [(case, world.keys["gamma"])]


def judge(world, op, case, key, failures):
    headers = dict(case.headers)
    if op.takes_header("If-Match"):
        headers.setdefault("If-Match", "*")  # so that the missing precondition is not the refusal
    try:
        status, headers, data, verdict = world.session.checked(
            case.method, case.path, case.body, case.content_type, key, headers)
    except Hang as e:
        failures.append(f"{case!r}: HANG {e}")
        return
    shown = data.decode("utf-8", "replace")
    if status >= 500:
        failures.append(f"{case!r}: {status} {shown[:300]}")
    elif case.expect == REFUSE and not 400 <= status < 500:
        failures.append(f"{case!r}: accepted with {status} {shown[:300]}")
    elif 400 <= status < 500 and op.answers_problem(status) and \
            not is_problem(Resp(status, None, headers, data)):
        failures.append(f"{case!r}: {status} is not a problem: {headers.get('content-type')}")
    if verdict:
        failures.append(f"{case!r}: {verdict}")
    # What the request itself named (beta's SKU in the path) may be echoed back.
    asked = case.path + (case.body or b"").decode("utf-8", "replace")
    leaked = [s for s in world.beta.secrets if s in shown and s not in asked]
    if leaked:
        failures.append(f"{case!r}: shows beta's {leaked} in {shown[:300]}")


def test_every_path_parameter_has_an_object_maker():
    missing = sorted({op.object_prefix() for op in OPERATIONS if op.path_names} -
                     set(OBJECT_MAKERS))
    assert not missing, ("path parameters with no way to make a real object for them: add them "
                         f"to OBJECT_MAKERS: {missing}")


@pytest.mark.parametrize("op", OPERATIONS, ids=[op.id for op in OPERATIONS])
def test_operation_refuses_hostile_requests(op, world):
    if op.path_names and op.object_prefix() not in OBJECT_MAKERS:
        pytest.fail(f"{op.template}: no maker in OBJECT_MAKERS for {op.object_prefix()}")
    scope = OBJECT_MAKERS[op.object_prefix()][0] if op.path_names else "object"
    own_key = None if op.public else world.keys["alpha"]
    pairs = [(case, own_key) for case in own_cases(op, world, scope)]
    pairs += cross_cases(op, world, scope)
    # An operation with nothing to send amiss (DELETE /api/v1/geocoder) is still fingerprinted.

    before = world.fingerprint_before()
    failures = []
    for case, key in pairs:
        judge(world, op, case, key, failures)
    after = world.fingerprint_after()
    for name in before:
        if before[name] != after[name]:
            failures.append(f"{name}'s state changed: {before[name]} -> {after[name]}: "
                            f"{world.what_changed(name, before[name])}")
    assert not failures, (f"{op.id} ({len(pairs)} requests): {len(failures)} failure(s):\n  " +
                          "\n  ".join(failures[:25]))


# --------------------------------------------------------------------------------------------
# What the generated cases found, pinned down one by one


def test_a_path_or_query_that_is_not_utf8_is_refused_with_json(server):
    api = server.a
    # The problem used to quote the raw bytes back, which made the answer invalid JSON.
    r = api.get("/api/v1/orders/%ff%fe")
    assert r.status == 404 and r.json is not None and r.json["status"] == 404, r
    r = api.get("/api/v1/products/%C0%AF")  # an overlong '/'
    assert r.status == 404 and r.json is not None, r
    assert_problem(api.get("/api/v1/orders?phone=%ff"), 422, "phone")
    assert_problem(api.get("/api/v1/products?q=%e4%b8"), 422, "q")
    assert api.get("/api/v1/products?q=%e4%b8%8a").status == 200  # 上


def test_a_filter_by_order_zero_is_refused_not_read_as_no_filter(server):
    api = server.a
    for path in ("/api/v1/notifications", "/api/v1/sandbox/messages", "/api/v1/tickets",
                 "/api/v1/returns", "/api/v1/refunds"):
        assert_problem(api.get(path, params={"order_id": 0}), 422, "order_id")
        assert api.get(path, params={"order_id": 1}).status == 200


def test_an_order_list_by_sku_refuses_what_is_no_sku(server):
    api = server.a
    assert_problem(api.get("/api/v1/orders", params={"sku": "x" * 65}), 422, "sku")
    assert_problem(api.get("/api/v1/orders", params={"sku": "bad value"}), 422, "sku")
    assert api.get("/api/v1/orders", params={"sku": "x" * 64}).status == 200


def test_media_and_assets_paths_that_match_nothing_are_404_not_the_console(server):
    for path in ("/media/a/b", "/media/a%2Fb", "/assets/a/b.js"):
        r = http_request("127.0.0.1", server.port, "GET", path)
        assert r.status == 404, (path, r)
