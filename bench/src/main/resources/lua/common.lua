-- Shared by every scenario: per-thread counters, data files, and a machine-readable result line.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)   -- each thread its own id and random sequence (they share no state)
end

function seed_thread()
  math.randomseed(id * 7919 + os.time())
end

function load_lines(path)
  local t = {}
  for line in io.lines(path) do
    if line ~= "" then t[#t + 1] = line end
  end
  return t
end

-- "agentId<TAB>token" lines
function load_agents(path)
  local ids, tokens = {}, {}
  for _, line in ipairs(load_lines(path)) do
    local id, token = line:match("^([^\t]+)\t(.+)$")
    ids[#ids + 1] = id
    tokens[#tokens + 1] = token
  end
  return ids, tokens
end

completed = 0   -- multi-step scenarios count whole operations here

-- [percentile, µs] pairs for latency plots
local CURVE = { 1, 10, 25, 50, 75, 90, 95, 98, 99, 99.5, 99.9, 99.95, 99.99 }
function curve(latency)
  local out = {}
  for _, p in ipairs(CURVE) do out[#out + 1] = string.format("[%s,%d]", p, latency:percentile(p)) end
  return table.concat(out, ",")
end

function done(summary, latency, requests)
  local ops = 0
  for _, t in ipairs(threads) do ops = ops + (t:get("completed") or 0) end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"operations":%d,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f,"curve":[%s]}\n',
    summary.requests, summary.duration, summary.bytes, ops,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean, curve(latency)))
end
