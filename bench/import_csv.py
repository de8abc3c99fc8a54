#!/usr/bin/python3
"""Times a bulk shipment import (批量发货) through depot's API, for `make bench`.

Builds a CSV file `order_no,carrier,tracking_no` with one row per paid order (lines --first ..
--first + --rows of --orders, the "id order_no" file bench/paid_orders.lua wrote; a tracking
number "SF" + 13 digits per order), POSTs it to /api/v1/shipments/import as text/csv, and polls
GET /api/v1/shipments/imports/{id} until it is finished. Writes a JSON summary to --out: seconds
from the POST to the first answer saying "finished", rows per second, and the import's report
(applied, unchanged, failed, the first errors).

Python standard library only (the Api client of bench/fill.py). Talks to 127.0.0.1 only.
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fill import Api  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--key", required=True)
    parser.add_argument("--orders", required=True, help='"id order_no" per line')
    parser.add_argument("--first", type=int, default=0, help="first line to use (0-based)")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--planned-rows", type=int, help="the rows asked for, when fewer are "
                        "paid (default: --rows)")
    parser.add_argument("--csv", required=True, help="where to keep the CSV file")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    with open(args.orders) as f:
        orders = [line.split() for line in f if line.strip()][args.first:args.first + args.rows]
    if len(orders) < args.rows:
        print(f"import: only {len(orders)} paid orders for {args.rows} rows", file=sys.stderr)
    lines = ["order_no,carrier,tracking_no"]
    lines += [f"{order_no},SF,SF{int(order_id):013d}" for order_id, order_no in orders]
    body = ("\n".join(lines) + "\n").encode()
    with open(args.csv, "wb") as f:
        f.write(body)

    api = Api(args.base, args.key)
    api.call("GET", "/api/v1/orders/counts")  # connect before the clock starts
    headers = {"Authorization": f"Bearer {api.key}", "Content-Type": "text/csv"}
    started = time.monotonic()
    api.conn.request("POST", "/api/v1/shipments/import", body=body, headers=headers)
    answer = api.conn.getresponse()
    raw = answer.read()
    accepted = time.monotonic() - started
    if answer.status != 202:
        sys.exit(f"import: POST /api/v1/shipments/import answered {answer.status}: {raw[:300]!r}")
    job = json.loads(raw)
    report, polls = {}, 0
    while True:
        _, report = api.call("GET", f"/api/v1/shipments/imports/{job['id']}")
        polls += 1
        if report.get("status") == "finished":
            break
        if time.monotonic() - started > args.timeout:
            print(f"import: not finished after {args.timeout:.0f}s: {report}", file=sys.stderr)
            break
        time.sleep(0.05)
    seconds = time.monotonic() - started
    summary = {
        "planned_rows": args.planned_rows or args.rows,
        "rows": len(orders),
        "bytes": len(body),
        "seconds": round(seconds, 3),
        "accepted_seconds": round(accepted, 3),
        "rows_per_s": round(len(orders) / seconds, 1) if seconds > 0 else None,
        "polls": polls,
        "status": report.get("status"),
        "total": report.get("total"),
        "applied": report.get("applied"),
        "unchanged": report.get("unchanged"),
        "failed": report.get("failed"),
        "errors": (report.get("errors") or [])[:5],
    }
    with open(args.out, "w") as f:
        json.dump(summary, f, indent=2)
    print(f"import: {summary['rows']} rows, {summary['status']} after {seconds:.2f}s "
          f"(202 after {accepted:.2f}s): applied {summary['applied']}, unchanged "
          f"{summary['unchanged']}, failed {summary['failed']}", flush=True)


if __name__ == "__main__":
    main()
