-- wrk script: seed 002's role-gate payload. TOKEN = a bearer token for agent "bench-agent".
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = '{"agentId":"bench-agent","role":"DATA_ANALYST","tier":"VERIFIED","context":{"resourceId":"dataset_001","action":"read"}}'

done = function(summary, latency, requests)
  io.write(string.format("RESULT req/s=%.0f p50=%.2fms p90=%.2fms p99=%.2fms non2xx=%d timeouts=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, summary.errors.timeout))
end
