import { createClient, createRateLimiter } from '@volley/core'
import { describe, expect, it } from 'vitest'
import { createRedisPool, createRedisStore, isStoreUnavailableError, StoreUnavailableError, type RedisState } from '../src/index.js'
import { CLIENT_KINDS, useRedisClient, useRedisServer } from './helpers/redis-server.js'
import { useChaosServer } from '../../core/test/helpers/chaos.js'

const server = useChaosServer()

const config = { limit: 1, interval: 1000, capacity: 2 }
let unique = 0
const key = (): string => `https://failing-${++unique}.example`

/** Retries `check` every 50 ms until it holds (bounded: the clients reconnect every 100 ms; 15 s leaves room for a loaded machine). */
async function eventually(check: () => Promise<boolean>, attempts = 300): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('condition never held')
}

describe.each(CLIENT_KINDS)('Redis failures with a %s client', (kind) => {
  // A server per client kind: these tests stop and restart it.
  const redis = useRedisServer()
  const c = useRedisClient(kind, redis)

  it('fails closed with StoreUnavailableError while Redis is down, reports degraded, and recovers when it is back', async () => {
    const states: RedisState[] = []
    const store = createRedisStore({ client: c.client, timeoutMs: 2000, recoverAfterMs: 100, onStateChange: (state) => states.push(state) })
    const pool = createRedisPool({ client: c.client, concurrency: 2, timeoutMs: 2000, recoverAfterMs: 100 })
    const api = createClient({ rateLimit: createRateLimiter({ limit: 100, store }), retry: 0 })
    await expect(api.get(`${server().url}/json`)).resolves.toBeDefined()

    await redis().stop()
    const error = await api.get(`${server().url}/json`).catch((e: unknown) => e)
    expect(isStoreUnavailableError(error)).toBe(true)
    expect(error).toBeInstanceOf(StoreUnavailableError)
    expect(error).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', operation: 'rate-limit' })
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', operation: 'pool' })
    expect(store.state).toBe('degraded')
    expect(pool.state).toBe('degraded')
    expect(states).toEqual(['degraded'])

    await redis().start()
    await eventually(async () => (await store.take(key(), 0, config).catch(() => -1)) === 0)
    expect(store.state).toBe('ok')
    expect(states).toEqual(['degraded', 'ok'])
    await api.get(`${server().url}/json`)
    await eventually(async () => {
      const release = await pool.acquire().catch(() => undefined)
      release?.()
      return release !== undefined
    })
    expect(pool.state).toBe('ok')
  })

  it('fails open: grants every take and slot while Redis is down', async () => {
    const store = createRedisStore({ client: c.client, timeoutMs: 2000, onStoreError: 'fail-open' })
    const pool = createRedisPool({ client: c.client, concurrency: 1, timeoutMs: 2000, onStoreError: 'fail-open' })
    const k = key()
    expect(await store.take(k, 0, config)).toBe(0)
    await redis().stop()
    try {
      for (let i = 0; i < 5; i++) expect(await store.take(k, 0, config)).toBe(0)
      const releases = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()])
      expect(pool.stats.active).toBe(3)
      for (const release of releases) release()
    } finally {
      await redis().start()
    }
  })

  it('falls back to an in-memory budget and pool per process with onStoreError: local', async () => {
    const store = createRedisStore({ client: c.client, timeoutMs: 2000, onStoreError: 'local' })
    const pool = createRedisPool({ client: c.client, concurrency: 1, timeoutMs: 2000, onStoreError: 'local' })
    const k = key()
    await redis().stop()
    try {
      expect(await store.take(k, 0, config)).toBe(0)
      expect(await store.take(k, 0, config)).toBe(0)
      expect(await store.take(k, 0, config)).toBe(1000) // the local bucket of 2, refilling 1 per second
      const first = await pool.acquire()
      let second = false
      const waiting = pool.acquire().then((release) => {
        second = true
        return release
      })
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(second).toBe(false) // the local pool keeps concurrency: 1
      first()
      ;(await waiting)()
      expect(store.state).toBe('degraded')
    } finally {
      await redis().start()
    }
  })
})
