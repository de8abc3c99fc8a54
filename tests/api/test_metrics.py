"""Metrics, request ids and structured logs (issue 8, SPEC OPS-2): `GET /metrics` in the Prometheus
text format, `X-Request-Id` on every answer, and `--log-format json` writing one JSON object per
line."""

import json
import re
import subprocess
import time
import uuid

import pytest

from conftest import API_DOCUMENT, assert_problem, http_request

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape(srv, headers=None):
    r = http_request("127.0.0.1", srv.port, "GET", "/metrics", headers=headers)
    assert r.status == 200, r
    return r


def parse(text):
    """{(name, frozenset(labels.items())): value} of every sample, and {name: type}."""
    samples, types = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            types[name] = kind
            continue
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        labels = dict(LABEL.findall(m.group(3) or ""))
        samples[(m.group(1), frozenset(labels.items()))] = float(m.group(4))
    return samples, types


def metrics(srv):
    return parse(scrape(srv).body.decode("utf-8"))[0]


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def series(samples, name):
    return {labels: v for (n, labels), v in samples.items() if n == name}


# --------------------------------------------------------------------------------------------
# GET /metrics


def test_metrics_are_prometheus_text_with_the_request_counter(server):
    r = scrape(server)
    assert r.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = r.body.decode("utf-8")
    assert "# TYPE depot_http_requests_total counter" in text
    samples, types = parse(text)
    for name, kind in {"depot_http_requests_total": "counter",
                       "depot_http_request_duration_seconds": "histogram",
                       "depot_store_commit_batch_jobs": "histogram",
                       "depot_store_commit_duration_seconds": "histogram",
                       "depot_outbox_lag_events": "gauge",
                       "depot_outbox_lag_seconds": "gauge",
                       "depot_open_alerts": "gauge",
                       "depot_notifications_total": "counter",
                       "depot_notifications_in_flight": "gauge",
                       "process_resident_memory_bytes": "gauge",
                       "process_start_time_seconds": "gauge"}.items():
        assert types.get(name) == kind, (name, types.get(name))
    assert value(samples, "process_resident_memory_bytes") > 1_000_000
    assert 0 < time.time() - value(samples, "process_start_time_seconds") < 3600
    # The readiness probe the fixture polled is already counted.
    assert value(samples, "depot_http_requests_total", method="GET", route="/healthz",
                 status="200") >= 1


def test_requests_count_under_their_route_pattern_never_the_raw_path(server, api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 1)
    before = metrics(server)
    for _ in range(3):
        api.get_order(order["id"])
    assert api.get("/api/v1/orders/987654321").status == 404
    http_request("127.0.0.1", server.port, "GET", f"/api/v1/no/such/{uuid.uuid4().hex}")
    after = metrics(server)

    route = "/api/v1/orders/{id}"
    assert (value(after, "depot_http_requests_total", method="GET", route=route, status="200") -
            value(before, "depot_http_requests_total", method="GET", route=route,
                  status="200")) == 3
    assert (value(after, "depot_http_requests_total", method="GET", route=route, status="404") -
            value(before, "depot_http_requests_total", method="GET", route=route,
                  status="404")) == 1
    assert value(after, "depot_http_requests_total", method="GET", route="unmatched",
                 status="404") >= 1
    # Latency by route: a histogram whose +Inf bucket is its count.
    count = value(after, "depot_http_request_duration_seconds_count", method="GET", route=route)
    assert count >= 4
    assert value(after, "depot_http_request_duration_seconds_bucket", method="GET", route=route,
                 le="+Inf") == count

    # Every API route label is a path of the API document: no id ever becomes a label.
    documented = {template for _, _, template, _ in API_DOCUMENT.operations}
    routes = {dict(labels)["route"] for labels in series(after, "depot_http_requests_total")}
    assert route in routes
    for label in routes:
        assert label in documented or label == "unmatched" or not label.startswith("/api/"), label
    text = scrape(server).body.decode("utf-8")
    assert f"/api/v1/orders/{order['id']}" not in text
    assert "987654321" not in text and "/no/such/" not in text


def test_group_commits_are_measured(server, api):
    before = metrics(server)
    sku = api.product_with_stock(5)
    api.order_ok(sku, 1)
    after = metrics(server)
    jobs = series(after, "depot_store_commit_batch_jobs_bucket")
    count = value(after, "depot_store_commit_batch_jobs_count")
    assert count - value(before, "depot_store_commit_batch_jobs_count") >= 3  # product, stock, order
    assert value(after, "depot_store_commit_batch_jobs_sum") >= count  # at least one job each
    # Buckets are cumulative, ordered by bound, and end at +Inf with the count.
    ordered = sorted(jobs.items(), key=lambda item: float(dict(item[0])["le"].replace("+Inf", "inf")))
    counts = [v for _, v in ordered]
    assert counts == sorted(counts), ordered
    assert dict(ordered[-1][0])["le"] == "+Inf" and counts[-1] == count
    assert value(after, "depot_store_commit_duration_seconds_count") >= count
    assert value(after, "depot_store_commit_duration_seconds_sum") > 0


def test_open_alerts_by_kind_and_the_outbox_lag(server, api):
    sku = api.create_product(low_stock_threshold=5)
    api.receive(sku, 4)
    samples = metrics(server)
    assert value(samples, "depot_open_alerts", kind="low_stock") >= 1
    # The dispatcher keeps up with a quiet server: nothing is left behind for long.
    deadline = time.monotonic() + 10
    while value(samples, "depot_outbox_lag_events") > 0 and time.monotonic() < deadline:
        time.sleep(0.1)
        samples = metrics(server)
    assert value(samples, "depot_outbox_lag_events") == 0
    assert value(samples, "depot_outbox_lag_seconds") == 0


def test_an_outbox_that_is_not_dispatched_shows_its_lag(server_factory):
    srv = server_factory(extra_args=["--no-dispatch"])
    srv.start()
    sku = srv.a.product_with_stock(5)
    srv.a.order_ok(sku, 1)
    time.sleep(1.1)
    samples = metrics(srv)
    assert value(samples, "depot_outbox_lag_events") >= 2  # stock received, order created
    assert value(samples, "depot_outbox_lag_seconds") >= 1


def test_notification_attempts_count_by_channel_and_outcome(server, api):
    r = api.request("PUT", "/api/v1/channels/webhook", {"sandbox": True})
    assert r.status in (200, 201), r
    try:
        before = value(metrics(server), "depot_notifications_total", channel="webhook",
                       outcome="sandbox")
        sku = api.product_with_stock(5)
        api.order_ok(sku, 1)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            now = value(metrics(server), "depot_notifications_total", channel="webhook",
                        outcome="sandbox")
            if now > before:
                break
            time.sleep(0.1)
        assert now > before
    finally:
        api.request("DELETE", "/api/v1/channels/webhook")


def test_a_metrics_token_closes_the_endpoint(server_factory):
    srv = server_factory(extra_args=["--metrics-token", "scrape-s3cret"])
    srv.start()
    r = http_request("127.0.0.1", srv.port, "GET", "/metrics")
    assert_problem(r, 401)
    r = http_request("127.0.0.1", srv.port, "GET", "/metrics",
                     headers={"Authorization": "Bearer wrong-s3cret!"})
    assert r.status == 401
    r = scrape(srv, headers={"Authorization": "Bearer scrape-s3cret"})
    assert b"depot_http_requests_total" in r.body


# --------------------------------------------------------------------------------------------
# X-Request-Id


def test_a_sane_request_id_is_echoed(api):
    r = api.get("/healthz", headers={"X-Request-Id": "trace-7f3a:span/1"})
    assert r.headers["x-request-id"] == "trace-7f3a:span/1"


def test_requests_without_an_id_get_a_new_unique_one(api):
    ids = [api.get("/healthz", key=None).headers.get("x-request-id") for _ in range(20)]
    ids += [api.get("/api/v1/orders/1").headers.get("x-request-id") for _ in range(5)]
    assert all(ids) and len(set(ids)) == len(ids), ids


@pytest.mark.parametrize("bad", ["x" * 129, "has space", "tab\there", "", "naïve"])
def test_a_bad_request_id_is_replaced(api, bad):
    r = api.get("/healthz", headers={"X-Request-Id": bad})
    given = r.headers.get("x-request-id")
    assert given and given != bad and len(given) <= 128 and given.isascii() and " " not in given


def test_problems_carry_the_request_id(api):
    r = api.get("/api/v1/orders/999999999", headers={"X-Request-Id": "report-me-42"})
    body = assert_problem(r, 404)
    assert body["request_id"] == "report-me-42" == r.headers["x-request-id"]
    r = api.get("/api/v1/orders/999999999")
    assert assert_problem(r, 404)["request_id"] == r.headers["x-request-id"]


# --------------------------------------------------------------------------------------------
# JSON logs


def json_lines(srv):
    lines = [line for line in srv.log_path.read_text(encoding="utf-8").splitlines() if line]
    objects = []
    for line in lines:
        try:
            objects.append(json.loads(line))
        except ValueError:
            pytest.fail(f"a log line is not JSON: {line!r}")
    return objects


def test_json_logs_are_one_object_per_line_with_request_ids(server_factory, tmp_path):
    config = tmp_path / "depot.json"
    config.write_text(json.dumps({"log_format": "json", "log_level": "debug"}))
    srv = server_factory(extra_args=["--config", str(config)])
    srv.start()
    api = srv.a
    sku = api.product_with_stock(5)
    order = api.order_ok(sku, 1)
    api.get(f"/api/v1/orders/{order['id']}", headers={"X-Request-Id": "json-log-1"})
    # A path with a quote, a backslash, Chinese and a byte that is not UTF-8 still logs as JSON.
    http_request("127.0.0.1", srv.port, "GET", '/api/no/%22q%5C%E4%B8%8A%FF',
                 headers={"X-Request-Id": "json-log-2"})
    srv.stop()

    objects = json_lines(srv)
    assert len(objects) >= 5
    for o in objects:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", o["time"]), o
        assert o["level"] in ("trace", "debug", "info", "warning", "error", "critical"), o
        assert isinstance(o["message"], str) and o["thread"], o
    access = [o for o in objects if "request_id" in o]
    [mine] = [o for o in access if o["request_id"] == "json-log-1"]
    assert mine["route"] == "/api/v1/orders/{id}"
    assert mine["path"] == f"/api/v1/orders/{order['id']}"
    assert mine["method"] == "GET" and mine["status"] == 200
    assert isinstance(mine["duration_ms"], (int, float)) and mine["duration_ms"] >= 0
    [odd] = [o for o in access if o["request_id"] == "json-log-2"]
    assert odd["route"] == "unmatched" and odd["status"] == 404
    assert odd["path"].startswith('/api/no/"q\\上') and odd["path"].endswith("\ufffd"), odd["path"]
    # Every request of the run left a line with its own id.
    ids = [o["request_id"] for o in access]
    assert len(ids) == len(set(ids))
    assert any(o["message"] == "stopped" for o in objects)


def test_text_logs_stay_the_default_and_name_the_request(server_factory):
    srv = server_factory(extra_args=["--log-level", "debug"])
    srv.start()
    srv.a.get("/api/v1/orders/1", headers={"X-Request-Id": "text-log-1"})
    srv.stop()
    text = srv.log_path.read_text(encoding="utf-8")
    assert "depot is running at" in text
    [line] = [line for line in text.splitlines() if "request_id=text-log-1" in line]
    assert "level=debug GET /api/v1/orders/1 -> 404" in line
    assert "route=/api/v1/orders/{id}" in line and "status=404" in line


def test_an_unknown_log_format_refuses_to_start(server_factory):
    srv = server_factory()
    proc = subprocess.run([srv.binary, "serve", "--data", str(srv.data_dir), "--listen",
                           "127.0.0.1:0", "--log-format", "xml"],
                          capture_output=True, text=True, timeout=30, env=srv.command_env())
    assert proc.returncode != 0
    assert "log_format must be text or json" in proc.stdout + proc.stderr
