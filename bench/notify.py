#!/usr/bin/python3
"""The notification stage of `make bench`: bench/run.sh starts and stops depot and the receivers
(bench/notify_receivers.py); this script drives depot's API and reads the receivers, one step per
subcommand, each writing a JSON result that bench/report.py renders:

  setup   products with stock, a 90-day unpaid timeout, and two channels: webhook -> the webhook
          receiver, email -> the SMTP receiver
  queue   --orders N orders created, paid and shipped while depot runs with --no-dispatch, for
          customers with an email and preferred_channels ["email"]: every event waits in the
          outbox (each gets a webhook; each shipment.created also an email); counts the events
  drain   depot has just been started with dispatch on: waits until the receivers hold every
          expected delivery (of --channels: a drain may run with one channel removed); the timeline, the rates, depot's CPU per thread, the receivers' CPU;
          what the receivers recorded goes next to --out (NAME_webhook.tsv, NAME_email.tsv), as
          for live
  live    paced shipping with dispatch on: --orders orders created and paid, left to settle, then
          shipped --rate per second; the outbox lag from each event's timestamp to its arrival
  stats   the receivers' counters now (around the create runs)
  noise   other processes' CPU in a bench/cpu_sample.py result, leaving the receivers out

Python standard library only; talks to 127.0.0.1 only.
"""

import argparse
import asyncio
import datetime
import json
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fill  # noqa: E402  (the products and settings every bench store starts with)

TICK = os.sysconf("SC_CLK_TCK")
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
CONNECTIONS = 16  # the driver's keep-alive connections to depot


class Connection:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1; JSON in, (status, JSON) out."""

    def __init__(self, port, key=None):
        self.port, self.key = port, key
        self.reader = self.writer = None

    async def call(self, method, path, body=None):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        data = json.dumps(body).encode() if body is not None else b""
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(data)}\r\n"
                + (f"Authorization: Bearer {self.key}\r\n" if self.key else "")
                + ("Content-Type: application/json\r\n" if body is not None else "") + "\r\n")
        self.writer.write(head.encode() + data)
        status = int((await self.reader.readline()).split()[1])
        length, chunked = 0, False
        while True:
            line = (await self.reader.readline()).strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            raw = b""
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                raw += chunk[:-2]
        else:
            raw = await self.reader.readexactly(length)
        return status, (json.loads(raw) if raw else None)

    async def must(self, method, path, body=None, ok=(200, 201)):
        status, answer = await self.call(method, path, body)
        if status not in ok:
            raise SystemExit(f"notify: {method} {path} answered {status}: {answer}")
        return answer

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def port_of(base):
    url = urllib.parse.urlsplit(base)
    if url.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"notify: refusing to talk to {url.hostname}: loopback only")
    return url.port


def read_ports(path):
    with open(path) as f:
        port, control = f.read().split()
    return int(port), int(control)


async def receiver_stats(control_port):
    conn = Connection(control_port)
    try:
        return await conn.must("GET", "/stats")
    finally:
        conn.close()


async def receiver_dump(control_port, path):
    conn = Connection(control_port)
    try:
        return await conn.must("POST", "/dump?path=" + urllib.parse.quote(path))
    finally:
        conn.close()


def order_body(n):
    return {
        "lines": [{"sku": "BENCH-A", "quantity": 1, "unit_price": 1990},
                  {"sku": "BENCH-B", "quantity": 1, "unit_price": 3900},
                  {"sku": "BENCH-C", "quantity": 1, "unit_price": 500}],
        "customer": {"name": f"通知客户{n}", "phone": f"137{n % 10**8:08d}",
                     "email": f"n{n}@example.com", "preferred_channels": ["email"]},
        "shipping_address": {"province": "上海市", "city": "上海市", "district": "浦东新区",
                             "detail": f"世纪大道 {n} 号", "postcode": "200120"},
        "notes": "bench notify",
    }


async def ship(conn, order_id):
    return await conn.must("POST", f"/api/v1/orders/{order_id}/shipments",
                           {"carrier": "SF", "tracking_no": f"SF{order_id:013d}"})


async def paid_orders(port, key, count, first_number, then_ship):
    """Creates and pays `count` orders over CONNECTIONS connections (and ships each when
    `then_ship`); answers their ids."""
    ids, next_n = [], [0]

    async def worker():
        conn = Connection(port, key)
        try:
            while next_n[0] < count:
                n = first_number + next_n[0]
                next_n[0] += 1
                order = await conn.must("POST", "/api/v1/orders", order_body(n))
                paid = await conn.must("POST", f"/api/v1/orders/{order['id']}/payments",
                                       {"amount": order["total"], "method": "bench"})
                if paid["status"] != "awaiting_shipment":
                    raise SystemExit(f"notify: order {order['id']} is {paid['status']} after "
                                     f"payment: {paid.get('hold_reasons')}")
                if then_ship:
                    await ship(conn, order["id"])
                ids.append(order["id"])
        finally:
            conn.close()

    await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    return sorted(ids)


async def count_events(conn):
    """{event type: count} over the whole outbox."""
    counts, after = {}, 0
    while True:
        page = await conn.must("GET", f"/api/v1/events?after={after}&limit=200")
        for item in page["items"]:
            counts[item["type"]] = counts.get(item["type"], 0) + 1
            after = item["id"]
        if not page["items"] or not page.get("next_cursor"):
            return counts


async def unfinished(conn):
    """Deliveries still queued, sending or waiting for a retry (0, 1: the API pages by one)."""
    total = 0
    for status in ("queued", "sending", "failed"):
        page = await conn.must("GET", f"/api/v1/notifications?status={status}&limit=1")
        total += len(page["items"])
    return total


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)


# ---- setup and queue ----

def cmd_setup(args):
    api = fill.Api(args.base, args.key)
    fill.set_up(api)
    webhook_port, _ = read_ports(args.webhook_ports)
    smtp_port, _ = read_ports(args.smtp_ports)
    api.must("PUT", "/api/v1/channels/webhook",
             {"url": f"http://127.0.0.1:{webhook_port}/hooks/depot", "secret": WEBHOOK_SECRET})
    api.must("PUT", "/api/v1/channels/email",
             {"host": "127.0.0.1", "port": smtp_port, "from": "notify@shop.example"})


async def queue(args):
    port = port_of(args.base)
    started = time.monotonic()
    ids = await paid_orders(port, args.key, args.orders, 0, then_ship=True)
    seconds = time.monotonic() - started
    conn = Connection(port, args.key)
    events = await count_events(conn)
    conn.close()
    write_json(args.out, {"orders": len(ids), "seconds": round(seconds, 1),
                          "requests_per_s": round(3 * len(ids) / seconds, 1),
                          "events": sum(events.values()), "events_by_type": events,
                          "expected_webhooks": sum(events.values()),
                          "expected_emails": events.get("shipment.created", 0)})
    print(f"notify: {len(ids)} orders created, paid and shipped in {seconds:.1f} s; "
          f"{sum(events.values())} events wait in the outbox", flush=True)


# ---- CPU from /proc ----

def thread_cpu(pid):
    """{tid: (thread name, CPU seconds so far)} of a process."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                text = f.read()
        except OSError:
            continue
        name = text[text.find("(") + 1:text.rfind(")")]
        rest = text[text.rfind(")") + 2:].split()
        out[int(tid)] = (name, (int(rest[11]) + int(rest[12])) / TICK)
    return out


def machine_ticks():
    """(busy, total) jiffies of the whole machine so far."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:8]]
    return sum(fields) - fields[3] - fields[4], sum(fields)


def all_processes_cpu():
    """{pid: CPU seconds so far} of every process on the machine."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                text = f.read()
        except OSError:
            continue
        rest = text[text.rfind(")") + 2:].split()
        out[int(name)] = (int(rest[11]) + int(rest[12])) / TICK
    return out


def process_cpu(pid):
    return sum(seconds for _, seconds in thread_cpu(pid).values())


def thread_role(pid, tid, name):
    """What a depot thread is, by its name: the main thread serves HTTP too; the curl loop is the
    one thread depot leaves unnamed."""
    if tid == pid or name.startswith("depot-http"):
        return "HTTP threads"
    if name.startswith("depot-"):
        return name
    return "unnamed threads (the curl loop)"


# ---- drain ----

def iso_seconds(stamp):
    """'2026-11-23T07:29:47.123Z' -> seconds since the epoch."""
    return datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def read_records(path):
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            rows.append(parts)
    return rows


def event_id_of(key):
    """The event id in a delivery key: depot-{tenant}-{event id}-{channel}-{hash}[-rN][@depot]."""
    parts = key.split("-")
    return int(parts[2]) if len(parts) > 3 and parts[2].isdigit() else None


def rate_summary(times):
    """Count, first and last arrival, and rates: over the whole span, and the steady rate between
    the 10th and the 90th percentile of arrivals (no ramp-up, no tail)."""
    times = sorted(times)
    n = len(times)
    if n < 2:
        return {"count": n}
    span = times[-1] - times[0]
    lo, hi = times[n // 10], times[(9 * n) // 10]
    steady = ((9 * n) // 10 - n // 10) / (hi - lo) if hi > lo else None
    return {"count": n, "first": times[0], "last": times[-1], "span_s": round(span, 3),
            "rate": round(n / span, 1) if span else None,
            "steady_rate": round(steady, 1) if steady else None}


async def drain(args):
    webhook_control = read_ports(args.webhook_ports)[1]
    smtp_control = read_ports(args.smtp_ports)[1]
    queued = json.load(open(args.queue))
    channels = args.channels.split(",")
    want_webhooks = queued["expected_webhooks"] if "webhook" in channels else 0
    want_emails = queued["expected_emails"] if "email" in channels else 0
    receivers = {"webhook": args.webhook_pid, "smtp": args.smtp_pid}
    receivers_before = {k: process_cpu(p) for k, p in receivers.items()}
    machine_before = machine_ticks()
    everyone_before, polled_from = all_processes_cpu(), time.time()
    timeline, timed_out = [], False
    deadline = time.time() + args.timeout
    while True:
        w, e = await receiver_stats(webhook_control), await receiver_stats(smtp_control)
        now = time.time()
        timeline.append([round(now - args.started, 2), w["unique"], e["unique"]])
        if w["unique"] >= want_webhooks and e["unique"] >= want_emails:
            break
        if now > deadline:
            timed_out = True
            break
        await asyncio.sleep(0.1)
    finished = time.time()
    depot_threads = thread_cpu(args.server_pid)
    receivers_cpu = {k: process_cpu(p) - receivers_before[k] for k, p in receivers.items()}
    machine_after = machine_ticks()
    ours = {args.server_pid, args.webhook_pid, args.smtp_pid, os.getpid()}
    others = sum(seconds - everyone_before.get(pid, 0)
                 for pid, seconds in all_processes_cpu().items() if pid not in ours)
    polled_s = time.time() - polled_from
    machine_busy = ((machine_after[0] - machine_before[0])
                    / max(1, machine_after[1] - machine_before[1]))
    conn = Connection(port_of(args.base), args.key)
    left = await unfinished(conn)
    dead = len((await conn.must("GET", "/api/v1/notifications?status=dead&limit=1"))["items"])
    conn.close()

    hooks_file = os.path.splitext(args.out)[0] + "_webhook.tsv"
    mails_file = os.path.splitext(args.out)[0] + "_email.tsv"
    w_stats = await receiver_dump(webhook_control, hooks_file)
    e_stats = await receiver_dump(smtp_control, mails_file)
    hooks, mails = read_records(hooks_file), read_records(mails_file)
    all_times = [float(r[0]) for r in hooks] + [float(r[0]) for r in mails]
    by_role = {}
    for tid, (name, seconds) in depot_threads.items():
        role = thread_role(args.server_pid, tid, name)
        by_role[role] = round(by_role.get(role, 0) + seconds, 2)
    wall = finished - args.started
    result = {
        "channels": channels, "expected_webhooks": want_webhooks, "expected_emails": want_emails,
        "timed_out": timed_out, "unfinished_after": left, "dead_after": dead,
        "seconds_to_last": round(max(all_times) - args.started, 3) if all_times else None,
        "seconds_to_first": round(min(all_times) - args.started, 3) if all_times else None,
        "ready_s": args.ready - args.started if args.ready else None,
        "webhook": {**rate_summary([float(r[0]) for r in hooks]),
                    "unique": w_stats["unique"], "connections": w_stats["connections"],
                    "errors": w_stats["errors"]},
        "email": {**rate_summary([float(r[0]) for r in mails]),
                  "unique": e_stats["unique"], "connections": e_stats["connections"],
                  "errors": e_stats["errors"]},
        "all": rate_summary(all_times),
        "depot_cpu_s": by_role, "depot_cpu_total_s": round(sum(by_role.values()), 2),
        "wall_s": round(wall, 2),
        "receivers_cpu_s": {k: round(v, 2) for k, v in receivers_cpu.items()},
        # from the moment depot answered to the last delivery, every core, every process
        "machine_busy_pct": round(100 * machine_busy, 1),
        # every other process (this driver left out), in % of one core, over the same time
        "others_pct": round(100 * others / polled_s, 1),
        "timeline": timeline,
    }
    write_json(args.out, result)
    print(f"notify: drain: {w_stats['unique']} webhooks, {e_stats['unique']} emails, last after "
          f"{result['seconds_to_last']} s; webhooks {result['webhook'].get('rate')}/s, emails "
          f"{result['email'].get('rate')}/s", flush=True)


# ---- live ----

def percentile(sorted_values, p):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def lag_summary(lags):
    lags = sorted(lags)
    if not lags:
        return {"count": 0}
    return {"count": len(lags), "p50_ms": round(1000 * percentile(lags, 50), 1),
            "p90_ms": round(1000 * percentile(lags, 90), 1),
            "p99_ms": round(1000 * percentile(lags, 99), 1),
            "max_ms": round(1000 * lags[-1], 1), "min_ms": round(1000 * lags[0], 1)}


async def settle(port, key, controls, quiet_s=1.5, timeout=300):
    """Waits until no delivery is unfinished and the receivers' counts stopped moving."""
    conn = Connection(port, key)
    last, still_since, deadline = None, time.time(), time.time() + timeout
    try:
        while time.time() < deadline:
            counts = [(await receiver_stats(c))["count"] for c in controls]
            if counts != last:
                last, still_since = counts, time.time()
            elif time.time() - still_since >= quiet_s and await unfinished(conn) == 0:
                return counts
            await asyncio.sleep(0.2)
    finally:
        conn.close()
    raise SystemExit("notify: the deliveries did not settle")


async def live(args):
    port = port_of(args.base)
    webhook_control = read_ports(args.webhook_ports)[1]
    smtp_control = read_ports(args.smtp_ports)[1]
    count = int(args.rate * args.seconds)
    ids = await paid_orders(port, args.key, count, 10**7, then_ship=False)
    await settle(port, args.key, [webhook_control, smtp_control])
    emails_before = (await receiver_stats(smtp_control))["count"]

    idle = asyncio.Queue()
    conns = [Connection(port, args.key) for _ in range(CONNECTIONS)]
    for c in conns:
        idle.put_nowait(c)
    late, answers = [], []

    async def one(conn, order_id, due):
        sent = time.monotonic()
        late.append(sent - due)
        await ship(conn, order_id)
        answers.append(time.monotonic() - sent)
        idle.put_nowait(conn)

    started_wall, started = time.time(), time.monotonic()
    tasks = []
    for i, order_id in enumerate(ids):
        due = started + i / args.rate
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        conn = await idle.get()
        tasks.append(asyncio.create_task(one(conn, order_id, due)))
    await asyncio.gather(*tasks)
    shipping_s = time.monotonic() - started
    for c in conns:
        c.close()
    deadline = time.time() + 300
    while (await receiver_stats(smtp_control))["count"] < emails_before + count:
        if time.time() > deadline:
            raise SystemExit("notify: the live phase's emails did not all arrive")
        await asyncio.sleep(0.2)
    await settle(port, args.key, [webhook_control, smtp_control])

    hooks_file = os.path.splitext(args.out)[0] + "_webhook.tsv"
    mails_file = os.path.splitext(args.out)[0] + "_email.tsv"
    await receiver_dump(webhook_control, hooks_file)
    await receiver_dump(smtp_control, mails_file)
    event_at, hook_lags = {}, {}
    for received, key, kind, stamp in (r for r in read_records(hooks_file) if len(r) >= 4):
        at = iso_seconds(stamp)
        if at < started_wall:
            continue
        event_at[event_id_of(key)] = at
        hook_lags.setdefault(kind, []).append(float(received) - at)
    mail_lags = []
    for received, key in (r[:2] for r in read_records(mails_file)):
        at = event_at.get(event_id_of(key))
        if at is not None:
            mail_lags.append(float(received) - at)
    all_hooks = [lag for lags in hook_lags.values() for lag in lags]
    late.sort()
    answers.sort()
    result = {
        "rate": args.rate, "seconds": args.seconds, "orders": count,
        "shipping_s": round(shipping_s, 2), "achieved_rate": round(count / shipping_s, 1),
        "late_p99_ms": round(1000 * percentile(late, 99), 1),
        "ship_p50_ms": round(1000 * percentile(answers, 50), 2),
        "ship_p99_ms": round(1000 * percentile(answers, 99), 2),
        "webhook": lag_summary(all_hooks),
        "webhook_by_type": {k: lag_summary(v) for k, v in sorted(hook_lags.items())},
        "email": lag_summary(mail_lags),
        "webhooks_per_s": round(len(all_hooks) / shipping_s, 1),
    }
    write_json(args.out, result)
    print(f"notify: live: {count} shipments at {result['achieved_rate']}/s; webhook lag p50 "
          f"{result['webhook'].get('p50_ms')} ms p99 {result['webhook'].get('p99_ms')} ms; email "
          f"lag p50 {result['email'].get('p50_ms')} ms p99 {result['email'].get('p99_ms')} ms",
          flush=True)


# ---- around the create runs ----

async def stats(args):
    out = {"t": time.time()}
    for name, path in (("webhook", args.webhook_ports), ("email", args.smtp_ports)):
        out[name] = await receiver_stats(read_ports(path)[1])
    write_json(args.out, out)


def cmd_noise(args):
    """Prints other processes' CPU (% of a core) in a cpu_sample.py result, receivers left out."""
    sample = json.load(open(args.cpu))
    excluded = {int(p) for p in args.exclude.split(",") if p}
    receivers = sum(o["cpu_pct"] for o in sample["others_top"] if o["pid"] in excluded)
    print(int(max(0.0, sample["others_pct"] - receivers)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name, *options):
        p = sub.add_parser(name)
        for option in options:
            p.add_argument(f"--{option}", required=True)
        return p

    add("setup", "base", "key", "webhook-ports", "smtp-ports")
    add("queue", "base", "key", "out").add_argument("--orders", type=int, required=True)
    p = add("drain", "base", "key", "webhook-ports", "smtp-ports", "queue", "out")
    for option in ("server-pid", "webhook-pid", "smtp-pid"):
        p.add_argument(f"--{option}", type=int, required=True)
    p.add_argument("--started", type=float, required=True, help="epoch seconds of depot's start")
    p.add_argument("--ready", type=float, help="epoch seconds when depot answered /readyz")
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--channels", default="webhook,email",
                   help="the channels still set up (the drain waits for their deliveries only)")
    p = add("live", "base", "key", "webhook-ports", "smtp-ports", "out")
    p.add_argument("--rate", type=float, required=True, help="orders shipped per second")
    p.add_argument("--seconds", type=float, required=True)
    add("stats", "webhook-ports", "smtp-ports", "out")
    add("noise", "cpu", "exclude")
    args = parser.parse_args()
    commands = {"setup": cmd_setup, "noise": cmd_noise, "queue": lambda a: asyncio.run(queue(a)),
                "drain": lambda a: asyncio.run(drain(a)), "live": lambda a: asyncio.run(live(a)),
                "stats": lambda a: asyncio.run(stats(a))}
    commands[args.command](args)


if __name__ == "__main__":
    main()
