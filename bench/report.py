#!/usr/bin/python3
"""Renders docs/benchmarks.md from bench/benchmarks.md.in and one bench/results/<stamp>/ directory.

The template's prose is kept as written; every {{NAME}} placeholder is replaced by what this run
measured (see PLACEHOLDERS below). With --only notifications, only the template's "Notifications"
section is rendered and put in place of that section of the existing page (a BENCH_ONLY=notify
run measures nothing else); --only eta does the same with "ETA accuracy" (BENCH_ONLY=eta), and
--only forecast with "Forecast accuracy" (BENCH_ONLY=forecast), and so on for dashboard, batch
and console. Python standard library only.
"""

import argparse
import datetime
import glob
import json
import os
import re
import statistics
import subprocess

TESTS = [  # name, what, target ratio to the ceiling
    ("healthz", "`GET /healthz` (ceiling)", None),
    ("create", "`POST /api/v1/orders` (3 lines, durable)", 0.25),
    ("read", "`GET /api/v1/orders/{id}` (random id)", 0.60),
]
NOISE_LIMIT = 30  # % of a core used by other processes before a run is called noisy


def sh(*command, cwd=None):
    try:
        return subprocess.run(command, capture_output=True, text=True, cwd=cwd,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def load_json(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def ms(us):
    return f"{us / 1000:.2f} ms" if us < 100_000 else f"{us / 1000:.0f} ms"


def mib(kib):
    return f"{kib / 1024:.0f} MiB"


def human_bytes(n):
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.2f} {unit}"
    return f"{n} B"


def parse_wrk(path):
    text = read(path)
    m = re.search(r"^BENCH_JSON (.*)$", text, re.M)
    if not m:
        return None
    r = json.loads(m.group(1))
    r["rate"] = r["requests"] / (r["duration_us"] / 1e6) if r["duration_us"] else 0.0
    r["errors"] = (r["non2xx"] + r["connect_errors"] + r["read_errors"] + r["write_errors"]
                   + r["timeouts"])
    r["file"] = os.path.basename(path)
    return r


def machine():
    cpu = "unknown"
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    return {
        "nproc": sh("nproc"),
        "cpu": cpu,
        "kernel": sh("uname", "-r"),
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "wrk": sh("dpkg-query", "-W", "-f=${Version}", "wrk") or "?",
        "sqlite": sh("dpkg-query", "-W", "-f=${Version}", "libsqlite3-0") or "?",
    }


def status_fields(text):
    fields = {}
    for line in text.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip()] = v.strip()
    return fields


def kib(value):
    return int(value.split()[0]) if value else 0


def db_sizes(path):
    sizes = {}
    for line in read(path).splitlines():
        parts = line.split()
        if len(parts) >= 9:
            sizes[os.path.basename(parts[-1])] = int(parts[4])
    return sizes


def fill_errors(w):
    return sum(w.get(k, 0) for k in ("non2xx", "connect_errors", "read_errors", "write_errors",
                                      "timeouts"))


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def cpu_summary(samples):
    """Medians over runs of: server total, writer, HTTP threads, wrk, others, machine idle."""
    rows = {"server": [], "writer": [], "http": [], "other": [], "wrk": [], "others": [],
            "idle": [], "iowait": [], "http_threads": []}
    for s in samples:
        if not s:
            continue
        threads = s["server_threads"]
        rows["server"].append(s["server_total_pct"])
        rows["writer"].append(sum(t["cpu_pct"] for t in threads if t["role"] == "writer"))
        rows["http"].append(sum(t["cpu_pct"] for t in threads if t["role"] == "http"))
        rows["other"].append(sum(t["cpu_pct"] for t in threads if t["role"] == "other"))
        rows["http_threads"].append(sum(1 for t in threads if t["role"] == "http"))
        rows["wrk"].append(s["wrk_pct"])
        rows["others"].append(s["others_pct"])
        rows["idle"].append(s["machine_pct"].get("idle"))
        rows["iowait"].append(s["machine_pct"].get("iowait"))
    return {k: median(v) for k, v in rows.items()}


def per_thread_syscalls(path):
    """perf stat --per-thread output -> {event: {tid: count}} and the window in seconds."""
    counts, seconds = {}, None
    for line in read(path).splitlines():
        m = re.match(r"\s*(\S+?)-(\d+)\s+([\d,]+)\s+(\S+)", line)
        if m:
            counts.setdefault(m.group(4), {})[int(m.group(2))] = int(m.group(3).replace(",", ""))
        m = re.match(r"\s*([\d.]+) seconds time elapsed", line)
        if m:
            seconds = float(m.group(1))
    return counts, seconds


def short_symbol(name, width=60):
    while True:  # drop template arguments, innermost first
        shorter = re.sub(r"<[^<>]*>", "", name)
        if shorter == name:
            break
        name = shorter
    name = re.sub(r"\(.*\)", "", name).replace("[abi:cxx11]", "")
    return name if len(name) <= width else name[:width - 1] + "…"


def profile_rows(path):
    rows = []
    for line in read(path).splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S+(?: \(deleted\))?)\s+\[[.k]\]\s+(.*?)\s*$", line)
        if m:
            rows.append((float(m.group(1)), m.group(2), m.group(3)))
    return rows


def top_symbols(path, limit=8):
    return [(pct, dso, short_symbol(sym)) for pct, dso, sym in profile_rows(path)[:limit]]


def dso_split(path, limit=5):
    sums = {}
    for pct, dso, _ in profile_rows(path):
        name = {"[kernel.kallsyms]": "kernel"}.get(dso, dso.split(".so")[0])
        sums[name] = sums.get(name, 0) + pct
    return ", ".join(f"{d} {p:.0f}%" for d, p in sorted(sums.items(), key=lambda kv: -kv[1])[:limit]
                     if p >= 1)


def thread_shares(path):
    shares = {}
    for line in read(path).splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\d+):", line)
        if m:
            shares[int(m.group(2))] = float(m.group(1))
    return shares


# ---- shipping (micro benchmarks, shipments over HTTP, the CSV import) ----
MICRO_ROWS = [  # Google Benchmark run name, what
    ("BM_VerifyOrder", "`verify_order`: a paid 3-line order to a normalised Shanghai address, "
                       "reservations covering it, every check passing"),
    ("BM_NormaliseAddress", "`normalise_address`: 上海 / 上海 / 浦东 → full names and GB/T 2260 "
                            "codes (with a copy of the address)"),
    ("BM_MatchDivision_FullNames", "`match_division`: 上海市 / 上海市 / 浦东新区"),
    ("BM_MatchDivision_ShortForms", "`match_division`: 广东 / 深圳 / 南山 (short forms)"),
    ("BM_TrackingNo/SF", "`is_valid_tracking_no`: SF, `SF` + 13 digits"),
    ("BM_TrackingNo/ZTO", "`is_valid_tracking_no`: ZTO, 14 digits"),
]
RULE_TARGET_US = 5.0     # the aim: a rule evaluates in under 5 µs
VERIFY_TARGET = 0.10     # verification and rules add under 10% to an order's creation cost


def micro_results(path):
    """Google Benchmark JSON -> ({run name: {"cpu_us", "real_us", "cv"}}, context)."""
    data = load_json(path)
    if not data:
        return {}, {}
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}
    out = {}
    for b in data.get("benchmarks", []):
        name = b.get("run_name", b.get("name"))
        if b.get("error_occurred"):
            out.setdefault(name, {})["error"] = b.get("error_message", "error")
            continue
        k = scale.get(b.get("time_unit", "ns"), 1e-3)
        entry = out.setdefault(name, {})
        if b.get("aggregate_name") == "median":
            entry["cpu_us"] = b["cpu_time"] * k
            entry["real_us"] = b["real_time"] * k
        elif b.get("aggregate_name") == "cv":
            entry["cv"] = b["cpu_time"]  # a fraction, not a time
        elif b.get("run_type") == "iteration" and "cpu_us" not in entry:
            entry["cpu_us"] = b["cpu_time"] * k  # a single repetition
            entry["real_us"] = b["real_time"] * k
    return out, data.get("context", {})


def cpu_delta(res, name):
    """CPU used between NAME_before and NAME_after (cpu_sample.py --totals): seconds of wall time,
    depot's CPU seconds (all threads, the writer) and other processes' use in % of one core."""
    a = load_json(os.path.join(res, f"{name}_before.cpu_totals.json"))
    b = load_json(os.path.join(res, f"{name}_after.cpu_totals.json"))
    if not a or not b or b["t"] <= a["t"]:
        return None
    wall = b["t"] - a["t"]
    # Processes that ended in between are not counted; those that started count from zero.
    if isinstance(b["others_s"], dict):
        others = sum(t - a["others_s"].get(pid, 0) for pid, t in b["others_s"].items())
    else:  # results of an earlier version: one total
        others = b["others_s"] - a["others_s"]
    return {"wall_s": wall, "server_s": b["server_s"] - a["server_s"],
            "writer_s": b["roles_s"]["writer"] - a["roles_s"]["writer"],
            "others_pct": 100 * others / wall}


def count_text(n):
    return f"{n:,}" if isinstance(n, int) else "?"


def us_text(us):
    if us is None:
        return "?"
    return f"{us:.3f}" if us < 1 else f"{us:.2f}" if us < 100 else f"{us:,.0f}"


def shipping_section(res, ceiling, create_rate, create_us, writer_us):
    """The rendered "Shipping" section: micro numbers, shipments/s over HTTP, the import."""
    config = load_json(os.path.join(res, "config.json"), {}) or {}
    lines = []

    # -- micro benchmarks --
    micro, context = micro_results(os.path.join(res, "micro.json"))
    combined = None
    if micro:
        reps = config.get("micro_repetitions", "?")
        lines += [
            "### Verification and rules (Google Benchmark, `bench/micro/shipping_bench.cpp`)",
            "",
            f"CPU time per call, the median of {reps} repetitions (each repetition runs the call "
            "as many times as fits in about half a second); cv is the spread of the "
            "repetitions (standard deviation ÷ mean). The machine had a load average of "
            + ", ".join(f"{x:.1f}" for x in context.get("load_avg", [])[:1]) + " when they ran"
            + (" (Debian's libbenchmark reports a debug build of the library itself, which "
               "times the loop, not the code measured)"
               if context.get("library_build_type") == "debug" else "") + ".",
            "",
            "| what | µs per call (median) | cv |",
            "|---|---:|---:|",
        ]

        def row(name, what):
            m = micro.get(name, {})
            if "error" in m:
                return f"| {what} | **{m['error']}** | |"
            cv = f"{m['cv']:.0%}" if m.get("cv") is not None else ""
            return f"| {what} | {us_text(m.get('cpu_us'))} | {cv} |"

        for name, what in MICRO_ROWS:
            lines.append(row(name, what))
        rule_times = []
        for i in range(10):
            expression = context.get(f"rule_{i}")
            if expression is None:
                break
            name = f"BM_LuaRule/{i}"
            lines.append(row(name, f"one Lua rule: `{expression}`"))
            if micro.get(name, {}).get("cpu_us") is not None:
                rule_times.append((micro[name]["cpu_us"], expression))
        ten = micro.get("BM_LuaTenRules", {}).get("cpu_us")
        combined = micro.get("BM_VerifyWithTenRules", {}).get("cpu_us")
        lines.append(row("BM_LuaTenRules", f"the {len(rule_times) or 10} rules above, one after "
                                           "the other, as the rule book evaluates them"))
        lines.append(row("BM_VerifyWithTenRules", "**verification + the 10 rules** (the "
                                                  "per-order cost)"))
        lines.append("")
        lines.append("The rules are compiled once and evaluated in a pooled Lua state, as in the "
                     "server; their callbacks (`customer.orders_within_minutes`, "
                     "`blacklist.phone`) are stubs that answer a constant, and none of the rules "
                     "matches the order. These are CPU costs of the pure functions only: the "
                     "store reads that verification does in the server (reservations, shipments, "
                     "the merchant's rules, the customer's recent orders, the blacklist) are not "
                     "in them, but they are in the shipment rate below.")
        lines.append("")
        if rule_times:
            slowest = max(rule_times)
            ok = slowest[0] < RULE_TARGET_US
            lines.append(
                f"- **Rules:** the slowest single rule took {us_text(slowest[0])} µs "
                f"(`{slowest[1]}`), the fastest {us_text(min(rule_times)[0])} µs"
                + (f"; the ten together {us_text(ten)} µs, {us_text(ten / 10)} µs per rule"
                   if ten else "")
                + f". Aim: under {RULE_TARGET_US:.0f} µs each — "
                + ("met." if ok else "**not met**."))
        if combined is not None and create_us:
            share = combined / create_us
            lines.append(
                f"- **Verification + 10 rules against creating an order:** {us_text(combined)} µs "
                f"= **{share:.1%}** of depot's CPU per created order ({create_us:.1f} µs: all of "
                f"depot's threads, from the create runs above: the median CPU use ÷ the median "
                f"create rate)"
                + (f", and {combined / writer_us:.1%} of the writer thread's CPU per created "
                   f"order ({writer_us:.1f} µs). Verification and the rules run inside the "
                   f"writer's transaction (when an order is paid, and before each parcel), and "
                   f"the writer is what bounds creates, so the second figure is the stricter one"
                   if writer_us else "")
                + f". Aim: under {VERIFY_TARGET:.0%} of an order's creation cost, judged on the "
                f"first figure — " + ("met." if share < VERIFY_TARGET else "**not met**."))
        elif combined is not None:
            lines.append("- **Verification + 10 rules against creating an order:** no CPU "
                         "sample of the create runs in this run to compare with.")
    else:
        lines += ["### Verification and rules", "",
                  "- The micro benchmarks did not run (`build/depot_micro_bench` missing, or "
                  "`BENCH_MICRO=0`)."]
    lines.append("")

    # -- shipments over HTTP --
    pay = parse_wrk(os.path.join(res, "pay.txt"))
    pay_json = None
    m = re.search(r"^PAID_JSON (.*)$", read(os.path.join(res, "pay.txt")), re.M)
    if m:
        pay_json = json.loads(m.group(1))
    ships = []
    for path in sorted(glob.glob(os.path.join(res, "ship_[0-9]*.txt")),
                       key=lambda p: int(re.search(r"_(\d+)\.txt$", p).group(1))):
        mm = re.search(r"^SHIP_JSON (.*)$", read(path), re.M)
        if not mm:
            continue
        r = json.loads(mm.group(1))
        w = parse_wrk(path) or {}
        r["p50_us"], r["p99_us"] = w.get("p50_us"), w.get("p99_us")
        r["socket_errors"] = sum(w.get(k, 0) for k in ("connect_errors", "read_errors",
                                                        "write_errors"))
        quiet = read(path.replace(".txt", ".quiet")).strip()
        r["quiet"] = int(quiet) if quiet.isdigit() else None
        r["cpu"] = cpu_delta(res, os.path.basename(path)[:-4])
        ships.append(r)
    lines += ["### Shipment confirmations over HTTP", ""]
    if ships:
        rate = median([r["rate"] for r in ships])
        p50 = median([r["p50_us"] for r in ships])
        p99 = median([r["p99_us"] for r in ships])
        bad = sum(r["repeated"] + r["failed"] + r["socket_errors"] for r in ships)
        lines += [
            "| test | shipments/s (median) | runs (shipments/s) | p50 | p99 | ratio to `/healthz` "
            "| ratio to creates | 201 / 200 / failed |",
            "|---|---:|---|---:|---:|---:|---:|---|",
            f"| `POST /api/v1/orders/{{id}}/shipments` (SF, one new parcel per paid order) | "
            f"{rate:,.0f} | " + ", ".join(f"{r['rate']:,.0f}" for r in ships) + " | "
            + (ms(p50) if p50 is not None else "?") + " | " + (ms(p99) if p99 is not None else "?")
            + " | " + (f"{rate / ceiling:.1%}" if ceiling else "?") + " | "
            + (f"{rate / create_rate:.0%}" if create_rate else "?") + " | "
            + " / ".join(f"{sum(r[k] for r in ships):,}" for k in ("created", "repeated", "failed"))
            + (" **— flagged**" if bad else "") + " |",
            "",
        ]
        orders_per_run = ", ".join(f"{r['created']:,} in {r['seconds']:.1f} s" for r in ships)
        lines.append(
            f"- **How:** wrk ({config.get('wrk_threads')} threads, {config.get('connections')} "
            f"connections) with `bench/ship_orders.lua` confirms one parcel (`SF` + 13 digits) for "
            f"each of a run's paid orders, every order once, so each request is a real "
            f"confirmation (201) and none the idempotent repeat (200). A run ends when its "
            f"orders are all confirmed or after {config.get('duration_s')} s; the rate is the "
            f"201 answers ÷ the time from the first request to the last answer, measured by the "
            f"script ({orders_per_run}). The merchant has no rules, so verification before each "
            f"parcel reads the order's reservations and shipments but evaluates no rule."
            + (f" The ceiling is the median `/healthz` rate of this run ({ceiling:,.0f} req/s)."
               if ceiling else ""))
        measured = [r for r in ships if r["cpu"] and r["created"]]
        if measured:
            per_all = median([r["cpu"]["server_s"] / r["created"] * 1e6 for r in measured])
            per_writer = median([r["cpu"]["writer_s"] / r["created"] * 1e6 for r in measured])
            lines.append(
                f"- **depot CPU per shipment:** {per_all:,.0f} µs, of which {per_writer:,.0f} µs on "
                f"the writer thread (depot's CPU time from just before to just after each run ÷ "
                f"the shipments confirmed; median over the runs)"
                + (f"; an order create costs {create_us:.0f} µs, {writer_us:.0f} µs on the writer "
                   f"({per_writer / writer_us:.1f}× for a shipment)" if create_us and writer_us
                   else "") + ".")
        quiet = [r["quiet"] for r in ships if r["quiet"] is not None]
        during = [r["cpu"]["others_pct"] for r in ships if r["cpu"]]
        if quiet:
            lines.append(
                "- **Noise:** other processes used " + ", ".join(f"{q}%" for q in quiet)
                + " of a core just before each run"
                + (" and " + ", ".join(f"{d:.0f}%" for d in during) + " during it"
                   if during else "")
                + " (the shipping runs are not repeated when noisy: each uses up its orders).")
        errs = [r["first_error"] for r in ships if r.get("first_error")]
        if errs:
            lines.append(f"- **First failed answer:** `{errs[0][:200]}`")
    else:
        lines.append("- The shipping runs did not run (`BENCH_SHIP=0`) or left no result.")
    if pay and pay_json:
        lines.append(
            f"- **Paid orders for shipping:** {pay_json['paid']:,} orders created and paid in "
            f"full through the API (`bench/paid_orders.lua`: each order is paid as soon as its "
            f"creation is answered) in {pay['duration_us'] / 1e6:.0f} s, "
            f"{pay['requests'] / (pay['duration_us'] / 1e6):,.0f} requests/s"
            + (f"; **{pay_json['held']} held and {pay_json['failed']} failed answers — "
               f"flagged** (`{pay_json.get('first_error', '')[:160]}`)"
               if pay_json["failed"] or pay_json["held"] else "; every one passed verification")
            + ".")
    lines.append("")

    # -- the CSV import --
    imp = load_json(os.path.join(res, "import.json"))
    lines += ["### Bulk shipping from a CSV file", ""]
    if imp:
        planned = imp.get("planned_rows", imp["rows"])
        ok = imp.get("status") == "finished" and imp.get("applied") == imp["rows"] == planned
        lines.append(
            f"- **{imp['rows']:,}-row import** (`order_no,carrier,tracking_no`, "
            f"{human_bytes(imp['bytes'])}, one parcel for each of {imp['rows']:,} paid orders): "
            f"**{imp['seconds']:.2f} s** from the `POST /api/v1/shipments/import` to the first "
            f"`GET /api/v1/shipments/imports/{{id}}` that answered `finished` (polled every "
            f"50 ms), **{imp['rows_per_s']:,.0f} rows/s**; the 202 came after "
            f"{imp['accepted_seconds']:.2f} s. Applied {count_text(imp.get('applied'))}, "
            f"unchanged {count_text(imp.get('unchanged'))}, failed {count_text(imp.get('failed'))}"
            + (" — as expected." if ok else
               f" — **expected {planned:,} applied: flagged** (status {imp.get('status')}; "
               f"first errors: {json.dumps(imp.get('errors'), ensure_ascii=False)[:300]})"))
        cpu_import = cpu_delta(res, "import")
        if cpu_import and imp["rows"]:
            lines.append(
                f"- **depot CPU per imported row:** "
                f"{cpu_import['server_s'] / imp['rows'] * 1e6:,.0f} µs, of which "
                f"{cpu_import['writer_s'] / imp['rows'] * 1e6:,.0f} µs on the writer thread "
                f"(from just before the POST to just after `finished`, status polls included).")
        quiet = read(os.path.join(res, "import.quiet")).strip()
        if quiet.isdigit():
            lines.append(f"- Other processes used {quiet}% of a core just before the import"
                         + (f" and {cpu_import['others_pct']:.0f}% during it (the polling "
                            f"client included)" if cpu_import else "")
                         + "; it ran once.")
    else:
        lines.append("- The import did not run (`BENCH_SHIP=0`) or left no result.")
    return "\n".join(lines).rstrip()


# ---- notifications (bench/notify.py, the notify_* files) ----
NOTIFY_WEBHOOK_TARGET = 2000  # webhook deliveries a second
NOTIFY_LOSS_TARGET = 0.15     # what creation may lose while dispatch runs
RECEIVER_BOUND = 85           # % of a core: a receiver this busy is what limits the drain


def rate_text(x):
    return f"{x:,.0f}/s" if x else "?"


def lag_row(what, lag):
    if not lag or not lag.get("count"):
        return f"| {what} | 0 | | | | |"
    return (f"| {what} | {lag['count']:,} | {lag['p50_ms']:,.1f} ms | {lag['p90_ms']:,.1f} ms | "
            f"**{lag['p99_ms']:,.1f} ms** | {lag['max_ms']:,.1f} ms |")


def depot_threads(sample):
    """A cpu_sample.py result's depot threads -> {role: % of a core}, naming them as depot does
    (the lowest-numbered unnamed thread is the main thread, which serves HTTP; the other unnamed
    one is the curl loop)."""
    threads = sample.get("server_threads", [])
    unnamed = sorted(t["tid"] for t in threads if not t["name"].startswith("depot-"))
    roles = {}
    for t in threads:
        if t["name"].startswith("depot-http") or (unnamed and t["tid"] == unnamed[0]):
            role = "HTTP threads"
        elif t["name"].startswith("depot-"):
            role = t["name"]
        else:
            role = "unnamed threads (the curl loop)"
        roles[role] = roles.get(role, 0) + t["cpu_pct"]
    return roles


def role_text(roles, total_key=None):
    order = ["depot-writer", "depot-notify", "unnamed threads (the curl loop)", "HTTP threads"]
    names = {"depot-writer": "writer", "depot-notify": "dispatcher (`depot-notify`)",
             "unnamed threads (the curl loop)": "curl loop", "HTTP threads": "HTTP threads"}
    keys = [k for k in order if k in roles] + sorted(k for k in roles if k not in order)
    return ", ".join(f"{names.get(k, k)} {roles[k]:.0f}%" for k in keys if roles[k] >= 0.5)


def notify_meta(res):
    """The run line of the section: it may come from a BENCH_ONLY=notify run, not the page's."""
    commit, binary_mtime, dirty, newer = "unknown", "?", [], 0
    for line in read(os.path.join(res, "git.txt")).splitlines():
        key, _, value = line.partition(" ")
        if key == "commit":
            commit = value
        elif key == "binary_mtime":
            binary_mtime = value
        elif key == "dirty":
            dirty.append(value[3:])
        elif key == "sources_newer_than_binary":
            newer = int(value or 0)
    stamp = os.path.basename(os.path.realpath(res))
    when = datetime.datetime.strptime(stamp, "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M UTC")
    config = load_json(os.path.join(res, "notify_config.json"), {}) or {}
    return (f"- **Run:** {when}, commit `{commit[:12]}`"
            + (f" with uncommitted changes to {len(dirty)} file(s) under `src/`" if dirty else "")
            + f", binary built {binary_mtime}"
            + (f" (**{newer} source file(s) were newer than the binary**)" if newer else "")
            + f", `--threads {config.get('server_threads', 0)}`; raw outputs in "
            f"`bench/results/{stamp}/`; reproduce with `BENCH_ONLY=notify bench/run.sh` (about "
            f"4 minutes on a quiet machine, longer when it waits for quiet)")


def drain_row(what, d):
    hook, mail, both = d.get("webhook", {}), d.get("email", {}), d.get("all", {})
    wall = d.get("wall_s") or 1
    receivers = d.get("receivers_cpu_s", {})
    hook_rate = rate_text(hook.get("rate")) if d.get("expected_webhooks") else "—"
    mail_rate = rate_text(mail.get("rate")) if d.get("expected_emails") else "—"
    return (f"| {what} | **{hook_rate}** | {mail_rate} | "
            f"{rate_text(both.get('rate'))} | {d.get('seconds_to_first', 0):.1f} s | "
            f"{d.get('seconds_to_last', 0):.1f} s | {d['depot_cpu_total_s'] / wall * 100:.0f}% | "
            f"{receivers.get('webhook', 0) / wall * 100:.0f}% | "
            f"{receivers.get('smtp', 0) / wall * 100:.0f}% | "
            + (f"{d['others_pct']:.0f}%" if d.get("others_pct") is not None else "?") + " | "
            + (f"{d['machine_busy_pct']:.0f}%" if d.get("machine_busy_pct") is not None else "?")
            + " |")


def drain_lines(res, queue):
    """The drain: BENCH_RUNS drains of the same queued store, then one under perf."""
    runs = []
    for path in sorted(glob.glob(os.path.join(res, "notify_drain_[0-9]*.json")),
                       key=lambda p: int(re.search(r"_(\d+)\.json$", p).group(1))):
        d = load_json(path)
        if d and d.get("webhook", {}).get("count"):
            runs.append(d)
    profiled = load_json(os.path.join(res, "notify_drain_profiled.json"))
    hook_ceiling = parse_wrk(os.path.join(res, "notify_ceiling_webhook.txt"))
    smtp_ceiling = load_json(os.path.join(res, "notify_ceiling_smtp.json"))
    lines = [f"### Draining {queue['orders']:,} shipped orders' events", ""]
    if not runs:
        return lines + ["- The drain left no result; see `run.log`.", ""]
    cores = int(machine()["nproc"] or 2)
    lines += [
        "| drain | webhooks/s | emails/s | all deliveries/s | first delivery | last delivery "
        "| depot CPU | webhook receiver CPU | SMTP receiver CPU | other processes | machine busy |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [drain_row(f"run {i}", d) for i, d in enumerate(runs, 1)]
    alone = {}
    for channel in ("webhook", "email"):
        d = load_json(os.path.join(res, f"notify_drain_{channel}_alone.json"))
        if d and d.get("all", {}).get("count"):
            alone[channel] = d
            lines.append(drain_row(f"the {channel}s alone (not in the medians)", d))
    if profiled and profiled.get("webhook", {}).get("count"):
        lines.append(drain_row("under perf (not in the medians)", profiled))
    lines.append("")

    def med(get):
        return median([get(d) for d in runs])

    hook_rate = med(lambda d: d["webhook"].get("rate"))
    mail_rate = med(lambda d: d["email"].get("rate"))
    all_rate = med(lambda d: d["all"].get("rate"))
    deliveries = runs[0]["webhook"]["unique"] + runs[0]["email"]["unique"]
    cpu_pct = {}
    for role in {r for d in runs for r in d["depot_cpu_s"]}:
        cpu_pct[role] = med(lambda d: d["depot_cpu_s"].get(role, 0) / d["wall_s"] * 100)
    per_delivery = med(lambda d: d["depot_cpu_total_s"] / deliveries * 1e6)
    writer_per = med(lambda d: d["depot_cpu_s"].get("depot-writer", 0) / deliveries * 1e6)
    busiest = med(lambda d: max(d["receivers_cpu_s"].values()) / d["wall_s"] * 100)
    machine_busy = med(lambda d: d.get("machine_busy_pct"))
    depot_pct = med(lambda d: d["depot_cpu_total_s"] / d["wall_s"] * 100)
    flagged = [i for i, d in enumerate(runs, 1)
               if d.get("timed_out") or d.get("unfinished_after") or d.get("dead_after")
               or d["webhook"]["unique"] < d["expected_webhooks"]
               or d["email"]["unique"] < d["expected_emails"]]
    by_type = ", ".join(f"`{k}` {v:,}" for k, v in
                        sorted(queue["events_by_type"].items(), key=lambda kv: -kv[1]))
    noisy = []
    for path in sorted(glob.glob(os.path.join(res, "noisy_notify_drain_*.json"))):
        d = load_json(path, {}) or {}
        noisy.append(f"{os.path.basename(path)} ({rate_text(d.get('webhook', {}).get('rate'))} "
                     f"webhooks, other processes {d.get('others_pct', 0):.0f}%)")
    quiet = [read(os.path.join(res, f"notify_drain_{i}.quiet")).strip()
             for i in range(1, len(runs) + 1)]
    lines += [
        f"- **How:** `depot serve --no-dispatch` took {queue['orders']:,} orders through create, "
        f"pay and ship ({queue['requests_per_s']:,.0f} requests/s), for customers with an email "
        f"and `preferred_channels: [\"email\"]`, with the merchant's webhook endpoint and SMTP "
        f"server pointed at the receivers. That left {queue['events']:,} events in the outbox: "
        f"{by_type}. Every event gets a webhook (so the webhooks are not only shipments: "
        f"{queue['events_by_type'].get('shipment.created', 0):,} of them are "
        f"`shipment.created`), and every `shipment.created` an email: {deliveries:,} deliveries. "
        f"Each drain starts from a copy of that store: the clock starts when `depot serve` is "
        f"launched with dispatch on, and stops when the receivers hold every delivery (counted by "
        f"`webhook-id` and `Message-ID`, so a repeat would not count). A rate is the deliveries "
        f"÷ the time from the first arrival to the last; \"last delivery\" is counted from the "
        f"launch. CPU is % of one core over the whole drain (the machine has {cores} cores = "
        f"{100 * cores}%); \"other processes\" is everything but depot, the receivers and the "
        f"driver (other people's work on the machine), and \"machine busy\" is the share of "
        f"both cores in use, everything included.",
        f"- **Result (medians of {len(runs)} drains):** **{rate_text(hook_rate)} webhooks** and "
        f"{rate_text(mail_rate)} emails at the same time, {rate_text(all_rate)} deliveries in "
        f"all. The receivers alone take "
        + (f"{hook_ceiling['rate']:,.0f} webhooks/s (wrk, 64 connections)" if hook_ceiling
           else "? webhooks/s")
        + " and " + (f"{smtp_ceiling['rate']:,.0f} messages/s (a Python client, "
                     f"{smtp_ceiling['connections']} at a time, a new connection for each "
                     f"message as depot opens one per mail without STARTTLS)" if smtp_ceiling
                     else "? messages/s")
        + ". "
        + ("Every drain delivered everything once, nothing left unfinished or dead."
           if not flagged else f"**Drain(s) {flagged} missed deliveries or hit the timeout — "
                               f"flagged.**"),
        f"- **Where the CPU went (medians):** depot {depot_pct:.0f}% "
        f"({role_text(cpu_pct)}), the busier receiver {busiest:.0f}%, the whole machine "
        f"{machine_busy:.0f}% busy. depot spent {per_delivery:,.0f} µs of CPU per delivery "
        f"(planning, claiming, sending and recording it), {writer_per:,.0f} µs of them on the "
        f"store's writer. Other processes used " + ", ".join(f"{q}%" for q in quiet if q)
        + " of a core just before the drains"
        + ("; repeated as noisy (30% of a core or more during the drain): "
           + ", ".join(noisy) if noisy else "") + ".",
    ]
    if alone:
        parts = []
        for channel, d in alone.items():
            n = d["all"]["count"]
            wall = d["wall_s"]
            receiver = d["receivers_cpu_s"]["webhook" if channel == "webhook" else "smtp"]
            parts.append(
                f"the {channel}s alone {rate_text(d['all'].get('rate'))} (depot "
                f"{d['depot_cpu_total_s'] / n * 1e6:,.0f} µs of CPU per delivery, "
                f"{d['depot_cpu_total_s'] / wall * 100:.0f}% of a core; their receiver "
                f"{receiver / wall * 100:.0f}%; the machine {d.get('machine_busy_pct', 0):.0f}% "
                f"busy; {d[channel]['connections']:,} connections)")
        lines.append(
            "- **Each channel alone** (a drain of the same store with the other channel removed "
            "before dispatch starts, so nothing is planned for it): " + "; ".join(parts) + ".")
    met = (hook_rate or 0) >= NOTIFY_WEBHOOK_TARGET
    receiver_bound = busiest >= RECEIVER_BOUND
    lines.append(
        f"- **Aim: ≥ {NOTIFY_WEBHOOK_TARGET:,} webhook deliveries/s** — "
        + ("met" if met else "**not met**") + f" ({rate_text(hook_rate)}). **Limited by the "
        f"receiver, not by depot** — " + ("met" if receiver_bound else "**not met**")
        + f": the busier receiver used {busiest:.0f}% of a core"
        + (", so it was the limit." if receiver_bound else
           f", far below its ceiling; depot used {depot_pct:.0f}% and the machine was "
           f"{machine_busy:.0f}% busy."))
    lines += perf_thread_lines(res, "notify_drain_profiled",
                               "- **perf, the drain under perf** (499 Hz, the whole drain) — "
                               "depot's samples per thread:")
    return lines + [""]


def perf_thread_lines(res, prefix, title):
    """depot's perf samples per thread (bench/run.sh perf_reports PREFIX): a line each for the
    threads with 2% or more, with their libraries and hottest symbols."""
    threads = []
    for line in read(os.path.join(res, f"{prefix}_threads.txt")).splitlines():
        mm = re.match(r"\s*([\d.]+)%\s+(\d+):(\S+)", line)
        if mm:
            threads.append((float(mm.group(1)), int(mm.group(2)), mm.group(3)))
    if not threads:
        return []
    main_tid = min(tid for _, tid, _ in threads)
    lines = [title]
    for share, tid, name in sorted(threads, reverse=True):
        if share < 2:
            continue
        role = ("HTTP (the main thread)" if tid == main_tid else
                "an HTTP thread" if name.startswith("depot-http") else
                "the curl loop" if not name.startswith("depot-") else f"`{name}`")
        path = os.path.join(res, f"{prefix}_tid{tid}.txt")
        lines.append(f"  - {role}, {share:.0f}%; by library: {dso_split(path) or '?'}; "
                     f"hottest: " + ", ".join(f"`{sym}` {pct:.1f}%"
                                              for pct, _, sym in top_symbols(path, 6)))
    return lines


def profiled_create_lines(res, config):
    """The busy create run under perf (not in the medians): its rates, then depot's samples."""
    name = "notify_create_profiled_1"
    wrk = parse_wrk(os.path.join(res, f"{name}.txt"))
    if not wrk:
        return []
    before = load_json(os.path.join(res, f"{name}.before.json"), {}) or {}
    after = load_json(os.path.join(res, f"{name}.after.json"), {}) or {}
    sample = load_json(os.path.join(res, f"{name}.cpu.json"), {}) or {}
    sent = ""
    if before and after:
        count = (after["webhook"]["count"] - before["webhook"]["count"]
                 + after["email"]["count"] - before["email"]["count"])
        sent = f", {count:,} deliveries ({count / (after['t'] - before['t']):,.0f}/s)"
    return perf_thread_lines(
        res, name,
        f"- **perf, a busy run under perf** (not in the medians: {wrk['rate']:,.0f} orders/s"
        f"{sent}; depot CPU {role_text(depot_threads(sample))}; 499 Hz from 2 s into the run "
        f"for {config.get('duration_s', 15) - 4} s) — depot's samples per thread:")


def notify_section(res):
    queue = load_json(os.path.join(res, "notify_queue.json"))
    if not queue:
        return "- The notification stage did not run (`BENCH_NOTIFY=0`) or left no result."
    config = load_json(os.path.join(res, "notify_config.json"), {}) or {}
    live = load_json(os.path.join(res, "notify_live.json"), {}) or {}
    lines = [notify_meta(res), ""] + drain_lines(res, queue)

    # -- live: the outbox lag --
    lines += ["### Outbox lag while orders ship", ""]
    if live.get("webhook", {}).get("count"):
        lines += [
            "| deliveries | count | p50 | p90 | p99 | max |",
            "|---|---:|---:|---:|---:|---:|",
            lag_row("webhooks, every event of the shipping window", live["webhook"]),
        ]
        for kind, lag in live.get("webhook_by_type", {}).items():
            lines.append(lag_row(f"webhooks, `{kind}`", lag))
        lines += [lag_row("emails (`shipment.created`)", live.get("email")), ""]
        lines.append(
            f"- **How:** with dispatch on and the outbox caught up, {live['orders']:,} created and "
            f"paid orders were shipped at a steady {live['rate']:,.0f} a second for "
            f"{live['seconds']:.0f} s (achieved {live['achieved_rate']:,.0f}/s; a shipment's "
            f"answer took {live['ship_p50_ms']:.1f} ms at p50, {live['ship_p99_ms']:.1f} ms at "
            f"p99), {live['webhooks_per_s']:,.0f} webhooks a second. The lag is a delivery's "
            f"arrival at its receiver minus its event's `timestamp`, which depot takes in the "
            f"write transaction just before the commit, to the millisecond; an email's event "
            f"time comes from the webhook of the same event.")
    else:
        lines.append("- The live phase left no result; see `run.log`.")
    lines.append("")

    # -- creation while dispatch runs --
    lines += ["### Creating orders while dispatch runs", ""]
    rows, ratios, idle_rates, busy_rates = [], [], [], []
    for run in range(1, int(config.get("runs", 3)) + 1):
        idle = parse_wrk(os.path.join(res, f"notify_create_idle_{run}.txt"))
        busy = parse_wrk(os.path.join(res, f"notify_create_busy_{run}.txt"))
        if not idle or not busy:
            continue
        before = load_json(os.path.join(res, f"notify_create_busy_{run}.before.json"), {}) or {}
        after = load_json(os.path.join(res, f"notify_create_busy_{run}.after.json"), {}) or {}
        sent = None
        if before and after:
            sent = (after["webhook"]["count"] - before["webhook"]["count"]
                    + after["email"]["count"] - before["email"]["count"])
            seconds = after["t"] - before["t"]
        sample = load_json(os.path.join(res, f"notify_create_busy_{run}.cpu.json"), {}) or {}
        idle_sample = load_json(os.path.join(res, f"notify_create_idle_{run}.cpu.json"), {}) or {}
        errors = idle["errors"] + busy["errors"]
        ratio = busy["rate"] / idle["rate"]
        ratios.append(ratio)
        idle_rates.append(idle["rate"])
        busy_rates.append(busy["rate"])
        rows.append(
            f"| {run} | {idle['rate']:,.0f} | {busy['rate']:,.0f} | {ratio:.0%} | "
            + (f"{sent:,} ({sent / seconds:,.0f}/s) for {busy['requests']:,} new events"
               if sent is not None else "?") + " | "
            + role_text(depot_threads(idle_sample)) + " | " + role_text(depot_threads(sample))
            + " | " + (f"**{errors} — flagged**" if errors else "0") + " |")
    if rows:
        loss = 1 - statistics.median(busy_rates) / statistics.median(idle_rates)
        lines += [
            "| run | idle: `--no-dispatch`, orders/s | busy: dispatch draining, orders/s | busy ÷ "
            "idle | deliveries that arrived during the busy run | depot CPU, idle | depot CPU, "
            "busy | errors |",
            "|---:|---:|---:|---:|---|---|---|---:|",
        ] + rows + [
            "",
            f"- **How:** `POST /api/v1/orders` with wrk and `bench/create_orders.lua` "
            f"({config.get('wrk_threads')} threads, {config.get('connections')} connections, "
            f"{config.get('duration_s')} s), on the notification store. Idle: depot runs with "
            f"`--no-dispatch`, and the run's `order.created` events stay in the outbox. Busy: "
            f"depot restarts with dispatch on, and the run starts as soon as it answers: the "
            f"dispatcher works through the backlog (a webhook per event: "
            f"{statistics.median(idle_rates) * config.get('duration_s', 15):,.0f} or so per idle "
            f"run, growing from run to run) while the run's own events join it. CPU is % of one "
            f"core, from 2 s into the run for {config.get('duration_s', 15) - 4} s.",
            f"- **Creation while dispatch runs:** median {statistics.median(busy_rates):,.0f} "
            f"orders/s against {statistics.median(idle_rates):,.0f} idle: creation loses "
            f"**{loss:.0%}** (per run: " + ", ".join(f"{1 - r:.0%}" for r in ratios) + "). "
            f"Aim: < {NOTIFY_LOSS_TARGET:.0%} — "
            + ("met." if loss < NOTIFY_LOSS_TARGET else "**not met**."),
        ]
        noisy = []
        for path in sorted(glob.glob(os.path.join(res, "noisy_notify_create_*.txt"))):
            noisy.append(os.path.basename(path))
        quiet = [read(p).strip() for p in
                 sorted(glob.glob(os.path.join(res, "notify_create_*.quiet")))
                 if "_profiled_" not in p]
        lines.append(
            "- **Noise:** other processes used " + ", ".join(f"{q}%" for q in quiet if q)
            + " of a core before the runs" + (f"; repeated as noisy: {', '.join(noisy)}"
                                                if noisy else "") + ".")
        lines += profiled_create_lines(res, config)
    else:
        lines.append("- The create runs left no result; see `run.log`.")
    return "\n".join(lines).rstrip()


# ---- ETA accuracy (bench/eta_accuracy.cpp: eta.json) ----
ETA_ESTIMATORS = [  # key in eta.json, what
    ("model", "**depot's estimate** (route quantiles + ship-time effects)"),
    ("route_only", "route quantiles alone (no ship-time adjustment)"),
    ("naive", "naive: the median transit of every parcel"),
]
ETA_BASES = [("route", "the route (carrier, origin → destination)"),
             ("carrier", "the carrier over all its routes (a thin route)"),
             ("default", "the default (a carrier without history)")]


def eta_meta(res, fit):
    """The run line of the section: it may come from a BENCH_ONLY=eta run, not the page's."""
    git, dirty = {}, False
    for line in read(os.path.join(res, "git.txt")).splitlines():
        key, _, value = line.partition(" ")
        git.setdefault(key, value)
        dirty = dirty or (key == "dirty" and "src/domain/eta." in value)
    stamp = os.path.basename(os.path.realpath(res))
    when = datetime.datetime.strptime(stamp, "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M UTC")
    newer = int(git.get("sources_newer_than_eta") or 0)
    return (f"- **Run:** {when}, commit `{git.get('commit', 'unknown')[:12]}`"
            + (" with uncommitted changes to the estimator" if dirty else "")
            + f", `depot_eta_bench` built {git.get('eta_binary_mtime', '?')}"
            + (f" (**{newer} source file(s) were newer than the program**)" if newer else "")
            + (" with optimisation" if fit.get("optimised_build") else
               " **without optimisation** (a Debug build: the times are slow, the errors are "
               "the same)")
            + f"; raw output in `bench/results/{stamp}/eta.json`; reproduce with "
            "`BENCH_ONLY=eta bench/run.sh` (a few seconds).")


def hours_text(h):
    return f"{h:.1f}"


def eta_table(estimators):
    lines = ["| estimator | MAE, h | MAE without incidents, h | absolute error p50, h | "
             "absolute error p90, h | median error, h | delivered by the expected ETA | "
             "delivered by the late (p80) ETA |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key, what in ETA_ESTIMATORS:
        e = estimators.get(key)
        if not e:
            continue
        lines.append(f"| {what} | {hours_text(e['mae_h'])} | {hours_text(e['mae_regular_h'])} | "
                     f"{hours_text(e['p50_abs_h'])} | {hours_text(e['p90_abs_h'])} | "
                     f"{e['median_signed_h']:+.1f} | {e['share_before_expected']:.1%} | "
                     f"{e['share_before_late']:.1%} |")
    return lines


def eta_verdict(estimators, who):
    model, naive = estimators["model"]["mae_h"], estimators["naive"]["mae_h"]
    return (f"- **{who}:** the estimate is off by {model:.1f} h on average against {naive:.1f} h "
            f"for the naive one, {1 - model / naive:.0%} less — "
            + ("it beats the naive estimate." if model < naive else
               "**it does not beat the naive estimate.**"))


def eta_section(res):
    data = load_json(os.path.join(res, "eta.json"))
    if not data:
        return ("- The ETA accuracy benchmark did not run (`build/depot_eta_bench` missing, or "
                "`BENCH_ETA=0`) or left no result; see `eta.stderr` in the results directory.")
    gen, fit, est = data["generator"], data["fit"], data["estimators"]
    small = data.get("small_merchant", {})
    lines = [eta_meta(res, fit), ""]
    lines += [f"### A busy merchant: {gen['parcels_per_day']:.0f} parcels a day", ""]
    lines += eta_table(est) + [""]
    lines.append(
        f"- **Data:** {gen['shipments']:,} generated shipments (seed {gen['seed']}), "
        f"{gen['incidents']:,} of them with an incident; {est['model']['n']:,} held out "
        f"(shipped in November and December). The model was fitted as of 1 November on "
        f"{fit['history'][0]:,} delivered parcels and as of 1 December on {fit['history'][1]:,}.")
    lines.append(eta_verdict(est, "Against the naive estimate"))
    lines.append(
        f"- **Ship time:** adjusting for it takes the error from "
        f"{est['route_only']['mae_h']:.1f} h to {est['model']['mae_h']:.1f} h "
        f"({est['route_only']['mae_regular_h']:.1f} h to {est['model']['mae_regular_h']:.1f} h "
        f"without incidents).")
    lines.append(
        f"- **Cost:** a fit on {fit['history'][1]:,} parcels took {fit['fit_ms_median']:.1f} ms "
        f"(the median of 5), an estimate {fit['estimate_us']:.2f} µs"
        + ("" if fit.get("optimised_build") else " (unoptimised build)") + ".")
    lines.append("")

    lines += ["| estimate rests on | parcels | MAE, h | delivered by the expected ETA | "
              "delivered by the late ETA |", "|---|---:|---:|---:|---:|"]
    for key, what in ETA_BASES:
        e = data.get("by_basis", {}).get(key)
        if e:
            lines.append(f"| {what} | {e['n']:,} | {hours_text(e['mae_h'])} | "
                         f"{e['share_before_expected']:.1%} | {e['share_before_late']:.1%} |")
    lines += ["", "| shipped | parcels | MAE, depot's estimate, h | MAE, route quantiles alone, h |",
              "|---|---:|---:|---:|"]
    slots = [("weekday_before_17h", "Monday–Friday before 17:00 (every carrier collects that day)"),
             ("evening_or_weekend", "evenings and weekends (the ship time decides the wait)")]
    for key, what in slots:
        e = data.get("by_ship_time", {}).get(key)
        r = data.get("route_only_by_ship_time", {}).get(key)
        if e and r:
            lines.append(f"| {what} | {e['n']:,} | {hours_text(e['mae_h'])} | "
                         f"{hours_text(r['mae_h'])} |")
    lines += ["", "| carrier | parcels | MAE, depot's estimate, h | MAE, naive, h |",
              "|---|---:|---:|---:|"]
    for carrier, e in data.get("by_carrier", {}).items():
        naive = data.get("naive_by_carrier", {}).get(carrier, {})
        lines.append(f"| {carrier} | {e['n']:,} | {hours_text(e['mae_h'])} | "
                     f"{hours_text(naive['mae_h']) if naive else '?'} |")
    lines.append("")

    if small:
        lines += [f"### A small merchant: {small['parcels_per_day']:.0f} parcels a day", ""]
        lines += eta_table(small["estimators"]) + [""]
        bases = ", ".join(f"{e['n']:,} on {key}" for key, e in small.get("by_basis", {}).items())
        lines.append(
            f"- **Data:** the same year at a tenth of the volume: {small['shipments']:,} "
            f"shipments, fitted on {small['history'][0]:,} and {small['history'][1]:,} delivered "
            f"parcels; {small['estimators']['model']['n']:,} held out ({bases}).")
        lines.append(eta_verdict(small["estimators"], "Against the naive estimate"))
    return "\n".join(lines).rstrip()


# ---- Forecast accuracy (bench/forecast_accuracy.cpp: forecast.json) ----
FORECAST_FAMILIES = [  # key in forecast.json, what
    ("seasonal", "weekly seasonality, trend, noise and promotions (182 days known)"),
    ("intermittent", "intermittent: demand on 5–40% of days (182 days known)"),
    ("short", "a new SKU: seasonal, 21 days known"),
]
REPURCHASE_METHODS = [
    ("model", "**depot's prediction** (median interval, lapse rule)"),
    ("mean_interval", "mean interval, no lapse rule"),
    ("repeat_buyers", "every customer who bought the SKU twice"),
]


def forecast_meta(res, gen):
    """The run line of the section: it may come from a BENCH_ONLY=forecast run, not the page's."""
    git, dirty = {}, False
    for line in read(os.path.join(res, "git.txt")).splitlines():
        key, _, value = line.partition(" ")
        git.setdefault(key, value)
        dirty = dirty or (key == "dirty" and any(
            f"src/domain/{name}." in value for name in ("forecast", "repurchase")))
    stamp = os.path.basename(os.path.realpath(res))
    when = datetime.datetime.strptime(stamp, "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M UTC")
    newer = int(git.get("sources_newer_than_forecast") or 0)
    return (f"- **Run:** {when}, commit `{git.get('commit', 'unknown')[:12]}`"
            + (" with uncommitted changes to the models" if dirty else "")
            + f", `depot_forecast_bench` built {git.get('forecast_binary_mtime', '?')}"
            + (f" (**{newer} source file(s) were newer than the program**)" if newer else "")
            + ("" if gen.get("optimised_build") else
               " **without optimisation** (the times are slow, the errors are the same)")
            + f"; raw output in `bench/results/{stamp}/forecast.json`; reproduce with "
            "`BENCH_ONLY=forecast bench/run.sh` (a few seconds).")


def cpu_text(us):
    return f"{us / 1000:.2f} ms" if us >= 100 else f"{us:.0f} µs"


CONFIDENCE_BANDS = {"at_least_0.7": "confidence ≥ 0.7", "0.4_to_0.7": "0.4–0.7",
                    "below_0.4": "below 0.4"}


def forecast_section(res):
    data = load_json(os.path.join(res, "forecast.json"))
    if not data:
        return ("- The forecast accuracy benchmark did not run (`build/depot_forecast_bench` "
                "missing, or `BENCH_FORECAST=0`) or left no result; see `forecast.stderr` in the "
                "results directory.")
    gen, families, rep = data["generator"], data["forecast"], data["repurchase"]
    lines = [forecast_meta(res, gen), "", "### Demand forecasts", "",
             "| series | count | models chosen | MASE, next 4 weeks: depot | "
             "MASE: seasonal naive | depot better on | sMAPE median: depot | "
             "sMAPE median: seasonal naive | MASE on its own held-out weeks: depot / naive | "
             "CPU per forecast |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key, what in FORECAST_FAMILIES:
        f = families.get(key)
        if not f:
            continue
        unseen, held = f["unseen"], f["held_out"]
        models = ", ".join(f"{name} {count}" for name, count in f["models"].items())
        own = (f"{held['model_mase_mean']:.3f} / {held['baseline_mase_mean']:.3f}"
               if held["scored"] else "— (too short)")
        lines.append(
            f"| {what} | {f['series']} | {models} | {unseen['model_mase_mean']:.3f} "
            f"(median {unseen['model_mase_median']:.3f}) | {unseen['baseline_mase_mean']:.3f} "
            f"(median {unseen['baseline_mase_median']:.3f}) | "
            f"{unseen['wins'] / max(1, unseen['scored']):.0%} | "
            f"{unseen['model_smape_median']:.1f} | {unseen['baseline_smape_median']:.1f} | {own} | "
            f"{cpu_text(f['forecast_us'])} |")
    seasonal = families.get("seasonal")
    if seasonal:
        u = seasonal["unseen"]
        better = u["model_mase_mean"] < u["baseline_mase_mean"]
        lines += ["", f"- **Against seasonal naive** on the seasonal series' next four weeks: MASE "
                  f"{u['model_mase_mean']:.3f} against {u['baseline_mase_mean']:.3f}, "
                  f"{1 - u['model_mase_mean'] / u['baseline_mase_mean']:.0%} less — "
                  + ("the forecast beats it." if better else "**it does not beat it.**")]
    lines += ["", f"### Repurchase prediction (within {gen['within_days']} days)", "",
              "| method | predicted due | bought | precision | recall | F1 |",
              "|---|---:|---:|---:|---:|---:|"]
    for key, what in REPURCHASE_METHODS:
        m = rep["methods"].get(key)
        if m:
            lines.append(f"| {what} | {m['predicted']:,} | {m['hits']:,} | {m['precision']:.1%} | "
                         f"{m['recall']:.1%} | {m['f1']:.3f} |")
    kinds = ", ".join(f"{count:,} {kind}" for kind, count in rep["kinds"].items())
    lines += ["", f"- **Data:** {gen['repurchase_pairs']:,} customers and SKUs ({kinds}) over "
              f"{gen['repurchase_days']} days; {rep['cutoffs']} weekly cut-offs in the last "
              f"{gen['held_out_days']} days; recall counts the {rep['buyers']:,} purchases of the "
              f"weeks by customers with two purchase days or more before the week (of "
              f"{rep['all_buyers']:,} in all)."]
    bands = rep.get("by_confidence", {})
    if bands:
        lines.append("- **Confidence:** of the customers listed with "
                     + ", ".join(f"{CONFIDENCE_BANDS.get(name, name)}, {b['precision']:.0%} bought "
                                 f"(of {b['predicted']:,})" for name, b in bands.items())
                     + ": the score ranks the list.")
    return "\n".join(lines).rstrip()


def stage_meta(res, outputs, reproduce):
    """The run line of a section that a BENCH_ONLY run may render alone: when, which commit and
    binary, where the raw outputs are and how to measure again."""
    git = {}
    for line in read(os.path.join(res, "git.txt")).splitlines():
        key, _, value = line.partition(" ")
        git.setdefault(key, value)
    stamp = os.path.basename(os.path.realpath(res))
    when = datetime.datetime.strptime(stamp, "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M UTC")
    newer = int(git.get("sources_newer_than_binary") or 0)
    return (f"- **Run:** {when}, commit `{git.get('commit', 'unknown')[:12]}`"
            + (" with uncommitted changes" if "dirty" in git else "")
            + f", `depot` built {git.get('binary_mtime', '?')}"
            + (f" (**{newer} source file(s) were newer than the binary**)" if newer else "")
            + f"; raw outputs in `bench/results/{stamp}/{outputs}`; reproduce with {reproduce}.")


def dashboard_meta(res):
    return stage_meta(res, "dashboard_*",
                      "`BENCH_ONLY=dashboard bench/run.sh` (and `BENCH_BASELINE_DEPOT=$(bench/"
                      "build_without_rollups.sh)` for the creation comparison)")


def batch_section(res):
    batch = load_json(os.path.join(res, "batch.json"))
    if not batch:
        return ("- The one-click shipping benchmark did not run or left no result; see "
                "`batch.stderr` in the results directory.")
    runs = batch["runs"]
    ratio = batch["waybills_per_s"] / batch["receiver_ceiling_per_s"]
    return "\n".join([
        stage_meta(res, "batch.json", "`BENCH_ONLY=batch bench/run.sh`"),
        "",
        f"- **Waybills:** a batch of {batch['orders']:,} paid orders shipped at "
        f"{batch['waybills_per_s']:,.0f} waybills/s (median of {len(runs)} runs: "
        + ", ".join(f"{r['waybills_per_s']:,.0f}" for r in runs)
        + f"), from the POST to the last shipment. The receiver alone answers "
        f"{batch['receiver_ceiling_per_s']:,.0f} requests/s to wrk (32 connections): the batch "
        f"runs at {ratio:.0%} of it. Over the batch depot used {batch['depot_cpu_share']:.0%} of "
        f"a core and the receiver {batch['receiver_cpu_share']:.0%}.",
        f"- **PDF:** {batch['pdf_pages']:,} pages (the pick list, then a label and a packing "
        f"slip per order) rendered {batch['pdf_seconds']:.1f} s after the last shipment "
        f"(median; aim < 10 s).",
    ])


def dashboard_section(res):
    fill = load_json(os.path.join(res, "dashboard_fill.json"))
    if not fill:
        return ("- The dashboard benchmark did not run (`build/depot_report_fill` missing, or "
                "`BENCH_DASHBOARD=0`) or left no result; see `dashboard_fill.stderr` in the "
                "results directory.")
    lines = [dashboard_meta(res), "",
             f"- **Data:** {fill['orders']:,} orders over the {fill['days']} days of "
             f"{fill['year']} for one merchant ({fill['skus']} SKUs, {fill['customers']:,} "
             f"customers), written through the use cases in {fill['fill_seconds']:.0f} s: "
             f"{fill['paid']:,} paid, {fill['cancelled']:,} cancelled, {fill['shipped']:,} shipped "
             f"({fill['shipped_late']:,} two days late), {fill['delivered']:,} delivered, "
             f"{fill['return_requests']:,} return requests, {fill['feedback']:,} feedback, "
             f"{fill['complaints']:,} complaints ({fill['failures']} writes refused). No "
             "notifications (no dispatcher runs in the fill), so that part of the answer is empty.",
             "", "| range | clients | req/s (median) | p50 | p99 | runs (p99) | non-2xx / errors |",
             "|---|---:|---:|---:|---:|---|---|"]
    busy = read(os.path.join(res, "dashboard_year_busy_1.txt"))
    busy_clients = re.search(r"(\d+) connections", busy)
    for key, what, clients in (("year", "a year (365 days)", "1"), ("month", "30 days", "1"),
                               ("year_busy", "a year (365 days)",
                                busy_clients.group(1) if busy_clients else "?")):
        runs = [r for r in (parse_wrk(os.path.join(res, f"dashboard_{key}_{n}.txt"))
                            for n in range(1, 10)) if r]
        if not runs:
            lines.append(f"| {what} | {clients} | — | — | — | no run | |")
            continue
        lines.append(
            f"| {what} | {clients} | {median([r['rate'] for r in runs]):,.0f} | "
            f"{ms(median([r['p50_us'] for r in runs]))} | "
            f"{ms(median([r['p99_us'] for r in runs]))} | "
            + ", ".join(ms(r["p99_us"]) for r in runs)
            + f" | {sum(r['errors'] for r in runs)} |")
    answer = read(os.path.join(res, "dashboard_year.json"))
    if answer:
        board = json.loads(answer)
        lines += ["", f"- **The year's answer:** {len(answer):,} bytes; "
                  f"{board['totals']['orders']:,} orders not cancelled, "
                  f"on-time rate {board['on_time_ship_rate']}, "
                  f"{len(board['top_skus'])} top SKUs, {len(board['carriers'])} carriers."]
    writer, rollup = fill.get("writer_cpu_us_per_create"), fill.get("rollup_cpu_us_per_create")
    if writer and rollup:
        lines.append(
            f"- **Creation, in the fill** (customers spread as in life: most orders add a "
            f"customer row at a new place): the writer thread spent {writer:.1f} µs of CPU per "
            f"created order ({fill['writer_us_per_create']:.0f} µs of wall time, commits "
            f"included, on a busy machine); applying a creation's rollup rows alone, 500 orders "
            f"per commit on a copy of the filled store, costs {rollup:.1f} µs of CPU: "
            f"**{rollup / writer:.0%}** of the writer's CPU per order.")
    compared = False
    for prefix, customers in (
            ("dashboard_create_", "512 customers, so the rollup rows are mostly updated in place"),
            ("dashboard_create_spread_", "customers spread as in life: every order from a phone "
             "not seen before, so each adds customer rows")):
        pairs = {}
        for variant in ("rollups", "baseline"):
            pairs[variant] = [r for r in (
                parse_wrk(os.path.join(res, f"{prefix}{variant}_{n}.txt"))
                for n in range(1, 10)) if r]
        if not (pairs["rollups"] and pairs["baseline"]):
            continue
        compared = True
        with_r = median([r["rate"] for r in pairs["rollups"]])
        without = median([r["rate"] for r in pairs["baseline"]])
        lines.append(
            f"- **Creation over HTTP, {customers}** (`POST /api/v1/orders` of the main results: "
            f"3 lines on the same 3 SKUs; 64 connections, {len(pairs['rollups'])} interleaved "
            f"runs each, each binary on a store of its own): {with_r:,.0f}/s with the rollups "
            f"(runs " + ", ".join(f"{r['rate']:,.0f}" for r in pairs["rollups"])
            + f"), {without:,.0f}/s without (runs "
            + ", ".join(f"{r['rate']:,.0f}" for r in pairs["baseline"])
            + f"): creation loses **{1 - with_r / without:.1%}** (aim: under 10%).")
    if not compared:
        lines.append("- **Creation over HTTP:** not compared in this run (no "
                     "`BENCH_BASELINE_DEPOT`).")
    return "\n".join(lines)


CONSOLE_JS_AIM_KB = 400      # the console's issue: initial JavaScript under 400 kB gzip
CONSOLE_RENDER_AIM_MS = 1000  # the orders page rendered in under 1 s


def kb(n):
    return f"{n / 1000:,.1f} kB"


def console_sizes_lines(sizes, render):
    def row(what, s):
        return (f"| {what} | {s['files']} | {kb(s['raw'])} | {kb(s['gzip9'])} | "
                f"{kb(s['gzip'])} |")

    lines = ["| what | files | raw | gzip -9 | gzip (default) |", "|---|---:|---:|---:|---:|",
             row("**initial JavaScript** (entry + static imports)", sizes["initial_js"]),
             row("initial CSS", sizes["initial_css"])]
    for key, what in (("orders", "`/orders`"), ("order", "`/orders/<id>`")):
        loaded = (render or {}).get(key, {}).get("cold_loaded")
        if loaded:
            lines.append(row(f"JavaScript a cold visit of {what} loads", loaded["js"]))
            lines.append(row(f"CSS a cold visit of {what} loads", loaded["css"]))
    lines += [row("all JavaScript chunks", sizes["all_js"]),
              row("… of which loaded on demand", sizes["lazy_js"]),
              row("all CSS", sizes["all_css"])]
    initial = sizes["initial_js"]["gzip9"]
    chunks = sizes["initial_js"]["chunks"]
    lines += ["",
              f"- **Initial JavaScript:** {kb(initial)} gzip -9 ({kb(sizes['initial_js']['raw'])} "
              f"raw, {sizes['initial_js']['files']} chunks: "
              + ", ".join(f"{c['name']} {kb(c['gzip9'])}" for c in chunks[:4])
              + (", …" if len(chunks) > 4 else "")
              + f"). Aim: under {CONSOLE_JS_AIM_KB} kB — "
              + ("met." if initial < CONSOLE_JS_AIM_KB * 1000 else "**not met**.")
              + (" Chunks imported statically but not preloaded by index.html: "
                 + ", ".join(f"`{f}`" for f in sizes["initial_js"]["not_preloaded"])
                 if sizes["initial_js"]["not_preloaded"] else ""),
              "- **Largest chunks loaded on demand** (gzip -9): "
              + ", ".join(f"`{c['name']}` {kb(c['gzip9'])}" for c in sizes["largest_lazy_js"][:6])
              + "."]
    return lines


def console_api_medians(runs):
    """{API path: median duration in ms} over the rounds (query strings dropped, ids as {id})."""
    by_path = {}
    for run in runs:
        for call in run["api"]:
            path = re.sub(r"/\d+(?=/|$)", "/{id}", call["path"])
            by_path.setdefault(path, []).append(call["duration_ms"])
    return {path: median(values) for path, values in by_path.items()}


def console_render_lines(render):
    lines = ["| page | cache | p50 | p90 | max | first contentful paint (p50) | rounds |",
             "|---|---|---:|---:|---:|---:|---|"]
    for key, what in (("orders", "`/orders` (first order row)"),
                      ("order", "`/orders/<id>` (order number)")):
        for cache in ("cold", "warm"):
            r = render[key][cache]
            lines.append(
                f"| {what} | {cache} | {r['render']['p50']:,.0f} ms | {r['render']['p90']:,.0f} ms "
                f"| {r['render']['max']:,.0f} ms | "
                + (f"{r['first_contentful_paint']['p50']:,.0f} ms"
                   if r["first_contentful_paint"].get("n") else "—")
                + " | " + ", ".join(f"{x['render_ms']:,.0f}" for x in r["runs"]) + " |")
    cold, warm = render["orders"]["cold"]["render"], render["orders"]["warm"]["render"]
    worst = max(cold["p90"], warm["p90"])
    lines += ["",
              f"- **Orders page:** the first order row shows {cold['p50']:,.0f} ms after the "
              f"navigation starts with a cold cache (p90 {cold['p90']:,.0f} ms, max "
              f"{cold['max']:,.0f} ms) and {warm['p50']:,.0f} ms with a warm one (p90 "
              f"{warm['p90']:,.0f} ms). Aim: under {CONSOLE_RENDER_AIM_MS / 1000:.0f} s, judged on "
              f"the p90 of both — "
              + ("met." if worst < CONSOLE_RENDER_AIM_MS else "**not met**.")]
    for cache in ("cold", "warm"):
        runs = render["orders"][cache]["runs"]
        lists = [next((c for c in r["api"] if c["path"] == "/api/v1/orders"), None) for r in runs]
        if all(lists):
            html = median([r["html_ms"] for r in runs])
            lines.append(
                f"- **Where the orders page's time goes, {cache}** (medians from the start of the "
                f"navigation): `index.html` received at {html:,.0f} ms; the initial JavaScript "
                f"run (DOMContentLoaded) at "
                f"{median([r['dom_content_loaded_ms'] for r in runs]):,.0f} ms; the page's chunks "
                f"loaded and the list asked for (`GET /api/v1/orders`) at "
                f"{median([c['start_ms'] for c in lists]):,.0f} ms, answered at "
                f"{median([c['end_ms'] for c in lists]):,.0f} ms; the first row shown "
                f"{median([r['render_ms'] - c['end_ms'] for r, c in zip(runs, lists)]):,.0f} ms "
                f"after that answer.")
    for key, what in (("orders", "the orders page"), ("order", "an order's page")):
        for cache in ("cold", "warm"):
            api = console_api_medians(render[key][cache]["runs"])
            if api:
                lines.append(f"- **API calls of {what}, {cache}** (median duration in the "
                             "browser, request to last byte): "
                             + ", ".join(f"`{p}` {v:,.0f} ms" for p, v in sorted(api.items()))
                             + ".")
    return lines


def console_section(res):
    data = load_json(os.path.join(res, "console.json"))
    if not data:
        return ("- The console benchmark did not run or left no result; see `console.stderr` "
                "and `console_build.txt` in the results directory.")
    fill = load_json(os.path.join(res, "console_fill.json"), {}) or {}
    config = load_json(os.path.join(res, "console_config.json"), {}) or {}
    render = data.get("render")
    lines = [stage_meta(res, "console*", "`BENCH_ONLY=console bench/run.sh` (the fill of a "
                        "million orders takes a few minutes; `BENCH_ORDERS=20000` for a quick "
                        "look)"), ""]
    if fill:
        lines.append(f"- **Store:** {fill.get('orders', 0):,} orders (ids {fill.get('min_id')}"
                     f"–{fill.get('max_id')}), filled at {fill.get('rate_per_s') or 0:,.0f}/s.")
    web_dirty = [line.split(" ", 1)[1] for line in read(os.path.join(res, "git.txt")).splitlines()
                 if line.startswith("web_dirty ")]
    if web_dirty:
        lines.append(f"- **Console sources:** {len(web_dirty)} path(s) under `web/src` new or "
                     "changed since the commit when it was built (`git status` in `git.txt`).")
    if not config.get("built", 1):
        lines.append("- **Console:** measured as it was in the web root (`BENCH_CONSOLE_BUILD=0`), "
                     "not built by this run.")
    lines += ["", "### Sizes", ""] + console_sizes_lines(data["sizes"], render)
    if render:
        lines += ["", f"### Time to first render ({render['browser']}, {render['rounds']} rounds "
                      "each)", ""] + console_render_lines(render)
    else:
        lines += ["", "- **Time to first render:** not measured in this run."]
    before, after = data.get("loadavg_before", [0]), data.get("loadavg_after", [0])
    quiet = read(os.path.join(res, "console.quiet")).strip()
    lines += ["", f"- **Load on the machine:** {config.get('nproc', '?')} cores; the 1-minute load "
              f"average was {before[0]:.1f} when the measurements started and {after[0]:.1f} when "
              f"they ended"
              + (f"; other processes used {quiet}% of a core just before" if quiet else "")
              + ". Chromium, depot and this script share those cores, and a page's time is mostly "
              "the browser's CPU (parsing and running the chunks, Vue's first render), so these "
              "times move with the load: compare runs made on an idle machine."]
    return "\n".join(lines)


def section_block(text, heading):
    """(start, end) of the level-2 section that starts with the line `heading`, up to the next
    level-2 heading; None when there is no such section."""
    start = text.find("\n" + heading + "\n")
    if start < 0:
        return None
    start += 1
    following = text.find("\n## ", start + len(heading))
    return start, (following + 1 if following >= 0 else len(text))


def update_section(template_path, page_path, heading, values):
    """Renders only the template's section `heading` and puts it in place of the page's own (or
    before "## What limits it" when the page has none), leaving the rest of the page as it is;
    with no page yet, the page is the section alone."""
    template = read(template_path)
    span = section_block(template, heading)
    if span is None:
        raise SystemExit(f"report: the template has no section {heading!r}")
    block = template[span[0]:span[1]]
    for key, value in values.items():
        block = block.replace("{{" + key + "}}", value)
    page = read(page_path)
    own = section_block(page, heading)
    if own is None:
        anchor = page.find("\n## What limits it\n")
        own = (anchor + 1, anchor + 1) if anchor >= 0 else (len(page), len(page))
    with open(page_path, "w") as f:
        f.write(page[:own[0]] + block + page[own[1]:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True)
    parser.add_argument("--template", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--only",
                        choices=["notifications", "eta", "forecast", "dashboard", "batch",
                                 "console"],
                        help="render only this section into the existing page --out")
    args = parser.parse_args()
    res = args.results
    if args.only == "notifications":
        update_section(args.template, args.out, "## Notifications",
                       {"NOTIFICATIONS": notify_section(res)})
        return
    if args.only == "eta":
        update_section(args.template, args.out, "## ETA accuracy", {"ETA": eta_section(res)})
        return
    if args.only == "forecast":
        update_section(args.template, args.out, "## Forecast accuracy",
                       {"FORECAST": forecast_section(res)})
        return
    if args.only == "dashboard":
        update_section(args.template, args.out, "## Dashboard",
                       {"DASHBOARD": dashboard_section(res)})
        return
    if args.only == "batch":
        update_section(args.template, args.out, "## One-click shipping",
                       {"BATCH": batch_section(res)})
        return
    if args.only == "console":
        update_section(args.template, args.out, "## Console", {"CONSOLE": console_section(res)})
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    config = load_json(os.path.join(res, "config.json"), {})
    fill = load_json(os.path.join(res, "fill.json"), {})
    final_counts = load_json(os.path.join(res, "final_counts.json"), {}) or {}
    stop = load_json(os.path.join(res, "server_stop.json"), {})
    status = status_fields(read(os.path.join(res, "server_status.txt")))
    m = machine()
    commit, dirty, binary_mtime, newer = "unknown", [], "?", 0
    for line in read(os.path.join(res, "git.txt")).splitlines():
        key, _, value = line.partition(" ")
        if key == "commit":
            commit = value
        elif key == "dirty":
            dirty.append(value[3:])
        elif key == "binary_mtime":
            binary_mtime = value
        elif key == "sources_newer_than_binary":
            newer = int(value or 0)
    stamp = os.path.basename(os.path.realpath(res))
    when = datetime.datetime.strptime(stamp, "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M UTC")

    # ---- results per test ----
    runs, cpu, flags, noisy = {}, {}, [], []
    for name, _, _ in TESTS:
        files = sorted(glob.glob(os.path.join(res, f"{name}_[0-9]*.txt")),
                       key=lambda p: int(re.search(r"_(\d+)\.txt$", p).group(1)))
        runs[name] = [r for r in (parse_wrk(f) for f in files) if r]
        cpu[name] = cpu_summary([load_json(f.replace(".txt", ".cpu.json")) for f in files])
        for r in runs[name]:
            if r["errors"]:
                flags.append(f"{r['file']}: {r['non2xx']} non-2xx answers, "
                             f"{r['connect_errors']}/{r['read_errors']}/{r['write_errors']}/"
                             f"{r['timeouts']} connect/read/write/timeout errors "
                             f"out of {r['requests']} requests")
            sample = load_json(os.path.join(res, r["file"].replace(".txt", ".cpu.json")))
            if sample and sample["others_pct"] >= NOISE_LIMIT:
                top = ", ".join(f"{o['comm']} {o['cpu_pct']:.0f}%" for o in sample["others_top"][:3])
                noisy.append(f"{r['file']}: other processes used {sample['others_pct']:.0f}% "
                             f"of a core ({top})")

    med = {name: {k: median([r[k] for r in runs[name]]) for k in ("rate", "p50_us", "p99_us")}
           for name, _, _ in TESTS if runs[name]}
    ceiling = med.get("healthz", {}).get("rate")
    table = ["| test | req/s (median) | runs (req/s) | p50 | p99 | ratio to ceiling | target "
             "| met? | non-2xx / socket errors |",
             "|---|---:|---|---:|---:|---:|---:|:---:|---|"]
    ratio_of = {}
    for name, what, target in TESTS:
        if name not in med:
            table.append(f"| {what} | no result | | | | | | | |")
            continue
        x = med[name]
        ratio = x["rate"] / ceiling if ceiling else None
        ratio_of[name] = ratio
        errors = sum(r["errors"] for r in runs[name])
        all_runs = ", ".join(f"{r['rate']:,.0f}" for r in runs[name])
        met = "" if target is None else ("yes" if ratio is not None and ratio >= target else "**no**")
        table.append(
            f"| {what} | {x['rate']:,.0f} | {all_runs} | {ms(x['p50_us'])} | {ms(x['p99_us'])} | "
            + (f"{ratio:.1%}" if name != "healthz" and ratio is not None else "100%")
            + f" | {'' if target is None else f'≥ {target:.0%}'} | {met} | "
            + (f"**{errors} — flagged**" if errors else "0") + " |")

    # ---- machine and run description ----
    src_state = "clean" if not dirty else ("with **uncommitted changes** to "
                                           + ", ".join(f"`{d}`" for d in sorted(dirty)))
    if newer:
        src_state += (f"; **{newer} source file(s) were newer than the binary** (built "
                      f"{binary_mtime}), so the binary may not match the tree")
    meta = [
        f"- **Date:** {when}",
        f"- **Machine:** {m['nproc']} cores, {m['cpu']}, {m['memory']} RAM, Linux {m['kernel']}",
        f"- **depot:** commit `{commit[:12]}` (source tree {src_state} when the run started); "
        f"binary `{config.get('depot', 'build/depot')}` (RelWithDebInfo, built {binary_mtime}), "
        f"`--threads {config.get('server_threads', 0)}`"
        + (" (one HTTP thread per core)" if str(config.get('server_threads', 0)) == "0" else ""),
        f"- **Load:** wrk {m['wrk']}, {config.get('wrk_threads')} threads, "
        f"{config.get('connections')} keep-alive connections, {config.get('runs')} runs of "
        f"{config.get('duration_s')} s per test (interleaved: healthz, create, read, healthz, …), "
        f"on the same 2 cores as the server; SQLite {m['sqlite']}",
        f"- **Reproduce:** `make bench` (or `bench/run.sh`; `BENCH_ORDERS=…` to change the store "
        f"size); raw outputs of this run: `bench/results/{stamp}/`",
    ]

    # ---- store ----
    sizes = db_sizes(os.path.join(res, "db_files.txt"))
    sizes_after = db_sizes(os.path.join(res, "db_files_after_stop.txt"))
    orders_now = sum(final_counts.values()) if final_counts else None
    store = [
        f"- **Orders in the store:** {fill.get('orders', 0):,} after the fill "
        f"(target {fill.get('target', 0):,}), {orders_now:,} at the end (the create runs and the shipping test's orders add more)"
        if orders_now is not None else f"- **Orders in the store:** {fill.get('orders', 0):,}",
        f"- **Database file:** depot.db {human_bytes(sizes.get('depot.db', 0))}, WAL "
        f"{human_bytes(sizes.get('depot.db-wal', 0))} at the end of the runs; depot.db "
        f"{human_bytes(sizes_after.get('depot.db', 0))} after a graceful stop"
        + (f" ({sizes_after.get('depot.db', 0) / orders_now:,.0f} bytes per order with its "
           "lines, reservations, ledger rows, history and event)" if orders_now else ""),
    ]
    if fill.get("created"):
        fw = fill.get("wrk") or {}
        store.append(
            f"- **Fill:** {fill['created']:,} orders created through `POST /api/v1/orders` in "
            f"{fill['seconds']:.0f} s ({fill['rate_per_s']:,.0f} orders/s on average)"
            + (f", p50 {ms(fw['p50_us'])}, p99 {ms(fw['p99_us'])}" if fw else "")
            + ("" if not fw else
               ", no errors" if not fill_errors(fw) else f", **{fill_errors(fw)} errors — flagged**")
            + (" — **stopped by the time limit**" if fill.get("timed_out") else "")
            + " (the fill does not wait for a quiet machine, so its rate is only indicative)")
    progress = []
    for line in read(os.path.join(res, "fill_progress.tsv")).splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 4 and parts[3]:
            anon = int(parts[4]) if len(parts) >= 5 and parts[4] else None
            progress.append((float(parts[0]), int(parts[1]), float(parts[2]), int(parts[3]), anon))
    if len(progress) >= 10:
        tenth = max(1, len(progress) // 10)
        first = statistics.mean(p[2] for p in progress[:tenth])
        last = statistics.mean(p[2] for p in progress[-tenth:])
        anon_text = (f" (anonymous {mib(progress[0][4])} → {mib(progress[-1][4])})"
                     if progress[0][4] and progress[-1][4] else "")
        store.append(
            f"- **Create rate while filling:** {first:,.0f}/s over the first tenth of the fill, "
            f"{last:,.0f}/s over the last tenth (`fill_progress.tsv`); server RSS "
            f"{mib(progress[0][3])} → {mib(progress[-1][3])}{anon_text}")

    # ---- memory ----
    rollup = status_fields(read(os.path.join(res, "server_smaps_rollup.txt")))
    maps = [l.split()[0] for l in read(os.path.join(res, "server_db_maps.txt")).splitlines() if l]
    mapped = [int(b, 16) - int(a, 16) for a, b in (r.split("-") for r in maps)]
    memory = [
        f"- **Peak RSS (VmHWM):** {mib(kib(status.get('VmHWM')))}; at the end VmRSS "
        f"{mib(kib(status.get('VmRSS')))} = {mib(kib(status.get('RssAnon')))} anonymous (heap: "
        f"SQLite page caches, buffers) + {mib(kib(status.get('RssFile')))} file-backed + "
        f"{mib(kib(status.get('RssShmem')))} shared; {status.get('Threads', '?')} threads",
    ]
    after_runs = []
    for line in read(os.path.join(res, "server_memory.txt")).splitlines():
        parts = line.split()
        fields = dict(zip(parts[1::2], parts[2::2]))
        if "RssAnon:" in fields:
            after_runs.append((parts[0], int(fields["RssAnon:"]), int(fields.get("VmRSS:", 0))))
    if after_runs:
        memory.append(
            "- **Memory after each run** (anonymous / total RSS): "
            + ", ".join(f"{n} {mib(a)} / {mib(t)}" for n, a, t in after_runs))
    if rollup.get("Pss"):
        memory.append(
            f"- **What the RSS is made of:** the database file is memory-mapped "
            f"{len(mapped)} times ({', '.join(mib(m // 1024) for m in mapped)}: SQLite's "
            f"`mmap_size` per connection — the writer and each pooled reader), and RSS counts a "
            f"file page once per mapping; the proportional set size, which counts each page "
            f"once, is {mib(kib(rollup.get('Pss')))} "
            f"({mib(kib(rollup.get('Pss_Anon')))} anonymous + "
            f"{mib(kib(rollup.get('Pss_File')))} file). The file-backed part is page cache that "
            f"the kernel can drop; the anonymous part is what depot itself holds.")

    # ---- CPU ----
    cpu_table = ["| test | depot total | writer thread | HTTP threads | other depot threads "
                 "| wrk | other processes | machine idle | iowait |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, what, _ in TESTS:
        c = cpu.get(name)
        if not c or c["server"] is None:
            continue
        cpu_table.append(
            f"| {what} | {c['server']:.0f}% | {c['writer']:.0f}% | {c['http']:.0f}% "
            f"({c['http_threads']:.0f} threads) | {c['other']:.0f}% | {c['wrk']:.0f}% | "
            f"{c['others']:.0f}% | {c['idle']:.0f}% | {c['iowait']:.0f}% |")

    # ---- cost per request, from the CPU medians and the rate medians ----
    costs = []

    def us_per(name, key):
        c, x = cpu.get(name), med.get(name)
        if not c or not x or c.get(key) is None or not x["rate"]:
            return None
        return c[key] / 100 / x["rate"] * 1e6  # % of a core / (req/s) -> µs of CPU per request

    h, r, c_all, c_writer = (us_per("healthz", "server"), us_per("read", "server"),
                             us_per("create", "server"), us_per("create", "writer"))
    if h and r and c_all and c_writer:
        costs.append(
            f"- **depot CPU per request:** `/healthz` {h:.1f} µs, order read {r:.1f} µs "
            f"({r / h:.1f}× healthz), order create {c_all:.1f} µs ({c_all / h:.1f}× healthz) of "
            f"which {c_writer:.1f} µs on the writer thread. If CPU were the only limit, a ratio to "
            f"the ceiling could be at most healthz cost ÷ request cost: {h / r:.0%} for reads, "
            f"{h / c_all:.0%} for creates.")
        wr = cpu["create"]["writer"]
        costs.append(
            f"- **The writer bounds creates:** it was busy {wr:.0f}% of the time at "
            f"{med['create']['rate']:,.0f} orders/s; even fully busy (never waiting for "
            f"`fdatasync`) it would top out near {med['create']['rate'] * 100 / wr:,.0f} "
            f"orders/s = {med['create']['rate'] * 100 / wr / ceiling:.0%} of the ceiling.")
    if cpu.get("healthz", {}).get("wrk") is not None and cpu.get("read", {}).get("wrk") is not None:
        costs.append(
            f"- **wrk shares the cores:** it used {cpu['healthz']['wrk']:.0f}% of a core during "
            f"`/healthz` and {cpu['read']['wrk']:.0f}% during reads, out of the machine's "
            f"{100 * int(m['nproc'] or 2)}%.")

    # ---- profile ----
    profile = []
    threads_roles = {int(t): r for t, r in
                     (load_json(os.path.join(res, "thread_roles.json"), {}) or {}).items()}
    # The writer is the thread that calls fdatasync.
    create_sys, create_seconds = per_thread_syscalls(os.path.join(res, "profile_create_syscalls.txt"))
    writer_tid = None
    fsyncs = create_sys.get("syscalls:sys_enter_fdatasync", {})
    if fsyncs:
        writer_tid = max(fsyncs, key=fsyncs.get)
    create_wrk = parse_wrk(os.path.join(res, "profile_create_wrk.txt"))
    if fsyncs and create_seconds and create_wrk:
        commits = sum(fsyncs.values()) / create_seconds
        pwrites = sum(create_sys.get("syscalls:sys_enter_pwrite64", {}).values()) / create_seconds
        rate = create_wrk["rate"]
        profile.append(
            f"- **Group commit (profiled create run, {create_wrk['rate']:,.0f} orders/s):** "
            f"{commits:,.0f} `fdatasync` per second, all on thread {writer_tid} (the writer), "
            f"so about **{rate / commits:.0f} orders per commit** and "
            f"{1000 / commits:.1f} ms per commit cycle; {pwrites:,.0f} `pwrite` per second "
            f"({pwrites / commits:.0f} WAL pages written per commit, "
            f"{pwrites / rate:.1f} per order).")
    for name in ("create", "read"):
        sys_counts, sys_seconds = per_thread_syscalls(
            os.path.join(res, f"profile_{name}_syscalls.txt"))
        wrk_run = parse_wrk(os.path.join(res, f"profile_{name}_wrk.txt"))
        if sys_counts and sys_seconds and wrk_run and wrk_run["rate"]:
            served = wrk_run["rate"] * sys_seconds
            per = []
            for event, by_tid in sys_counts.items():
                n = sum(by_tid.values()) / served
                if n >= 0.01:
                    per.append(f"{n:.2f} `{event.replace('syscalls:sys_enter_', '')}`")
            profile.append(f"- **System calls per request, {name} run** (perf stat over "
                           f"{sys_seconds:.0f} s at ~{wrk_run['rate']:,.0f} req/s): "
                           + ", ".join(per))
        shares = thread_shares(os.path.join(res, f"profile_{name}_threads.txt"))
        if not shares:
            continue
        whole = []
        for line in read(os.path.join(res, f"profile_{name}_dso.txt")).splitlines():
            mm = re.match(r"\s*([\d.]+)%\s+(.+?)\s*$", line)
            if mm and float(mm.group(1)) >= 1:
                d = mm.group(2)
                whole.append(f"{ {'[kernel.kallsyms]': 'kernel'}.get(d, d.split('.so')[0]) } "
                             f"{float(mm.group(1)):.0f}%")
        parts = []
        for tid, share in sorted(shares.items(), key=lambda kv: -kv[1]):
            role = ("writer" if tid == writer_tid else
                    "HTTP" if threads_roles.get(tid) == "http" else "other")
            if share < 1:
                continue
            split = dso_split(os.path.join(res, f"profile_{name}_tid{tid}.txt"))
            symbols = top_symbols(os.path.join(res, f"profile_{name}_tid{tid}.txt"), 6)
            parts.append(
                f"  - thread {tid} ({role}), {share:.0f}% of depot's samples; within it, by library: "
                f"{split or '?'}; hottest: "
                + ", ".join(f"`{sym}` {pct:.1f}%" for pct, _, sym in symbols))
        if parts:
            profile.append(f"- **perf, {name} run** — depot's CPU samples by library: "
                           + ", ".join(whole) + "; per thread:")
            profile.extend(parts)

    # ---- server health ----
    server_log = read(os.path.join(res, "server.log"))
    errors = [l for l in server_log.splitlines() if "level=error" in l or "level=critical" in l]
    warnings = [l for l in server_log.splitlines() if "level=warn" in l]
    health = [
        f"- **Server log:** {len(errors)} error and {len(warnings)} warning lines"
        + (": `" + errors[0][:200] + "`" if errors else ""),
        f"- **Graceful stop (SIGTERM) at the end:** exit code {stop.get('exit', '?')} after "
        f"{stop.get('seconds', '?')} s",
    ]
    if flags:
        health.append("- **Runs with errors (flagged):**")
        health.extend(f"  - {f}" for f in flags)
    else:
        health.append("- **Errors during the runs:** none — every answer was 2xx "
                      "(wrk counts non-2xx answers and socket errors; all were 0)")
    if noisy:
        health.append("- **Noisy runs** (other processes on the machine used ≥ "
                      f"{NOISE_LIMIT}% of a core, even after waiting up to BENCH_QUIET_WAIT):")
        health.extend(f"  - {n}" for n in noisy)
    else:
        health.append(f"- **Noise:** no run had other processes above {NOISE_LIMIT}% of a core")

    create_rate = med.get("create", {}).get("rate")
    shipping = shipping_section(res, ceiling, create_rate, c_all, c_writer)

    values = {
        "SHIPPING": shipping,
        "NOTIFICATIONS": notify_section(res),
        "ETA": eta_section(res),
        "FORECAST": forecast_section(res),
        "DASHBOARD": dashboard_section(res),
        "BATCH": batch_section(res),
        "CONSOLE": console_section(res),
        "META": "\n".join(meta),
        "RESULTS_TABLE": "\n".join(table),
        "CREATE_RATIO": f"{ratio_of['create']:.1%}" if ratio_of.get("create") else "?",
        "READ_RATIO": f"{ratio_of['read']:.1%}" if ratio_of.get("read") else "?",
        "STORE": "\n".join(store),
        "MEMORY": "\n".join(memory),
        "HEALTH": "\n".join(health),
        "CPU_TABLE": "\n".join(cpu_table),
        "COSTS": "\n".join(c for c in costs if c) or "- (not enough data)",
        "PROFILE": "\n".join(profile) or "- (no perf profile in this run)",
    }
    text = read(args.template)
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    leftover = re.findall(r"\{\{[A-Z_]+\}\}", text)
    if leftover:
        raise SystemExit(f"report: unknown placeholders {leftover}")
    with open(args.out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
