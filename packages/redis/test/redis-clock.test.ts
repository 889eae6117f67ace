import { createManualClock, type ManualClock } from '@volley/core'
import type { Redis } from 'ioredis'
import { describe, expect, it, vi } from 'vitest'
import { createRedisCacheStore, createRedisPool, createRedisStore, RedisTimeoutError, type RedisState } from '../src/index.js'
import { handshake } from '../../core/test/helpers/handshake.js'
import { CLIENT_KINDS, useRedisClient, useRedisServer } from './helpers/redis-server.js'

/*
 * The stores' and the pool's own timers and time readings run on their `clock`
 * (docs/DESIGN.md#conventions), so a manual clock decides them exactly. Every wait here is a minute
 * or more of manual time: were a timer on the real clock, the test would still be waiting at its
 * 20 s timeout and fail. A Redis that does not answer is a real one, frozen by PID (SIGSTOP).
 */

const redis = useRedisServer()
/** Watches and steers Redis from outside the stores. */
const watcher = useRedisClient('ioredis', redis)
const raw = (): Redis => watcher.client as Redis

const config = { limit: 1, interval: 1000, capacity: 2 }
let unique = 0
const key = (): string => `https://clock-${++unique}.example`
const prefix = (): string => `clock-${++unique}:`

/** A manual clock that also keeps the delay of every timer set on it. */
function recordingClock(): ManualClock & { readonly delays: number[] } {
  const clock = createManualClock()
  const delays: number[] = []
  return Object.assign(Object.create(clock) as ManualClock, {
    delays,
    setTimeout: (callback: () => void, ms: number) => {
      delays.push(ms)
      return clock.setTimeout(callback, ms)
    },
  })
}

describe.each(CLIENT_KINDS)('the Redis stores on their clock, with a %s client', (kind) => {
  const c = useRedisClient(kind, redis)

  it("times out a call Redis does not answer at timeoutMs on the store's clock, and probes again only after recoverAfterMs on it", async () => {
    const clock = createManualClock()
    const changes: Array<[RedisState, unknown]> = []
    const store = createRedisStore({ client: c.client, clock, timeoutMs: 60_000, recoverAfterMs: 120_000, onStoreError: 'fail-open', onStateChange: (state, error) => changes.push([state, error]) })
    const k = key()
    expect(await store.take(k, 0, config)).toBe(0)
    await redis().freeze()
    try {
      const take = store.take(k, 0, config)
      expect(clock.pending).toBe(1)
      await clock.advance(60_000)
      expect(await take).toBe(0) // fail-open grants it
      expect(changes).toEqual([['degraded', new RedisTimeoutError(60_000)]])
    } finally {
      redis().thaw()
    }
    // Redis answers again, but the store asks it only once recoverAfterMs has passed on its clock.
    await clock.advance(119_999)
    await store.take(k, 0, config)
    expect(store.state).toBe('degraded')
    await clock.advance(1)
    await store.take(k, 0, config)
    expect(store.state).toBe('ok')
    expect(changes.map(([state]) => state)).toEqual(['degraded', 'ok'])
  })

  it("turns a read Redis does not answer into a miss at timeoutMs on the cache store's clock", async () => {
    const clock = createManualClock()
    const store = createRedisCacheStore({ client: c.client, clock, timeoutMs: 60_000 })
    await redis().freeze()
    try {
      const read = store.get('https://api.example/cached')
      expect(clock.pending).toBe(1)
      await clock.advance(60_000)
      expect(await read).toBeUndefined()
      expect(clock.pending).toBe(0)
    } finally {
      redis().thaw()
    }
  })

  it("renews a held lease every leaseMs / 3 on the pool's clock, and stops when the lease is released", async () => {
    const clock = createManualClock()
    const p = prefix()
    const pool = createRedisPool({ client: c.client, concurrency: 1, prefix: p, leaseMs: 60_000, clock })
    const expiry = async (): Promise<number> => Number((await raw().zrange(`${p}{pool}:all`, '0', '0', 'WITHSCORES'))[1])
    const release = await pool.acquire()
    expect(clock.pending).toBe(1) // the renewal, and nothing else
    const granted = await expiry()
    await clock.advance(20_000)
    // Renewed on the server's clock: now + leaseMs, later than the expiry the lease was granted with.
    await vi.waitFor(async () => expect(await expiry()).toBeGreaterThan(granted), handshake)
    release()
    await pool.close() // waits for the release to reach Redis
    expect(clock.pending).toBe(0)
  })

  it("wakes a waiter at the soonest lease expiry on the pool's clock when no release is published", async () => {
    const clock = recordingClock()
    const p = prefix()
    // A slot held by a process that went away: its lease ends in ten minutes on the server's clock.
    const [seconds, micros] = await raw().time()
    await raw().zadd(`${p}{pool}:all`, Number(seconds) * 1000 + Number(micros) / 1000 + 600_000, 'gone')
    const pool = createRedisPool({ client: c.client, concurrency: 1, prefix: p, leaseMs: 60_000, clock })
    const waiting = pool.acquire()
    // Refused twice (on asking, then once subscribed), each time arming the wake-up at the soonest
    // expiry, capped at leaseMs: 60_000 + 1 ms.
    await vi.waitFor(() => expect(clock.delays.filter((ms) => ms === 60_001)).toHaveLength(2), handshake)
    // The slot frees without a release being published: only the wake-up can see it.
    await raw().zrem(`${p}{pool}:all`, 'gone')
    await clock.advance(60_001)
    const release = await waiting
    release()
    await pool.close()
  })
})

describe('the clock option of the Redis stores', () => {
  it('rejects a clock that is not one with a TypeError naming what is missing', () => {
    const client = watcher.client
    const { now, setTimeout } = createManualClock()
    expect(() => createRedisStore({ client, clock: { now } as never })).toThrow(new TypeError('createRedisStore: clock.setTimeout must be a function, got undefined'))
    expect(() => createRedisPool({ client, concurrency: 1, clock: 5 as never })).toThrow(new TypeError('createRedisPool: clock must be a Clock ({ now, setTimeout, clearTimeout }), got 5'))
    expect(() => createRedisPool({ client, concurrency: 1, clock: null as never })).toThrow(new TypeError('createRedisPool: clock must be a Clock ({ now, setTimeout, clearTimeout }), got null'))
    expect(() => createRedisCacheStore({ client, clock: { now, setTimeout } as never })).toThrow(new TypeError('createRedisCacheStore: clock.clearTimeout must be a function, got undefined'))
  })
})
