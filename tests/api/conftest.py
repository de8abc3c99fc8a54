"""Black-box API suite for depot: fixtures that run the real binary and a small HTTP client.

The binary comes from $DEPOT_BIN, else <repo>/build/depot. Each test module gets its own server
(module scope) on a free loopback port and a fresh data directory, with three merchants created
through the CLI before the server starts:

    alpha (owner key)  -> server.a      the merchant most tests act as
    beta  (owner key)  -> server.b      the "other" merchant for isolation checks
    gamma (owner key)  -> server.c      a merchant whose settings a test may change
    alpha (viewer key) -> server.viewer

A module may set SERVE_ARGS = [...] to pass extra flags to `depot serve`.

With DEPOT_TEST_STORE=postgres the suite runs against depot on PostgreSQL: one server for the
session (postgres_server.py), and a database of its own for every data directory, which every
`depot` command given that `--data` uses too (through DEPOT_DB).
Tests use fresh uuid-based SKUs so that they never interfere with each other.

Helpers importable from tests: `from conftest import assert_problem, ...`.
"""

import datetime
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

from api_document import ApiDocument

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
REQUEST_TIMEOUT = 30.0

_DEFAULT = object()

# Every JSON answer a test receives through Client is checked against the API document.
API_DOCUMENT = ApiDocument(REPO / "docs" / "openapi.json")

# A merchant's days start at midnight in its zone: reports.utc_offset_minutes, by default UTC+8.
MERCHANT_ZONE = datetime.timezone(datetime.timedelta(hours=8))


def merchant_today():
    """The merchant's calendar day now. From 16:00 UTC on, it is already tomorrow in UTC's terms."""
    return datetime.datetime.now(MERCHANT_ZONE).date()


# --------------------------------------------------------------------------------------------
# Locating and running the binary


def depot_binary():
    path = os.environ.get("DEPOT_BIN") or str(REPO / "build" / "depot")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"depot binary not found at {path} (set DEPOT_BIN or build it first)")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ON_POSTGRES = os.environ.get("DEPOT_TEST_STORE") == "postgres"
_postgres = None
_databases = {}  # data directory -> the PostgreSQL database that goes with it


def postgres_database():
    """A new database on the session's PostgreSQL server (started on first use); its URI."""
    global _postgres
    if _postgres is None:
        from postgres_server import PostgresServer
        _postgres = PostgresServer()
        import atexit
        atexit.register(_postgres.stop)
    return _postgres.create_database()


def use_database(data_dir, uri):
    """Points every later `depot` command given `--data data_dir` at the database `uri`."""
    _databases[str(Path(data_dir).resolve())] = uri


def store_env(data_dir):
    """The environment that points depot at the store of `data_dir`: on PostgreSQL, a database of
    its own, created on first use, unless use_database() named one."""
    key = str(Path(data_dir).resolve())
    if key not in _databases:
        if not ON_POSTGRES:
            return {}
        _databases[key] = postgres_database()
    return {"DEPOT_DB": _databases[key]}


def run_cli(binary, *args, timeout=60):
    args = [str(arg) for arg in args]
    env = dict(os.environ)
    if "--data" in args:
        env.update(store_env(args[args.index("--data") + 1]))
    proc = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout,
                          env=env)
    if proc.returncode != 0:
        pytest.fail(
            f"`depot {' '.join(args)}` exited {proc.returncode}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc.stdout


def create_key(binary, data_dir, tenant, role="owner"):
    out = run_cli(binary, "apikey", "create", "--data", str(data_dir), "--tenant", tenant,
                  "--role", role)
    lines = [line.strip() for line in out.strip().splitlines() if line.strip()]
    if not lines:
        pytest.fail(f"`depot apikey create` printed no key for tenant {tenant}")
    return lines[-1]


class Resp(tuple):
    """(status, json_or_None, headers) with `.body` holding the raw bytes.

    Header names in `headers` are lower-case."""

    def __new__(cls, status, js, headers, body):
        self = tuple.__new__(cls, (status, js, headers))
        self.body = body
        return self

    status = property(lambda self: self[0])
    json = property(lambda self: self[1])
    headers = property(lambda self: self[2])

    def __repr__(self):
        text = self.body[:600].decode("utf-8", "replace") if self.body else ""
        return f"<Resp {self[0]} {self[2].get('content-type')} {text}>"


def http_request(host, port, method, path, data=None, headers=None, timeout=REQUEST_TIMEOUT):
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        try:
            conn.request(method, path, body=data, headers=headers or {})
        except (BrokenPipeError, ConnectionResetError):
            # The server may answer (e.g. 413) and close before it has read the whole body.
            pass
        resp = conn.getresponse()
        body = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        status = resp.status
    finally:
        conn.close()
    parsed = None
    if body:
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            parsed = None
    return Resp(status, parsed, hdrs, body)


# --------------------------------------------------------------------------------------------
# Assertions shared by the test modules


def is_problem(resp):
    return resp.headers.get("content-type", "").split(";")[0].strip() == "application/problem+json"


def assert_problem(resp, status, *fields):
    """The answer is an RFC 9457 problem with `status`, naming every field in `fields`."""
    assert resp.status == status, f"expected {status}, got {resp!r}"
    assert is_problem(resp), f"expected application/problem+json, got {resp!r}"
    body = resp.json
    assert isinstance(body, dict), f"problem body is not a JSON object: {resp!r}"
    assert body.get("status") == status, f"problem.status != {status}: {resp!r}"
    assert isinstance(body.get("title"), str) and body["title"], f"problem has no title: {resp!r}"
    assert isinstance(body.get("detail"), str), f"problem has no detail: {resp!r}"
    if fields:
        errors = body.get("errors")
        assert isinstance(errors, list), f"problem has no errors list: {resp!r}"
        named = {e.get("field") for e in errors if isinstance(e, dict)}
        for e in errors:
            assert isinstance(e.get("message"), str) and e["message"], f"error w/o message: {e}"
        for field in fields:
            assert field in named, f"errors do not name {field!r}: {errors}"
    return body


def etag_version(value):
    """ETag `"3"`, `W/"3"` or `3` -> "3"."""
    if value is None:
        return None
    value = value.strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"')


# --------------------------------------------------------------------------------------------
# The client


class Client:
    def __init__(self, host, port, key, server=None):
        self.host = host
        self._port = port
        self.key = key
        self._server = server  # when set, follow the server's port across restarts

    @property
    def port(self):
        return self._server.port if self._server is not None else self._port

    def _auth(self, key):
        k = self.key if key is _DEFAULT else key
        return {"Authorization": f"Bearer {k}"} if k is not None else {}

    def request(self, method, path, body=None, key=_DEFAULT, headers=None, params=None,
                timeout=REQUEST_TIMEOUT):
        """JSON request. Returns Resp(status, json_or_None, headers)."""
        if params:
            path = path + ("&" if "?" in path else "?") + urllib.parse.urlencode(params)
        hdrs = self._auth(key)
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        return self._checked(method, path,
                             http_request(self.host, self.port, method, path, data, hdrs, timeout))

    @staticmethod
    def _checked(method, path, resp):
        API_DOCUMENT.check(method, path, resp.status, resp.headers.get("content-type", ""),
                           resp.body)
        return resp

    def post_raw(self, path, data, content_type="application/json", key=_DEFAULT, headers=None,
                 method="POST"):
        """Sends `data` (bytes or str) exactly as given."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        hdrs = self._auth(key)
        if content_type is not None:
            hdrs["Content-Type"] = content_type
        hdrs.update(headers or {})
        return self._checked(method, path,
                             http_request(self.host, self.port, method, path, data, hdrs))

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    # ---- domain helpers -------------------------------------------------------------------

    @staticmethod
    def new_sku(prefix="T"):
        return f"{prefix}-{uuid.uuid4().hex[:12]}"

    def create_product(self, sku=None, price=1000, **extra):
        sku = sku or self.new_sku()
        body = {"sku": sku, "name": f"Product {sku}", "price": price}
        body.update(extra)
        r = self.post("/api/v1/products", body)
        assert r.status == 201, f"creating product {sku}: {r!r}"
        return sku

    def receive(self, sku, quantity, location=None):
        body = {"sku": sku, "quantity": quantity}
        if location is not None:
            body["location"] = location
        r = self.post("/api/v1/inventory/receipts", body)
        assert r.status == 201, f"receiving {quantity} of {sku}: {r!r}"
        return r.json

    def product_with_stock(self, quantity, **extra):
        sku = self.create_product(**extra)
        if quantity:
            self.receive(sku, quantity)
        return sku

    def stock(self, sku):
        r = self.get(f"/api/v1/inventory/{urllib.parse.quote(sku)}")
        assert r.status == 200, f"stock of {sku}: {r!r}"
        return r.json

    def list_all(self, path, params=None, limit=200, max_pages=1000):
        """Follows next_cursor over every page; returns all items."""
        items = []
        cursor = None
        for _ in range(max_pages):
            p = dict(params or {})
            p["limit"] = limit
            if cursor is not None:
                p["cursor"] = cursor
            r = self.get(path, params=p)
            assert r.status == 200, f"GET {path} {p}: {r!r}"
            assert isinstance(r.json.get("items"), list), f"no items list: {r!r}"
            items.extend(r.json["items"])
            cursor = r.json.get("next_cursor")
            if not cursor:
                return items
        raise AssertionError(f"GET {path}: more than {max_pages} pages (cursor loop?)")

    def ledger(self, sku):
        return self.list_all(f"/api/v1/inventory/{urllib.parse.quote(sku)}/ledger")

    def orders(self, **params):
        return self.list_all("/api/v1/orders", params)

    def events(self, after=0):
        """Every event with id > after, paging with `after=` the last id seen."""
        items = []
        for _ in range(1000):
            r = self.get("/api/v1/events", params={"after": after, "limit": 200})
            assert r.status == 200, f"GET events after={after}: {r!r}"
            page = r.json["items"]
            if not page:
                return items
            items.extend(page)
            after = page[-1]["id"]
        raise AssertionError("events: too many pages")

    def last_event_id(self):
        evs = self.events(0)
        return evs[-1]["id"] if evs else 0

    def alerts(self):
        r = self.get("/api/v1/alerts")
        assert r.status == 200, f"GET alerts: {r!r}"
        items = list(r.json["items"])
        cursor = r.json.get("next_cursor")
        while cursor:
            r = self.get("/api/v1/alerts", params={"cursor": cursor})
            assert r.status == 200, f"GET alerts: {r!r}"
            items.extend(r.json["items"])
            cursor = r.json.get("next_cursor")
        return items

    @staticmethod
    def order_body(lines, **over):
        """lines: [(sku, quantity, unit_price)] or [(sku, quantity)] (unit price 1000)."""
        body = {
            "lines": [
                {"sku": l[0], "quantity": l[1], "unit_price": l[2] if len(l) > 2 else 1000}
                for l in lines
            ],
            "customer": {"name": "李四", "phone": "13800138000", "email": "lisi@example.com"},
            "shipping_address": {"province": "上海市", "city": "上海市", "district": "浦东新区",
                                 "detail": "世纪大道 1 号", "postcode": "200120"},
        }
        body.update(over)
        return body

    def create_order(self, sku, quantity, unit_price=1000, headers=None, **over):
        return self.post("/api/v1/orders", self.order_body([(sku, quantity, unit_price)], **over),
                         headers=headers)

    def order_ok(self, sku, quantity, unit_price=1000, **over):
        r = self.create_order(sku, quantity, unit_price, **over)
        assert r.status == 201, f"creating order for {quantity} x {sku}: {r!r}"
        return r.json

    def get_order(self, order_id):
        r = self.get(f"/api/v1/orders/{order_id}")
        assert r.status == 200, f"GET order {order_id}: {r!r}"
        return r.json

    def pay(self, order_id, amount, method="alipay", reference=None):
        body = {"amount": amount, "method": method}
        if reference is not None:
            body["reference"] = reference
        return self.post(f"/api/v1/orders/{order_id}/payments", body)

    def assert_ledger_consistent(self, sku):
        """on_hand == Σ on_hand_delta and reserved == Σ reserved_delta; returns (stock, ledger)."""
        st = self.stock(sku)
        led = self.ledger(sku)
        assert st["on_hand"] == sum(m["on_hand_delta"] for m in led), (st, led)
        assert st["reserved"] == sum(m["reserved_delta"] for m in led), (st, led)
        assert st["available"] == st["on_hand"] - st["reserved"], st
        return st, led


# --------------------------------------------------------------------------------------------
# The server


class Server:
    def __init__(self, binary, data_dir, log_path, extra_args=()):
        self.binary = binary
        self.data_dir = Path(data_dir)
        self.log_path = Path(log_path)
        # DEPOT_SERVE_ARGS: extra flags for every `depot serve` (debugging aid, e.g. "--threads 1").
        self.extra_args = list(extra_args) + os.environ.get("DEPOT_SERVE_ARGS", "").split()
        self.env = {}  # extra environment for `depot serve` (a preloaded fault shim, say)
        self.proc = None
        self.port = None
        self.keys = {}
        self._log = None
        self.crashes = []  # (test id, exit code) of every unexpected death

    def command_env(self):
        """The environment for a `depot` command run on this server's store."""
        return {**os.environ, **store_env(self.data_dir)}

    # clients
    def client(self, key):
        return Client("127.0.0.1", self.port, key, server=self)

    @property
    def a(self):
        return self.client(self.keys["alpha"])

    @property
    def b(self):
        return self.client(self.keys["beta"])

    @property
    def c(self):
        return self.client(self.keys["gamma"])

    @property
    def viewer(self):
        return self.client(self.keys["alpha-viewer"])

    @property
    def anon(self):
        return self.client(None)

    def setup_data(self):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        run_cli(self.binary, "migrate", "--data", str(self.data_dir))
        for tenant in ("alpha", "beta", "gamma"):
            self.keys[tenant] = create_key(self.binary, self.data_dir, tenant, "owner")
        assert len(set(self.keys.values())) == len(self.keys), "apikey create repeated a key"
        # A key of alpha's for each role, for the role tests.
        for role in ("owner", "operator", "service", "viewer"):
            self.keys[f"alpha-{role}"] = create_key(self.binary, self.data_dir, "alpha", role)

    def log_tail(self, n=60):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def start(self):
        self.port = free_port()
        self._log = open(self.log_path, "ab")
        # A node keeps its name across restarts (it releases the sends it was making when it
        # stopped), though here it gets a new port each time: named by its data directory.
        node = [] if "--node" in self.extra_args else ["--node", str(self.data_dir)]
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--data", str(self.data_dir), "--listen",
             f"127.0.0.1:{self.port}", *node, *self.extra_args],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, **store_env(self.data_dir), **self.env},
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"depot serve exited with {self.proc.returncode} while starting:\n"
                            f"{self.log_tail()}")
            try:
                r = http_request("127.0.0.1", self.port, "GET", "/healthz", timeout=2)
                if r.status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        pytest.fail(f"depot serve did not answer /healthz within {START_TIMEOUT}s:\n"
                    f"{self.log_tail()}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        code = self.proc.returncode
        self.proc = None
        if self._log:
            self._log.close()
            self._log = None
        return code

    def kill9(self):
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None
        if self._log:
            self._log.close()
            self._log = None


@pytest.fixture(scope="session")
def depot_bin():
    return depot_binary()


@pytest.fixture(scope="module")
def server(request, depot_bin):
    """One running server for the whole test module."""
    tmp = tempfile.mkdtemp(prefix="depot-api-")
    srv = Server(depot_bin, Path(tmp) / "data", Path(tmp) / "server.log",
                 getattr(request.module, "SERVE_ARGS", []))
    try:
        srv.setup_data()
        srv.start()
        yield srv
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(autouse=True)
def _server_watch(request):
    """If the module's server dies during a test, blame that test and restart the server on the
    same data dir, so that one crash does not fail every later test of the module."""
    if "server" not in request.fixturenames:
        yield
        return
    srv = request.getfixturevalue("server")
    if not srv.alive():
        srv.stop()
        srv.start()
    yield
    if not srv.alive():
        code = srv.proc.returncode
        tail = srv.log_tail(40)
        srv.crashes.append((request.node.nodeid, code))
        srv.stop()
        srv.start()
        pytest.fail(f"depot serve DIED during this test (exit code {code}); restarted it.\n"
                    f"server log tail:\n{tail}", pytrace=False)


@pytest.fixture
def server_factory(depot_bin):
    """Builds servers on a data dir of the test's choosing; stops them all afterwards."""
    servers = []
    tmp = tempfile.mkdtemp(prefix="depot-api-f-")

    def make(data_dir=None, extra_args=(), setup=True):
        data_dir = Path(data_dir) if data_dir else Path(tmp) / "data"
        srv = Server(depot_bin, data_dir, Path(tmp) / f"server{len(servers)}.log", extra_args)
        if setup:
            srv.setup_data()
        servers.append(srv)
        return srv

    make.tmp = Path(tmp)
    yield make
    for srv in servers:
        srv.stop()
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def api(server):
    """Merchant alpha's client."""
    return server.a
