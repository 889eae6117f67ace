import { SERVER_NOW, luaScript } from './lua-script.js'

// GCRA as in core's memory store (rate-limit-store.ts): one number per bucket, the "theoretical
// arrival time" (TAT) at which it is full again; `cost` tokens are free when the TAT is at most
// `capacity - cost` steps ahead of now. Numbers cross as strings with µs precision, since Lua
// numbers returned to Redis would be truncated to integers.

/**
 * KEYS[1] the key's pause, KEYS[2..] its buckets; ARGV per bucket: step (ms per token), capacity,
 * cost. Returns '0' when every bucket gave its cost, else the ms to wait, having taken nothing.
 * Each bucket expires (PEXPIRE via SET PX) when it would be full again, the pause when it ends.
 */
export const TAKE = luaScript(`${SERVER_NOW}
local wait = 0
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if paused > now then wait = paused - now end
local tats = {}
for i = 2, #KEYS do
  local j = (i - 2) * 3
  local step = tonumber(ARGV[j + 1])
  local capacity = tonumber(ARGV[j + 2])
  local cost = tonumber(ARGV[j + 3])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  local w = tat - (capacity - cost) * step - now
  if w > wait then wait = w end
  tats[i] = tat + cost * step
end
if wait > 0 then return string.format('%.3f', wait) end
for i = 2, #KEYS do
  local ttl = math.ceil(tats[i] - now)
  if ttl > 0 then redis.call('SET', KEYS[i], string.format('%.3f', tats[i]), 'PX', ttl) end
end
return '0'`)

/**
 * KEYS[1] the pause; ARGV[1] ms from now. Keeps the later of the stored and the new end, both on
 * the server's clock, and expires when the pause ends.
 */
export const PAUSE = luaScript(`${SERVER_NOW}
local ms = tonumber(ARGV[1])
if ms <= 0 then return 0 end
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= now + ms then return 0 end
redis.call('SET', KEYS[1], string.format('%.3f', now + ms), 'PX', math.ceil(ms))
return 1`)

/** KEYS[1] the pause, KEYS[2] a bucket; ARGV step, capacity. Returns { tokens, ms left of the pause }. */
export const READ = luaScript(`${SERVER_NOW}
local step = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
local missing = math.max(0, tat - now) / step
local tokens = math.min(capacity, math.max(0, capacity - missing))
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
return { string.format('%.3f', tokens), string.format('%.3f', math.max(0, paused - now)) }`)

/**
 * TAKE with a queue across processes (`fairQueue`). KEYS[1] the pause, KEYS[2] the waiting
 * callers by when they first asked, KEYS[3] the same callers by when their ticket lapses,
 * KEYS[4..] the buckets; ARGV[1] the caller's ticket, ARGV[2] how long ago it first asked (ms),
 * ARGV[3] how long a ticket outlives its caller's next expected ask (ms), then per bucket: step,
 * capacity, cost. A caller that must wait leaves its ticket; a caller behind an older ticket of
 * someone else waits one step even when tokens are there, so the older one gets them first.
 */
export const TAKE_QUEUED = luaScript(`${SERVER_NOW}
local id = ARGV[1]
local since = now - tonumber(ARGV[2])
local grace = tonumber(ARGV[3])
for _, stale in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  redis.call('ZREM', KEYS[2], stale)
  redis.call('ZREM', KEYS[3], stale)
end
local wait = 0
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if paused > now then wait = paused - now end
local tats = {}
local smallest = nil
for i = 4, #KEYS do
  local j = (i - 4) * 3
  local step = tonumber(ARGV[j + 4])
  local capacity = tonumber(ARGV[j + 5])
  local cost = tonumber(ARGV[j + 6])
  if smallest == nil or step < smallest then smallest = step end
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  local w = tat - (capacity - cost) * step - now
  if w > wait then wait = w end
  tats[i] = tat + cost * step
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if wait <= 0 and first[1] and first[1] ~= id and tonumber(first[2]) < since then wait = smallest end
if wait > 0 then
  redis.call('ZADD', KEYS[2], since, id)
  redis.call('ZADD', KEYS[3], now + wait + grace, id)
  local ttl = math.ceil(wait + grace)
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
  return string.format('%.3f', wait)
end
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
for i = 4, #KEYS do
  local ttl = math.ceil(tats[i] - now)
  if ttl > 0 then redis.call('SET', KEYS[i], string.format('%.3f', tats[i]), 'PX', ttl) end
end
return '0'`)
