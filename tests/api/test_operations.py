"""Running depot: graceful shutdown, configuration by file and environment, the per-key rate
limit and online backup. The demo data of `depot serve --demo` is in test_demo_history.py."""

import json
import os
import signal
import socket
import subprocess
import threading
import time
import uuid

import pytest

from conftest import ON_POSTGRES, free_port, http_request, run_cli


def test_sigterm_answers_in_flight_requests_and_loses_nothing(server_factory):
    srv = server_factory()
    srv.start()
    api = srv.a
    sku = api.product_with_stock(100000)
    answered = []
    lock = threading.Lock()
    stop = threading.Event()

    def worker():
        while not stop.is_set():
            key = f"term-{uuid.uuid4()}"
            try:
                r = api.post("/api/v1/orders", api.order_body([(sku, 1, 100)]),
                             headers={"Idempotency-Key": key}, timeout=10)
            except OSError:
                return
            if r.status == 201:
                with lock:
                    answered.append(r.json["id"])

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    while len(answered) < 50:
        time.sleep(0.01)
    srv.proc.send_signal(signal.SIGTERM)
    code = srv.proc.wait(timeout=20)
    stop.set()
    for t in threads:
        t.join(timeout=20)
    assert code == 0, srv.log_tail()
    assert "stopped" in srv.log_tail()
    srv.proc = None

    srv.start()
    api = srv.a
    for order_id in answered:
        assert api.get(f"/api/v1/orders/{order_id}").status == 200
    api.assert_ledger_consistent(sku)
    assert api.stock(sku)["reserved"] == len(api.list_all("/api/v1/orders", {"sku": sku}))


def test_configuration_file_and_rate_limit(server_factory, tmp_path):
    port = free_port()
    config = tmp_path / "depot.json"
    config.write_text(json.dumps({"listen": f"127.0.0.1:{port}", "rate_limit": 5,
                                  "log_level": "warn"}))
    srv = server_factory()
    data = str(srv.data_dir)
    env = dict(srv.command_env(), DEPOT_DATA=data)
    proc = subprocess.Popen([srv.binary, "serve", "--config", str(config)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                if http_request("127.0.0.1", port, "GET", "/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        auth = {"Authorization": f"Bearer {srv.keys['alpha']}"}
        statuses = [http_request("127.0.0.1", port, "GET", "/api/v1/orders", headers=auth)
                    for _ in range(20)]
        codes = [r.status for r in statuses]
        assert codes[0] == 200, "the key of the data dir named by DEPOT_DATA works"
        assert 429 in codes, codes
        limited = next(r for r in statuses if r.status == 429)
        assert int(limited.headers["retry-after"]) >= 1
        assert "problem+json" in limited.headers["content-type"]
        other = {"Authorization": f"Bearer {srv.keys['beta']}"}
        assert http_request("127.0.0.1", port, "GET", "/api/v1/orders", headers=other).status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def test_a_node_is_named_by_its_host_and_port_unless_told(server_factory, tmp_path):
    named = server_factory(extra_args=["--node", "shop-7"])
    named.start()
    assert "node shop-7" in named.log_tail()
    named.stop()

    port = free_port()
    log = tmp_path / "unnamed.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([named.binary, "serve", "--data", str(named.data_dir), "--listen",
                                 f"127.0.0.1:{port}"], env=named.command_env(), stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while f"node {socket.gethostname()}:{port}" not in log.read_text(errors="replace"):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


@pytest.mark.skipif(ON_POSTGRES, reason="`depot backup` copies the SQLite file; PostgreSQL is "
                    "backed up with its own tools (docs/operations.md)")
def test_backup_while_serving_restores_as_a_working_store(server_factory, tmp_path):
    srv = server_factory()
    srv.start()
    api = srv.a
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 3)
    backup = tmp_path / "backup.db"
    out = run_cli(srv.binary, "backup", "--data", str(srv.data_dir), "--to", str(backup))
    assert str(backup) in out

    restored = tmp_path / "restored"
    restored.mkdir()
    os.rename(backup, restored / "depot.db")
    copy = server_factory(data_dir=restored, setup=False)
    copy.keys = srv.keys
    copy.start()
    assert copy.a.get_order(order["id"])["lines"][0]["quantity"] == 3
    copy.a.assert_ledger_consistent(sku)
