-- POST /api/v1/orders: 3 lines on 3 different SKUs with plenty of stock, no Idempotency-Key.
-- The server answers 201 only once the order's commit is durable.
-- BENCH_QUOTA (optional): each thread stops after that many 2xx answers (used by the fill).
-- BENCH_SPREAD_CUSTOMERS=1: every order comes from a phone not seen before in the run, as customers
-- spread over a large base order, instead of 256 phones per thread.
-- BENCH_KEYS (optional): API keys of several merchants, separated by commas, taken in turn by
-- successive requests (each merchant needs the three SKUs); otherwise BENCH_KEY's merchant alone.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

local skus = { os.getenv("BENCH_SKU1") or "BENCH-A", os.getenv("BENCH_SKU2") or "BENCH-B",
               os.getenv("BENCH_SKU3") or "BENCH-C" }
local provinces = { {"上海市", "上海市", "浦东新区"}, {"广东省", "深圳市", "南山区"},
                    {"浙江省", "杭州市", "西湖区"}, {"北京市", "北京市", "朝阳区"} }
local requests_ring = {}
local ring_size = 256
local next_index = 1
local spread = os.getenv("BENCH_SPREAD_CUSTOMERS") == "1"
local keys = {}
for key in string.gmatch(os.getenv("BENCH_KEYS") or "", "[^,]+") do keys[#keys + 1] = key end
if #keys == 0 then keys[1] = bench.key end
local ring_headers = {}
local threads_started = 0
local before_phone, after_phone = {}, {}
local first_phone, orders_sent = 0, 0

function setup(thread)
  thread:set("thread_number", threads_started)
  threads_started = threads_started + 1
end

function init(args)
  -- Pre-format a ring of varied bodies (different customers, phones, quantities) once per
  -- thread so that building a request costs wrk almost nothing.
  local tid = math.random(0, 99)
  for i = 1, ring_size do
    local p = provinces[(i % #provinces) + 1]
    local phone = string.format("138%02d%06d", tid, i)
    local body = string.format(
      '{"lines":[{"sku":"%s","quantity":%d,"unit_price":1990},' ..
      '{"sku":"%s","quantity":%d,"unit_price":3900},{"sku":"%s","quantity":1,"unit_price":500}],' ..
      '"customer":{"name":"压测客户%d","phone":"%s","email":"c%d@example.com"},' ..
      '"shipping_address":{"province":"%s","city":"%s","district":"%s",' ..
      '"detail":"世纪大道 %d 号","postcode":"200120"},"notes":"bench"}',
      skus[1], 1 + i % 3, skus[2], 1 + i % 2, skus[3], i, phone, i, p[1], p[2], p[3], i)
    ring_headers[i] = { ["Authorization"] = "Bearer " .. keys[(i % #keys) + 1],
                        ["Content-Type"] = "application/json" }
    requests_ring[i] = wrk.format("POST", "/api/v1/orders", ring_headers[i], body)
    local at = body:find(phone, 1, true)
    before_phone[i], after_phone[i] = body:sub(1, at - 1), body:sub(at + #phone)
  end
  -- Phones of this run start from the clock (100,000 a second), so runs 20 s apart on one store
  -- do not meet either; each of up to 16 threads takes every 16th.
  first_phone = (os.time() % 1000) * 100000
end

function request()
  local i = next_index
  next_index = next_index % ring_size + 1
  if not spread then return requests_ring[i] end
  orders_sent = orders_sent + 1
  local n = (first_phone + orders_sent * 16 + thread_number) % 100000000
  return wrk.format("POST", "/api/v1/orders", ring_headers[i],
                    before_phone[i] .. string.format("139%08d", n) .. after_phone[i])
end

local quota = tonumber(os.getenv("BENCH_QUOTA") or "")
if quota and quota > 0 then
  local ok = 0
  function response(status, headers, body)
    if status >= 200 and status < 300 then
      ok = ok + 1
      if ok >= quota then wrk.thread:stop() end
    end
  end
end

done = bench.report
