"""Lua scripts of :class:`audit.jobs.ratelimit.RedisRateLimiter`.

Times are integer microseconds from the Redis server's clock (``TIME``), so workers on
machines with skewed clocks still share one timeline. Numbers going back into Redis are
formatted with ``%.0f``: Lua would otherwise print large numbers with 14 significant digits.
"""

# KEYS: tat, account leases (zset token→expiry), target leases, target last start
# ARGV: interval_us, tolerance_us, max_concurrent, per_target_concurrent,
#       target_min_interval_us, lease_us, token, max_delay_us
# Returns {code, us}: {0, delay before dialing} granted; refused with {code, retry after}:
# 1 target busy, 2 account busy, 3 target interval, 4 cps.
ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local lease = tonumber(ARGV[6])
local nows = string.format('%.0f', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', nows)
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[4]) then return {1, 0} end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', nows)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return {2, 0} end
local gap = tonumber(ARGV[5])
local last = redis.call('GET', KEYS[4])
if last and now - tonumber(last) < gap then
  return {3, tonumber(string.format('%.0f', tonumber(last) + gap - now))}
end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
local max_delay = tonumber(ARGV[8])
if wait > max_delay then
  return {4, tonumber(string.format('%.0f', wait - max_delay))}
end
local new_tat = tat + interval
local ttl_ms = math.ceil((new_tat - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', ttl_ms)
local keep_ms = math.ceil(lease / 1000) + 1000
if gap > 0 then
  local starts = string.format('%.0f', now + wait)
  redis.call('SET', KEYS[4], starts, 'PX', math.ceil((gap + wait) / 1000) + 1000)
end
local exp = string.format('%.0f', now + wait + lease)
keep_ms = keep_ms + math.ceil(wait / 1000)
redis.call('ZADD', KEYS[2], exp, ARGV[7])
redis.call('PEXPIRE', KEYS[2], keep_ms)
redis.call('ZADD', KEYS[3], exp, ARGV[7])
redis.call('PEXPIRE', KEYS[3], keep_ms)
return {0, tonumber(string.format('%.0f', wait))}
"""

# KEYS: account leases, target leases; ARGV: token
RELEASE = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
"""

# KEYS: account leases, target leases; ARGV: token, lease_us. Returns 1 renewed, 0 lost.
RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local a = redis.call('ZSCORE', KEYS[1], ARGV[1])
local b = redis.call('ZSCORE', KEYS[2], ARGV[1])
if (not a) or (not b) or tonumber(a) <= now or tonumber(b) <= now then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
local lease = tonumber(ARGV[2])
local exp = string.format('%.0f', now + lease)
local keep_ms = math.ceil(lease / 1000) + 1000
redis.call('ZADD', KEYS[1], 'XX', exp, ARGV[1])
redis.call('PEXPIRE', KEYS[1], keep_ms)
redis.call('ZADD', KEYS[2], 'XX', exp, ARGV[1])
redis.call('PEXPIRE', KEYS[2], keep_ms)
return 1
"""
