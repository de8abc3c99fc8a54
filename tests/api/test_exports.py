"""Exports (RPT-2): orders, the ledger, notifications and the dashboard's days as CSV (UTF-8 with a
BOM) and XLSX, read back with Python's csv module and openpyxl; contact details masked by role
(SEC-3); a large export as a job with progress and a download; and 100,000 orders exported with
the server's peak heap held flat while the files are far larger than that."""

import csv
import datetime
import http.client
import io
import os
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import zipfile

import openpyxl
import pytest

from conftest import ON_POSTGRES, assert_problem, merchant_today, store_env

# Small exports are answered at once, larger ones become jobs: a low bar keeps the data small.
INLINE_ROWS = 50
SERVE_ARGS = ["--export-inline-rows", str(INLINE_ROWS)]

BOM = b"\xef\xbb\xbf"
ORDER_HEADER = ["order_id", "order_no", "created_at", "status", "customer_name", "customer_phone",
                "customer_email", "province", "city", "district", "address_detail", "postcode",
                "lines", "units", "total", "paid", "refunded", "currency", "platform",
                "external_no", "notes", "updated_at"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def today_range():
    day = merchant_today().isoformat()
    return {"from": day, "to": day}


def export(client, name, params):
    return client.get(f"/api/v1/exports/{name}?" + urllib.parse.urlencode(params))


def csv_rows(resp):
    assert resp.status == 200, resp
    assert resp.headers["content-type"].split(";")[0] == "text/csv", resp
    assert resp.body.startswith(BOM), "Excel in China needs the byte order mark"
    assert b"\r\n" in resp.body
    return list(csv.reader(io.StringIO(resp.body[len(BOM):].decode("utf-8"), newline="")))


def by_order_no(rows):
    return {row[1]: dict(zip(ORDER_HEADER, row)) for row in rows[1:]}


def wait_done(client, job_id, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = client.get(f"/api/v1/exports/{job_id}")
        assert r.status == 200, r
        if r.json["status"] in ("done", "failed"):
            return r.json
        time.sleep(0.05)
    raise AssertionError(f"export {job_id} did not finish in {timeout}s: {r.json}")


def test_orders_csv_has_a_bom_the_header_and_the_rows_of_the_range(api):
    sku = api.product_with_stock(100)
    first = api.order_ok(sku, 2, 1050, notes="=cmd|' /C calc'!A0")
    second = api.order_ok(sku, 1, 990, customer={"name": "王五", "phone": "13900139000"},
                          platform="taobao", external_no=f"T{time.time_ns()}")
    r = export(api, "orders.csv", today_range())
    assert r.headers["content-disposition"] == (
        f'attachment; filename="orders-{merchant_today()}-{merchant_today()}.csv"')
    rows = csv_rows(r)
    assert rows[0] == ORDER_HEADER
    found = by_order_no(rows)
    one, two = found[first["order_no"]], found[second["order_no"]]
    assert one["order_id"] == str(first["id"])
    assert (one["status"], one["lines"], one["units"], one["total"], one["paid"]) == (
        "pending_payment", f"{sku} x2", "2", "21.00", "0.00")
    assert (one["customer_name"], one["customer_phone"], one["customer_email"]) == (
        "李四", "13800138000", "lisi@example.com")
    assert (one["province"], one["district"], one["address_detail"]) == (
        "上海市", "浦东新区", "世纪大道 1 号")
    assert one["notes"] == "'=cmd|' /C calc'!A0", "a formula is written as text"
    assert one["created_at"].startswith(merchant_today().isoformat() + " ")
    assert (two["customer_name"], two["platform"], two["total"]) == ("王五", "taobao", "9.90")
    assert rows.index(next(r for r in rows if r[1] == first["order_no"])) < rows.index(
        next(r for r in rows if r[1] == second["order_no"])), "oldest first"

    yesterday = (merchant_today() - datetime.timedelta(days=1)).isoformat()
    assert csv_rows(export(api, "orders.csv", {"from": yesterday, "to": yesterday})) == [
        ORDER_HEADER]


@pytest.mark.parametrize("role, full", [("owner", True), ("service", True),
                                        ("operator", False), ("viewer", False)])
def test_contact_details_are_masked_for_roles_that_do_not_need_them(server, role, full):
    owner = server.a
    sku = owner.product_with_stock(10)
    order = owner.order_ok(sku, 1)
    client = server.client(server.keys[f"alpha-{role}"])
    row = by_order_no(csv_rows(export(client, "orders.csv", today_range())))[order["order_no"]]
    shown = (row["customer_name"], row["customer_phone"], row["customer_email"],
             row["address_detail"])
    if full:
        assert shown == ("李四", "13800138000", "lisi@example.com", "世纪大道 1 号")
    else:
        assert shown == ("李*", "138****8000", "l***@example.com", "***")
    assert (row["province"], row["city"], row["district"]) == ("上海市", "上海市", "浦东新区")


def test_orders_xlsx_reads_back_with_typed_cells(api):
    sku = api.product_with_stock(10)
    order = api.order_ok(sku, 3, 1234)
    r = export(api, "orders.xlsx", today_range())
    assert r.status == 200, r
    assert r.headers["content-type"] == XLSX
    assert r.headers["content-disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(r.body), read_only=True)
    sheet = book["orders"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ORDER_HEADER
    row = dict(zip(ORDER_HEADER, next(r for r in rows[1:] if r[1] == order["order_no"])))
    assert row["order_id"] == order["id"]
    assert row["units"] == 3 and row["total"] == pytest.approx(37.02)
    assert isinstance(row["created_at"], datetime.datetime)
    assert row["created_at"].date() == merchant_today()
    assert row["customer_phone"] == "13800138000"


def test_bad_days_are_refused_naming_the_field(api):
    assert_problem(export(api, "orders.csv", {"to": "2026-01-01"}), 422, "from")
    assert_problem(export(api, "orders.csv", {"from": "2026-01-01"}), 422, "to")
    assert_problem(export(api, "ledger.xlsx", {"from": "2026-02-30", "to": "2026-03-01"}), 422,
                   "from")
    assert_problem(export(api, "orders.csv", {"from": "2026-01-02", "to": "2026-01-01"}), 422,
                   "to")
    assert_problem(export(api, "dashboard.csv", {"from": "2025-01-01", "to": "2026-12-31"}), 422,
                   "to")
    assert_problem(api.get("/api/v1/exports/999999"), 404)
    assert_problem(api.get("/api/v1/exports/orders.pdf"), 404)


def test_a_large_export_runs_as_a_job_with_progress_and_a_download(server):
    beta = server.b
    sku = beta.product_with_stock(1000)
    orders = [beta.order_ok(sku, 1, 100 + i) for i in range(INLINE_ROWS + 5)]
    r = export(beta, "orders.csv", today_range())
    assert r.status == 202, r
    job = r.json
    assert r.headers["location"] == f"/api/v1/exports/{job['id']}"
    assert job["kind"] == "orders" and job["format"] == "csv"
    # Counted, so known to be large; the runner may even have finished it by now.
    assert job["progress"]["rows_total"] == len(orders)
    assert job["status"] in ("running", "done")
    assert (job["download_url"] is None) == (job["status"] != "done")

    done = wait_done(beta, job["id"])
    assert done["status"] == "done", done
    assert done["progress"] == {"rows_done": len(orders), "rows_total": len(orders)}
    assert done["download_url"] == f"/api/v1/exports/{job['id']}/download"
    assert done["file_name"] == f"orders-{merchant_today()}-{merchant_today()}.csv"
    download = beta.get(done["download_url"])
    assert download.headers["content-disposition"] == f'attachment; filename="{done["file_name"]}"'
    rows = csv_rows(download)
    assert [row[1] for row in rows[1:]] == [o["order_no"] for o in orders]

    assert job["id"] in [j["id"] for j in beta.get("/api/v1/exports").json["items"]]
    # Another key, of the same merchant or another, sees nothing of it.
    for stranger in (server.client(server.keys["alpha"]), server.c):
        assert_problem(stranger.get(f"/api/v1/exports/{job['id']}"), 404)
        assert_problem(stranger.get(f"/api/v1/exports/{job['id']}/download"), 404)
        assert job["id"] not in [j["id"] for j in stranger.get("/api/v1/exports").json["items"]]


def test_ledger_notifications_and_dashboard_exports(api):
    sku = api.product_with_stock(40)
    order = api.order_ok(sku, 4)
    rows = csv_rows(export(api, "ledger.csv", today_range()))
    assert rows[0] == ["movement_id", "at", "sku", "location", "kind", "on_hand_delta",
                       "reserved_delta", "reason", "order_id", "actor"]
    mine = [r for r in rows[1:] if r[2] == sku]
    assert [(r[4], r[5], r[6]) for r in mine] == [("inbound", "40", "0"),
                                                  ("reservation", "0", "4")]
    assert mine[1][8] == str(order["id"])

    rows = csv_rows(export(api, "notifications.csv", today_range()))
    assert rows[0][:4] == ["notification_id", "created_at", "event", "order_id"]

    rows = csv_rows(export(api, "dashboard.csv", today_range()))
    assert rows[0][:4] == ["date", "orders", "gmv", "refunded"]
    assert len(rows) == 2 and rows[1][0] == merchant_today().isoformat()
    assert int(rows[1][1]) >= 1

    r = export(api, "dashboard.xlsx", today_range())
    sheet = openpyxl.load_workbook(io.BytesIO(r.body), read_only=True)["dashboard"]
    days = list(sheet.iter_rows(values_only=True))
    assert days[1][0].date() == merchant_today() and days[1][1] == int(rows[1][1])


# ------------------------------------------------------------------------------------------
# 100,000 orders

MANY = 100_000
NOTE = "备注" * 200  # 1,200 bytes of UTF-8 per order: the export far outgrows the memory bound
MEMORY_BOUND = 64 << 20


def status_bytes(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field}")


class PeakAnonymousMemory:
    """The server's peak anonymous resident memory (its heap: what holding rows would cost),
    sampled every few milliseconds. VmHWM alone would not tell: the store maps the database file
    (mmap_size), and the file's pages an export reads count toward VmHWM although they are the
    kernel's page cache, bounded by the map's size, not by the export's."""

    def __init__(self, pid):
        self.pid = pid
        self.peak = status_bytes(pid, "RssAnon")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, status_bytes(self.pid, "RssAnon"))
            except OSError:  # the server is gone: the test reports why
                return
            time.sleep(0.002)

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.peak


def copy_order(srv, order_id, copies):
    """Copies one order (and its lines) `copies` times straight into the database, while the
    server is stopped: the API would need minutes for 100,000. Each copy gets its own id, number
    and creation time, a second apart. The per-status counts follow; the report rollups do not,
    and this test does not read them."""
    if ON_POSTGRES:
        copy_order_on_postgres(store_env(srv.data_dir)["DEPOT_DB"], order_id, copies)
        return
    db = sqlite3.connect(str(srv.data_dir / "depot.db"))
    try:
        columns = [c[1] for c in db.execute("PRAGMA table_info(orders)")]
        replaced = {"id": "o.id + n.i", "order_no": "'BULK' || (o.id + n.i)",
                    "created_at": "o.created_at + n.i * 1000", "idempotency_key": "NULL",
                    "external_no": "NULL", "notes": "?"}
        select = ", ".join(replaced.get(c, "o." + c) for c in columns)
        series = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) ")
        db.execute(f"INSERT INTO orders ({', '.join(columns)}) {series}"
                   f"SELECT {select} FROM orders o, n WHERE o.id = ?", (copies, NOTE, order_id))
        line_columns = [c[1] for c in db.execute("PRAGMA table_info(order_lines)")]
        line_select = ", ".join("l.order_id + n.i" if c == "order_id" else "l." + c
                                for c in line_columns)
        db.execute(f"INSERT INTO order_lines ({', '.join(line_columns)}) {series}"
                   f"SELECT {line_select} FROM order_lines l, n WHERE l.order_id = ?",
                   (copies, order_id))
        db.execute("UPDATE order_status_counts SET orders = orders + ? "
                   "WHERE status = (SELECT status FROM orders WHERE id = ?) "
                   "AND tenant_id = (SELECT tenant_id FROM orders WHERE id = ?)",
                   (copies, order_id, order_id))
        db.commit()
    finally:
        db.close()


def copy_order_on_postgres(uri, order_id, copies):
    """copy_order() on PostgreSQL, through psql; the ids of the copies are taken from the
    sequence, as depot would have."""
    def psql(sql):
        return subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", uri,
                               "-c", sql], check=True, capture_output=True, text=True).stdout

    def columns(table):
        return psql(f"SELECT column_name FROM information_schema.columns WHERE table_name = "
                    f"'{table}' ORDER BY ordinal_position").split()

    note = NOTE.replace("'", "''")
    replaced = {"id": "o.id + n.i", "order_no": "'BULK' || (o.id + n.i)",
                "created_at": "o.created_at + n.i * 1000", "idempotency_key": "NULL",
                "external_no": "NULL", "notes": f"'{note}'"}
    order_columns = columns("orders")
    select = ", ".join(replaced.get(c, "o." + c) for c in order_columns)
    line_columns = columns("order_lines")
    line_select = ", ".join("l.order_id + n.i" if c == "order_id" else "l." + c
                            for c in line_columns)
    psql(f"BEGIN; INSERT INTO orders ({', '.join(order_columns)}) SELECT {select} "
         f"FROM orders o, generate_series(1, {copies}) AS n(i) WHERE o.id = {order_id}; "
         f"INSERT INTO order_lines ({', '.join(line_columns)}) SELECT {line_select} "
         f"FROM order_lines l, generate_series(1, {copies}) AS n(i) WHERE l.order_id = {order_id}; "
         f"UPDATE order_status_counts SET orders = orders + {copies} "
         f"WHERE (tenant_id, status) = (SELECT tenant_id, status FROM orders WHERE id = {order_id}); "
         f"SELECT setval('orders_id_seq', (SELECT MAX(id) FROM orders)); COMMIT")


def count_xml_rows(xlsx, member):
    """How many <row> elements the sheet holds, read from the zip a piece at a time."""
    rows = 0
    tail = b""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book, book.open(member) as sheet:
        while piece := sheet.read(1 << 20):
            text = tail + piece
            rows += text.count(b"</row>")
            # Five bytes hold no whole "</row>", only the start of one cut at the edge.
            tail = text[-5:]
    return rows


def run_job(srv, name, params):
    r = export(srv.a, name, params)
    assert r.status == 202, r
    done = wait_done(srv.a, r.json["id"], timeout=120)
    assert done["status"] == "done", done
    assert done["progress"]["rows_done"] == MANY + 1
    return done["download_url"]


def test_100k_orders_export_with_bounded_memory(server_factory, monkeypatch):
    # Under AddressSanitizer freed memory waits in a quarantine (256 MiB by default) before it is
    # reused, which would count every freed page buffer as growth; without the quarantine the
    # heap measures what the server keeps, as in a release build.
    asan = os.environ.get("ASAN_OPTIONS", "")
    monkeypatch.setenv("ASAN_OPTIONS", ":".join(filter(None, [asan, "quarantine_size_mb=0"])))
    srv = server_factory()
    srv.start()
    sku = srv.a.product_with_stock(10)
    seed = srv.a.order_ok(sku, 1)
    srv.stop()
    copy_order(srv, seed["id"], MANY)
    srv.start()
    pid = srv.proc.pid
    first_day = datetime.date.fromisoformat(seed["created_at"][:10]) - datetime.timedelta(days=1)
    last_day = merchant_today() + datetime.timedelta(days=3)  # 100,000 seconds is under 28 hours
    params = {"from": first_day.isoformat(), "to": last_day.isoformat()}
    before = status_bytes(pid, "RssAnon")
    sampler = PeakAnonymousMemory(pid)

    csv_url = run_job(srv, "orders.csv", params)
    # Read as it arrives, so the test holds a row at a time too.
    rows = 0
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)
    try:
        conn.request("GET", csv_url, headers={"Authorization": f"Bearer {srv.keys['alpha']}"})
        resp = conn.getresponse()
        assert resp.status == 200
        size = int(resp.getheader("Content-Length"))
        reader = csv.reader(io.TextIOWrapper(resp, encoding="utf-8-sig", newline=""))
        assert next(reader) == ORDER_HEADER
        assert next(reader)[1] == seed["order_no"], "the oldest first"
        for row in reader:
            assert row[20] == NOTE
            rows += 1
    finally:
        conn.close()
    assert rows == MANY
    assert size > 2 * MEMORY_BOUND, f"the CSV ({size} bytes) should dwarf the bound"

    xlsx_url = run_job(srv, "orders.xlsx", params)
    r = srv.a.get(xlsx_url)
    assert r.status == 200 and r.headers["content-type"] == XLSX
    # openpyxl opens the workbook and reads its first rows typed; walking 100,000 wide rows
    # through it would take half a minute, so the rows are counted in the sheet's XML as unzipped.
    sheet = openpyxl.load_workbook(io.BytesIO(r.body), read_only=True)["orders"]
    assert sheet.max_row == MANY + 2  # the header and every order
    header, first, second = sheet.iter_rows(max_row=3, values_only=True)
    assert list(header) == ORDER_HEADER
    assert first[1] == seed["order_no"] and first[0] == seed["id"]
    assert second[20] == NOTE and isinstance(second[2], datetime.datetime)
    assert count_xml_rows(r.body, "xl/worksheets/sheet1.xml") == MANY + 2

    grown = sampler.stop() - before
    assert grown < MEMORY_BOUND, (
        f"the server's heap grew {grown >> 20} MiB exporting {size >> 20} MiB of CSV and the XLSX")
