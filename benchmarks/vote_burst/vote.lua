-- wrk script for the vote burst: every request is one client's, read from a data file.
--
--   wrk -t 2 -c 50 -d 3600s --latency -s vote.lua http://127.0.0.1:PORT \
--       -- MODE METHOD PATH DATAFILE THREADS
--
-- DATAFILE has one client a line: sessionid, CSRF cookie, CSRF form token, option id
-- (tab-separated). Thread k of THREADS takes lines k, k+THREADS, ... so that the
-- threads share the file without a shared counter (wrk threads share no Lua state).
--
-- MODE "once": each line is sent exactly once. A connection is held back (delay())
-- once its thread's lines are all handed out, so nothing else is ever sent; when the
-- last answer is in, the thread prints "DONE <thread>" and stops. wrk's main thread
-- sleeps for the whole -d duration whatever its threads do: run.py waits for every
-- DONE line, then interrupts wrk (SIGINT), which prints its summary and done().
-- MODE "cycle": lines are reused round-robin for the -d duration (GET references).
--
-- Each thread counts the statuses it gets and times its first request and last answer
-- (monotonic clock, LuaJIT's ffi) so that the rate does not include the wait for the
-- interrupt. done() prints one line "RESULT {json}" for run.py.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } vb_timespec;
  int clock_gettime(int clock_id, vb_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("vb_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

-- Main state: the threads, for done().
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

-- Thread state.
local requests = {}
handed, received = 0, 0 -- globals: done() reads them with thread:get

function init(args)
  mode, method, path = args[1], args[2], args[3]
  local datafile, nthreads = args[4], tonumber(args[5])
  local origin = "http://" .. wrk.headers["Host"]
  local index = 0
  for line in io.lines(datafile) do
    if index % nthreads == id then
      local session, cookie, token, option = line:match("^(%S+)\t(%S+)\t(%S+)\t(%S+)$")
      local headers = {
        ["Cookie"] = "sessionid=" .. session .. "; csrftoken=" .. cookie,
      }
      local body = nil
      if method == "POST" then
        -- As a browser posts the vote form: same-origin, form-encoded, the CSRF token
        -- from the page in the form.
        headers["Origin"] = origin
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = "csrfmiddlewaretoken=" .. token .. "&option=" .. option
      end
      table.insert(requests, wrk.format(method, path, headers, body))
    end
    index = index + 1
  end
  lines = #requests
  ok, refused, other, others = 0, 0, 0, ""
  first_us, last_us = 0, 0
  by_status = {}
  if lines == 0 and mode == "once" then
    io.write("DONE " .. id .. "\n")
    io.stdout:flush()
  end
end

function delay()
  if mode == "once" then
    if handed >= lines then
      return 86400000 -- this thread is done: hold the connection back
    end
    handed = handed + 1
  end
  return 0
end

local sent = 0

function request()
  if sent == 0 then
    first_us = now_us()
  end
  sent = sent + 1
  return requests[(sent - 1) % lines + 1]
end

function response(status, headers, body)
  received = received + 1
  last_us = now_us()
  if status == 200 then
    ok = ok + 1
  elseif status == 409 then
    refused = refused + 1
  else
    other = other + 1
    by_status[status] = (by_status[status] or 0) + 1
    local parts = {}
    for code, count in pairs(by_status) do
      table.insert(parts, string.format('"%d": %d', code, count))
    end
    others = table.concat(parts, ", ")
  end
  if mode == "once" and received == lines then
    io.write("DONE " .. id .. "\n")
    io.stdout:flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, reqs)
  local total = { ok = 0, refused = 0, other = 0, received = 0, lines = 0 }
  local first, last = nil, 0
  local others = {}
  for _, thread in ipairs(threads) do
    total.ok = total.ok + thread:get("ok")
    total.refused = total.refused + thread:get("refused")
    total.other = total.other + thread:get("other")
    total.received = total.received + thread:get("received")
    total.lines = total.lines + thread:get("lines")
    local f, l = thread:get("first_us"), thread:get("last_us")
    if f > 0 and (first == nil or f < first) then
      first = f
    end
    if l > last then
      last = l
    end
    local o = thread:get("others")
    if o ~= "" then
      table.insert(others, "{" .. o .. "}")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"ok": %d, "refused": %d, "other": %d, "other_statuses": [%s], '
      .. '"received": %d, "lines": %d, "active_us": %d, "wrk_requests": %d, '
      .. '"wrk_duration_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d}, "latency_us": {"p50": %d, "p90": %d, '
      .. '"p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    total.ok, total.refused, total.other, table.concat(others, ", "),
    total.received, total.lines, first and (last - first) or 0, summary.requests,
    summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean
  ))
  io.stdout:flush()
end
