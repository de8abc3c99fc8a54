"""A second writer on the same database: `depot apikey create` and `depot user create` run beside a
live `depot serve`, as an operator sets up a new merchant without a restart. Neither may hand out an
id the other already used (the store contract in app/ports.h), so the server's next writes of the
same tables succeed, and the event feed's ids keep rising."""
import threading

from conftest import create_key, run_cli


def test_a_merchant_created_beside_the_server_gets_its_first_warehouse_and_location(server_factory):
    srv = server_factory()
    srv.start()
    # The server allocates warehouse, location and audit ids first, so it has counted them.
    assert srv.a.post("/api/v1/warehouses", {"code": "east", "name": "East"}).status == 201

    newco = srv.client(create_key(srv.binary, srv.data_dir, "newco", "owner"))
    assert newco.post("/api/v1/warehouses", {"code": "west", "name": "West"}).status == 201
    assert newco.post("/api/v1/warehouses/west/locations", {"code": "A-01"}).status == 201
    codes = {w["code"] for w in newco.get("/api/v1/warehouses").json["items"]}
    assert codes == {"main", "west"}
    # alpha's own next warehouse, after the other process wrote warehouses of its own.
    assert srv.a.post("/api/v1/warehouses", {"code": "north", "name": "North"}).status == 201


def test_users_and_keys_created_while_orders_flow_never_clash(server_factory):
    srv = server_factory()
    srv.start()
    api = srv.a
    sku = api.product_with_stock(10_000)
    before = api.last_event_id()
    failures = []
    stop = threading.Event()

    def create_orders():
        client = srv.a
        while not stop.is_set():
            r = client.create_order(sku, 1)
            if r.status != 201:
                failures.append((r.status, r.json))

    threads = [threading.Thread(target=create_orders) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for i in range(4):
            create_key(srv.binary, srv.data_dir, "alpha", "viewer")
            create_key(srv.binary, srv.data_dir, f"extra-{i}", "owner")
            run_cli(srv.binary, "user", "create", "--data", str(srv.data_dir), "--tenant", "alpha",
                    "--email", f"clerk{i}@example.com", "--role", "operator",
                    "--password", "correct horse battery")
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert failures == []
    # Every id of the feed rises, the ones the server wrote after the CLI's included.
    ids = [e["id"] for e in api.events(after=before)]
    assert ids == sorted(set(ids)) and len(ids) > 0
    users = {u["email"] for u in api.get("/api/v1/users").json["items"]}
    assert {f"clerk{i}@example.com" for i in range(4)} <= users
