#!/usr/bin/python3
"""The scale-out benchmark of `make bench` (BENCH_ONLY=scale): depot on SQLite and on PostgreSQL
with one node and with two, over a store of a year of history, against the same PostgreSQL
server's own `pgbench -N`.

1. Fills two SQLite stores through depot's use cases (build/depot_report_fill): the large one
   (--orders, a year of one merchant over --skus SKUs) and a small one (--small-orders) whose list
   pages are the baseline for "within 2x of a small store".
2. Starts a PostgreSQL 15 server on 127.0.0.1 (tests/api/postgres_server.py, with --pg-setting
   options) and copies both stores into it with `depot migrate-store`, timed, then runs
   `VACUUM (ANALYZE)` on them, as after any large copy.
3. For each set-up (SQLite, 1 node; PostgreSQL, 1 node; PostgreSQL, 2 nodes sharing the
   database), starts the nodes and runs wrk against them, --runs rounds of --duration seconds at
   --connections connections (split evenly over the nodes, one wrk per node, run together):
   GET /healthz, POST /api/v1/orders (bench/create_orders.lua) for the store's merchant and
   spread over --merchants more (made for the run, each with the three SKUs and ample stock),
   GET /api/v1/orders/{id} (random ids of the store), and the filtered list (status shipped, one month) as its first page and as
   the page --deep-page pages in (its cursor found by walking the pages first). The small store is
   measured for the list's first page on SQLite and on PostgreSQL with one node.
4. Runs `pgbench -N` (--connections clients, 2 threads, scale 10) on the same server, --runs times.
5. Records each node's peak memory (VmHWM) and writes a JSON summary (--out) and the markdown
   section "Scale-out: SQLite and PostgreSQL", which --doc (if given) gets in place of its own.

Python standard library only. Talks to 127.0.0.1 only.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "api"))
from fill import Api  # noqa: E402
from postgres_server import BINDIR, PostgresServer, _free_port  # noqa: E402

SECTION = "## Scale-out: SQLite and PostgreSQL"
LIST_PATH = ("/api/v1/orders?status=shipped&created_from=2025-06-01"
             "&created_to=2025-07-01&limit=50")


def log(message):
    print(f"[scale {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fill(report_fill, data, orders, skus):
    """A year of one merchant in the SQLite store at `data`; reused when it is already there."""
    summary = data / "report_fill.json"
    if summary.exists():
        log(f"reusing the store in {data}")
        return json.loads(summary.read_text())
    data.mkdir(parents=True, exist_ok=True)
    log(f"filling {data} with {orders} orders over {skus} SKUs")
    out = subprocess.run([report_fill, "--data", str(data), "--orders", str(orders), "--skus",
                          str(skus)], check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    summary.write_text(json.dumps(result))
    return result


def migrate(depot, data, uri, out):
    """Brings the SQLite store to this depot's schema, then copies it; the copy's seconds and the
    rows it copied (its output goes to `out`)."""
    subprocess.run([depot, "migrate", "--data", str(data)], check=True, capture_output=True)
    started = time.monotonic()
    copy = subprocess.run([depot, "migrate-store", "--from", f"sqlite:{data}", "--to", uri],
                          capture_output=True, text=True)
    seconds = time.monotonic() - started
    Path(out).write_text(copy.stdout + copy.stderr)
    if copy.returncode != 0:
        raise RuntimeError(f"migrate-store exited {copy.returncode}: {copy.stderr}")
    rows = sum(int(n) for n in re.findall(r"^\w+: (\d+) rows", copy.stdout, re.M))
    return seconds, rows


def vacuum(uri):
    """VACUUM (ANALYZE) of the copied database, as operations.md advises after a copy, so that
    autovacuum's first pass over the new rows does not run under the measurements; its seconds."""
    started = time.monotonic()
    subprocess.run([str(BINDIR / "psql"), "-q", "-c", "VACUUM (ANALYZE)", uri], check=True,
                   capture_output=True)
    return time.monotonic() - started


class Node:
    def __init__(self, depot, data, name, db=None, log_dir=None):
        self.port = _free_port()
        data.mkdir(parents=True, exist_ok=True)
        args = [depot, "serve", "--data", str(data), "--listen", f"127.0.0.1:{self.port}",
                "--node", name, "--log-level", "warn"]
        if db:
            args += ["--db", db]
        self.log = open(Path(log_dir) / f"{name}.log", "ab")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            try:
                Api(self.base, "").call("GET", "/healthz")
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start; see its log")
                time.sleep(0.2)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def peak_kib(self):
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))

    def stop(self):
        peak = self.peak_kib()
        self.proc.terminate()
        self.proc.wait(timeout=60)
        self.log.close()
        return peak


def wrk(nodes, script, env, duration, connections, out):
    """One wrk per node, started together, connections split evenly; the summed rate."""
    share = max(1, connections // len(nodes))
    procs = []
    for i, node in enumerate(nodes):
        procs.append(subprocess.Popen(
            ["wrk", "-t1" if len(nodes) > 1 else "-t2", f"-c{share}", f"-d{duration}s",
             "--latency", "-s", str(ROOT / "bench" / script), node.base + "/"],
            env={**os.environ, "BENCH_DIR": str(ROOT / "bench"), **env},
            stdout=open(f"{out}.{i}.txt", "w"), stderr=subprocess.STDOUT))
    results = []
    for i, proc in enumerate(procs):
        proc.wait()
        text = Path(f"{out}.{i}.txt").read_text()
        found = re.search(r"^BENCH_JSON (.*)$", text, re.M)
        if not found:
            raise RuntimeError(f"wrk gave no result: {out}.{i}.txt")
        results.append(json.loads(found.group(1)))
    rate = sum(r["requests"] / (r["duration_us"] / 1e6) for r in results)
    errors = sum(r["non2xx"] + r["connect_errors"] + r["read_errors"] + r["write_errors"]
                 + r["timeouts"] for r in results)
    requests = sum(r["requests"] for r in results)
    p50 = sum(r["p50_us"] * r["requests"] for r in results) / max(requests, 1)
    return {"rate": rate, "errors": errors, "p50_us": p50,
            "p99_us": max(r["p99_us"] for r in results)}


def pgbench(server, database, clients, duration, out):
    proc = subprocess.run(
        [str(BINDIR / "pgbench"), "-N", "-c", str(clients), "-j", "2", "-T", str(duration),
         "-h", "127.0.0.1", "-p", str(server.port), "-U", "depot", database],
        capture_output=True, text=True, check=True)
    Path(out).write_text(proc.stdout + proc.stderr)
    return float(re.search(r"tps = ([\d.]+) \(without initial connection time\)",
                           proc.stdout).group(1))


def edge_ids(api):
    ids = []
    for sort in ("created_at", "-created_at"):
        ids.append(api.must("GET", f"/api/v1/orders?sort={sort}&limit=1")["items"][0]["id"])
    return min(ids), max(ids)


def cursor_at(api, pages):
    """The cursor of the list's page `pages` in, or of its last page if it has fewer."""
    cursor, last = None, None
    for _ in range(pages):
        page = api.must("GET", LIST_PATH + (f"&cursor={urllib.parse.quote(cursor)}"
                                            if cursor else ""))
        if not page["next_cursor"]:
            break
        last, cursor = cursor, page["next_cursor"]
    return cursor or last


def list_paths(api, deep_page):
    deep = cursor_at(api, deep_page)
    return {"list_first": LIST_PATH,
            "list_deep": LIST_PATH + (f"&cursor={urllib.parse.quote(deep)}" if deep else "")}


def new_merchants(depot, count, data, db=None):
    """API keys of `count` more merchants (bench-1, ...), made with `depot apikey create`."""
    data.mkdir(parents=True, exist_ok=True)
    keys = []
    for i in range(1, count + 1):
        command = [depot, "apikey", "create", "--data", str(data), "--tenant", f"bench-{i}",
                   "--role", "owner"] + (["--db", db] if db else [])
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        keys.append(out.strip().splitlines()[-1])
    return keys


def stock_merchants(base, keys):
    """The three SKUs of the creation test, with ample stock, for each merchant of `keys`."""
    for key in keys:
        api = Api(base, key)
        for sku in ("SKU-000", "SKU-001", "SKU-002"):
            api.must("POST", "/api/v1/products", {"sku": sku, "name": sku, "price": 1990},
                     ok=(201, 409))
            api.must("POST", "/api/v1/inventory/receipts", {"sku": sku, "quantity": 1000000})


# The ids reads pick from, per store: taken before the first set-up on the store creates orders,
# so that they are all the filled merchant's (ids are shared with the other merchants' orders).
READ_RANGES = {}


def measure(setup, nodes, key, tests, args, res, merchant_keys=(), store=None):
    """Each test of `tests` run args.runs times, interleaved; the median of each."""
    api = Api(nodes[0].base, key)
    if store not in READ_RANGES:
        READ_RANGES[store] = edge_ids(api)
    low, high = READ_RANGES[store]
    if "create_merchants" in tests:
        stock_merchants(nodes[0].base, merchant_keys)
    paths = list_paths(api, args.deep_page)
    scripts = {"healthz": ("healthz.lua", {}),
               "create": ("create_orders.lua", {"BENCH_SKU1": "SKU-000", "BENCH_SKU2": "SKU-001",
                                                "BENCH_SKU3": "SKU-002"}),
               "create_merchants": ("create_orders.lua", {
                   "BENCH_SKU1": "SKU-000", "BENCH_SKU2": "SKU-001", "BENCH_SKU3": "SKU-002",
                   "BENCH_KEYS": ",".join(merchant_keys)}),
               "read": ("read_orders.lua", {"BENCH_MIN_ID": str(low), "BENCH_MAX_ID": str(high)}),
               "list_first": ("list_orders.lua", {"BENCH_PATH": paths["list_first"]}),
               "list_deep": ("list_orders.lua", {"BENCH_PATH": paths["list_deep"]})}
    runs = {test: [] for test in tests}
    for run in range(1, args.runs + 1):
        for test in tests:
            script, env = scripts[test]
            time.sleep(args.settle)
            result = wrk(nodes, script, {"BENCH_KEY": key, **env}, args.duration,
                         args.connections, res / f"{setup}_{test}_{run}")
            log(f"{setup} {test} run {run}: {result['rate']:.0f}/s, {result['errors']} errors")
            runs[test].append(result)
    summary = {}
    for test, results in runs.items():
        rates = [r["rate"] for r in results]
        middle = sorted(results, key=lambda r: r["rate"])[len(results) // 2]
        summary[test] = {"median": statistics.median(rates), "runs": rates,
                         "p50_us": middle["p50_us"], "p99_us": middle["p99_us"],
                         "errors": sum(r["errors"] for r in results)}
    return summary


def run_setup(name, stores, node_count, key, tests, args, res, db=None, merchant_keys=()):
    nodes = [Node(args.depot, stores / f"{name}-node{i}", f"{name}-{i}", db=db, log_dir=res)
             for i in range(node_count)]
    try:
        result = measure(name, nodes, key, tests, args, res, merchant_keys, store=db or name)
    finally:
        peaks = [node.stop() for node in nodes]
    result["peak_mib"] = [round(kib / 1024) for kib in peaks]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depot", default="build/depot")
    parser.add_argument("--report-fill", default="build/depot_report_fill")
    parser.add_argument("--orders", type=int, default=1000000)
    parser.add_argument("--small-orders", type=int, default=1000)
    parser.add_argument("--skus", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--deep-page", type=int, default=100)
    parser.add_argument("--merchants", type=int, default=8,
                        help="merchants the spread creation test takes turns over")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds of rest before a run")
    parser.add_argument("--data", help="keep the filled SQLite stores here and reuse them")
    parser.add_argument("--pg-setting", action="append", default=[],
                        help="NAME=VALUE for the PostgreSQL server (repeatable)")
    parser.add_argument("--out", required=True, help="directory for raw outputs and scale.json")
    parser.add_argument("--doc", help="markdown page whose scale-out section is rewritten")
    args = parser.parse_args()

    res = Path(args.out)
    res.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="depot-scale-"))
    kept = Path(args.data) if args.data else work
    large, small = kept / "large", kept / "small"
    result = {"orders": args.orders, "small_orders": args.small_orders, "skus": args.skus,
              "duration": args.duration, "runs": args.runs, "connections": args.connections,
              "deep_page": args.deep_page, "merchants": args.merchants, "pg_settings": args.pg_setting,
              "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    started = time.monotonic()
    result["fill"] = fill(args.report_fill, large, args.orders, args.skus)
    result["small_fill"] = fill(args.report_fill, small, args.small_orders, args.skus)
    key, small_key = result["fill"]["key"], result["small_fill"]["key"]
    settings = " ".join(f"-c {s}" for s in args.pg_setting)
    server = PostgresServer(settings=settings)
    try:
        large_db, small_db = server.create_database(), server.create_database()
        log("copying the stores into PostgreSQL (depot migrate-store)")
        result["migrate_seconds"], result["migrate_rows"] = migrate(
            args.depot, large, large_db, res / "migrate_store.txt")
        migrate(args.depot, small, small_db, res / "migrate_store_small.txt")
        log(f"copied {args.orders} orders in {result['migrate_seconds']:.0f} s")
        result["vacuum_seconds"] = vacuum(large_db)
        vacuum(small_db)
        log(f"VACUUM (ANALYZE) took {result['vacuum_seconds']:.0f} s")
        subprocess.run([str(BINDIR.parent / "bin" / "createdb"), "-h", "127.0.0.1", "-p",
                        str(server.port), "-U", "depot", "pgbench"], check=True)
        subprocess.run([str(BINDIR / "pgbench"), "-i", "-s", "10", "-q", "-h", "127.0.0.1",
                        "-p", str(server.port), "-U", "depot", "pgbench"], check=True,
                       capture_output=True)
        everything = ["healthz", "create", "create_merchants", "read", "list_first", "list_deep"]
        lists = ["list_first"]
        stores = work / "nodes"
        shutil.copytree(large, stores / "sqlite-node0", dirs_exist_ok=True)
        shutil.copytree(small, stores / "sqlite-small-node0", dirs_exist_ok=True)
        sqlite_keys = new_merchants(args.depot, args.merchants, stores / "sqlite-node0")
        pg_keys = new_merchants(args.depot, args.merchants, stores / "pg1-node0", db=large_db)
        result["sqlite"] = run_setup("sqlite", stores, 1, key, everything, args, res,
                                     merchant_keys=sqlite_keys)
        result["sqlite_small"] = run_setup("sqlite-small", stores, 1, small_key, lists, args, res)
        result["pg1"] = run_setup("pg1", stores, 1, key, everything, args, res, db=large_db,
                                  merchant_keys=pg_keys)
        result["pg2"] = run_setup("pg2", stores, 2, key, everything, args, res, db=large_db,
                                  merchant_keys=pg_keys)
        result["pg_small"] = run_setup("pg-small", stores, 1, small_key, lists, args, res,
                                       db=small_db)
        rates = []
        for run in range(1, args.runs + 1):
            time.sleep(args.settle)
            rates.append(pgbench(server, "pgbench", args.connections, args.duration,
                                 res / f"pgbench_{run}.txt"))
            log(f"pgbench -N run {run}: {rates[-1]:.0f} tps")
        result["pgbench"] = {"median": statistics.median(rates), "runs": rates}
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    result["seconds"] = round(time.monotonic() - started)
    (res / "scale.json").write_text(json.dumps(result, indent=1))
    section = render(result, res)
    (res / "scale.md").write_text(section)
    if args.doc:
        splice(Path(args.doc), section)
    log(f"done in {result['seconds']} s")


def count(n):
    return f"{n:,.0f}"


def render(r, res):
    def row(label, setup, test, ceiling=None, ratio_column=True):
        m = r[setup][test]
        ratio = f" {m['median'] / ceiling:.0%} |" if ceiling else " |"
        runs = ", ".join(count(x) for x in m["runs"])
        return (f"| {label} | {count(m['median'])} | {runs} | {m['p50_us'] / 1000:.2f} ms | "
                f"{m['p99_us'] / 1000:.2f} ms |{ratio if ratio_column else ''} {m['errors']} |")

    pgbench = r["pgbench"]["median"]
    lines = [SECTION, "",
             "Written by `bench/scale.py` (`BENCH_ONLY=scale bench/run.sh`, or a full `make bench`).",
             "",
             f"- **Run:** {r['started']}; raw outputs in `bench/results/{res.name}/`; "
             f"{r['seconds']} s in all.",
             f"- **Store:** {count(r['fill']['orders'])} orders of one merchant over the 365 days "
             f"of {r['fill']['year']}, {count(r['fill']['skus'])} SKUs, written through the use "
             f"cases in {r['fill']['fill_seconds']:.0f} s (`build/depot_report_fill`), then copied "
             f"into PostgreSQL with `depot migrate-store`"
             + (f" ({count(r['migrate_rows'])} rows)" if r.get("migrate_rows") else "")
             + f" in {r['migrate_seconds']:.0f} s, then `VACUUM (ANALYZE)` in "
             f"{r['vacuum_seconds']:.0f} s. The "
             f"small store: {count(r['small_fill']['orders'])} orders, made the same way.",
             f"- **PostgreSQL:** 15, on the same machine, `initdb` defaults"
             + (f" and {', '.join('`' + s + '`' for s in r['pg_settings'])}"
                if r["pg_settings"] else "") + "; `pgbench -N` (scale 10, "
             f"{r['connections']} clients, 2 threads) on the same server: "
             f"**{count(pgbench)} tps** (runs: "
             + ", ".join(count(x) for x in r["pgbench"]["runs"]) + ").",
             f"- **Load:** wrk, {r['connections']} connections in all (split evenly over the "
             f"nodes, one wrk per node), {r['runs']} run(s) of {r['duration']} s per test, "
             "interleaved; the list is `status=shipped`, one month (June), 50 a page: its first "
             f"page, and the page {r['deep_page']} pages in, by cursor.",
             ""]
    for setup, title in (("sqlite", "SQLite, one node"), ("pg1", "PostgreSQL, one node"),
                         ("pg2", "PostgreSQL, two nodes on one database")):
        healthz = r[setup]["healthz"]["median"]
        lines += [f"**{title}** (peak memory per node: "
                  + ", ".join(f"{m} MiB" for m in r[setup]["peak_mib"]) + ")", "",
                  "| test | requests/s (median) | runs | p50 | p99 | ratio to `/healthz` | "
                  "errors |", "|---|---|---|---|---|---|---|",
                  row("`GET /healthz`", setup, "healthz"),
                  row("`POST /api/v1/orders`", setup, "create", healthz),
                  row(f"`POST /api/v1/orders`, {r['merchants']} merchants", setup,
                      "create_merchants", healthz),
                  row("`GET /api/v1/orders/{id}`", setup, "read", healthz),
                  row("list, first page", setup, "list_first", healthz),
                  row(f"list, page {r['deep_page']}", setup, "list_deep", healthz), ""]
    lines += ["**The list's first page on the small store** (one node; the baseline of the aim below)",
              "", "| store | requests/s (median) | runs | p50 | p99 | errors |",
              "|---|---|---|---|---|---|"]
    for setup, title in (("sqlite_small", "SQLite"), ("pg_small", "PostgreSQL")):
        lines.append(row(title, setup, "list_first", ratio_column=False))
    lines.append("")

    def times(big, small, test):
        return r[small]["list_first"]["median"] / r[big][test]["median"]

    create_ratio = r["pg1"]["create"]["median"] / pgbench
    spread_ratio = r["pg1"]["create_merchants"]["median"] / pgbench
    reads_growth = r["pg2"]["read"]["median"] / r["pg1"]["read"]["median"]
    lines += [
        "**Against the aims:**", "",
        f"- Creation on PostgreSQL, one node: {count(r['pg1']['create']['median'])} orders/s, "
        f"**{create_ratio:.0%}** of `pgbench -N`'s {count(pgbench)} tps (aim: ≥ 80%); "
        f"two nodes: {count(r['pg2']['create']['median'])} orders/s. Spread over "
        f"{r['merchants']} merchants: {count(r['pg1']['create_merchants']['median'])} orders/s, "
        f"**{spread_ratio:.0%}** of `pgbench -N`; two nodes: "
        f"{count(r['pg2']['create_merchants']['median'])} orders/s.",
        f"- Reads by id grow with the second node by **{reads_growth:.2f}×** "
        f"({count(r['pg1']['read']['median'])} → {count(r['pg2']['read']['median'])}/s).",
        f"- A list page at {count(r['fill']['orders'])} orders costs, in time per request, "
        "this many times the small store's first page (aim: within 2×): SQLite "
        f"first page **{times('sqlite', 'sqlite_small', 'list_first'):.2f}×**, page "
        f"{r['deep_page']} **{times('sqlite', 'sqlite_small', 'list_deep'):.2f}×**; PostgreSQL "
        f"first page **{times('pg1', 'pg_small', 'list_first'):.2f}×**, page {r['deep_page']} "
        f"**{times('pg1', 'pg_small', 'list_deep'):.2f}×**.", ""]
    return "\n".join(lines)


def splice(doc, section):
    """Puts `section` in place of the page's own, or before the heading line "## What limits it"
    the first time (headings are matched as whole lines: "### What limits it" is another)."""
    text = "\n" + doc.read_text()
    start = text.find("\n" + SECTION + "\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start + 1] + section + (text[end:] if end >= 0 else "")
    else:
        anchor = text.find("\n## What limits it\n")
        anchor = anchor if anchor >= 0 else len(text)
        text = text[:anchor + 1] + section + "\n" + text[anchor + 1:]
    doc.write_text(text[1:])


if __name__ == "__main__":
    main()
