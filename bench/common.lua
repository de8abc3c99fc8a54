-- Shared by the wrk scripts of `make bench`: the API key from the environment and a `done`
-- that prints one machine-readable line (parsed by bench/report.py) besides wrk's own summary.
bench = {}
bench.key = os.getenv("BENCH_KEY") or ""

function bench.report(summary, latency, requests)
  local s = summary
  local function us(p) return latency:percentile(p) end
  io.write(string.format(
    "BENCH_JSON {\"requests\":%d,\"duration_us\":%d,\"bytes\":%d," ..
    "\"non2xx\":%d,\"connect_errors\":%d,\"read_errors\":%d,\"write_errors\":%d," ..
    "\"timeouts\":%d,\"lat_mean_us\":%.1f,\"lat_max_us\":%d," ..
    "\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"p999_us\":%d}\n",
    s.requests, s.duration, s.bytes,
    s.errors.status, s.errors.connect, s.errors.read, s.errors.write, s.errors.timeout,
    latency.mean, latency.max, us(50), us(90), us(99), us(99.9)))
end
