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

-- Seconds on the monotonic clock, to the nanosecond (LuaJIT's ffi): the scripts that stop by
-- themselves (a fixed set of orders) time their own window, since wrk's duration is then wrong.
function bench.now()
  if not bench.clock then
    local ffi = require("ffi")
    ffi.cdef [[
      typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
      int clock_gettime(int clock_id, bench_timespec *tp);
    ]]
    local ts = ffi.new("bench_timespec")
    bench.clock = function()
      ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
    end
  end
  return bench.clock()
end

-- Creates the file `path` (empty): a thread that has finished its share tells run.sh so.
function bench.touch(path)
  if path and path ~= "" then
    local f = io.open(path, "w")
    if f then f:close() end
  end
end

-- A JSON string literal of `text` (what the shipping scripts report about a failed answer).
function bench.json_string(text)
  text = tostring(text or "")
  return '"' .. text:gsub('[%c"\\]', function(c)
    if c == '"' or c == "\\" then return "\\" .. c end
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end
