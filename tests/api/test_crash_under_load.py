"""kill -9 under a mixed load, cycle after cycle: nothing acknowledged is lost, stock adds up.

Each cycle starts depot on the same data directory, runs a mixed workload over CONNECTIONS
keep-alive connections (create, pay, ship, edit with If-Match, cancel, read, list), kills the
server with SIGKILL in the middle of it, and then checks, through the API only:

- every order a 201 created exists, with the status and lines of its last acknowledged change;
  a change whose answer was cut by the kill left the order as it was before or after it, and an
  order nobody acknowledged exists only if its create was in flight;
- every SKU's balances equal the sums of its ledger, on hand is what was received less what the
  shipped orders took, and reserved is what the open orders hold;
- no reservation is orphaned: per order and SKU, the ledger's reserved deltas add up to the
  order's quantity while it is open and to zero once it is shipped or cancelled;
- the server's anonymous memory (RssAnon, sampled under load just before each kill) stays flat
  from the cycles after warm-up to the last ones.

`make test` runs a short version; `make soak` the long one (DEPOT_SOAK_CYCLES=20,
DEPOT_SOAK_CONNECTIONS=64, against the release build), which also writes its figures as JSON to
$DEPOT_SOAK_REPORT. docs/hardening.md ("Crashes under load") has the figures.
"""

import http.client
import itertools
import json
import os
import random
import threading
import time
import uuid
from collections import Counter, defaultdict

from conftest import create_key

CYCLES = int(os.environ.get("DEPOT_SOAK_CYCLES", "4"))
CONNECTIONS = int(os.environ.get("DEPOT_SOAK_CONNECTIONS", "24"))
LOAD_SECONDS = float(os.environ.get("DEPOT_SOAK_LOAD_SECONDS", "2"))
REPORT = os.environ.get("DEPOT_SOAK_REPORT")

SKUS = 6
STOCK = 1_000_000
WARM_UP_CYCLES = 1
# Flat memory: the last cycles' RssAnon within this factor (plus a little slack for allocator
# noise) of the first cycles after warm-up.
RSS_TOLERANCE = 1.5
RSS_SLACK_KIB = 16 * 1024

OPEN = ("pending_payment", "awaiting_shipment", "on_hold")


class Lost(Exception):
    """The connection died before an answer came: the request may or may not have been applied."""


class Connection:
    """One keep-alive connection speaking JSON with an API key."""

    def __init__(self, port, key):
        self.port = port
        self.key = key
        self.conn = None

    def call(self, method, path, body=None, headers=None):
        hdrs = {"Authorization": f"Bearer {self.key}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
            self.conn.request(method, path, body=data, headers=hdrs)
            resp = self.conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException) as cut:
            self.close()
            raise Lost(str(cut)) from cut
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        return resp.status, (json.loads(raw) if raw else None), resp.getheader("ETag")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def lines_of(order):
    return tuple((l["sku"], l["quantity"], l["unit_price"]) for l in order["lines"])


class Model:
    """What the server acknowledged, shared by the workers (each owns the orders it created)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.orders = {}  # id -> {"status", "lines", "version", "total", "worker", "doubt"}
        self.owned = defaultdict(list)  # worker -> the ids of its orders
        self.doubtful_creates = {}  # notes -> (worker, lines): a create whose answer was cut
        self.failures = []  # answers that must never come (5xx, wrong reads)
        self.acked = Counter()  # op -> acknowledged writes in the current cycle
        self.answered = Counter()  # op -> answers of any kind in the current cycle

    def fail(self, text):
        with self.lock:
            if len(self.failures) < 50:
                self.failures.append(text)


class Worker:
    def __init__(self, index, model, skus, server, stop):
        self.index = index
        self.server = server
        self.model = model
        self.skus = skus
        self.conn = Connection(server.port, server.keys["alpha"])
        self.stop = stop
        self.rng = random.Random(index * 7919 + int(time.time()))
        self.notes = itertools.count()

    def mine(self, statuses):
        with self.model.lock:
            orders = self.model.orders
            return [i for i in self.model.owned[self.index]
                    if orders[i]["doubt"] is None and orders[i]["status"] in statuses]

    def run(self):
        ops = [(self.create, 4), (self.pay, 3), (self.ship, 2), (self.edit, 2), (self.cancel, 1),
               (self.read, 3), (self.list, 1)]
        functions, weights = zip(*ops)
        try:
            while not self.stop.is_set():
                op = self.rng.choices(functions, weights)[0]
                try:
                    op()
                except Lost:
                    # Killed: this cycle is over for this worker. Alive: the server closed the
                    # connection; the order in flight stays in doubt until the next check. (A
                    # killed process looks alive until it is reaped: give that a moment.)
                    time.sleep(0.05)
                    proc = self.server.proc  # read once: the main thread clears it after a kill
                    if proc is None or proc.poll() is not None:
                        return
        finally:
            self.conn.close()

    def answered(self, op, status, expected):
        with self.model.lock:
            self.model.answered[op] += 1
            if status == expected:
                self.model.acked[op] += 1
        if status >= 500:
            self.model.fail(f"{op} answered {status}")

    # ---- writes ----------------------------------------------------------------------------

    def create(self):
        lines = [(sku, self.rng.randint(1, 3), 100 + self.rng.randint(0, 50))
                 for sku in self.rng.sample(self.skus, self.rng.randint(1, 3))]
        notes = f"w{self.index}-{next(self.notes)}-{uuid.uuid4().hex[:6]}"
        body = {"lines": [{"sku": s, "quantity": q, "unit_price": p} for s, q, p in lines],
                "customer": {"name": "李四", "phone": "13800138000"},
                "shipping_address": {"province": "上海市", "city": "上海市", "district": "浦东新区",
                                     "detail": "世纪大道 1 号", "postcode": "200120"},
                "notes": notes}
        with self.model.lock:
            self.model.doubtful_creates[notes] = (self.index, tuple(lines))
        status, order, _ = self.conn.call("POST", "/api/v1/orders", body,
                                          {"Idempotency-Key": notes})
        self.answered("create", status, 201)
        with self.model.lock:
            del self.model.doubtful_creates[notes]
            if status == 201:
                self.model.orders[order["id"]] = {
                    "status": order["status"], "lines": lines_of(order),
                    "version": order["version"], "total": order["total"],
                    "worker": self.index, "doubt": None}
                self.model.owned[self.index].append(order["id"])

    def change(self, op, order_id, method, path, body, expected, after, headers=None):
        """Sends a change of one order; `after(answer)` is the state it leaves when applied."""
        with self.model.lock:
            before = dict(self.model.orders[order_id])
            guessed = after(None, before)
            self.model.orders[order_id]["doubt"] = (before, guessed)
        status, answer, _ = self.conn.call(method, path, body, headers)
        self.answered(op, status, expected)
        with self.model.lock:
            record = self.model.orders[order_id]
            record["doubt"] = None
            if status == expected:
                record.update(after(answer, before))
            elif status not in (409, 412, 422):
                self.model.fail(f"{op} of order {order_id}: {status} {answer}")

    def pay(self):
        pending = self.mine(("pending_payment",))
        if not pending:
            return self.create()
        order_id = self.rng.choice(pending)
        with self.model.lock:
            total = self.model.orders[order_id]["total"]
        self.change("pay", order_id, "POST", f"/api/v1/orders/{order_id}/payments",
                    {"amount": total, "method": "alipay", "reference": f"pay-{order_id}"}, 201,
                    lambda a, b: after_answer(a, b, "awaiting_shipment"))

    def ship(self):
        waiting = self.mine(("awaiting_shipment",))
        if not waiting:
            return self.pay()
        order_id = self.rng.choice(waiting)
        tracking = "SF" + "".join(self.rng.choice("0123456789") for _ in range(13))
        self.change("ship", order_id, "POST", f"/api/v1/orders/{order_id}/shipments",
                    {"carrier": "SF", "tracking_no": tracking}, 201,
                    lambda a, b: {**b, "status": "shipped"})

    def edit(self):
        pending = self.mine(("pending_payment",))
        if not pending:
            return self.create()
        order_id = self.rng.choice(pending)
        with self.model.lock:
            record = self.model.orders[order_id]
            lines = [(s, self.rng.randint(1, 4), p) for s, _, p in record["lines"]]
            version = record["version"]
        body = {"lines": [{"sku": s, "quantity": q, "unit_price": p} for s, q, p in lines]}

        def after(answer, before):
            if answer is None:
                return {**before, "lines": tuple(lines)}
            return {"lines": lines_of(answer), "version": answer["version"],
                    "total": answer["total"], "status": answer["status"]}

        self.change("edit", order_id, "PATCH", f"/api/v1/orders/{order_id}", body, 200, after,
                    {"If-Match": f'"{version}"'})

    def cancel(self):
        live = self.mine(("pending_payment", "awaiting_shipment"))
        if not live:
            return self.create()
        order_id = self.rng.choice(live)
        self.change("cancel", order_id, "POST", f"/api/v1/orders/{order_id}/cancel",
                    {"reason": "soak"}, 200, lambda a, b: after_answer(a, b, "cancelled"))

    # ---- reads -----------------------------------------------------------------------------

    def read(self):
        with self.model.lock:
            mine = list(self.model.owned[self.index])
        if not mine:
            return self.create()
        order_id = self.rng.choice(mine)
        status, order, _ = self.conn.call("GET", f"/api/v1/orders/{order_id}")
        self.answered("read", status, 200)
        with self.model.lock:
            record = self.model.orders[order_id]
            if status != 200:
                self.model.fail(f"read of acknowledged order {order_id}: {status}")
            elif record["doubt"] is None and (order["status"], lines_of(order)) != (
                    record["status"], record["lines"]):
                self.model.fail(f"order {order_id} reads {order['status']} {lines_of(order)}, "
                                f"acknowledged {record['status']} {record['lines']}")

    def list(self):
        status, page, _ = self.conn.call("GET", "/api/v1/orders?limit=20")
        self.answered("list", status, 200)
        if status != 200 or not isinstance(page.get("items"), list):
            self.model.fail(f"list answered {status}")


def after_answer(answer, before, guess):
    if answer is None:
        return {**before, "status": guess}
    return {"status": answer["status"], "version": answer["version"], "total": answer["total"],
            "lines": lines_of(answer)}


def rss_anon_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    raise AssertionError("no RssAnon in /proc status")


def same(record, order):
    return (record["status"], record["lines"]) == (order["status"], lines_of(order))


def list_all(conn, path):
    """Every item of a list, page by page. Raw JSON: the API suite's document check of every
    answer would cost more than the server's work on lists this long."""
    items, cursor = [], None
    while True:
        page_path = f"{path}?limit=200" + (f"&cursor={cursor}" if cursor else "")
        status, page, _ = conn.call("GET", page_path)
        assert status == 200, (page_path, status, page)
        items.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def stock_and_ledger(conn, sku):
    """The SKU's stock and ledger, checked to add up as Client.assert_ledger_consistent does."""
    status, stock, _ = conn.call("GET", f"/api/v1/inventory/{sku}")
    assert status == 200, (sku, status, stock)
    ledger = list_all(conn, f"/api/v1/inventory/{sku}/ledger")
    assert stock["on_hand"] == sum(m["on_hand_delta"] for m in ledger), (sku, stock)
    assert stock["reserved"] == sum(m["reserved_delta"] for m in ledger), (sku, stock)
    assert stock["available"] == stock["on_hand"] - stock["reserved"], stock
    return stock, ledger


def verify(conn, model, skus):
    """The checks after a restart; adopts what in-flight changes did. Returns counts."""
    listed = {o["id"]: o for o in list_all(conn, "/api/v1/orders")}
    in_flight = Counter()
    with model.lock:
        for order_id, record in model.orders.items():
            order = listed.get(order_id)
            assert order is not None, f"acknowledged order {order_id} is gone after the crash"
            if record["doubt"] is None:
                assert same(record, order), (
                    f"order {order_id}: acknowledged {record['status']} {record['lines']}, "
                    f"found {order['status']} {lines_of(order)}")
            else:
                before, after = record["doubt"]
                assert same(before, order) or same(after, order), (
                    f"order {order_id} in flight at the kill is {order['status']} "
                    f"{lines_of(order)}: neither {before['status']} nor {after['status']}")
                record["doubt"] = None
                in_flight["changes"] += 1
                in_flight["changes_applied"] += not same(before, order)
            record.update(status=order["status"], lines=lines_of(order),
                          version=order["version"], total=order["total"])
        by_notes = {o["notes"]: o for o in listed.values() if o["id"] not in model.orders}
        for notes, (worker, _lines) in model.doubtful_creates.items():
            order = by_notes.pop(notes, None)
            in_flight["creates"] += 1
            if order is not None:  # the create committed; its answer was cut
                in_flight["creates_applied"] += 1
                model.orders[order["id"]] = {
                    "status": order["status"], "lines": lines_of(order),
                    "version": order["version"], "total": order["total"], "worker": worker,
                    "doubt": None}
                model.owned[worker].append(order["id"])
        model.doubtful_creates.clear()
        assert not by_notes, f"orders nobody asked for: {sorted(by_notes)[:5]}"

    shipped = defaultdict(int)
    reserved = defaultdict(int)
    for order in listed.values():
        for sku, quantity, _ in lines_of(order):
            if order["status"] == "shipped":
                shipped[sku] += quantity
            elif order["status"] in OPEN:
                reserved[(order["id"], sku)] += quantity
    movements = 0
    for sku in skus:
        stock, ledger = stock_and_ledger(conn, sku)
        movements += len(ledger)
        assert stock["on_hand"] == STOCK - shipped[sku], (sku, stock, shipped[sku])
        expected = sum(q for (_, s), q in reserved.items() if s == sku)
        assert stock["reserved"] == expected, (sku, stock, expected)
        held = defaultdict(int)
        for m in ledger:
            if m["order_id"] is not None:
                held[m["order_id"]] += m["reserved_delta"]
        orphaned = {order_id: q for order_id, q in held.items()
                    if q != reserved.get((order_id, sku), 0)}
        assert not orphaned, f"{sku}: reservations that no open order holds: {orphaned}"
    return {"orders": len(listed), "open": len({o for o, _ in reserved}),
            "movements": movements, "in_flight": dict(in_flight)}


def test_kill_9_under_mixed_load_loses_nothing_and_keeps_stock_and_memory_straight(
        server_factory):
    srv = server_factory(setup=False)
    srv.data_dir.mkdir(parents=True)
    srv.keys["alpha"] = create_key(srv.binary, srv.data_dir, "alpha")
    srv.start()
    api = srv.a
    r = api.patch("/api/v1/settings", {"unpaid_timeout_seconds": 86400,
                                       "edit_window_seconds": 86400})
    assert r.status == 200, r
    skus = [api.product_with_stock(STOCK) for _ in range(SKUS)]
    model = Model()
    figures = []

    for cycle in range(1, CYCLES + 1):
        if not srv.alive():
            srv.start()
        model.acked.clear()
        model.answered.clear()
        stop = threading.Event()
        workers = [Worker(i, model, skus, srv, stop)
                   for i in range(CONNECTIONS)]
        threads = [threading.Thread(target=w.run, daemon=True) for w in workers]
        for t in threads:
            t.start()
        time.sleep(LOAD_SECONDS)
        assert srv.alive(), f"depot died by itself in cycle {cycle}:\n{srv.log_tail(30)}"
        rss = rss_anon_kib(srv.proc.pid)
        srv.kill9()
        stop.set()
        for t in threads:
            t.join(timeout=30)
        assert not any(t.is_alive() for t in threads), "a worker hangs after the kill"
        assert not model.failures, model.failures[:10]

        started = time.monotonic()
        srv.start()
        restart_ms = round((time.monotonic() - started) * 1000)
        started = time.monotonic()
        checker = Connection(srv.port, srv.keys["alpha"])
        counts = verify(checker, model, skus)
        checker.close()
        verify_ms = round((time.monotonic() - started) * 1000)
        figures.append({"cycle": cycle, "acked": dict(model.acked),
                        "acked_total": sum(model.acked.values()),
                        "answers": sum(model.answered.values()), "rss_anon_kib": rss,
                        "restart_ms": restart_ms, "verify_ms": verify_ms, **counts})
        print(f"cycle {cycle}: {figures[-1]}")

    srv.stop()
    if REPORT:
        with open(REPORT, "w") as out:
            json.dump({"cycles": CYCLES, "connections": CONNECTIONS, "load_seconds": LOAD_SECONDS,
                       "figures": figures}, out, indent=1)

    assert all(f["acked"].get(op) for f in figures for op in ("create", "pay", "ship")), figures
    assert sum(f["acked"].get("edit", 0) + f["acked"].get("cancel", 0) for f in figures) > 0
    settled = [f["rss_anon_kib"] for f in figures[WARM_UP_CYCLES:]]
    first, last = settled[: max(1, len(settled) // 4)], settled[-max(1, len(settled) // 4):]
    baseline = sum(first) / len(first)
    assert max(last) <= baseline * RSS_TOLERANCE + RSS_SLACK_KIB, (
        f"memory grows across cycles: RssAnon {settled} KiB")
