import { createClient, createManualClock, createRateLimiter, type ManualClock } from '@volley/core'
import { describe, expect, it, vi } from 'vitest'
import { createRedisPool, createRedisStore, isStoreUnavailableError, StoreUnavailableError, type RedisState } from '../src/index.js'
import { CLIENT_KINDS, isReady, useRedisClient, useRedisServer } from './helpers/redis-server.js'
import { useChaosServer } from '../../core/test/helpers/chaos.js'
import { handshake } from '../../core/test/helpers/handshake.js'

/*
 * The stores and pools run on a manual clock: their `timeoutMs` and `recoverAfterMs` pass only
 * when a test advances it, so a loaded machine cannot make Redis look down, or recovered, early.
 */

const server = useChaosServer()

const config = { limit: 1, interval: 1000, capacity: 2 }
const TIMEOUT = 60_000
/** Longer than every wait a test runs out while Redis is down, however its calls failed. */
const RECOVER = 600_000
let unique = 0
const key = (): string => `https://failing-${++unique}.example`

/**
 * Settles a store or pool call made while Redis is stopped. ioredis fails the command by itself
 * once it cannot reconnect; node-redis keeps it queued until the server is back, so the store's
 * `timeoutMs` ends it: once that timer is armed (or the call has failed already), this runs it
 * out on `clock`.
 */
async function whileDown<T>(clock: ManualClock, call: Promise<T>): Promise<T> {
  let settled = false
  call.then(
    () => (settled = true),
    () => (settled = true),
  )
  await vi.waitFor(() => expect(settled || clock.pending > 0).toBe(true), handshake)
  await clock.advance(TIMEOUT)
  return call
}

describe.each(CLIENT_KINDS)('Redis failures with a %s client', (kind) => {
  // A server per client kind: these tests stop and restart it.
  const redis = useRedisServer()
  const c = useRedisClient(kind, redis)

  it('fails closed with StoreUnavailableError while Redis is down, reports degraded, and recovers when it is back', async () => {
    const clock = createManualClock()
    const states: RedisState[] = []
    const store = createRedisStore({ client: c.client, clock, timeoutMs: TIMEOUT, recoverAfterMs: RECOVER, onStateChange: (state) => states.push(state) })
    const pool = createRedisPool({ client: c.client, clock, concurrency: 2, timeoutMs: TIMEOUT, recoverAfterMs: RECOVER })
    // A burst: the take Redis did not answer in time may still reach it once it is back (the client
    // keeps it queued), and must not leave the next call waiting on the manual clock.
    const api = createClient({ rateLimit: createRateLimiter({ limit: 100, burst: 9, store, clock }), retry: 0 })
    await expect(api.get(`${server().url}/json`)).resolves.toBeDefined()

    await redis().stop()
    const error = await whileDown(
      clock,
      api.get(`${server().url}/json`).catch((e: unknown) => e),
    )
    expect(isStoreUnavailableError(error)).toBe(true)
    expect(error).toBeInstanceOf(StoreUnavailableError)
    expect(error).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', operation: 'rate-limit' })
    await expect(whileDown(clock, pool.acquire())).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', operation: 'pool' })
    expect(store.state).toBe('degraded')
    expect(pool.state).toBe('degraded')
    expect(states).toEqual(['degraded'])

    await redis().start()
    await vi.waitFor(() => expect(isReady(c.client)).toBe(true), handshake)
    // Redis is back, but the store and the pool ask it again only after recoverAfterMs on their clock.
    await expect(store.take(key(), 0, config)).rejects.toBeInstanceOf(StoreUnavailableError)
    expect(store.state).toBe('degraded')
    await clock.advance(RECOVER)
    expect(await store.take(key(), 0, config)).toBe(0)
    expect(store.state).toBe('ok')
    expect(states).toEqual(['degraded', 'ok'])
    await api.get(`${server().url}/json`)
    const release = await pool.acquire()
    expect(pool.state).toBe('ok')
    release()
    await pool.close()
    expect(clock.pending).toBe(0)
  })

  it('fails open: grants every take and slot while Redis is down', async () => {
    const clock = createManualClock()
    // No second try of Redis in this test (recoverAfterMs): every call after the first failure takes the policy's answer.
    const store = createRedisStore({ client: c.client, clock, timeoutMs: TIMEOUT, recoverAfterMs: RECOVER, onStoreError: 'fail-open' })
    const pool = createRedisPool({ client: c.client, clock, concurrency: 1, timeoutMs: TIMEOUT, recoverAfterMs: RECOVER, onStoreError: 'fail-open' })
    const k = key()
    expect(await store.take(k, 0, config)).toBe(0)
    await redis().stop()
    try {
      expect(await whileDown(clock, store.take(k, 0, config))).toBe(0)
      for (let i = 0; i < 4; i++) expect(await store.take(k, 0, config)).toBe(0)
      const releases = await whileDown(clock, Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]))
      expect(pool.stats.active).toBe(3)
      for (const release of releases) release()
      expect([store.state, pool.state]).toEqual(['degraded', 'degraded'])
    } finally {
      await redis().start()
    }
  })

  it('falls back to an in-memory budget and pool per process with onStoreError: local', async () => {
    const clock = createManualClock()
    const store = createRedisStore({ client: c.client, clock, timeoutMs: TIMEOUT, recoverAfterMs: RECOVER, onStoreError: 'local' })
    const pool = createRedisPool({ client: c.client, clock, concurrency: 1, timeoutMs: TIMEOUT, recoverAfterMs: RECOVER, onStoreError: 'local' })
    const k = key()
    await redis().stop()
    try {
      expect(await whileDown(clock, store.take(k, 0, config))).toBe(0)
      expect(await store.take(k, 0, config)).toBe(0)
      expect(await store.take(k, 0, config)).toBe(1000) // the local bucket of 2, refilling 1 per second
      const first = await whileDown(clock, pool.acquire())
      let second = false
      const waiting = pool.acquire().then((release) => {
        second = true
        return release
      })
      // Redis is known to be down: the waiter leaves the Redis queue for the local pool at once.
      await vi.waitFor(() => expect(pool.stats.queued).toBe(0), handshake)
      // The local pool grants on promise callbacks alone: past them, an ungranted waiter is waiting.
      await new Promise((resolve) => setImmediate(resolve))
      expect(second).toBe(false) // the local pool keeps concurrency: 1
      first()
      ;(await waiting)()
      expect([store.state, pool.state]).toEqual(['degraded', 'degraded'])
    } finally {
      await redis().start()
    }
  })
})
