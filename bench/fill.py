#!/usr/bin/python3
"""Fills a running depot with orders through its real HTTP API, for `make bench`.

1. Sets the merchant up over the API: three products (BENCH-A, BENCH-B, BENCH-C) with a huge
   stock receipt each, and an unpaid timeout of 90 days so that the background sweep never
   cancels benchmark orders while we measure.
2. Creates orders until the store holds at least --orders of them. The client is wrk with
   bench/create_orders.lua (3 lines per order, many keep-alive connections): it is far faster
   than anything Python can drive on a 2-core machine. Each wrk thread stops after its share of
   2xx answers; this script polls GET /api/v1/orders/counts, logs progress (rate, server RSS)
   and interrupts wrk as soon as the target is reached (or when --timeout expires).
3. Writes a JSON summary (orders, id range, rate, errors) to --out.

Python standard library only. Talks to 127.0.0.1 only.
"""

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse

SKUS = ["BENCH-A", "BENCH-B", "BENCH-C"]
STOCK_PER_SKU = 10**12
UNPAID_TIMEOUT = 90 * 24 * 3600  # the largest the API accepts


class Api:
    def __init__(self, base, key):
        url = urllib.parse.urlsplit(base)
        if url.hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit(f"fill: refusing to talk to {url.hostname}: loopback only")
        self.host, self.port, self.key = url.hostname, url.port or 80, key
        self.conn = None

    def call(self, method, path, body=None):
        headers = {"Authorization": f"Bearer {self.key}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                return response.status, (json.loads(raw) if raw else None)
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn = None
                if attempt == 2:
                    raise
                time.sleep(0.5)
        raise AssertionError("unreachable")

    def must(self, method, path, body=None, ok=(200, 201)):
        status, answer = self.call(method, path, body)
        if status not in ok:
            sys.exit(f"fill: {method} {path} answered {status}: {answer}")
        return answer

    def order_count(self):
        counts = self.must("GET", "/api/v1/orders/counts")
        return sum(counts.values())

    def edge_order_id(self, sort):
        page = self.must("GET", f"/api/v1/orders?sort={sort}&limit=1")
        return page["items"][0]["id"] if page["items"] else None


def set_up(api):
    for sku in SKUS:
        status, answer = api.call("POST", "/api/v1/products",
                                  {"sku": sku, "name": f"bench product {sku}", "price": 1990})
        if status not in (201, 409):
            sys.exit(f"fill: creating product {sku} answered {status}: {answer}")
        stock = api.must("GET", f"/api/v1/inventory/{sku}")
        if stock["available"] < STOCK_PER_SKU // 2:
            api.must("POST", "/api/v1/inventory/receipts",
                     {"sku": sku, "quantity": STOCK_PER_SKU, "reason": "bench stock"})
    api.must("PATCH", "/api/v1/settings", {"unpaid_timeout_seconds": UNPAID_TIMEOUT})


def rss_kib(pid):
    """(VmRSS, RssAnon) of the process in KiB, or (None, None)."""
    found = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "RssAnon:")):
                    found[line.split(":")[0]] = int(line.split()[1])
    except OSError:
        pass
    return found.get("VmRSS"), found.get("RssAnon")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--key", required=True)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--timeout", type=float, default=1500, help="give up after (s)")
    parser.add_argument("--server-pid", type=int, help="to log the server's RSS")
    parser.add_argument("--bench-dir", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--progress", help="TSV file for progress rows")
    parser.add_argument("--wrk-log", help="file for wrk's output")
    parser.add_argument("--out", help="JSON summary")
    args = parser.parse_args()

    api = Api(args.base, args.key)
    set_up(api)
    start_count = api.order_count()
    summary = {"target": args.orders, "start_count": start_count, "wrk": None}
    print(f"fill: store holds {start_count} orders, target {args.orders}", flush=True)

    progress = open(args.progress, "w") if args.progress else None
    if progress:
        progress.write("elapsed_s\torders\trate_per_s\tserver_rss_kib\tserver_anon_kib\n")

    started = time.monotonic()
    count = start_count
    if count < args.orders:
        missing = args.orders - count
        env = dict(os.environ, BENCH_KEY=args.key, BENCH_DIR=args.bench_dir,
                   BENCH_QUOTA=str(-(-missing // args.threads)))
        log = open(args.wrk_log or os.devnull, "w")
        wrk = subprocess.Popen(
            ["wrk", f"-t{args.threads}", f"-c{args.connections}", "-d3600s", "--latency",
             "-s", os.path.join(args.bench_dir, "create_orders.lua"), args.base + "/"],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        last_t, last_n, timed_out = started, count, False
        try:
            while True:
                time.sleep(2)
                count = api.order_count()
                now = time.monotonic()
                rate = (count - last_n) / (now - last_t)
                last_t, last_n = now, count
                rss, anon = rss_kib(args.server_pid) if args.server_pid else (None, None)
                if progress:
                    progress.write(f"{now - started:.1f}\t{count}\t{rate:.0f}\t{rss or ''}"
                                   f"\t{anon or ''}\n")
                    progress.flush()
                print(f"fill: {now - started:7.1f}s {count:>9} orders {rate:8.0f}/s"
                      + (f"  server RSS {rss // 1024} MiB ({anon // 1024} MiB anonymous)"
                         if rss and anon else ""), flush=True)
                if count >= args.orders or wrk.poll() is not None:
                    break
                if now - started > args.timeout:
                    timed_out = True
                    print(f"fill: timeout after {args.timeout:.0f}s at {count} orders",
                          flush=True)
                    break
        finally:
            if wrk.poll() is None:
                wrk.send_signal(signal.SIGINT)  # wrk prints its summary and exits
                try:
                    wrk.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    wrk.kill()
                    wrk.wait()
            log.close()
        summary["timed_out"] = timed_out
        if args.wrk_log:
            text = open(args.wrk_log).read()
            m = re.search(r"^BENCH_JSON (.*)$", text, re.M)
            summary["wrk"] = json.loads(m.group(1)) if m else None
            summary["wrk_exit"] = wrk.returncode

    elapsed = time.monotonic() - started
    time.sleep(0.5)  # let the requests that were in flight when wrk stopped commit
    count = api.order_count()
    summary.update({
        "orders": count,
        "created": count - start_count,
        "seconds": round(elapsed, 1),
        "rate_per_s": round((count - start_count) / elapsed, 1) if elapsed > 0 else None,
        "min_id": api.edge_order_id("created_at"),
        "max_id": api.edge_order_id("-created_at"),
    })
    if progress:
        progress.close()
    print(f"fill: {summary['created']} orders created in {elapsed:.0f}s "
          f"({summary['rate_per_s']}/s); the store holds {count}, ids "
          f"{summary['min_id']}..{summary['max_id']}", flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(summary, f, indent=2)
    if count < args.orders:
        print(f"fill: WARNING: only {count} of {args.orders} orders", file=sys.stderr)


if __name__ == "__main__":
    main()
