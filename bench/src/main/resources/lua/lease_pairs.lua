-- Lease acquire + release pairs: POST /v1/leases, then DELETE /v1/leases/{id} as the same agent.
-- Run with one connection per thread (-tN -cN) so each thread's requests and responses strictly alternate.
-- args: agents-file
local ids, tokens
local agent, lease
local n = 0
local run   -- the warm-up and the measured run are separate wrk runs: a pair cut off at the end of one must
            -- not leave a live lease on a key the next run acquires again (that was a 409 counted as an error)

function init(args)
  seed_thread()
  ids, tokens = load_agents(args[1])
  agent = math.random(#ids)
  run = math.random(1000000000)
end

function request()
  if lease then
    return wrk.format("DELETE", "/v1/leases/" .. lease, { ["Authorization"] = "Bearer " .. tokens[agent] })
  end
  n = n + 1
  agent = (agent % #ids) + 1
  local body = string.format('{"taskId":"bench-%d-t%d-%d","phase":"STRATEGIZE","ttlSeconds":60}', run, id, n)
  return wrk.format("POST", "/v1/leases", {
    ["Authorization"] = "Bearer " .. tokens[agent], ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if lease then
    lease = nil
    if status == 204 or status == 200 then
      completed = completed + 1
      wrk.thread:set("completed", completed)
    end
  elseif status == 201 or status == 200 then
    lease = body:match('"leaseId"%s*:%s*"([^"]+)"') or body:match('"id"%s*:%s*"([^"]+)"')
  end
end
