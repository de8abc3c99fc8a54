"""`depot migrate-store` (docs/operations.md, "Moving a store to PostgreSQL"): a store served from
its SQLite file, copied into a PostgreSQL database, is served from there with the same orders,
stock ledger, notifications and settings, and new ids that clash with no copied one; a second run
finds nothing to copy. The source is the SQLite file whichever store the rest of the suite uses,
and the target a database of its own; what cannot be copied as it is is refused."""

import contextlib
import re
import sqlite3
import subprocess

from conftest import postgres_database, run_cli, use_database
from provider_receivers import wait_for

# Nothing listens there: a refusal must come before any connection is tried.
NO_SERVER = "postgresql://depot@127.0.0.1:1/none"


def on_sqlite(data_dir):
    """Makes every `depot` command given `--data data_dir` use its SQLite file, also when the suite
    runs on PostgreSQL: an empty DEPOT_DB names no database (depot ignores an empty variable)."""
    use_database(data_dir, "")


def settled(api):
    """Every delivery is done with (none queued, in flight or waiting for a retry)."""
    items = api.list_all("/api/v1/notifications")
    return items and all(n["status"] not in ("queued", "sending") and n["next_attempt_at"] is None
                         for n in items)


def served(api, skus):
    """What the merchant's API shows of the store."""
    return {
        "orders": api.orders(),
        "stock": {sku: api.stock(sku) for sku in skus},
        "ledger": {sku: api.ledger(sku) for sku in skus},
        "notifications": api.list_all("/api/v1/notifications"),
        "channels": api.get("/api/v1/channels").json,
        "settings": api.get("/api/v1/settings").json,
        "events": api.events(),
    }


def copied_tables(out):
    """{table: (rows, new rows)} from migrate-store's line per table."""
    lines = (re.fullmatch(r"(\w+): (\d+) rows \((\d+) new\)", line) for line in out.splitlines())
    return {m[1]: (int(m[2]), int(m[3])) for m in lines if m}


def migrate_store(binary, *args):
    return subprocess.run([binary, "migrate-store", *map(str, args)], capture_output=True,
                          text=True, timeout=120)


def test_a_store_moved_to_postgresql_serves_the_same(server_factory, depot_bin):
    data_dir = server_factory.tmp / "store"
    on_sqlite(data_dir)
    srv = server_factory(data_dir=data_dir)
    srv.start()
    api = srv.a
    r = api.request("PUT", "/api/v1/channels/email", {"sandbox": True})
    assert r.status in (200, 201), r
    r = api.patch("/api/v1/settings", {"default_channels": ["email"], "edit_window_seconds": 900,
                                       "reports": {"service_level": 0.975}})
    assert r.status == 200, r
    skus = [api.product_with_stock(10), api.product_with_stock(4)]
    paid = api.order_ok(skus[0], 2)
    assert api.pay(paid["id"], paid["total"]).status == 201
    cancelled = api.order_ok(skus[1], 1)
    r = api.post(f"/api/v1/orders/{cancelled['id']}/cancel", {"reason": "customer asked"})
    assert r.status == 200, r
    api.order_ok(skus[1], 3)
    srv.b.order_ok(srv.b.product_with_stock(5), 1)
    wait_for(lambda: settled(api), what="the cancellation's e-mail to be sent")
    before = served(api, skus)
    before_b = srv.b.orders()
    assert [n["event"] for n in before["notifications"]] == ["order.cancelled"]
    srv.stop()

    uri = postgres_database()
    out = run_cli(depot_bin, "migrate-store", "--from", f"sqlite:{data_dir}", "--to", uri)
    first = copied_tables(out)
    assert first["orders"] == (4, 4) and first["notifications"] == (1, 1), out
    assert all(rows == new for rows, new in first.values()), out
    assert "schema_migrations" not in first and "rollup_rebuilds" not in first, out
    assert out.splitlines()[-1].startswith("copied "), out
    again = run_cli(depot_bin, "migrate-store", "--from", f"sqlite:{data_dir}", "--to", uri)
    assert copied_tables(again) == {table: (rows, 0) for table, (rows, _) in first.items()}, again
    assert again.splitlines()[-1].startswith("no change: PostgreSQL already held all "), again

    use_database(data_dir, uri)
    srv.start()
    assert served(api, skus) == before
    assert srv.b.orders() == before_b
    for sku in skus:
        api.assert_ledger_consistent(sku)
    fresh = api.order_ok(skus[0], 1)
    assert fresh["id"] > max(o["id"] for o in before["orders"] + before_b)
    assert len(api.orders()) == len(before["orders"]) + 1


def test_what_cannot_be_copied_as_it_is_is_refused(depot_bin, tmp_path):
    r = migrate_store(depot_bin, "--from", tmp_path, "--to", NO_SERVER)
    assert r.returncode == 2 and "--from: expected sqlite:DIR" in r.stderr, r

    missing = tmp_path / "missing"
    r = migrate_store(depot_bin, "--from", f"sqlite:{missing}", "--to", NO_SERVER)
    assert r.returncode == 2 and "--from: no depot store" in r.stderr, r
    assert not missing.exists(), "a refused source must be left as it was"

    data_dir = tmp_path / "store"
    on_sqlite(data_dir)
    run_cli(depot_bin, "migrate", "--data", data_dir)
    r = migrate_store(depot_bin, "--from", f"sqlite:{data_dir}", "--to", "mysql://depot@db/depot")
    assert r.returncode == 2 and "--to: expected postgresql://" in r.stderr, r
    r = migrate_store(depot_bin, "--from", f"sqlite:{data_dir}", "--to", NO_SERVER,
                      "--tenant", "nobody")
    assert r.returncode == 2 and "--tenant: no merchant 'nobody'" in r.stderr, r

    # A store of an older depot is not upgraded behind the merchant's back.
    with contextlib.closing(sqlite3.connect(data_dir / "depot.db")) as db, db:
        db.execute("DELETE FROM schema_migrations WHERE version = "
                   "(SELECT MAX(version) FROM schema_migrations)")
    r = migrate_store(depot_bin, "--from", f"sqlite:{data_dir}", "--to", NO_SERVER)
    assert r.returncode == 2 and "--from: the store in" in r.stderr, r
    assert "run `depot migrate --data" in r.stderr, r
