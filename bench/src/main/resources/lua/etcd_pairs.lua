-- The peer doing the same job: etcd (v3 JSON gateway) grants a lease, puts the key only if absent
-- (compare create_revision == 0) bound to that lease, and later revokes the lease (release).
local queue_txn, queue_revoke = {}, {}
local n = 0

local function b64(s)
  local chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  return ((s:gsub('.', function(x)
    local r, b = '', x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and '1' or '0') end
    return r
  end) .. '0000'):gsub('%d%d%d?%d?%d?%d?', function(x)
    if #x < 6 then return '' end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == '1' and 2 ^ (6 - i) or 0) end
    return chars:sub(c + 1, c + 1)
  end) .. ({ '', '==', '=' })[#s % 3 + 1])
end

-- One connection per thread (-tN -cN): each thread walks grant -> txn -> revoke in strict order.
local stage, lease = "grant", nil

function request()
  if stage == "txn" then
    local key = b64("lease/bench-" .. lease .. "/STRATEGIZE")
    local body = '{"compare":[{"key":"' .. key .. '","target":"CREATE","create_revision":"0"}],' ..
      '"success":[{"requestPut":{"key":"' .. key .. '","value":"' .. b64("bench-agent") .. '","lease":"' .. lease .. '"}}]}'
    return wrk.format("POST", "/v3/kv/txn", { ["Content-Type"] = "application/json" }, body)
  elseif stage == "revoke" then
    return wrk.format("POST", "/v3/lease/revoke", { ["Content-Type"] = "application/json" },
      '{"ID":"' .. lease .. '"}')
  end
  return wrk.format("POST", "/v3/lease/grant", { ["Content-Type"] = "application/json" }, '{"TTL":"60"}')
end

function response(status, headers, body)
  if status ~= 200 then
    stage = "grant"
    return
  end
  if stage == "grant" then
    lease = body:match('"ID"%s*:%s*"(%d+)"')
    stage = lease and "txn" or "grant"
  elseif stage == "txn" then
    stage = body:match('"succeeded"%s*:%s*true') and "revoke" or "grant"
  else
    completed = completed + 1
    wrk.thread:set("completed", completed)
    stage = "grant"
  end
end
