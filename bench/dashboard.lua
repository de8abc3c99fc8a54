-- GET the dashboard of BENCH_FROM..BENCH_TO (the merchant's days) again and again.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

local path = "/api/v1/reports/dashboard?from=" .. (os.getenv("BENCH_FROM") or "") ..
  "&to=" .. (os.getenv("BENCH_TO") or "")
local auth = "Bearer " .. bench.key

function request()
  return wrk.format("GET", path, { ["Authorization"] = auth })
end

done = bench.report
