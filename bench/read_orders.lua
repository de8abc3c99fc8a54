-- GET /api/v1/orders/{id} for ids drawn uniformly from [BENCH_MIN_ID, BENCH_MAX_ID].
dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

local min_id = tonumber(os.getenv("BENCH_MIN_ID") or "1")
local max_id = tonumber(os.getenv("BENCH_MAX_ID") or "1")
local auth = "Bearer " .. bench.key

function init(args)
  -- A different random sequence per thread.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  local id = math.random(min_id, max_id)
  return wrk.format("GET", "/api/v1/orders/" .. id, { ["Authorization"] = auth })
end

done = bench.report
