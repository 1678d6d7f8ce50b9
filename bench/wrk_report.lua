-- bench/load.py's wrk script: stops each thread after WRK_MAX_REQUESTS (per thread), prints JSON
local max = tonumber(os.getenv("WRK_MAX_REQUESTS") or "0")
local count = 0

function response(status, headers, body)
  count = count + 1
  if max > 0 and count >= max then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "bad_status": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
