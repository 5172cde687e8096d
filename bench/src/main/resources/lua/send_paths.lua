-- Send one method with one JSON body to a rotating list of paths with one bearer token (updates of a fixed set).
-- args: method token paths-file body
local method, token, paths, body
local i = 0

function init(args)
  seed_thread()
  method = args[1]
  token = args[2]
  paths = load_lines(args[3])
  body = args[4]
  i = math.random(#paths)
end

function request()
  i = (i % #paths) + 1
  return wrk.format(method, paths[i], {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"
  }, body)
end
