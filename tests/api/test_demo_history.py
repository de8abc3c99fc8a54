"""The demo of `depot serve --demo`: a merchant with a year of history recorded through the use
cases (orders over 365 days with the sale peaks, parcels delivered with their scans, returns,
refunds, complaints, regular customers), today's orders in several states, a key printed at every
start, nothing told to the history's customers, and nothing added again by a second start.

One demo server serves the whole module: seeding a year takes a few seconds."""

import collections
import datetime
import re
import time

import pytest

import conftest
from conftest import Server

# `make run`'s demo seeds SQLite. Seeded on PostgreSQL, the year's some two million statements,
# one use case after another, take minutes (a round trip each: see docs/benchmarks.md), and the
# use cases it records are the ones the rest of the suite runs against PostgreSQL.
pytestmark = pytest.mark.skipif(conftest.ON_POSTGRES,
                                reason="the demo's year is seeded and checked on SQLite")

CHINA = datetime.timezone(datetime.timedelta(hours=8))
SEEDED = re.compile(r"seeded the demo merchant with (\d+) days of history \((\d+) orders\) "
                    r"in ([\d.]+) s")


def iso(t):
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def demo_server(depot_bin, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    srv = Server(depot_bin, tmp / "data", tmp / "server.log", ["--demo"])
    srv.data_dir.mkdir(parents=True)
    # The first start records the year before it listens: allow for a slow, busy machine.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(conftest, "START_TIMEOUT", 180.0)
        srv.start()
    key = next(line.split()[-1] for line in srv.log_path.read_text().splitlines()
               if "demo key:" in line)
    srv.keys = {"alpha": key}
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def demo(demo_server):
    return demo_server.a


@pytest.fixture(scope="module")
def live_orders(demo):
    """Today's demo orders, created after the history: the newest eight."""
    r = demo.get("/api/v1/orders", params={"limit": 8})
    assert r.status == 200, r
    return r.json["items"]


def test_seeding_a_year_is_one_line_in_the_log(demo_server):
    seeded = SEEDED.findall(demo_server.log_path.read_text())
    assert len(seeded) == 1, demo_server.log_tail()
    days, orders, seconds = int(seeded[0][0]), int(seeded[0][1]), float(seeded[0][2])
    assert days == 365
    assert 20 * 365 < orders < 60 * 365
    print(f"seeded {orders} orders of {days} days in {seconds} s")


def test_orders_spread_over_the_year_with_the_sale_peaks(demo):
    now = datetime.datetime.now(CHINA)
    for month in range(12):
        r = demo.get("/api/v1/orders", params={
            "created_from": iso(now - datetime.timedelta(days=30 * (month + 1))),
            "created_to": iso(now - datetime.timedelta(days=30 * month)), "limit": 1})
        assert r.status == 200 and r.json["items"], f"no orders {month} months ago"
    before = demo.get("/api/v1/orders", params={
        "created_to": iso(now - datetime.timedelta(days=366)), "limit": 1})
    assert before.status == 200 and before.json["items"] == []

    today = now.date()
    r = demo.get("/api/v1/reports/dashboard", params={
        "from": (today - datetime.timedelta(days=364)).isoformat(), "to": today.isoformat()})
    assert r.status == 200, r
    per_day = {d["date"]: d["orders"] for d in r.json["orders_per_day"]}
    assert sum(1 for n in per_day.values() if n > 0) >= 360
    singles_day = next(day for day in per_day if day.endswith("-11-11"))
    if singles_day != today.isoformat():  # on the day itself, its sale is still under way
        assert per_day[singles_day] == max(per_day.values())
    weekday = collections.defaultdict(list)
    for day, n in per_day.items():
        weekday[datetime.date.fromisoformat(day).weekday() >= 5].append(n)
    assert sum(weekday[True]) / len(weekday[True]) > sum(weekday[False]) / len(weekday[False])


def test_delivered_orders_have_their_parcels_scans(demo):
    r = demo.get("/api/v1/orders", params={"status": "delivered", "limit": 20})
    assert r.status == 200 and len(r.json["items"]) == 20
    carriers = set()
    for order in r.json["items"]:
        tracking = demo.get(f"/api/v1/orders/{order['id']}/tracking")
        assert tracking.status == 200, tracking
        parcel = tracking.json["parcels"][0]
        assert parcel["status"] == "delivered"
        assert len(parcel["events"]) >= 5
        assert parcel["events"][-1]["status"] == "delivered"
        shipped = parse(demo.get(f"/api/v1/orders/{order['id']}/shipments")
                        .json["items"][0]["shipped_at"])
        assert datetime.timedelta(hours=6) < parse(parcel["delivered_at"]) - shipped \
            < datetime.timedelta(days=8)
        carriers.add(parcel["carrier"])
    assert len(carriers) >= 2


def test_returns_refunds_and_complaints_were_handled(demo):
    returns = demo.list_all("/api/v1/returns")
    statuses = collections.Counter(r["status"] for r in returns)
    assert statuses["received"] > 10 and statuses["rejected"] > 0, statuses
    assert any(r["kind"] == "exchange" and r.get("replacement_order_id") for r in returns)
    refunds = demo.list_all("/api/v1/refunds", {"status": "completed"})
    assert len(refunds) > 50
    complaints = demo.list_all("/api/v1/tickets", {"kind": "complaint"})
    assert sum(1 for t in complaints if t["status"] == "resolved") > 10


def test_regular_customers_rebuy_their_sku_at_regular_intervals(demo):
    r = demo.get("/api/v1/orders", params={"sku": "COFFEE-BEANS", "limit": 200})
    phones = collections.Counter(o["customer"]["phone"] for o in r.json["items"])
    phone, _ = phones.most_common(1)[0]
    bought = sorted(parse(o["created_at"]) for o in demo.orders(phone=phone)
                    if any(line["sku"] == "COFFEE-BEANS" for line in o["lines"]))
    assert len(bought) >= 3
    gaps = [(b - a).days for a, b in zip(bought, bought[1:])]
    assert all(10 <= gap <= 40 for gap in gaps), gaps


def test_no_customer_is_told_of_the_history(demo, live_orders):
    live = {o["id"] for o in live_orders}
    shipped = next(o["id"] for o in live_orders if o["status"] == "shipped")
    # The dispatcher runs once the server is up: wait until it has planned today's news.
    for _ in range(200):
        if demo.get("/api/v1/notifications", params={"order_id": shipped}).json["items"]:
            break
        time.sleep(0.05)
    else:
        pytest.fail("today's shipment was never notified")
    told = demo.list_all("/api/v1/notifications")
    assert {n["order_id"] for n in told} <= live, "a customer of the history was told"
    assert demo.get("/api/v1/sandbox/messages", params={"limit": 200}).status == 200


def test_alerts_are_few_and_two_skus_are_left_low(demo):
    alerts = demo.alerts()
    low = {a["sku"] for a in alerts if a["kind"] == "low_stock"}
    assert low == {"PEN-GEL", "NOTEBOOK"}, alerts
    for sku in low:
        stock = demo.stock(sku)
        assert 0 < stock["available"] < stock["low_stock_threshold"], stock
    held = [a for a in alerts if a["kind"] == "order_held"]
    assert len(held) == 3, "only today's held demo orders"
    assert len(alerts) < 15


def test_todays_demo_orders_show_every_state(live_orders):
    statuses = {o["status"] for o in live_orders}
    assert {"pending_payment", "awaiting_shipment", "partially_shipped", "shipped",
            "on_hold"} <= statuses
    held = {r["code"] for o in live_orders for r in o["hold_reasons"]}
    assert held == {"address.district_not_in_city", "customer.phone_invalid", "rule.matched"}


def test_a_second_start_adds_nothing_and_prints_the_key_again(demo_server, demo):
    orders = sum(demo.get("/api/v1/orders/counts").json.values())
    demo_server.stop()
    demo_server.start()
    assert sum(demo_server.a.get("/api/v1/orders/counts").json.values()) == orders
    log = demo_server.log_path.read_text()
    assert len(SEEDED.findall(log)) == 1
    assert log.count("demo key:") == 2
