-- POST /api/v1/orders/{id}/shipments {"carrier":"SF","tracking_no":"SF" + 13 digits}: confirms one
-- parcel for each paid order, each order once, so that every request is a real confirmation (201)
-- and never the idempotent repeat (200).
--   BENCH_SHIP_FILE   one "id order_no" line per paid order (written by paid_orders.lua)
--   BENCH_SHIP_FIRST  the first line this run uses (0-based), BENCH_SHIP_COUNT how many; they are
--                     split between wrk's threads, each thread going through its own part
--   BENCH_MARK        a thread whose orders are all answered stops and creates
--                     BENCH_MARK.<thread index>, so that run.sh interrupts wrk then
-- wrk's own duration is then longer than the work, so the rate comes from this script's clock:
-- done() prints SHIP_JSON with the 201s counted and the window from the first request sent to the
-- last answer received.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")

local auth = "Bearer " .. bench.key
local mark = os.getenv("BENCH_MARK")

-- Per thread.
local ids = {}
local next_id = 1
local granted = 0      -- orders promised to connections by delay(), at most #ids
local started = false  -- wrk calls request() once before any connection exists; not a real one
-- Globals, so that done() (in wrk's main Lua state) can read them with thread:get().
sent = 0
answered = 0
created = 0   -- 201: a new parcel
repeated = 0  -- 200: the order already had this parcel (must stay 0)
failed = 0
first_error = nil
first_at = nil
last_at = nil

local threads = {}
function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local first = tonumber(os.getenv("BENCH_SHIP_FIRST") or "0")
  local count = tonumber(os.getenv("BENCH_SHIP_COUNT") or "0")
  local nthreads = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")
  local per = math.floor(count / nthreads)
  local from = first + thread_index * per
  local to = (thread_index == nthreads - 1) and (first + count) or (from + per)
  local line_no = 0
  for line in io.lines(os.getenv("BENCH_SHIP_FILE")) do
    if line_no >= to then break end
    if line_no >= from then ids[#ids + 1] = string.match(line, "^(%d+)") end
    line_no = line_no + 1
  end
end

local function ship(id)
  return wrk.format("POST", "/api/v1/orders/" .. id .. "/shipments",
    { ["Authorization"] = auth, ["Content-Type"] = "application/json" },
    string.format('{"carrier":"SF","tracking_no":"SF%013d"}', tonumber(id)))
end

-- wrk asks delay() before each request() of a connection, and sends the request when the delay
-- has passed: an order is promised here, so that two connections cannot both be let through for
-- the last one. A connection for which no order is left waits (for good: the thread stops first).
function delay()
  started = true
  if granted < #ids then
    granted = granted + 1
    return 0
  end
  return 3600 * 1000
end

function request()
  if not started then return ship(ids[1] or 0) end
  local id = ids[next_id]
  next_id = next_id + 1
  sent = sent + 1
  if not first_at then first_at = bench.now() end
  return ship(id)
end

function response(status, headers, body)
  answered = answered + 1
  last_at = bench.now()
  if status == 201 then
    created = created + 1
  elseif status == 200 then
    repeated = repeated + 1
  else
    failed = failed + 1
    if not first_error then first_error = status .. " " .. string.sub(body or "", 1, 300) end
  end
  if next_id > #ids and answered >= sent then
    bench.touch(mark and (mark .. "." .. thread_index))
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local sums = { sent = 0, answered = 0, created = 0, repeated = 0, failed = 0 }
  local first, last, errors = nil, nil, {}
  for _, t in ipairs(threads) do
    for k in pairs(sums) do sums[k] = sums[k] + (t:get(k) or 0) end
    local a, b = t:get("first_at"), t:get("last_at")
    if a and (not first or a < first) then first = a end
    if b and (not last or b > last) then last = b end
    if t:get("first_error") then table.insert(errors, t:get("first_error")) end
  end
  local seconds = (first and last and last > first) and (last - first) or 0
  io.write(string.format(
    'SHIP_JSON {"planned":%d,"sent":%d,"answered":%d,"created":%d,"repeated":%d,"failed":%d,' ..
    '"seconds":%.6f,"rate":%.1f,"first_error":%s}\n',
    tonumber(os.getenv("BENCH_SHIP_COUNT") or "0"), sums.sent, sums.answered, sums.created,
    sums.repeated, sums.failed, seconds, seconds > 0 and sums.created / seconds or 0,
    bench.json_string(errors[1])))
  bench.report(summary, latency, requests)
end
