#!/usr/bin/python3
"""Where the CPU goes during one wrk run, for `make bench`.

Takes two snapshots of /proc (after --delay seconds, and --window seconds later) and writes a
JSON object: CPU use (in % of one core) of each depot thread, labelled by what it is waiting on
when idle (HTTP threads sit in epoll_wait; the store's writer and the scheduler in a futex, the
writer being the one that has used by far the most CPU since the start), of wrk, of every other
process on the machine (noise from neighbours), and the machine-wide split from /proc/stat.
Roles are best decided while the server is idle: `--classify` does that once and writes them to
--out; the samples then take them from `--roles`. `--totals` writes the CPU time used so far
instead, for work that does not last a fixed time (two of them around it give its cost).
Python standard library only.
"""

import argparse
import json
import os
import time

TICK = os.sysconf("SC_CLK_TCK")


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def cpu_ticks(stat_text):
    # Fields after the command name, which sits in parentheses and may hold spaces.
    rest = stat_text[stat_text.rfind(")") + 2:].split()
    return int(rest[11]) + int(rest[12])  # utime + stime


def comm_of(stat_text):
    return stat_text[stat_text.find("(") + 1:stat_text.rfind(")")]


def snapshot(server, wrk):
    processes = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            text = read(f"/proc/{name}/stat")
            if text:
                processes[int(name)] = (comm_of(text), cpu_ticks(text))
    threads = {}
    for tid in os.listdir(f"/proc/{server}/task") if os.path.isdir(f"/proc/{server}/task") else []:
        text = read(f"/proc/{server}/task/{tid}/stat")
        if text:
            threads[int(tid)] = (cpu_ticks(text),
                                 (read(f"/proc/{server}/task/{tid}/wchan") or "").strip(),
                                 comm_of(text))
    wrk_ticks = 0
    for tid in os.listdir(f"/proc/{wrk}/task") if wrk and os.path.isdir(f"/proc/{wrk}/task") else []:
        text = read(f"/proc/{wrk}/task/{tid}/stat")
        if text:
            wrk_ticks += cpu_ticks(text)
    machine = [int(x) for x in read("/proc/stat").splitlines()[0].split()[1:]]
    return {"t": time.monotonic(), "processes": processes, "threads": threads,
            "wrk": wrk_ticks, "machine": machine}


def classify(server, out):
    """Roles of the server's threads: from their names when depot names them (depot-writer,
    depot-http-N), else from what each waits on while idle."""
    roles = {}
    for _ in range(50):
        threads = snapshot(server, None)["threads"]
        if threads and all(w for _, w, _ in threads.values()):  # nobody running
            waiting = {tid: t for tid, t in threads.items() if "epoll" not in t[1]}
            writer = max(waiting, key=lambda tid: waiting[tid][0]) if waiting else None
            for tid, (_, wchan, comm) in threads.items():
                if "writer" in comm:
                    role = "writer"
                elif "http" in comm or "epoll" in wchan:
                    role = "http"
                elif tid == writer and not any("writer" in t[2] for t in threads.values()):
                    role = "writer"
                else:
                    role = "other"
                roles[str(tid)] = role
            break
        time.sleep(0.1)
    with open(out, "w") as f:
        json.dump(roles, f, indent=2)


def totals(server, known, out):
    """CPU seconds used so far by the server (all threads, and per role) and by every other
    process now alive: two of these around a piece of work give its CPU cost, when the work does
    not last a fixed time (the shipping runs)."""
    s = snapshot(server, None)
    roles = {"writer": 0, "http": 0, "other": 0}
    for tid, (ticks, _, _) in s["threads"].items():
        roles[known.get(tid, "other")] += ticks
    ours = {server, os.getpid(), os.getppid()}
    result = {
        "t": s["t"],
        "server_s": sum(roles.values()) / TICK,
        "roles_s": {role: ticks / TICK for role, ticks in roles.items()},
        # per process, so that a later snapshot can count only what each used in between
        "others_s": {str(pid): ticks / TICK for pid, (_, ticks) in s["processes"].items()
                     if pid not in ours},
        "machine": s["machine"],
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", type=int, required=True)
    parser.add_argument("--classify", action="store_true", help="only write the thread roles")
    parser.add_argument("--totals", action="store_true",
                        help="only write the CPU time used so far (server per role, others)")
    parser.add_argument("--roles", help="thread roles written by --classify")
    parser.add_argument("--wrk", type=int)
    parser.add_argument("--delay", type=float, default=2)
    parser.add_argument("--window", type=float, default=10)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.classify:
        return classify(args.server, args.out)
    known = {}
    if args.roles:
        try:
            with open(args.roles) as f:
                known = {int(tid): role for tid, role in json.load(f).items()}
        except (OSError, ValueError):
            known = {}
    if args.totals:
        return totals(args.server, known, args.out)

    time.sleep(args.delay)
    a = snapshot(args.server, args.wrk)
    time.sleep(args.window)
    b = snapshot(args.server, args.wrk)
    seconds = b["t"] - a["t"]

    def pct(ticks):
        return round(100.0 * ticks / TICK / seconds, 1)

    threads = []
    for tid, (ticks, wchan, comm) in b["threads"].items():
        before = a["threads"].get(tid, (0, "", ""))[0]
        threads.append({"tid": tid, "name": comm, "cpu_pct": pct(ticks - before),
                        "total_ticks": ticks, "wchan": wchan})
    waiting = [t for t in threads if "epoll" not in t["wchan"]]
    writer = max(waiting, key=lambda t: t["total_ticks"]) if waiting else None
    for t in threads:
        if t["tid"] in known:
            t["role"] = known[t["tid"]]
        elif "epoll" in t["wchan"]:
            t["role"] = "http"
        elif t is writer:
            t["role"] = "writer"
        else:
            t["role"] = "other"
    threads.sort(key=lambda t: t["tid"])

    ours = {args.server, args.wrk, os.getpid(), os.getppid()}
    others = []
    for pid, (comm, ticks) in b["processes"].items():
        if pid in ours:
            continue
        before = a["processes"].get(pid, (comm, 0))[1]
        used = pct(ticks - before)
        if used > 0:
            others.append({"pid": pid, "comm": comm, "cpu_pct": used})
    others.sort(key=lambda o: -o["cpu_pct"])

    delta = [y - x for x, y in zip(a["machine"], b["machine"])]
    total = sum(delta[:8]) or 1
    names = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
    machine = {n: round(100.0 * d / total, 1) for n, d in zip(names, delta[:8])}

    result = {
        "seconds": round(seconds, 1),
        "server_total_pct": round(sum(t["cpu_pct"] for t in threads), 1),
        "server_threads": threads,
        "wrk_pct": pct(b["wrk"] - a["wrk"]),
        "others_pct": round(sum(o["cpu_pct"] for o in others), 1),
        "others_top": others[:5],
        "machine_pct": machine,
        "cores": os.cpu_count(),
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
