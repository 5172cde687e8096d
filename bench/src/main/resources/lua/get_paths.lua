-- GET a rotating list of paths (query variants, ids) with one bearer token.
-- args: token paths-file
local token, paths
local i = 0

function init(args)
  seed_thread()
  token = args[1]
  paths = load_lines(args[2])
  i = math.random(#paths)
end

function request()
  i = (i % #paths) + 1
  return wrk.format("GET", paths[i], { ["Authorization"] = "Bearer " .. token })
end
