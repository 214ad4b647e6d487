-- The mixed load of issue #14 for wrk (benches/mixed_load.sh starts it):
-- 70 % board pages, 20 % route pages, 10 % a seller signing in and
-- submitting an order.
--
-- wrk asks `request()` for the next request of whichever connection is
-- free and hands `response()` no hint of which request it answers, so
-- every request carries its own `X-Request-Id` (the app echoes it, see
-- domain/request_id.rs) and the answer is matched by it. That gives each
-- kind of request its own latency and errors, and lets the sign-in flows
-- be small state machines: each thread runs several, every flow its own
-- generated seller, each step sent once the previous one was answered.
--
-- Settings (environment): MIXED_ROUTES_FILE (route codes, one a line),
-- MIXED_THREADS and MIXED_CONNECTIONS (as given to wrk: a thread runs as
-- many flows as it has connections, so that one is nearly always ready
-- for a flow's turn; only every tenth request is one), MIXED_PASSWORD (the
-- generated sellers' password).

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } mixed_timespec;
  int clock_gettime(int clock, mixed_timespec *ts);
]]
local timespec = ffi.new("mixed_timespec")

-- Microseconds on the monotonic clock (wrk's Lua has no finer clock than os.time).
local function now_us()
  ffi.C.clock_gettime(1, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

-- The board as visitors browse it: the first pages, a country, a sort.
local BOARD = {
  "/", "/", "/", "/?page=2", "/?page=3", "/?country=US", "/?country=DE",
  "/?country=GB&sort=price", "/?country=US&sort=speed", "/?sort=speed",
}

-- The kinds in the order the report lists them, with the answer each expects.
local KINDS = { "board", "route", "login_page", "sign_in", "order_form", "order_submit" }
local EXPECTED = {
  board = 200, route = 200, login_page = 200, sign_in = 303, order_form = 200, order_submit = 303,
}
-- A flow that got no answer this long (a socket error or timeout) starts over.
local FLOW_TIMEOUT_US = 30 * 1000000

-- Latencies go into buckets 2 % wide: percentiles within 2 %, a few
-- hundred numbers per kind for done() to merge, whatever the run's length.
local BUCKET = math.log(1.02)
local function bucket_of(us)
  return math.floor(math.log(math.max(us, 1)) / BUCKET)
end
local function bucket_top(b)
  return math.exp((b + 1) * BUCKET)
end

-- Setup, in wrk's main Lua state: number the threads, keep them for done().
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads - 1)
end

-- Per thread from here on (each wrk thread has its own Lua state).
local routes = {}
local flows = {}
local pending = {}
local seq = 0
-- Counted in done(): flows that finished, flows started over, and the
-- flows' turns given to the board because every flow was waiting.
flow_done, flow_reset, flow_slot_busy = 0, 0, 0
-- What done() reads through thread:get, so a global, and flat: wrk copies
-- a table nested in a table wrongly (a crash). Keys "KIND count",
-- "KIND errors" and "KIND BUCKET".
kind_stats = {}

local function url_encode(s)
  return (tostring(s):gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local function form(fields)
  local parts = {}
  for _, pair in ipairs(fields) do
    table.insert(parts, pair[1] .. "=" .. url_encode(pair[2]))
  end
  return table.concat(parts, "&")
end

-- The value of `name="NAME" value="..."` in a page, as the templates write it.
local function hidden(body, name)
  return body and body:match('name="' .. name .. '" value="([^"]*)"')
end

local function header(headers, name)
  for key, value in pairs(headers) do
    if key:lower() == name then
      return value
    end
  end
end

function init(args)
  for code in io.lines(os.getenv("MIXED_ROUTES_FILE")) do
    if code ~= "" then
      table.insert(routes, code)
    end
  end
  assert(#routes > 0, "no route codes in MIXED_ROUTES_FILE")
  local threads_n = tonumber(os.getenv("MIXED_THREADS") or "2")
  local connections = tonumber(os.getenv("MIXED_CONNECTIONS") or "32")
  local per_thread = math.max(1, math.floor(connections / threads_n))
  for k = 1, per_thread do
    local seller = thread_id * per_thread + (k - 1)
    table.insert(flows, {
      email = "bench-seller-" .. seller .. "@samplepost.test",
      -- A new address for every sign-in: many offices, as in production, so
      -- the per-address sign-in limit (20 a minute) is not what is measured.
      -- The app believes X-Forwarded-For from 127.0.0.1 (TRUSTED_PROXIES).
      net = string.format("10.%d.%d", thread_id % 250, k % 250),
      signins = 0,
      step = "login_page",
      busy_since = nil,
    })
  end
  math.randomseed(thread_id + 1)
end

-- The next request of a flow, by the step it is at.
local function flow_request(flow)
  local headers = {
    ["X-Forwarded-For"] = string.format("%s.%d", flow.net, flow.signins % 250 + 1),
  }
  if flow.cookie then
    headers["Cookie"] = flow.cookie
  end
  if flow.step == "login_page" then
    return wrk.format("GET", "/login", headers)
  elseif flow.step == "sign_in" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", "/login", headers, form({
      { "csrf_token", flow.csrf },
      { "email", flow.email },
      { "password", os.getenv("MIXED_PASSWORD") },
    }))
  elseif flow.step == "order_form" then
    return wrk.format("GET", "/app/orders/new", headers)
  else
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", "/app/orders", headers, form({
      { "csrf_token", flow.csrf },
      { "name", "Jane Smith" }, { "company", "" },
      { "line1", "1 High Street" }, { "line2", "" },
      { "city", "London" }, { "state", "" }, { "postcode", "SW1A 1AA" },
      { "country", "GB" }, { "phone", "020 7946 0958" }, { "email", "" },
      { "tax_id", "" }, { "purpose", "influencer" },
      { "reference", "MIXED-" .. thread_id .. "-" .. seq },
      { "weight_kg", "0.48" }, { "length_cm", "30" }, { "width_cm", "20" },
      { "height_cm", "5" }, { "battery", "none" }, { "item_count", "1" },
      { "item0_description_en", "Cotton T-shirt" },
      { "item0_description_zh", "棉质T恤" }, { "item0_quantity", "2" },
      { "item0_unit_value_usd", "3.50" }, { "item0_hs_code", "6109.10" },
      { "item0_origin", "CN" }, { "route", "POST-SMALL" },
      { "backup_route", "" }, { "form_token", flow.form_token },
      -- The same recipient again is a warning ("duplicate?"), acknowledged.
      { "acknowledge", "yes" }, { "action", "submit" },
    }))
  end
end

local function start_over(flow)
  flow.step = "login_page"
  flow.cookie, flow.csrf, flow.form_token, flow.busy_since = nil, nil, nil, nil
end

-- A flow ready to send its next step, or nil when all wait for an answer.
local function idle_flow(now)
  for _, flow in ipairs(flows) do
    if flow.busy_since and now - flow.busy_since > FLOW_TIMEOUT_US then
      flow_reset = flow_reset + 1
      start_over(flow)
    end
    if not flow.busy_since then
      return flow
    end
  end
end

function request()
  seq = seq + 1
  local now = now_us()
  local slot = seq % 10
  local kind, text, flow
  if slot == 0 then
    flow = idle_flow(now)
    if flow then
      kind = flow.step
      text = flow_request(flow)
      flow.busy_since = now
    else
      flow_slot_busy = flow_slot_busy + 1
    end
  end
  if not text and (slot == 1 or slot == 2) then
    kind = "route"
    local path = "/routes/" .. routes[math.random(#routes)]
    -- One route page in four with a filter: a keyset query, not the first page.
    if math.random(4) == 1 then
      path = path .. "?stars=5"
    end
    text = wrk.format("GET", path, {})
  elseif not text then
    kind = "board"
    text = wrk.format("GET", BOARD[math.random(#BOARD)], {})
  end
  local id = string.format("mixed-%d-%d", thread_id, seq)
  pending[id] = { kind = kind, started = now, flow = flow }
  -- wrk.format ends the head with an empty line; the id goes before it.
  return (text:gsub("\r\n", "\r\nX-Request-Id: " .. id .. "\r\n", 1))
end

-- Moves a flow on after the answer to its step, or starts it over.
local function advance(flow, kind, status, headers, body)
  local cookie = header(headers, "set-cookie")
  if cookie then
    local session = cookie:match("(sp_session=[^;]*)")
    if session then
      flow.cookie = session
    end
  end
  flow.busy_since = nil
  if status ~= EXPECTED[kind] then
    start_over(flow)
    return false
  end
  if kind == "login_page" then
    flow.csrf = hidden(body, "csrf_token")
    flow.step = "sign_in"
  elseif kind == "sign_in" then
    flow.signins = flow.signins + 1
    flow.step = "order_form"
  elseif kind == "order_form" then
    flow.csrf = hidden(body, "csrf_token")
    flow.form_token = hidden(body, "form_token")
    flow.step = "order_submit"
  else
    local location = header(headers, "location") or ""
    if not location:match("^/app/orders/SP") then
      start_over(flow)
      return false
    end
    flow_done = flow_done + 1
    -- A new sign-in for the next order: the flow is sign-in + order.
    start_over(flow)
  end
  if (kind == "login_page" or kind == "order_form") and not flow.csrf then
    start_over(flow)
    return false
  end
  return true
end

function response(status, headers, body)
  local id = header(headers, "x-request-id")
  local sent = id and pending[id]
  if not sent then
    return
  end
  pending[id] = nil
  local kind = sent.kind
  local b = kind .. " " .. bucket_of(now_us() - sent.started)
  kind_stats[b] = (kind_stats[b] or 0) + 1
  kind_stats[kind .. " count"] = (kind_stats[kind .. " count"] or 0) + 1
  local ok = status == EXPECTED[sent.kind]
  if sent.flow then
    ok = advance(sent.flow, sent.kind, status, headers, body) and ok
  end
  if not ok then
    local errors = (kind_stats[kind .. " errors"] or 0) + 1
    kind_stats[kind .. " errors"] = errors
    if errors <= 3 then
      io.stderr:write(string.format("unexpected answer to %s: %d\n", sent.kind, status))
    end
  end
end

local function percentile(buckets, total, p)
  local keys = {}
  for b in pairs(buckets) do
    table.insert(keys, b)
  end
  table.sort(keys)
  local want, seen = total * p, 0
  for _, b in ipairs(keys) do
    seen = seen + buckets[b]
    if seen >= want then
      return bucket_top(b)
    end
  end
  return 0
end

local function ms(us)
  return string.format("%.2fms", us / 1000)
end

function done(summary, latency, requests)
  local merged, flows_done, resets, busy = {}, 0, 0, 0
  for _, kind in ipairs(KINDS) do
    merged[kind] = { count = 0, errors = 0, buckets = {} }
  end
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("kind_stats")) do
      local kind, what = key:match("^(%S+) (%S+)$")
      local m = merged[kind]
      if what == "count" or what == "errors" then
        m[what] = m[what] + n
      else
        local b = tonumber(what)
        m.buckets[b] = (m.buckets[b] or 0) + n
      end
    end
    flows_done = flows_done + thread:get("flow_done")
    resets = resets + thread:get("flow_reset")
    busy = busy + thread:get("flow_slot_busy")
  end
  local total = 0
  for _, kind in ipairs(KINDS) do
    total = total + merged[kind].count
  end
  local seconds = summary.duration / 1000000
  print("")
  print(string.format("%-13s %9s %7s %8s %10s %10s %7s", "kind", "answers", "share", "req/s", "p50", "p99", "errors"))
  for _, kind in ipairs(KINDS) do
    local m = merged[kind]
    if m.count > 0 then
      print(string.format("%-13s %9d %6.1f%% %8.0f %10s %10s %7d", kind, m.count,
        100 * m.count / math.max(total, 1), m.count / seconds,
        ms(percentile(m.buckets, m.count, 0.5)), ms(percentile(m.buckets, m.count, 0.99)), m.errors))
    end
  end
  print(string.format("mixed: %d answers matched, %d flows (sign-in + order) completed, " ..
    "%d started over, %d flow turns given to the board (every flow waiting)",
    total, flows_done, resets, busy))
  local e = summary.errors
  print(string.format("mixed: p50 %s p99 %s, socket errors %d, non-2xx/3xx %d",
    ms(latency:percentile(50)), ms(latency:percentile(99)),
    e.connect + e.read + e.write + e.timeout, e.status))
end
