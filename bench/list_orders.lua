-- GET BENCH_PATH (a list of orders, with its filters and cursor) again and again.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

local path = os.getenv("BENCH_PATH") or "/api/v1/orders"
local auth = "Bearer " .. bench.key

function request()
  return wrk.format("GET", path, { ["Authorization"] = auth })
end

done = bench.report
