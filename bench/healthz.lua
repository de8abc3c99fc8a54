-- GET /healthz: the ceiling (no key, no store).
dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")
wrk.method = "GET"
wrk.path = "/healthz"
done = bench.report
