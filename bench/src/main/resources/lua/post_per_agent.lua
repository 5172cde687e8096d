-- POST one JSON body per request, cycling through agents; each request carries its own agent's token.
-- args: agents-file path body-template (with %AGENT% and %N% placeholders)
local ids, tokens, path, template
local i = 0

function init(args)
  seed_thread()
  ids, tokens = load_agents(args[1])
  path = args[2]
  template = args[3]
  i = math.random(#ids)
end

function request()
  i = (i % #ids) + 1
  local body = template:gsub("%%AGENT%%", ids[i]):gsub("%%N%%", tostring(i))
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. tokens[i],
    ["Content-Type"] = "application/json"
  }, body)
end
