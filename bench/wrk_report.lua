-- wrk script for bench/load.py: the request to send, and one machine-readable line after
-- the run.
--
-- The request: wrk's URL and `-H` flags give the path and headers; the environment gives
-- the rest, because wrk has no flag for them: BENCH_METHOD (default GET) and BENCH_BODY
-- (default none; wrk adds its Content-Length). The request is built once per thread and
-- sent unchanged: no request() hook is defined, which keeps wrk on its fast path.
--
-- The line starts with "BENCH_JSON " and holds the request count, the run's duration and
-- wrk's latency percentiles (all times in microseconds) and its error counters. wrk itself
-- counts only a status of 400 or more as a "status" error, so a response() hook counts
-- every answer outside 200-299 ("non_2xx"); connect/read/write/timeout are transport
-- errors. Each thread counts in its own Lua state; done() adds the threads' counts up.

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
end

non_2xx = 0
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

response = function(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors
  local non_2xx_total = 0
  for _, thread in ipairs(threads) do
    non_2xx_total = non_2xx_total + thread:get("non_2xx")
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%.0f,"duration_us":%.0f,'
      .. '"p50_us":%.1f,"p95_us":%.1f,"p99_us":%.1f,'
      .. '"errors_connect":%.0f,"errors_read":%.0f,"errors_write":%.0f,'
      .. '"errors_timeout":%.0f,"non_2xx":%.0f,"status_400_plus":%.0f}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.timeout, non_2xx_total, errors.status
  ))
end
