import { SERVER_NOW, luaScript } from './lua-script.js'

// A lease is a member of a sorted set scored by its expiry on the server's clock: one set for the
// whole pool and, with `perOrigin`, one per origin. Expired members are evicted before counting,
// so a dead process's slots come back by themselves within `leaseMs`. Each set expires `leaseMs`
// after its last write, when every member in it has expired anyway.

/**
 * KEYS[1] the pool's set, KEYS[2] (optional) the origin's set; ARGV: lease id, leaseMs,
 * concurrency, perOrigin. Returns { 1, '0' } when leased, { 0, ms } when the pool is full and
 * { 2, ms } when the origin is, ms being the time until the soonest lease in the way expires.
 */
export const ACQUIRE = luaScript(`${SERVER_NOW}
local function soonest(key)
  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if first[2] then return string.format('%.3f', tonumber(first[2]) - now) end
  return '0'
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return { 0, soonest(KEYS[1]) } end
if KEYS[2] then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return { 2, soonest(KEYS[2]) } end
end
local expiry = now + tonumber(ARGV[2])
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], expiry, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
return { 1, '0' }`)

/** KEYS the lease's sets; ARGV[1] lease id, ARGV[2] the channel told that a slot is free. */
export const RELEASE = luaScript(`local removed = 0
for i = 1, #KEYS do removed = removed + redis.call('ZREM', KEYS[i], ARGV[1]) end
if removed > 0 then redis.call('PUBLISH', ARGV[2], '1') end
return removed`)

/**
 * KEYS the sets of the leases, ARGV[1] leaseMs, then ARGV[i + 1] the lease id for KEYS[i]. Moves
 * each still-present lease's expiry to now + leaseMs (ZADD XX never revives an evicted one).
 * Returns how many of the KEYS entries were still there.
 */
export const RENEW = luaScript(`${SERVER_NOW}
local expiry = now + tonumber(ARGV[1])
local kept = 0
for i = 1, #KEYS do
  kept = kept + redis.call('ZADD', KEYS[i], 'XX', 'CH', expiry, ARGV[i + 1])
  redis.call('PEXPIRE', KEYS[i], ARGV[1])
end
return kept`)

/** KEYS[1] the pool's set. Returns how many unexpired leases it holds, fleet-wide. */
export const COUNT = luaScript(`${SERVER_NOW}
return redis.call('ZCOUNT', KEYS[1], '(' .. string.format('%.3f', now), '+inf')`)
