#!/usr/bin/python3
"""One-click shipping benchmark: a batch of --orders paid orders shipped with electronic waybills
from a local aggregator (the tests' Kuaidi100 label-protocol receiver, in a process of its own),
then its merged PDF.

Measures, in one run on this machine:
  - the receiver's own ceiling: wrk POSTing signed waybill requests at it (requests/s);
  - the batch: from POST /api/v1/shipments/batch until every order has shipped (waybills/s), with
    the receiver's and depot's CPU over that window;
  - the PDF: from the last shipment until the batch is finished (its PDF rendered), and the
    download's size and page count (pdfinfo).
Prints JSON (and writes it to --out). Everything runs on 127.0.0.1 in a temporary directory.

  bench/batch_ship.py --depot build/depot [--orders 1000] [--runs 1] [--out FILE]

With --runs N each run starts afresh (a new store, server and receiver); the JSON holds every run
and the median of each measure. bench/run.sh runs it as BENCH_ONLY=batch.
"""

import argparse
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, "..", "tests", "api")
KEY, SECRET = "bench-key", "bench-secret"
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Api:
    def __init__(self, port, key):
        self.base, self.key = f"http://127.0.0.1:{port}", key

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.key}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=120) as r:
                raw = r.read()
                kind = r.headers.get("Content-Type", "")
                return r.status, json.loads(raw) if "json" in kind else raw
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def must(self, method, path, body=None, ok=(200, 201, 202)):
        status, answer = self.call(method, path, body)
        if status not in ok:
            sys.exit(f"{method} {path}: {status} {answer}")
        return answer


def receiver_ceiling(port, seconds=10):
    """wrk's rate against the receiver alone, with a signed request it accepts."""
    param = json.dumps({"kuaidicom": "shunfeng", "partnerId": "SF-bench", "orderId": "ceiling",
                        "cargo": "杯", "count": 1,
                        "recMan": {"name": "甲", "mobile": "13800138000", "printAddr": "上海"},
                        "sendMan": {"name": "乙", "mobile": "13900139000", "printAddr": "杭州"}},
                       ensure_ascii=False)
    t = "1700000000000"
    sign = hashlib.md5((param + t + KEY + SECRET).encode()).hexdigest().upper()
    body = urllib.parse.urlencode({"param": param, "key": KEY, "t": t, "sign": sign})
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write('wrk.method = "POST"\n'
                     f'wrk.body = {json.dumps(body)}\n'
                     'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "-s", script.name,
                          f"http://127.0.0.1:{port}/label/order?method=order"],
                         capture_output=True, text=True).stdout
    os.unlink(script.name)
    rate = next((float(l.split()[1]) for l in out.splitlines() if l.startswith("Requests/sec")),
                0.0)
    return rate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--depot", default="build/depot")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--out")
    args = parser.parse_args()
    runs = [one_run(args) for _ in range(args.runs)]
    result = {"runs": runs}
    for key in ("receiver_ceiling_per_s", "waybills_per_s", "waybill_seconds", "pdf_seconds",
                "receiver_cpu_share", "depot_cpu_share"):
        values = sorted(run[key] for run in runs)
        result[key] = values[len(values) // 2]
    result.update({k: runs[0][k] for k in ("orders", "pdf_pages")})
    print(json.dumps(result, indent=2))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)


def one_run(args):

    with tempfile.TemporaryDirectory(prefix="depot-batch-bench-") as tmp:
        data = os.path.join(tmp, "data")
        subprocess.run([args.depot, "migrate", "--data", data], check=True, capture_output=True)
        key = subprocess.run([args.depot, "apikey", "create", "--data", data, "--tenant", "bench",
                              "--role", "owner"], check=True, capture_output=True,
                             text=True).stdout.split()[-1]
        receiver = subprocess.Popen(
            [sys.executable, "-c",
             "import sys; sys.path.insert(0, sys.argv[1]);"
             "from waybill_receiver import WaybillReceiver;"
             "r = WaybillReceiver(sys.argv[2], sys.argv[3]); r.start();"
             "print(r.port, flush=True); sys.stdin.read()",
             TESTS, KEY, SECRET],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        receiver_port = int(receiver.stdout.readline())
        ceiling = receiver_ceiling(receiver_port)

        port = free_port()
        log = open(os.path.join(tmp, "depot.log"), "wb")
        depot = subprocess.Popen([args.depot, "serve", "--data", data, "--listen",
                                  f"127.0.0.1:{port}", "--no-dispatch"], stdout=log, stderr=log)
        api = Api(port, key)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        try:
            api.must("PUT", "/api/v1/carriers/kuaidi100/waybill",
                     {"url": f"http://127.0.0.1:{receiver_port}", "key": KEY, "secret": SECRET,
                      "accounts": {"SF": {"partnerId": "SF-bench", "partnerKey": "pk"}}})
            api.must("PUT", "/api/v1/warehouses/main/sender",
                     {"name": "基准仓", "phone": "13900139000", "province": "浙江省",
                      "city": "杭州市", "district": "余杭区", "detail": "文一西路 969 号"})
            api.must("POST", "/api/v1/products",
                     {"sku": "MUG", "name": "蓝色马克杯", "price": 3900, "weight_grams": 350})
            api.must("POST", "/api/v1/inventory/receipts", {"sku": "MUG", "quantity": 10 ** 6})
            ids = []
            for i in range(args.orders):
                order = api.must("POST", "/api/v1/orders", {
                    "lines": [{"sku": "MUG", "quantity": 1, "unit_price": 3900}],
                    "customer": {"name": f"顾客{i}", "phone": f"138{i:08d}"},
                    "shipping_address": {"province": "上海市", "city": "上海市",
                                         "district": "浦东新区", "detail": f"世纪大道 {i} 号"}})
                api.must("POST", f"/api/v1/orders/{order['id']}/payments",
                         {"amount": order["total"], "method": "alipay"})
                ids.append(order["id"])

            depot_cpu0, receiver_cpu0 = cpu_seconds(depot.pid), cpu_seconds(receiver.pid)
            started = time.monotonic()
            batch = api.must("POST", "/api/v1/shipments/batch", {"order_ids": ids, "carrier": "SF"})
            shipped_at = finished_at = None
            while finished_at is None:
                state = api.must("GET", f"/api/v1/shipments/batches/{batch['id']}")
                done = state["shipped"] + state["skipped"] + state["failed"]
                if shipped_at is None and done == state["total"]:
                    shipped_at = time.monotonic()
                    depot_cpu1, receiver_cpu1 = cpu_seconds(depot.pid), cpu_seconds(receiver.pid)
                if state["status"] == "finished":
                    finished_at = time.monotonic()
                time.sleep(0.02)
            pdf = api.must("GET", f"/api/v1/shipments/batches/{batch['id']}/labels.pdf")
            pdf_path = os.path.join(tmp, "batch.pdf")
            with open(pdf_path, "wb") as f:
                f.write(pdf)
            info = subprocess.run(["pdfinfo", pdf_path], capture_output=True, text=True).stdout
            pages = int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
            waybill_seconds = shipped_at - started
            result = {
                "orders": args.orders,
                "shipped": state["shipped"],
                "failed": state["failed"],
                "receiver_ceiling_per_s": round(ceiling, 1),
                "waybill_seconds": round(waybill_seconds, 2),
                "waybills_per_s": round(state["shipped"] / waybill_seconds, 1),
                "receiver_cpu_share": round((receiver_cpu1 - receiver_cpu0) / waybill_seconds, 2),
                "depot_cpu_share": round((depot_cpu1 - depot_cpu0) / waybill_seconds, 2),
                "pdf_seconds": round(finished_at - shipped_at, 2),
                "pdf_pages": pages,
                "pdf_bytes": len(pdf),
            }
        finally:
            depot.terminate()
            depot.wait()
            receiver.stdin.close()
            receiver.wait()
    return result


if __name__ == "__main__":
    main()
