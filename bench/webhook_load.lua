-- wrk script for bench/webhook_throughput.py: replays pre-signed Twilio callbacks.
-- args: FILE NTHREADS. FILE lines are "path<TAB>X-Twilio-Signature<TAB>form body".
-- Thread k (1-based) sends lines k, k+N, k+2N, ... once each, then stops.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  reqs = {}
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    local path, sig, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    reqs[#reqs + 1] = wrk.format("POST", path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Twilio-Signature"] = sig,
    }, body)
  end
  f:close()
  step = tonumber(args[2])
  idx = tid
  ok, bad, sent, exhausted = 0, 0, 0, 0
end

function request()
  local r = reqs[idx]
  if r == nil then
    exhausted = 1
    wrk.thread:stop()
    return reqs[tid]  -- a repeat (a no-op for the app); counted below, not as new work
  end
  idx = idx + step
  sent = sent + 1
  return r
end

function response(status, headers, body)
  if status == 204 then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local ok_n, bad_n, sent_n, ex = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    ok_n = ok_n + t:get("ok")
    bad_n = bad_n + t:get("bad")
    sent_n = sent_n + t:get("sent")
    ex = ex + t:get("exhausted")
  end
  io.write(string.format(
    "RESULT requests=%d duration_us=%d ok=%d bad=%d sent=%d exhausted=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d max_us=%d errors_connect=%d errors_read=%d " ..
    "errors_write=%d errors_timeout=%d errors_status=%d\n",
    summary.requests, summary.duration, ok_n, bad_n, sent_n, ex,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status))
end
