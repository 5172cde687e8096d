-- A task's whole work process, again and again: create the task, acquire its STRATEGIZE lease, then the eight
-- transitions STRATEGIZE→…→MONITOR, each with the evidence its phase needs, a prompt attestation and the
-- fencing token the previous step returned. Operations = completed transitions.
-- Run with one connection per thread (-tN -cN): each thread's requests and responses strictly alternate.
-- args: agents-file
local PHASES = { "STRATEGIZE", "SPEC", "PLAN", "THINK", "IMPLEMENT", "VERIFY", "REVIEW", "PR", "MONITOR" }
local EVIDENCE = { { "strategy" }, { "spec" }, { "plan" }, { "analysis" }, { "diff", "build" }, { "test-report" },
                   { "review" }, { "pull-request" } }
local ids, tokens
local agent, task, token
local step = 0   -- 0: create task, 1: acquire lease, 2..9: transition to PHASES[step]
local n = 0

function init(args)
  seed_thread()
  ids, tokens = load_agents(args[1])
  agent = math.random(#ids)
end

local function evidence(p)
  local out = {}
  for _, kind in ipairs(EVIDENCE[p]) do
    out[#out + 1] = string.format('{"kind":"%s","uri":"s3://bench/%s/%s","sha256":"%s"}', kind, task, kind,
      string.rep("a", 64))
  end
  return table.concat(out, ",")
end

function request()
  local auth = "Bearer " .. tokens[agent]
  local headers = { ["Authorization"] = auth, ["Content-Type"] = "application/json" }
  if step == 0 then
    n = n + 1
    task = string.format("bench-x%d-%d-%d", id, n, math.random(1000000000))
    return wrk.format("POST", "/v1/tasks", headers, string.format('{"taskId":"%s","title":"bench task"}', task))
  elseif step == 1 then
    return wrk.format("POST", "/v1/leases", headers,
      string.format('{"taskId":"%s","phase":"STRATEGIZE","ttlSeconds":120}', task))
  end
  local to = PHASES[step]
  local body = string.format('{"to":"%s","fencingToken":%d,"evidence":[%s],"attestation":{"requirements":'
    .. '["ship %s"],"qualityGates":["tests pass"],"artifacts":["%s.md"],"contextSummary":"bench",'
    .. '"agentType":"coder","modelVersion":"m-1"}}', to, token, evidence(step - 1), task, to)
  return wrk.format("POST", "/v1/tasks/" .. task .. "/transitions", headers, body)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    step = 0   -- start over with a new task
    agent = (agent % #ids) + 1
    return
  end
  if step >= 1 then
    token = tonumber(body:match('"fencingToken"%s*:%s*(%d+)'))
  end
  if step >= 2 then
    completed = completed + 1
    wrk.thread:set("completed", completed)
  end
  step = step + 1
  if step > #PHASES then
    step = 0
    agent = (agent % #ids) + 1
  end
end
