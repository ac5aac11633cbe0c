-- wrk script for bench/load.py: after the run, print one machine-readable line.
--
-- The line starts with "BENCH_JSON " and holds the request count, the run's duration and
-- wrk's latency percentiles (all times in microseconds) and its error counters. wrk counts
-- a status of 400 or more as a "status" error; connect/read/write/timeout are transport
-- errors. No request() or response() hook is defined: those would slow wrk down.

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%.0f,"duration_us":%.0f,'
      .. '"p50_us":%.1f,"p95_us":%.1f,"p99_us":%.1f,'
      .. '"errors_connect":%.0f,"errors_read":%.0f,"errors_write":%.0f,'
      .. '"errors_status":%.0f,"errors_timeout":%.0f}\n',
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout
  ))
end
