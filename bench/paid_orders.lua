-- Creates orders and pays each in full as soon as its creation is answered, for the shipping
-- measurements of `make bench`: every paid order passes verification and waits to ship.
--   BENCH_QUOTA     paid orders per wrk thread
--   BENCH_PAID_OUT  file that done() writes: one "id order_no" line per paid order
--   BENCH_MARK      a thread that has paid its quota creates BENCH_MARK.<thread index>, so that
--                   run.sh interrupts wrk then instead of waiting for its duration
-- Orders: 3 lines on the bench SKUs, varied customers and addresses, as create_orders.lua.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

local quota = tonumber(os.getenv("BENCH_QUOTA") or "0")
local mark = os.getenv("BENCH_MARK")
local auth = "Bearer " .. bench.key
local provinces = { {"上海市", "上海市", "浦东新区"}, {"广东省", "深圳市", "南山区"},
                    {"浙江省", "杭州市", "西湖区"}, {"北京市", "北京市", "朝阳区"} }
local ring, ring_size, next_index = {}, 256, 1

-- Per thread (each wrk thread runs its own copy of this script).
local started = false  -- wrk calls request() once before any connection exists; not a real one
local created = 0      -- creations sent (a failed answer lets one more be sent)
local to_pay = {}      -- payment requests for orders whose creation was answered
local failures_left = 1000
-- Globals, so that done() (in wrk's main Lua state) can read them with thread:get().
paid = 0
held = 0
failed = 0
first_error = nil
paid_orders = {}

-- main state: which thread is which
local threads = {}
function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local tid = (thread_index or 0) + 10 * math.random(0, 9)
  for i = 1, ring_size do
    local p = provinces[(i % #provinces) + 1]
    local body = string.format(
      '{"lines":[{"sku":"BENCH-A","quantity":1,"unit_price":1990},' ..
      '{"sku":"BENCH-B","quantity":1,"unit_price":3900},' ..
      '{"sku":"BENCH-C","quantity":1,"unit_price":500}],' ..
      '"customer":{"name":"发货客户%d","phone":"%s","email":"s%d@example.com"},' ..
      '"shipping_address":{"province":"%s","city":"%s","district":"%s",' ..
      '"detail":"世纪大道 %d 号","postcode":"200120"},"notes":"bench ship"}',
      i, string.format("139%02d%06d", tid % 100, i), i, p[1], p[2], p[3], i)
    ring[i] = wrk.format("POST", "/api/v1/orders",
                         { ["Authorization"] = auth, ["Content-Type"] = "application/json" }, body)
  end
end

function delay()
  started = true
  if #to_pay > 0 or created < quota then return 0 end
  return 20  -- only payments in flight: look again shortly
end

function request()
  if not started then return ring[1] end
  local pay = table.remove(to_pay)
  if pay then return pay end
  if created < quota then
    created = created + 1
    local r = ring[next_index]
    next_index = next_index % ring_size + 1
    return r
  end
  return wrk.format("GET", "/healthz")  -- nothing to do until an answer comes back
end

local function finish()
  bench.touch(mark and (mark .. "." .. thread_index))
  wrk.thread:stop()
end

local function failure(status, body)
  failed = failed + 1
  if not first_error then first_error = status .. " " .. string.sub(body or "", 1, 300) end
  if failures_left == 0 then return finish() end  -- something is wrong: give up
  failures_left = failures_left - 1
  created = created - 1  -- make up for it with another order
end

function response(status, headers, body)
  if status == 200 and not string.find(body, '^{"id"') then return end  -- /healthz
  local id, order_no, state, total = string.match(body,
    '^{"id":(%d+),"order_no":"([^"]+)","status":"([a-z_]+)".-"total":(%d+)')
  if status ~= 201 or not id then return failure(status, body) end
  if state == "pending_payment" then
    table.insert(to_pay, wrk.format("POST", "/api/v1/orders/" .. id .. "/payments",
      { ["Authorization"] = auth, ["Content-Type"] = "application/json" },
      '{"amount":' .. total .. ',"method":"bench"}'))
  elseif state == "awaiting_shipment" then
    paid = paid + 1
    paid_orders[paid] = id .. " " .. order_no
    if paid >= quota then finish() end
  else  -- on hold: it failed verification and cannot ship
    held = held + 1
    failure(status, body)
  end
end

function done(summary, latency, requests)
  local out = os.getenv("BENCH_PAID_OUT")
  local f = out and io.open(out, "w")
  local totals = { paid = 0, held = 0, failed = 0 }
  local errors = {}
  for _, t in ipairs(threads) do
    local list = t:get("paid_orders") or {}
    for _, line in ipairs(list) do
      if f then f:write(line, "\n") end
    end
    for k in pairs(totals) do totals[k] = totals[k] + (t:get(k) or 0) end
    if t:get("first_error") then table.insert(errors, t:get("first_error")) end
  end
  if f then f:close() end
  io.write(string.format('PAID_JSON {"paid":%d,"held":%d,"failed":%d,"first_error":%s}\n',
    totals.paid, totals.held, totals.failed, bench.json_string(errors[1])))
  bench.report(summary, latency, requests)
end
