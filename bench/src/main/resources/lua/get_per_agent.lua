-- GET one path, cycling through agents: each request carries its own agent's token.
-- args: agents-file path
local tokens, path
local i = 0

function init(args)
  seed_thread()
  local _
  _, tokens = load_agents(args[1])
  path = args[2]
  i = math.random(#tokens)
end

function request()
  i = (i % #tokens) + 1
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[i] })
end
