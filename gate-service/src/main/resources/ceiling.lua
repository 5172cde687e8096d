-- Sliding-window ceiling, atomic. KEYS[1] = zset of grants (score = ms, member = "<id>:<amount>"),
-- KEYS[2] = running total of the window. ARGV: window ms, requested amount, limit, unique grant id.
-- Returns {allowed 0|1, used after the call, resetAt ms}. Redis' clock is the only clock.
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local amount = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local cutoff = now - window

local used = tonumber(redis.call('GET', KEYS[2]) or '-1')
if used < 0 then
  -- total missing (first use, or lost): rebuild it from the window's grants
  used = 0
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], cutoff + 1, '+inf')) do
    used = used + tonumber(string.match(m, ':(%d+)$'))
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', cutoff)
else
  local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', cutoff)
  if #expired > 0 then
    for _, m in ipairs(expired) do
      used = used - tonumber(string.match(m, ':(%d+)$'))
    end
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', cutoff)
    if used < 0 then used = 0 end
  end
end

local allowed = 0
if used + amount <= limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. amount)
  used = used + amount
  allowed = 1
end

local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local resetAt = now + window
if #oldest > 0 then
  resetAt = tonumber(oldest[2]) + window
  redis.call('SET', KEYS[2], used, 'PX', window + 1000)
  redis.call('PEXPIRE', KEYS[1], window + 1000)
else
  redis.call('DEL', KEYS[2])
end
return {allowed, used, resetAt}
