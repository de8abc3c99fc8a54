#!/usr/bin/env bash
# `make bench`: load-tests depot on 127.0.0.1 and writes docs/benchmarks.md.
#
#   1. starts `depot serve` on a fresh data directory (a temporary one unless BENCH_DATA is set)
#   2. fills it with BENCH_ORDERS orders through the API (bench/fill.py driving wrk)
#   3. measures with wrk, BENCH_RUNS rounds of BENCH_DURATION seconds, 64 connections, 2 threads:
#        GET /healthz (the ceiling), POST /api/v1/orders (3 lines, 201 once durable),
#        GET /api/v1/orders/{id} (random existing ids); per-thread CPU is sampled in every run
#   4. shipping: creates and pays BENCH_SHIP_ORDERS + BENCH_IMPORT_ROWS orders (bench/paid_orders.lua),
#      confirms one parcel per paid order over HTTP, BENCH_RUNS rounds of BENCH_SHIP_ORDERS/BENCH_RUNS
#      orders each (bench/ship_orders.lua), and times a BENCH_IMPORT_ROWS-row CSV import
#      (bench/import_csv.py)
#   5. profiles one create and one read run with perf, when perf is there (BENCH_PROFILE=0: skip)
#   6. stops the server and records its peak memory
#   7. notifications, on a store of their own with a webhook receiver and an SMTP server on
#      127.0.0.1 (bench/notify_receivers.py; bench/notify.py drives the API): measures the
#      receivers' own ceilings; queues BENCH_NOTIFY_ORDERS created, paid and shipped orders with
#      `depot serve --no-dispatch`; BENCH_RUNS times from a copy of that store, restarts depot with
#      dispatch on and times the drain until the receivers hold every webhook (one per event) and
#      every email (one per shipment), with depot's CPU per thread; then once with the webhooks
#      alone and once with the emails alone, and once more under perf (BENCH_PROFILE=1);
#      ships BENCH_NOTIFY_LIVE_RATE orders a second for
#      BENCH_NOTIFY_LIVE_SECONDS and takes the outbox lag (event timestamp -> arrival); then
#      BENCH_RUNS pairs of create runs (bench/create_orders.lua, BENCH_DURATION s): with
#      --no-dispatch (idle; its events become the backlog) and with dispatch on draining it (busy),
#      and one more busy run under perf (BENCH_PROFILE=1)
#   8. one-click shipping (bench/batch_ship.py): the aggregator receiver's own ceiling with wrk,
#      then BENCH_RUNS batches of BENCH_BATCH_ORDERS orders (waybills/s, the merged PDF's time);
#      BENCH_ONLY=batch runs it alone and rewrites only the "One-click shipping" section
#   9. renders docs/benchmarks.md from bench/benchmarks.md.in (bench/report.py); raw outputs stay
#      in bench/results/<timestamp>/
# Before the server starts, the micro benchmarks (build/depot_micro_bench: verification, divisions,
# tracking numbers, Lua rules) run alone on the machine, and so does the ETA accuracy benchmark
# (build/depot_eta_bench, bench/eta_accuracy.cpp: a generated year of shipments, no server).
# BENCH_ONLY=notify runs step 7 alone (no fill, no micro benchmarks) and rewrites only the
# "Notifications" section of BENCH_DOC, keeping the rest of the page as it is; BENCH_ONLY=eta
# does the same with the ETA accuracy benchmark and the "ETA accuracy" section, and
# BENCH_ONLY=forecast with the forecast and repurchase benchmark (build/depot_forecast_bench,
# bench/forecast_accuracy.cpp: generated demand and purchase histories, no server) and the
# "Forecast accuracy" section. BENCH_ONLY=dashboard runs the dashboard stage alone and rewrites the
# "Dashboard" section: build/depot_report_fill (bench/report_fill.cpp) writes a year of one
# merchant's history through the use cases (BENCH_DASHBOARD_ORDERS orders), depot serves it and
# wrk times GET /api/v1/reports/dashboard for the whole year and for 30 days with one connection,
# and for the year with BENCH_DASHBOARD_CONNECTIONS (bench/dashboard.lua); then, when BENCH_BASELINE_DEPOT names a depot built
# without the creation's rollup write (bench/build_without_rollups.sh), BENCH_RUNS pairs of create
# runs (bench/create_orders.lua) against it and build/depot, each on a store of its own.
# BENCH_ONLY=console runs the console stage alone and rewrites the "Console" section: the console
# is built (Vite) into BENCH_WEB_ROOT/console, a store of its own is filled with BENCH_ORDERS
# orders (bench/fill.py) and gets a console user (`depot user create`, before depot starts), and
# bench/console.mjs (Node, playwright-core, Debian's Chromium headless) measures the built
# console's JavaScript and CSS (raw and gzip) and the time to the first order row of /orders and
# to one order's page, BENCH_CONSOLE_ROUNDS times with a cold cache and with a warm one.
# BENCH_ONLY=scale runs the scale-out stage alone (bench/scale.py) and rewrites only the
# "Scale-out: SQLite and PostgreSQL" section: a year of BENCH_SCALE_ORDERS orders over
# BENCH_SCALE_SKUS SKUs (build/depot_report_fill) copied into a PostgreSQL 15 server on 127.0.0.1
# (depot migrate-store), then healthz, creation, reads by id and a filtered list (first page and a
# deep page) on SQLite and on PostgreSQL with one node and with two, beside `pgbench -N` on the
# same server; a full run does this stage last and puts its section in the page it wrote.
#
# Knobs (environment): BENCH_ORDERS (1000000), BENCH_DURATION (15), BENCH_RUNS (3),
# BENCH_CONNECTIONS (64), BENCH_WRK_THREADS (2), BENCH_SERVER_THREADS (0: one per core),
# BENCH_PORT (0: any free port), BENCH_FILL_TIMEOUT (1500 s), BENCH_QUIET_WAIT (60 s to wait
# for other processes to calm down before each run), BENCH_RETRIES (2: repeats of a run that was
# noisy all the same), BENCH_PROFILE (1; needs perf), BENCH_DATA (reuse or keep this data
# directory instead of a temporary one), BENCH_DEPOT (build/depot), BENCH_DOC
# (docs/benchmarks.md; empty: write the page into the results directory only).
# Shipping: BENCH_SHIP_ORDERS (90000 orders to confirm over all runs; a run ends when its share is
# confirmed or after BENCH_DURATION), BENCH_IMPORT_ROWS (10000), BENCH_PAY_TIMEOUT (900 s),
# BENCH_SHIP (1; 0: skip). Micro benchmarks: BENCH_MICRO (1; 0: skip), BENCH_MICRO_BIN
# (build/depot_micro_bench), BENCH_MICRO_REPETITIONS (5). Notifications: BENCH_NOTIFY (1; 0: skip),
# BENCH_ONLY (empty: every stage; notify: only the notifications), BENCH_NOTIFY_ORDERS (10000),
# BENCH_NOTIFY_LIVE_RATE (100 orders shipped a second), BENCH_NOTIFY_LIVE_SECONDS (20),
# BENCH_NOTIFY_TIMEOUT (600 s for the drain). ETA: BENCH_ETA (1; 0: skip), BENCH_ETA_BIN
# (build/depot_eta_bench); BENCH_ONLY=eta: only this. Forecasts: BENCH_FORECAST (1; 0: skip),
# BENCH_FORECAST_BIN (build/depot_forecast_bench); BENCH_ONLY=forecast: only this. Dashboard:
# BENCH_DASHBOARD (1; 0: skip), BENCH_REPORT_FILL_BIN (build/depot_report_fill),
# BENCH_DASHBOARD_ORDERS (1000000), BENCH_DASHBOARD_CONNECTIONS (4), BENCH_DASHBOARD_DATA (keep
# the year's store there, and reuse it when it is already filled), BENCH_BASELINE_DEPOT (empty:
# no creation comparison); BENCH_ONLY=dashboard: only this. Console: BENCH_CONSOLE (1; 0: skip),
# BENCH_CONSOLE_ROUNDS (10), BENCH_WEB_ROOT (web/dist: depot serves it, the console is built into
# its console/ folder), BENCH_CONSOLE_BUILD (1; 0: measure the console already there),
# BENCH_CONSOLE_DATA (keep the filled store there, and reuse it when it is already filled);
# BENCH_ONLY=console: only this. Scale-out: BENCH_SCALE (1; 0: skip), BENCH_SCALE_ORDERS (1000000),
# BENCH_SCALE_SKUS (10000), BENCH_SCALE_DATA (keep the filled SQLite stores there, and reuse them),
# BENCH_SCALE_PG_SETTINGS (space-separated NAME=VALUE settings for the PostgreSQL server);
# BENCH_ONLY=scale: only this.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=/usr/bin/python3

DEPOT=${BENCH_DEPOT:-build/depot}
ORDERS=${BENCH_ORDERS:-1000000}
DURATION=${BENCH_DURATION:-15}
RUNS=${BENCH_RUNS:-3}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
SERVER_THREADS=${BENCH_SERVER_THREADS:-0}
PORT=${BENCH_PORT:-0}
FILL_TIMEOUT=${BENCH_FILL_TIMEOUT:-1500}
QUIET_WAIT=${BENCH_QUIET_WAIT:-60}
RETRIES=${BENCH_RETRIES:-2}
PROFILE=${BENCH_PROFILE:-1}
DOC=${BENCH_DOC-docs/benchmarks.md}
SHIP=${BENCH_SHIP:-1}
SHIP_ORDERS=${BENCH_SHIP_ORDERS:-90000}
IMPORT_ROWS=${BENCH_IMPORT_ROWS:-10000}
PAY_TIMEOUT=${BENCH_PAY_TIMEOUT:-900}
MICRO=${BENCH_MICRO:-1}
MICRO_BIN=${BENCH_MICRO_BIN:-build/depot_micro_bench}
MICRO_REPETITIONS=${BENCH_MICRO_REPETITIONS:-5}
ETA=${BENCH_ETA:-1}
ETA_BIN=${BENCH_ETA_BIN:-build/depot_eta_bench}
FORECAST=${BENCH_FORECAST:-1}
FORECAST_BIN=${BENCH_FORECAST_BIN:-build/depot_forecast_bench}
DASHBOARD=${BENCH_DASHBOARD:-1}
REPORT_FILL_BIN=${BENCH_REPORT_FILL_BIN:-build/depot_report_fill}
DASHBOARD_ORDERS=${BENCH_DASHBOARD_ORDERS:-1000000}
DASHBOARD_CONNS=${BENCH_DASHBOARD_CONNECTIONS:-4}
BASELINE_DEPOT=${BENCH_BASELINE_DEPOT:-}
NOTIFY=${BENCH_NOTIFY:-1}
BATCH=${BENCH_BATCH:-1}
BATCH_ORDERS=${BENCH_BATCH_ORDERS:-1000}
CONSOLE=${BENCH_CONSOLE:-1}
CONSOLE_ROUNDS=${BENCH_CONSOLE_ROUNDS:-10}
CONSOLE_BUILD=${BENCH_CONSOLE_BUILD:-1}
WEB_ROOT=$(realpath -m "${BENCH_WEB_ROOT:-web/dist}")
ONLY=${BENCH_ONLY:-}
SCALE=${BENCH_SCALE:-1}
SCALE_ORDERS=${BENCH_SCALE_ORDERS:-1000000}
SCALE_SKUS=${BENCH_SCALE_SKUS:-10000}
SCALE_DATA=${BENCH_SCALE_DATA:-}
SCALE_PG_SETTINGS=${BENCH_SCALE_PG_SETTINGS:-}
NOTIFY_ORDERS=${BENCH_NOTIFY_ORDERS:-10000}
NOTIFY_LIVE_RATE=${BENCH_NOTIFY_LIVE_RATE:-100}
NOTIFY_LIVE_SECONDS=${BENCH_NOTIFY_LIVE_SECONDS:-20}
NOTIFY_TIMEOUT=${BENCH_NOTIFY_TIMEOUT:-600}

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

case $ONLY in
  "") MAIN=1 ;;
  notify) SCALE=0 MAIN=0 NOTIFY=1 MICRO=0 ETA=0 FORECAST=0 DASHBOARD=0 BATCH=0 CONSOLE=0 ;;
  eta) SCALE=0 MAIN=0 NOTIFY=0 MICRO=0 ETA=1 FORECAST=0 DASHBOARD=0 BATCH=0 CONSOLE=0 ;;
  forecast) SCALE=0 MAIN=0 NOTIFY=0 MICRO=0 ETA=0 FORECAST=1 DASHBOARD=0 BATCH=0 CONSOLE=0 ;;
  dashboard) SCALE=0 MAIN=0 NOTIFY=0 MICRO=0 ETA=0 FORECAST=0 DASHBOARD=1 BATCH=0 CONSOLE=0 ;;
  batch) SCALE=0 MAIN=0 NOTIFY=0 MICRO=0 ETA=0 FORECAST=0 DASHBOARD=0 BATCH=1 CONSOLE=0 ;;
  console) MAIN=0 NOTIFY=0 MICRO=0 ETA=0 FORECAST=0 DASHBOARD=0 BATCH=0 CONSOLE=1 SCALE=0 ;;
  scale) MAIN=0 NOTIFY=0 MICRO=0 ETA=0 FORECAST=0 DASHBOARD=0 BATCH=0 CONSOLE=0 SCALE=1 ;;
  *) die "BENCH_ONLY must be empty, notify, eta, forecast, dashboard, batch, console or scale" ;;
esac
if [ "$CONSOLE" = 1 ]; then
  missing=
  command -v node >/dev/null || missing="node"
  [ -x "${CHROMIUM_BIN:-/usr/bin/chromium}" ] || missing="$missing chromium"
  [ -d web/node_modules/playwright-core ] || missing="$missing web/node_modules (npm ci in web/)"
  if [ "$CONSOLE_BUILD" = 0 ] && [ ! -s "$WEB_ROOT/console/index.html" ]; then
    missing="$missing $WEB_ROOT/console (make web builds it)"
  fi
  if [ -n "$missing" ]; then
    [ "$ONLY" = console ] && die "the console benchmark needs:$missing"
    log "the console benchmark needs:$missing; skipping it"
    CONSOLE=0
  fi
fi
if [ "$SCALE" = 1 ] && { [ ! -x "$REPORT_FILL_BIN" ] || [ ! -x /usr/lib/postgresql/15/bin/pgbench ]; }; then
  [ "$ONLY" = scale ] && die "the scale-out benchmark needs $REPORT_FILL_BIN and PostgreSQL 15"
  log "the scale-out benchmark needs $REPORT_FILL_BIN and PostgreSQL 15: skipping it"
  SCALE=0
fi
if [ "$DASHBOARD" = 1 ] && [ ! -x "$REPORT_FILL_BIN" ]; then
  [ "$ONLY" = dashboard ] && die "$REPORT_FILL_BIN is missing; run make build"
  log "$REPORT_FILL_BIN is missing (make build builds it): skipping the dashboard benchmark"
  DASHBOARD=0
fi
if [ -n "$BASELINE_DEPOT" ] && [ ! -x "$BASELINE_DEPOT" ]; then
  die "BENCH_BASELINE_DEPOT=$BASELINE_DEPOT is not an executable"
fi
SERVER=0  # whether a stage runs depot
if [ "$MAIN" = 1 ] || [ "$NOTIFY" = 1 ] || [ "$DASHBOARD" = 1 ] || [ "$BATCH" = 1 ] \
  || [ "$CONSOLE" = 1 ] || [ "$SCALE" = 1 ]; then SERVER=1; fi

for tool in wrk curl "$PY"; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup.sh installs wrk)"
done
[ "$SERVER" = 0 ] || [ -x "$DEPOT" ] || die "$DEPOT is missing; run make build"
[ "$DURATION" -ge 6 ] || die "BENCH_DURATION must be at least 6 seconds"
if [ "$MICRO" = 1 ] && [ ! -x "$MICRO_BIN" ]; then
  log "$MICRO_BIN is missing (make build builds it): skipping the micro benchmarks"
  MICRO=0
fi
if [ "$ETA" = 1 ] && [ ! -x "$ETA_BIN" ]; then
  [ "$ONLY" = eta ] && die "$ETA_BIN is missing; run make build"
  log "$ETA_BIN is missing (make build builds it): skipping the ETA accuracy benchmark"
  ETA=0
fi
if [ "$FORECAST" = 1 ] && [ ! -x "$FORECAST_BIN" ]; then
  [ "$ONLY" = forecast ] && die "$FORECAST_BIN is missing; run make build"
  log "$FORECAST_BIN is missing (make build builds it): skipping the forecast accuracy benchmark"
  FORECAST=0
fi
if [ "$PROFILE" = 1 ] && ! perf --version >/dev/null 2>&1; then
  log "perf is not available: skipping the profile"
  PROFILE=0
fi

STAMP=$(date -u +%Y%m%d-%H%M%S)
RES=$ROOT/bench/results/$STAMP
mkdir -p "$RES"
ln -sfn "$STAMP" "$ROOT/bench/results/latest"
exec > >(tee "$RES/run.log") 2>&1
log "results in bench/results/$STAMP"

# ---- cleanup: every process we start, and the temporary data directory ----
SERVER_PID=
CHILD_PIDS=()
WORK=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${CHILD_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  for pid in "${CHILD_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- work directory: a private copy of the binary (a rebuild during the run must not change
# what is measured, and perf needs the file to name symbols), and the data unless BENCH_DATA ----
WORK=$(mktemp -d /tmp/depot-bench.XXXXXX)
if [ "$SERVER" = 1 ]; then cp "$DEPOT" "$WORK/depot"; fi
{
  echo "commit $(git rev-parse HEAD 2>/dev/null || echo unknown)"
  if [ "$SERVER" = 1 ]; then
    echo "binary_mtime $(date -u -r "$DEPOT" +%Y-%m-%dT%H:%M:%SZ)"
    echo "sources_newer_than_binary $(find src CMakeLists.txt -newer "$DEPOT" -type f 2>/dev/null | wc -l)"
  fi
  if [ "$MICRO" = 1 ]; then
    echo "micro_binary_mtime $(date -u -r "$MICRO_BIN" +%Y-%m-%dT%H:%M:%SZ)"
    echo "sources_newer_than_micro $(find src bench/micro CMakeLists.txt -newer "$MICRO_BIN" -type f 2>/dev/null | wc -l)"
  fi
  if [ "$ETA" = 1 ]; then
    echo "eta_binary_mtime $(date -u -r "$ETA_BIN" +%Y-%m-%dT%H:%M:%SZ)"
    echo "sources_newer_than_eta $(find src/domain bench/eta_accuracy.cpp -newer "$ETA_BIN" -type f 2>/dev/null | wc -l)"
  fi
  if [ "$FORECAST" = 1 ]; then
    echo "forecast_binary_mtime $(date -u -r "$FORECAST_BIN" +%Y-%m-%dT%H:%M:%SZ)"
    echo "sources_newer_than_forecast $(find src/domain bench/forecast_accuracy.cpp -newer "$FORECAST_BIN" -type f 2>/dev/null | wc -l)"
  fi
  if [ "$DASHBOARD" = 1 ]; then
    echo "report_fill_binary_mtime $(date -u -r "$REPORT_FILL_BIN" +%Y-%m-%dT%H:%M:%SZ)"
    if [ -n "$BASELINE_DEPOT" ]; then
      echo "baseline_binary_mtime $(date -u -r "$BASELINE_DEPOT" +%Y-%m-%dT%H:%M:%SZ)"
    fi
  fi
  git status --porcelain -- src CMakeLists.txt cmake 2>/dev/null | sed 's/^/dirty /'
  if [ "$CONSOLE" = 1 ]; then
    git status --porcelain -- web/src 2>/dev/null | sed 's/^/web_dirty /'
  fi
} >"$RES/git.txt"
DEPOT_COPY=$WORK/depot

if [ "$PORT" = 0 ]; then
  PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
fi
BASE=http://127.0.0.1:$PORT

# ---- micro benchmarks, alone on the machine before the server starts (Google Benchmark: each
# benchmark BENCH_MICRO_REPETITIONS times; report.py takes the medians from the JSON) ----
if [ "$MICRO" = 1 ]; then
  cp "$MICRO_BIN" "$WORK/depot_micro_bench"
  log "micro benchmarks ($MICRO_REPETITIONS repetitions each)"
  "$WORK/depot_micro_bench" --benchmark_format=json --benchmark_out_format=json \
    --benchmark_out="$RES/micro.json" --benchmark_repetitions="$MICRO_REPETITIONS" \
    --benchmark_report_aggregates_only=true >/dev/null 2>"$RES/micro.stderr" \
    || log "the micro benchmarks failed; see $RES/micro.stderr"
fi

# ---- ETA accuracy: the estimator against a generated year of shipments (one JSON object; the
# program fails when the model does not beat the naive median) ----
if [ "$ETA" = 1 ]; then
  log "ETA accuracy"
  "$ETA_BIN" >"$RES/eta.json" 2>"$RES/eta.stderr" \
    || log "the ETA accuracy benchmark failed; see $RES/eta.stderr"
fi

# ---- Forecast accuracy: demand forecasts and repurchase predictions against generated histories
# (one JSON object; the program fails when either does not beat its baseline) ----
if [ "$FORECAST" = 1 ]; then
  log "forecast accuracy"
  "$FORECAST_BIN" >"$RES/forecast.json" 2>"$RES/forecast.stderr" \
    || log "the forecast accuracy benchmark failed; see $RES/forecast.stderr"
fi

# ---- depot's lifecycle: start_server DATA LOG [ARGS…] starts it on $PORT with DATA (more
# `depot serve` arguments after LOG) and waits until it answers /readyz; stop_server stops it with
# SIGTERM (SIGKILL after 30 s) and logs how it ended ----
start_server() {
  local data=$1 log_file=$2
  shift 2
  "$DEPOT_COPY" serve --data "$data" --listen "127.0.0.1:$PORT" --threads "$SERVER_THREADS" \
    --web-root "$WEB_ROOT" --log-level warn "$@" >>"$log_file" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null --max-time 1 "$BASE/readyz" && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "depot exited at start; see $log_file"
    sleep 0.1
  done
  curl -sf -o /dev/null --max-time 2 "$BASE/readyz" || die "depot is not ready"
  log "depot (pid $SERVER_PID, --threads $SERVER_THREADS $*) on $BASE, data in $data"
}
stop_server() {
  local status=0 started=$SECONDS
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -KILL "$SERVER_PID" 2>/dev/null; then log "depot did not stop within 30 s: killed"; fi
  wait "$SERVER_PID" || status=$?
  log "depot stopped with exit code $status in about $((SECONDS - started)) s"
  SERVER_PID=
}

# Waits (up to QUIET_WAIT s in all per run) until other processes (not depot, when it runs) use
# under 30% of a core.
wait_quiet() {
  local waited=0 others
  while :; do
    "$PY" bench/cpu_sample.py --server "${SERVER_PID:-0}" --delay 0 --window 2 \
      --roles "$RES/thread_roles.json" --out "$RES/.quiet.json"
    others=$("$PY" -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["others_pct"]))' \
      "$RES/.quiet.json")
    if [ "$others" -lt 30 ] || [ "$waited" -ge "$QUIET_WAIT" ]; then break; fi
    [ "$waited" = 0 ] && log "other processes use ${others}% of a core: waiting for quiet"
    waited=$((waited + 2))
  done
  echo "$others"
}

# run_wrk NAME SCRIPT RUN: one wrk run with its CPU sample. A run during which other processes
# used 30% of a core or more is kept as noisy_NAME_RUN_aN.* and repeated (BENCH_RETRIES times).
run_wrk() {
  local name=$1 script=$2 run=$3 quiet wrk_pid sampler_pid others attempt=0
  while :; do
    attempt=$((attempt + 1))
    quiet=$(wait_quiet)
    BENCH_KEY=$KEY BENCH_DIR=$ROOT/bench BENCH_MIN_ID=$MIN_ID BENCH_MAX_ID=$MAX_ID \
      wrk "-t$WRK_THREADS" "-c$CONNS" "-d${DURATION}s" --latency -s "bench/$script" "$BASE/" \
      >"$RES/${name}_$run.txt" 2>&1 &
    wrk_pid=$!
    CHILD_PIDS+=("$wrk_pid")
    "$PY" bench/cpu_sample.py --server "$SERVER_PID" --wrk "$wrk_pid" --delay 2 \
      --roles "$RES/thread_roles.json" \
      --window $((DURATION - 4)) --out "$RES/${name}_$run.cpu.json" &
    sampler_pid=$!
    CHILD_PIDS+=("$sampler_pid")
    wait "$wrk_pid" || log "wrk exited with $? in $name run $run"
    wait "$sampler_pid" || true
    echo "$quiet" >"$RES/${name}_$run.quiet"
    kill -0 "$SERVER_PID" 2>/dev/null || die "depot died during $name run $run; see $RES/server.log"
    echo "${name}_$run $(awk '/^(VmRSS|RssAnon|VmHWM):/ {printf "%s %s ", $1, $2}' \
      "/proc/$SERVER_PID/status")" >>"$RES/server_memory.txt"
    others=$("$PY" -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["others_pct"]))' \
      "$RES/${name}_$run.cpu.json" 2>/dev/null || echo 0)
    log "$name run $run: $(grep -E '^Requests/sec' "$RES/${name}_$run.txt" || echo 'no result')" \
      "$(grep -E 'Non-2xx|Socket errors' "$RES/${name}_$run.txt" | tr '\n' ' ')" \
      "(other processes: ${others}% of a core)"
    if [ "$others" -lt 30 ] || [ "$attempt" -gt "$RETRIES" ]; then break; fi
    for f in "$RES/${name}_$run".*; do
      mv "$f" "$RES/noisy_${name}_${run}_a$attempt.${f#"$RES/${name}_$run."}"
    done
    log "$name run $run was noisy: repeating it"
  done
}

# ---- shipping: paid orders, one parcel confirmed per order over HTTP, a bulk CSV import ----
# wrk_until_done NAME SCRIPT DURATION: wrk runs SCRIPT until each of its threads has created its
# mark file (it has done its fixed share of work) or DURATION seconds have passed; output in
# $RES/NAME.txt. The extra environment for the script comes from the caller.
wrk_until_done() {
  local name=$1 script=$2 duration=$3 wrk_pid marks
  rm -f "$WORK/mark.$name".*
  BENCH_KEY=$KEY BENCH_DIR=$ROOT/bench BENCH_MARK=$WORK/mark.$name \
    BENCH_WRK_THREADS=$WRK_THREADS \
    wrk "-t$WRK_THREADS" "-c$CONNS" "-d${duration}s" --latency -s "bench/$script" "$BASE/" \
    >"$RES/$name.txt" 2>&1 &
  wrk_pid=$!
  CHILD_PIDS+=("$wrk_pid")
  while kill -0 "$wrk_pid" 2>/dev/null; do
    marks=$(find "$WORK" -maxdepth 1 -name "mark.$name.*" | wc -l)
    if [ "$marks" -ge "$WRK_THREADS" ]; then
      kill -INT "$wrk_pid" 2>/dev/null || true  # wrk prints its summary (and runs done()) on SIGINT
      break
    fi
    sleep 0.05
  done
  wait "$wrk_pid" || log "wrk exited with $? in $name"
}

# cpu_totals NAME: the CPU time depot (per thread role) and other processes have used so far.
cpu_totals() {
  "$PY" bench/cpu_sample.py --server "$SERVER_PID" --roles "$RES/thread_roles.json" --totals \
    --out "$RES/$1.cpu_totals.json"
}

# perf_reports DATA PREFIX: depot's samples in DATA by thread, by library, and the hottest symbols
# of each of the server's threads, as $RES/PREFIX_threads.txt, PREFIX_dso.txt, PREFIX_tidN.txt;
# then removes DATA.
perf_reports() {
  local data=$1 prefix=$2
  perf report -i "$data" --no-children --sort pid --stdio 2>/dev/null \
    | grep -v '^#' | grep -v '^$' >"$RES/${prefix}_threads.txt" || true
  perf report -i "$data" --no-children --sort dso --stdio 2>/dev/null \
    | grep -v '^#' | grep -v '^$' >"$RES/${prefix}_dso.txt" || true
  for tid in $(ls "/proc/$SERVER_PID/task"); do
    perf report -i "$data" --no-children --tid "$tid" --sort dso,sym \
      --percentage relative --stdio --percent-limit 0.2 2>/dev/null | grep -v '^#' \
      | grep -v '^$' >"$RES/${prefix}_tid$tid.txt" || true
  done
  rm -f "$data"
}

# ---- profile: which code burns the CPU, and how many commits (fdatasync) per second ----
profile() {
  local name=$1 script=$2 wrk_pid
  BENCH_KEY=$KEY BENCH_DIR=$ROOT/bench BENCH_MIN_ID=$MIN_ID BENCH_MAX_ID=$MAX_ID \
    wrk "-t$WRK_THREADS" "-c$CONNS" -d12s -s "bench/$script" "$BASE/" \
    >"$RES/profile_${name}_wrk.txt" 2>&1 &
  wrk_pid=$!
  CHILD_PIDS+=("$wrk_pid")
  sleep 3
  perf stat --per-thread -e "$(printf 'syscalls:sys_enter_%s,' fdatasync pwrite64 pread64 fcntl \
    futex sendmsg recvmsg epoll_wait | sed 's/,$//')" \
    -p "$SERVER_PID" -o "$RES/profile_${name}_syscalls.txt" -- sleep 6 >/dev/null 2>&1 &
  CHILD_PIDS+=("$!")
  perf record -q -F 499 -p "$SERVER_PID" -o "$RES/profile_${name}.data" -- sleep 6 \
    >/dev/null 2>&1 || log "perf record failed"
  wait "$wrk_pid" || true
  perf_reports "$RES/profile_${name}.data" "profile_${name}"
}

# ---- the load tests on a store of BENCH_ORDERS orders (steps 1-6) ----
main_stages() {
  if [ -n "${BENCH_DATA:-}" ]; then
    DATA=$BENCH_DATA
    mkdir -p "$DATA"
  else
    DATA=$WORK/data
    mkdir -p "$DATA"
  fi
  if [ ! -s "$DATA/bench.key" ]; then
    "$DEPOT_COPY" apikey create --data "$DATA" --tenant bench --role owner 2>>"$RES/server.log" \
      | tail -n 1 >"$DATA/bench.key"
  fi
  KEY=$(cat "$DATA/bench.key")
  case $KEY in dpt_*) ;; *) die "could not create an API key";; esac

  # ---- server ----
  start_server "$DATA" "$RES/server.log"

  # ---- fill ----
  "$PY" bench/fill.py --base "$BASE" --key "$KEY" --orders "$ORDERS" \
    --threads "$WRK_THREADS" --connections "$CONNS" --timeout "$FILL_TIMEOUT" \
    --server-pid "$SERVER_PID" --progress "$RES/fill_progress.tsv" --wrk-log "$RES/fill_wrk.txt" \
    --out "$RES/fill.json"
  MIN_ID=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["min_id"])' "$RES/fill.json")
  MAX_ID=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["max_id"])' "$RES/fill.json")
  sleep 3  # let the writer finish its checkpoint before measuring
  # Which depot thread is what (HTTP threads wait in epoll, the writer in a futex), while idle.
  "$PY" bench/cpu_sample.py --server "$SERVER_PID" --classify --out "$RES/thread_roles.json"

  for run in $(seq 1 "$RUNS"); do
    run_wrk healthz healthz.lua "$run"
    run_wrk create create_orders.lua "$run"
    run_wrk read read_orders.lua "$run"
  done

  # ---- shipping ----
  if [ "$SHIP" = 1 ]; then
    paid_target=$((SHIP_ORDERS + IMPORT_ROWS))
    log "shipping: creating and paying $paid_target orders"
    BENCH_QUOTA=$(( (paid_target + WRK_THREADS - 1) / WRK_THREADS )) \
      BENCH_PAID_OUT=$RES/paid_orders.txt wrk_until_done pay paid_orders.lua "$PAY_TIMEOUT"
    paid=$(wc -l <"$RES/paid_orders.txt" 2>/dev/null || echo 0)
    log "shipping: $paid orders paid ($(grep -E '^PAID_JSON' "$RES/pay.txt" || echo 'no summary'))"
    ship_orders=$SHIP_ORDERS
    import_rows=$IMPORT_ROWS
    if [ "$paid" -lt "$paid_target" ]; then
      ship_orders=$((paid * SHIP_ORDERS / paid_target))
      import_rows=$((paid - ship_orders))
      log "shipping: only $paid of $paid_target orders are paid (see BENCH_PAY_TIMEOUT):" \
        "$ship_orders for the shipping runs, $import_rows for the import"
    fi
    per_run=$((ship_orders / RUNS))
    sleep 2  # let the writer finish its checkpoint
    for run in $(seq 1 "$RUNS"); do
      [ "$per_run" -gt 0 ] || break
      quiet=$(wait_quiet)
      echo "$quiet" >"$RES/ship_$run.quiet"
      cpu_totals "ship_${run}_before"
      BENCH_SHIP_FILE=$RES/paid_orders.txt BENCH_SHIP_FIRST=$(( (run - 1) * per_run )) \
        BENCH_SHIP_COUNT=$per_run wrk_until_done "ship_$run" ship_orders.lua "$DURATION"
      cpu_totals "ship_${run}_after"
      kill -0 "$SERVER_PID" 2>/dev/null || die "depot died during ship run $run; see $RES/server.log"
      log "ship run $run: $(grep -E '^SHIP_JSON' "$RES/ship_$run.txt" || echo 'no result')" \
        "(other processes before the run: ${quiet}% of a core)"
    done
    if [ "$import_rows" -gt 0 ]; then
      quiet=$(wait_quiet)
      echo "$quiet" >"$RES/import.quiet"
      cpu_totals import_before
      "$PY" bench/import_csv.py --base "$BASE" --key "$KEY" --orders "$RES/paid_orders.txt" \
        --first "$ship_orders" --rows "$import_rows" --planned-rows "$IMPORT_ROWS" \
        --csv "$RES/import.csv" --out "$RES/import.json" \
        || log "the import failed"
      cpu_totals import_after
    fi
  fi

  if [ "$PROFILE" = 1 ]; then
    log "profiling a create run and a read run with perf"
    profile create create_orders.lua
    profile read read_orders.lua
  fi

  # ---- the end state: memory, store size, orders; then a graceful stop ----
  cat "/proc/$SERVER_PID/status" >"$RES/server_status.txt"
  cat "/proc/$SERVER_PID/smaps_rollup" >"$RES/server_smaps_rollup.txt" 2>/dev/null || true
  grep -F "$DATA/depot.db" "/proc/$SERVER_PID/maps" >"$RES/server_db_maps.txt" || true
  for tid in $(ls "/proc/$SERVER_PID/task"); do
    echo "$tid $(cat "/proc/$SERVER_PID/task/$tid/wchan" 2>/dev/null)"
  done >"$RES/server_threads.txt"
  curl -sf --max-time 30 -H "Authorization: Bearer $KEY" "$BASE/api/v1/orders/counts" \
    >"$RES/final_counts.json" || echo '{}' >"$RES/final_counts.json"
  ls -l "$DATA"/depot.db* >"$RES/db_files.txt"
  stop_started=$(date +%s.%N)
  kill -TERM "$SERVER_PID"
  server_exit=0
  wait "$SERVER_PID" || server_exit=$?
  stop_seconds=$("$PY" -c "import time,sys; print(round(time.time()-float(sys.argv[1]),1))" \
    "$stop_started")
  SERVER_PID=
  ls -l "$DATA"/depot.db* >"$RES/db_files_after_stop.txt"
  printf '{"exit": %s, "seconds": %s}\n' "$server_exit" "$stop_seconds" >"$RES/server_stop.json"
  log "depot stopped with exit code $server_exit in ${stop_seconds}s"

  cat >"$RES/config.json" <<EOF
{"orders_target": $ORDERS, "duration_s": $DURATION, "runs": $RUNS, "connections": $CONNS,
 "wrk_threads": $WRK_THREADS, "server_threads": $SERVER_THREADS, "depot": "$DEPOT",
 "data_dir": "$DATA", "min_id": $MIN_ID, "max_id": $MAX_ID,
 "ship": $SHIP, "ship_orders": $SHIP_ORDERS, "import_rows": $IMPORT_ROWS, "micro": $MICRO,
 "micro_repetitions": $MICRO_REPETITIONS}
EOF
}

# ---- notifications: a store of their own, a webhook receiver and an SMTP server on loopback ----
# Set by notify_stage for the functions it calls.
N_DATA='' N_KEY='' N_RECEIVERS=''
N_PORTS=()

# notify_receiver KIND: starts bench/notify_receivers.py KIND; its "PORT CONTROL_PORT" line lands
# in $WORK/KIND.ports and its pid in $RES/notify_KIND.pid.
notify_receiver() {
  local kind=$1
  rm -f "$WORK/$kind.ports"
  "$PY" bench/notify_receivers.py "$kind" --port-file "$WORK/$kind.ports" \
    >>"$RES/notify_receivers.log" 2>&1 &
  CHILD_PIDS+=("$!")
  echo "$!" >"$RES/notify_$kind.pid"
  for _ in $(seq 1 100); do
    [ -s "$WORK/$kind.ports" ] && return 0
    sleep 0.1
  done
  die "the $kind receiver did not start; see $RES/notify_receivers.log"
}

# notify_reset: the receivers forget what they recorded.
notify_reset() {
  local kind
  for kind in webhook smtp; do
    curl -sf -o /dev/null -X POST "http://127.0.0.1:$(cut -d' ' -f2 "$WORK/$kind.ports")/reset"
  done
}

# notify_drain NAME [CHANNEL]: puts back the store as queued (every event waiting in the outbox),
# starts depot on it with dispatch on, and times the drain into $RES/NAME.json (what the receivers
# got in NAME_webhook.tsv and NAME_email.tsv). With CHANNEL (webhook or email), the other channel
# is removed first, with dispatch off: nothing is planned for it. perf records the whole drain of
# notify_drain_profiled. depot keeps running.
notify_drain() {
  local name=$1 channel=${2:-} started ready perf_pid=
  rm -rf "$N_DATA"
  cp -a "$WORK/notify-queued" "$N_DATA"
  if [ -n "$channel" ]; then
    start_server "$N_DATA" "$RES/notify_server.log" --no-dispatch
    curl -sf -o /dev/null -X DELETE -H "Authorization: Bearer $N_KEY" \
      "$BASE/api/v1/channels/$([ "$channel" = webhook ] && echo email || echo webhook)" \
      || die "could not remove a channel for $name"
    stop_server
  fi
  notify_reset
  wait_quiet >"$RES/$name.quiet"
  started=$(date +%s.%N)
  start_server "$N_DATA" "$RES/notify_server.log"
  ready=$(date +%s.%N)
  if [ "$name" = notify_drain_profiled ]; then
    perf record -q -F 499 -p "$SERVER_PID" -o "$RES/$name.data" >/dev/null 2>&1 &
    perf_pid=$!
    CHILD_PIDS+=("$perf_pid")
  fi
  "$PY" bench/notify.py drain --base "$BASE" --key "$N_KEY" "${N_PORTS[@]}" \
    --queue "$RES/notify_queue.json" --out "$RES/$name.json" --server-pid "$SERVER_PID" \
    --webhook-pid "$(cat "$RES/notify_webhook.pid")" --smtp-pid "$(cat "$RES/notify_smtp.pid")" \
    --started "$started" --ready "$ready" --timeout "$NOTIFY_TIMEOUT" \
    --channels "${channel:-webhook,email}" || log "$name failed"
  if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" || true
    perf_reports "$RES/$name.data" "$name"
  fi
}

# notify_create MODE RUN: one create run (bench/create_orders.lua, DURATION s) on the notification
# store, with `--no-dispatch` (MODE idle) or with dispatch on and the outbox's backlog to drain
# (MODE busy; the receivers' counters are taken before and after). Like run_wrk, a run during which
# other processes (the receivers left out) used 30% of a core or more is repeated. MODE profiled
# is a busy run with perf recording depot over the same window as the CPU sample, never repeated.
notify_create() {
  local mode=$1 run=$2 name=notify_create_$1_$2 attempt=0 quiet wrk_pid sampler_pid others perf_pid
  while :; do
    attempt=$((attempt + 1))
    if [ "$mode" = idle ]; then
      start_server "$N_DATA" "$RES/notify_server.log" --no-dispatch
      quiet=$(wait_quiet)
    else
      quiet=$(wait_quiet)  # before depot starts: from then on it and the receivers are busy
      "$PY" bench/notify.py stats "${N_PORTS[@]}" --out "$RES/$name.before.json"
      start_server "$N_DATA" "$RES/notify_server.log"
    fi
    BENCH_KEY=$N_KEY BENCH_DIR=$ROOT/bench \
      wrk "-t$WRK_THREADS" "-c$CONNS" "-d${DURATION}s" --latency -s bench/create_orders.lua \
      "$BASE/" >"$RES/$name.txt" 2>&1 &
    wrk_pid=$!
    CHILD_PIDS+=("$wrk_pid")
    "$PY" bench/cpu_sample.py --server "$SERVER_PID" --wrk "$wrk_pid" --delay 2 \
      --window $((DURATION - 4)) --out "$RES/$name.cpu.json" &
    sampler_pid=$!
    CHILD_PIDS+=("$sampler_pid")
    perf_pid=
    if [ "$mode" = profiled ]; then
      (sleep 2 && exec perf record -q -F 499 -p "$SERVER_PID" -o "$RES/$name.data" \
        -- sleep $((DURATION - 4))) >/dev/null 2>&1 &
      perf_pid=$!
      CHILD_PIDS+=("$perf_pid")
    fi
    wait "$wrk_pid" || log "wrk exited with $? in $name"
    wait "$sampler_pid" || true
    if [ "$mode" != idle ]; then
      "$PY" bench/notify.py stats "${N_PORTS[@]}" --out "$RES/$name.after.json"
    fi
    if [ -n "$perf_pid" ]; then
      wait "$perf_pid" || true
      perf_reports "$RES/$name.data" "$name"
    fi
    echo "$quiet" >"$RES/$name.quiet"
    stop_server
    if [ "$mode" != idle ]; then notify_reset; fi  # counted: free the receivers' memory
    others=$("$PY" bench/notify.py noise --cpu "$RES/$name.cpu.json" --exclude "$N_RECEIVERS" \
      2>/dev/null || echo 0)
    log "$name: $(grep -E '^Requests/sec' "$RES/$name.txt" || echo 'no result')" \
      "(other processes: ${others}% of a core)"
    if [ "$mode" = profiled ] || [ "$others" -lt 30 ] || [ "$attempt" -gt "$RETRIES" ]; then
      break
    fi
    for f in "$RES/$name".*; do
      mv "$f" "$RES/noisy_${name}_a$attempt.${f#"$RES/$name."}"
    done
    log "$name was noisy: repeating it"
  done
}

notify_stage() {
  local webhook_port smtp_port run attempt others channel
  N_DATA=$WORK/notify-data
  mkdir -p "$N_DATA"
  N_KEY=$("$DEPOT_COPY" apikey create --data "$N_DATA" --tenant bench --role owner \
    2>>"$RES/notify_server.log" | tail -n 1)
  case $N_KEY in dpt_*) ;; *) die "could not create an API key for the notification store";; esac
  notify_receiver webhook
  notify_receiver smtp
  N_RECEIVERS="$(cat "$RES/notify_webhook.pid"),$(cat "$RES/notify_smtp.pid")"
  N_PORTS=(--webhook-ports "$WORK/webhook.ports" --smtp-ports "$WORK/smtp.ports")
  webhook_port=$(cut -d' ' -f1 "$WORK/webhook.ports")
  smtp_port=$(cut -d' ' -f1 "$WORK/smtp.ports")

  # The receivers' own ceilings: wrk POSTing a webhook of depot's size, and a Python SMTP client.
  log "notifications: the receivers' own ceilings"
  wait_quiet >"$RES/notify_ceiling.quiet"
  cat >"$WORK/webhook_post.lua" <<'EOF'
dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["webhook-id"] = "depot-1-42-webhook-0123456789abcdef"
wrk.headers["webhook-timestamp"] = "1795425413"
wrk.headers["webhook-signature"] = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="
wrk.body = '{"type":"shipment.created","timestamp":"2026-11-23T07:29:47.123Z","data":{"id":42,' ..
  '"type":"shipment.created","at":"2026-11-23T07:29:47.123Z","order_id":7,"data":{"order_no":' ..
  '"D20261123000007","shipment_id":7,"carrier":"SF","tracking_no":"SF0000000000007","lines":' ..
  '[{"sku":"BENCH-A","quantity":1},{"sku":"BENCH-B","quantity":1},{"sku":"BENCH-C","quantity":1}]}}}'
done = bench.report
EOF
  BENCH_DIR=$ROOT/bench wrk -t1 -c64 -d5s --latency -s "$WORK/webhook_post.lua" \
    "http://127.0.0.1:$webhook_port/hooks/depot" >"$RES/notify_ceiling_webhook.txt" 2>&1 \
    || log "wrk failed against the webhook receiver"
  "$PY" bench/notify_receivers.py smtp-load --port "$smtp_port" --messages 3000 --connections 16 \
    --out "$RES/notify_ceiling_smtp.json" >/dev/null || log "the SMTP load test failed"
  notify_reset
  log "notifications: webhook receiver $(grep -E '^Requests/sec' "$RES/notify_ceiling_webhook.txt")," \
    "SMTP receiver $(cat "$RES/notify_ceiling_smtp.json" 2>/dev/null)"

  log "notifications: queueing $NOTIFY_ORDERS shipped orders with dispatch off"
  start_server "$N_DATA" "$RES/notify_server.log" --no-dispatch
  "$PY" bench/notify.py setup --base "$BASE" --key "$N_KEY" "${N_PORTS[@]}"
  "$PY" bench/notify.py queue --base "$BASE" --key "$N_KEY" --orders "$NOTIFY_ORDERS" \
    --out "$RES/notify_queue.json"
  stop_server

  cp -a "$N_DATA" "$WORK/notify-queued"
  log "notifications: draining the outbox with dispatch on, $RUNS times from the same store"
  for run in $(seq 1 "$RUNS"); do
    attempt=0
    while :; do  # like run_wrk: a drain with other processes at 30% of a core or more is repeated
      attempt=$((attempt + 1))
      notify_drain "notify_drain_$run"
      stop_server
      others=$("$PY" -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["others_pct"]))' \
        "$RES/notify_drain_$run.json" 2>/dev/null || echo 0)
      log "notify_drain_$run: other processes used ${others}% of a core"
      if [ "$others" -lt 30 ] || [ "$attempt" -gt "$RETRIES" ]; then break; fi
      for f in "$RES/notify_drain_$run".* "$RES/notify_drain_${run}"_*.tsv; do
        mv "$f" "$RES/noisy_notify_drain_${run}_a$attempt${f#"$RES/notify_drain_$run"}"
      done
      log "notify_drain_$run was noisy: repeating it"
    done
  done
  for channel in webhook email; do
    log "notifications: a drain of the ${channel}s alone"
    notify_drain "notify_drain_${channel}_alone" "$channel"
    stop_server
  done
  if [ "$PROFILE" = 1 ]; then
    log "notifications: one more drain under perf"
    notify_drain notify_drain_profiled
  else
    start_server "$N_DATA" "$RES/notify_server.log"
  fi

  log "notifications: shipping $NOTIFY_LIVE_RATE orders a second for $NOTIFY_LIVE_SECONDS s"
  "$PY" bench/notify.py live --base "$BASE" --key "$N_KEY" "${N_PORTS[@]}" \
    --rate "$NOTIFY_LIVE_RATE" --seconds "$NOTIFY_LIVE_SECONDS" \
    --out "$RES/notify_live.json" || log "the live phase failed"
  stop_server

  log "notifications: create runs with dispatch off (idle) and draining a backlog (busy)"
  for run in $(seq 1 "$RUNS"); do
    notify_create idle "$run"
    notify_create busy "$run"
  done
  if [ "$PROFILE" = 1 ]; then
    log "notifications: one more busy create run under perf"
    notify_create profiled 1
  fi

  for kind in webhook smtp; do
    kill "$(cat "$RES/notify_$kind.pid")" 2>/dev/null || true
  done
  cat >"$RES/notify_config.json" <<EOF
{"orders": $NOTIFY_ORDERS, "live_rate": $NOTIFY_LIVE_RATE, "live_seconds": $NOTIFY_LIVE_SECONDS,
 "duration_s": $DURATION, "runs": $RUNS, "connections": $CONNS, "wrk_threads": $WRK_THREADS,
 "server_threads": $SERVER_THREADS, "depot": "$DEPOT", "profile": $PROFILE}
EOF
}

# ---- the dashboard (docs/reports.md): a year of one merchant's history written through the use
# cases by build/depot_report_fill, the dashboard's latency over it, and what the rollups add to an
# order's creation (against BENCH_BASELINE_DEPOT, when given) ----
dashboard_stage() {
  local data=${BENCH_DASHBOARD_DATA:-$WORK/dashboard-data} year=2025 run range from to quiet key
  local variant binary dir conns customers out
  mkdir -p "$data"
  if [ -s "$data/report_fill.json" ]; then
    log "dashboard: reusing the year in $data"
  else
    log "dashboard: writing a year of $DASHBOARD_ORDERS orders through the use cases"
    "$REPORT_FILL_BIN" --data "$data" --orders "$DASHBOARD_ORDERS" --year "$year" \
      >"$data/report_fill.json.part" 2>"$RES/dashboard_fill.stderr" \
      || die "depot_report_fill failed; see $RES/dashboard_fill.stderr"
    mv "$data/report_fill.json.part" "$data/report_fill.json"
  fi
  cp "$data/report_fill.json" "$RES/dashboard_fill.json"
  key=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["key"])' \
    "$RES/dashboard_fill.json")
  ls -l "$data" >"$RES/dashboard_files.txt"
  start_server "$data" "$RES/dashboard_server.log"
  curl -sf -H "Authorization: Bearer $key" -o "$RES/dashboard_year.json" \
    "$BASE/api/v1/reports/dashboard?from=$year-01-01&to=$year-12-31" \
    || log "dashboard: the year's dashboard could not be read"
  for run in $(seq 1 "$RUNS"); do
    # One client at a time (the latency of a request), then DASHBOARD_CONNS at once.
    for range in year month year_busy; do
      from=$year-01-01 to=$year-12-31 conns=1
      [ "$range" = month ] && from=$year-12-02
      [ "$range" = year_busy ] && conns=$DASHBOARD_CONNS
      quiet=$(wait_quiet)
      echo "$quiet" >"$RES/dashboard_${range}_$run.quiet"
      BENCH_KEY=$key BENCH_DIR=$ROOT/bench BENCH_FROM=$from BENCH_TO=$to \
        wrk -t1 "-c$conns" "-d${DURATION}s" --latency -s bench/dashboard.lua "$BASE/" \
        >"$RES/dashboard_${range}_$run.txt" 2>&1 || log "wrk failed in dashboard $range run $run"
      log "dashboard $range run $run: $(grep -E '^Requests/sec' "$RES/dashboard_${range}_$run.txt" \
        || echo 'no result') (other processes: ${quiet}% of a core before)"
    done
  done
  stop_server
  [ -n "$BASELINE_DEPOT" ] || return 0

  # Creation with and without the rollup write: the same create load test, interleaved, each
  # binary on a store of its own that grows alike.
  cp "$BASELINE_DEPOT" "$WORK/depot-baseline"
  local own_copy=$DEPOT_COPY
  for run in $(seq 1 "$RUNS"); do
    for variant in rollups baseline; do
      binary=$own_copy
      [ "$variant" = baseline ] && binary=$WORK/depot-baseline
      dir=$WORK/create-$variant
      DEPOT_COPY=$binary
      if [ ! -s "$dir/bench.key" ]; then
        mkdir -p "$dir"
        "$binary" apikey create --data "$dir" --tenant bench --role owner \
          2>>"$RES/dashboard_create_server.log" | tail -n 1 >"$dir/bench.key"
      fi
      key=$(cat "$dir/bench.key")
      start_server "$dir" "$RES/dashboard_create_server.log"
      if [ "$run" = 1 ]; then
        "$PY" bench/fill.py --base "$BASE" --key "$key" --orders 1 --out "$RES/.setup.json" \
          >/dev/null
      fi
      # The main results' customers (512, rows mostly updated in place), then customers spread
      # as in life (a new phone for every order: a new customer row each).
      for customers in few spread; do
        out=$RES/dashboard_create_${variant}_$run.txt
        [ "$customers" = spread ] && out=$RES/dashboard_create_spread_${variant}_$run.txt
        quiet=$(wait_quiet)
        echo "$quiet" >"${out%.txt}.quiet"
        BENCH_KEY=$key BENCH_DIR=$ROOT/bench BENCH_SPREAD_CUSTOMERS=$([ "$customers" = spread ] \
          && echo 1 || echo 0) \
          wrk "-t$WRK_THREADS" "-c$CONNS" "-d${DURATION}s" --latency -s bench/create_orders.lua \
          "$BASE/" >"$out" 2>&1 || log "wrk failed in create $variant ($customers) run $run"
        log "dashboard: create $variant ($customers customers) run $run:" \
          "$(grep -E '^Requests/sec' "$out" || echo 'no result')"
      done
      stop_server
    done
  done
  DEPOT_COPY=$own_copy
}

# ---- the console (docs/console.md): its built size, and how soon the orders page and one
# order's page show their data on a store of BENCH_ORDERS orders (bench/console.mjs) ----
console_stage() {
  local data=${BENCH_CONSOLE_DATA:-$WORK/console-data} key quiet
  local email=bench-console@bench.example.com password=Bench-console-pw-2026
  if [ "$CONSOLE_BUILD" = 1 ]; then
    log "console: building it into $WEB_ROOT/console"
    (cd web && npx vite build --outDir "$WEB_ROOT/console" --emptyOutDir) \
      >"$RES/console_build.txt" 2>&1 || die "the console did not build; see $RES/console_build.txt"
  fi
  mkdir -p "$data"
  # The API key for the fill and the console's user are written before depot starts: `depot
  # apikey create` and `depot user create` open the store themselves.
  if [ ! -s "$data/bench.key" ]; then
    "$DEPOT_COPY" apikey create --data "$data" --tenant bench --role owner \
      2>>"$RES/console_server.log" | tail -n 1 >"$data/bench.key"
    "$DEPOT_COPY" user create --data "$data" --tenant bench --email "$email" --role owner \
      --password "$password" >>"$RES/console_server.log" 2>&1 \
      || die "could not create the console's user; see $RES/console_server.log"
  fi
  key=$(cat "$data/bench.key")
  case $key in dpt_*) ;; *) die "could not create an API key for the console's store";; esac
  start_server "$data" "$RES/console_server.log"
  if [ -s "$data/console_fill.json" ]; then
    log "console: reusing the store in $data"
  else
    log "console: filling a store with $ORDERS orders"
    "$PY" bench/fill.py --base "$BASE" --key "$key" --orders "$ORDERS" \
      --threads "$WRK_THREADS" --connections "$CONNS" --timeout "$FILL_TIMEOUT" \
      --server-pid "$SERVER_PID" --progress "$RES/console_fill_progress.tsv" \
      --wrk-log "$RES/console_fill_wrk.txt" --out "$data/console_fill.json.part"
    mv "$data/console_fill.json.part" "$data/console_fill.json"
    sleep 3  # let the writer finish its checkpoint before measuring
  fi
  cp "$data/console_fill.json" "$RES/console_fill.json"
  quiet=$(wait_quiet)
  echo "$quiet" >"$RES/console.quiet"
  log "console: sizes, and $CONSOLE_ROUNDS rounds of each page with a cold and a warm cache" \
    "(other processes: ${quiet}% of a core before)"
  node bench/console.mjs --dist "$WEB_ROOT/console" --base "$BASE" --email "$email" \
    --password "$password" --rounds "$CONSOLE_ROUNDS" \
    --min-id "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["min_id"])' \
      "$RES/console_fill.json")" \
    --max-id "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["max_id"])' \
      "$RES/console_fill.json")" \
    --out "$RES/console.json" 2>"$RES/console.stderr" || log "the console benchmark failed"
  stop_server
  cat >"$RES/console_config.json" <<EOF
{"orders_target": $ORDERS, "rounds": $CONSOLE_ROUNDS, "built": $CONSOLE_BUILD,
 "web_root": "$WEB_ROOT", "depot": "$DEPOT", "nproc": $(nproc)}
EOF
}

if [ "$MAIN" = 1 ]; then
  main_stages
fi
if [ "$NOTIFY" = 1 ]; then
  notify_stage
fi
if [ "$DASHBOARD" = 1 ]; then
  dashboard_stage
fi
# One-click shipping: bench/batch_ship.py runs its own depot and aggregator receiver.
if [ "$BATCH" = 1 ]; then
  log "batch: $BATCH_ORDERS orders shipped with waybills, $RUNS runs"
  "$PY" bench/batch_ship.py --depot "$DEPOT_COPY" --orders "$BATCH_ORDERS" --runs "$RUNS" \
    --out "$RES/batch.json" 2>"$RES/batch.stderr" || log "the batch benchmark failed"
fi
if [ "$CONSOLE" = 1 ]; then
  console_stage
fi

# The scale-out stage runs last, on its own stores and PostgreSQL server; its section goes into the
# page after the page is written.
scale_stage() {
  local settings=() setting
  for setting in $SCALE_PG_SETTINGS; do settings+=(--pg-setting "$setting"); done
  log "scale-out: $SCALE_ORDERS orders over $SCALE_SKUS SKUs, SQLite and PostgreSQL"
  "$PY" bench/scale.py --depot "$DEPOT" --report-fill "$REPORT_FILL_BIN" --orders "$SCALE_ORDERS" \
    --skus "$SCALE_SKUS" --duration "$DURATION" --runs "$RUNS" --connections "$CONNS" \
    ${SCALE_DATA:+--data "$SCALE_DATA"} "${settings[@]}" --out "$RES" \
    --doc "${DOC:-$RES/benchmarks.md}" 2>"$RES/scale.stderr" \
    || die "the scale-out benchmark failed; see $RES/scale.stderr"
}
if [ "$ONLY" = scale ]; then
  scale_stage
  log "wrote the scale-out section of ${DOC:-$RES/benchmarks.md}"
  exit 0
fi

# With BENCH_ONLY=notify (eta, forecast), only the "Notifications" ("ETA accuracy", "Forecast
# accuracy") section of the page is rendered again.
case $ONLY in
  notify) only=(--only notifications) ;;
  eta) only=(--only eta) ;;
  forecast) only=(--only forecast) ;;
  dashboard) only=(--only dashboard) ;;
  batch) only=(--only batch) ;;
  console) only=(--only console) ;;
  *) only=() ;;
esac
if [ -n "$DOC" ]; then
  "$PY" bench/report.py --results "$RES" --template bench/benchmarks.md.in --out "$DOC" "${only[@]}"
  log "wrote $DOC"
else
  "$PY" bench/report.py --results "$RES" --template bench/benchmarks.md.in --out "$RES/benchmarks.md" \
    "${only[@]}"
  log "wrote $RES/benchmarks.md"
fi
if [ "$SCALE" = 1 ]; then
  scale_stage
fi
