import { createClient } from '@volley/core'
import { describe, expect, it, vi } from 'vitest'
import { createRedisPool } from '../src/index.js'
import { CLIENT_KINDS, connectClient, useRedisClient, useRedisServer } from './helpers/redis-server.js'
import { useChaosServer } from '../../core/test/helpers/chaos.js'
import { handshake } from '../../core/test/helpers/handshake.js'

const redis = useRedisServer()
const server = useChaosServer()

let unique = 0
const prefix = (): string => `pool-${++unique}:`
const timers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length

describe.each(CLIENT_KINDS)('createRedisPool with a %s client', (kind) => {
  const a = useRedisClient(kind, redis)
  const b = useRedisClient(kind, redis)

  it('never lets the pools of two processes hold more than concurrency requests in flight, as the server sees it', async () => {
    const p = prefix()
    // A generous command timeout: a loaded machine can keep Redis from answering within the default 500 ms.
    const pools = [a, b].map((c) => createRedisPool({ client: c.client, concurrency: 3, prefix: p, timeoutMs: 5000 }))
    const clients = pools.map((pool) => createClient({ pool, retry: 0 }))
    const key = `pool-${kind}-${unique}`
    // The first 3 wait at the server until all 3 are there (until=3), so the cap is surely reached
    // however slowly a loaded machine sends; the others are held 40 ms each.
    await Promise.all(
      Array.from({ length: 16 }, (_, i) => (clients[i % 2] as (typeof clients)[number]).get(`${server().url}/concurrency?ms=40&key=${key}${i < 3 ? '&until=3' : ''}`)),
    )
    expect(server().stats.concurrency(key).max).toBe(3)
    expect(pools.map((pool) => pool.stats.completed)).toEqual([8, 8])
    expect(pools.map((pool) => pool.stats.active)).toEqual([0, 0])
    expect(await pools[0]?.fleetActive()).toBe(0)
  })

  it('wakes a waiter of another process when a slot is released, without waiting for the lease to expire', async () => {
    const p = prefix()
    const holder = createRedisPool({ client: a.client, concurrency: 1, prefix: p, leaseMs: 60_000 })
    const waiter = createRedisPool({ client: b.client, concurrency: 1, prefix: p, leaseMs: 60_000 })
    const release = await holder.acquire()
    let granted = false
    const next = waiter.acquire().then((r) => {
      granted = true
      return r
    })
    await vi.waitFor(() => expect(waiter.stats.queued).toBe(1), handshake)
    expect(granted).toBe(false)
    release()
    // Far less than the 60 s lease: the release was published, not waited out.
    let timer: ReturnType<typeof setTimeout> | undefined
    const winner = await Promise.race([next, new Promise((resolve) => (timer = setTimeout(() => resolve('timed out'), 5000)))])
    clearTimeout(timer)
    expect(typeof winner).toBe('function')
    ;(winner as () => void)()
  })

  it('gives back the slots of a process that stopped renewing them within leaseMs', async () => {
    const p = prefix()
    const probe = await connectClient('ioredis', redis().url)
    const io = probe.client as import('ioredis').Redis
    const [seconds, micros] = await io.time()
    const serverNow = Number(seconds) * 1000 + Number(micros) / 1000
    // Two leases of a "dead" process, expiring 2 s from now on the server's clock (long enough to
    // count them on a loaded machine before they expire).
    await io.zadd(`${p}{pool}:all`, serverNow + 2000, 'dead-1', serverNow + 2000, 'dead-2')
    await probe.close()
    const pool = createRedisPool({ client: a.client, concurrency: 2, prefix: p })
    expect(await pool.fleetActive()).toBe(2)
    const release = await pool.acquire() // no release is ever published: the wake timer at the soonest expiry serves it
    expect(await pool.fleetActive()).toBe(1)
    release()
  })

  it('renews a held lease, so a call longer than leaseMs keeps its slot', async () => {
    const p = prefix()
    // Renewed every leaseMs / 3: only a stall of two thirds of a second could lose it, not a busy machine's jitter.
    const pool = createRedisPool({ client: a.client, concurrency: 1, prefix: p, leaseMs: 1000 })
    const other = createRedisPool({ client: b.client, concurrency: 1, prefix: p, leaseMs: 1000 })
    const release = await pool.acquire()
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect(await pool.fleetActive()).toBe(1)
    await expect(other.acquire({ signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' })
    release()
    const second = await other.acquire()
    second()
  })

  it('lets an aborted waiter leave at once, and leaves no timer behind once idle', async () => {
    const p = prefix()
    const before = timers()
    const pool = createRedisPool({ client: a.client, concurrency: 1, prefix: p })
    const release = await pool.acquire()
    const controller = new AbortController()
    const waiting = pool.acquire({ signal: controller.signal })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(pool.stats.queued).toBe(1)
    controller.abort(new Error('changed my mind'))
    await expect(waiting).rejects.toThrow('changed my mind')
    expect(pool.stats.queued).toBe(0)
    release()
    await pool.onIdle()
    expect(pool.stats).toMatchObject({ active: 0, queued: 0, completed: 1 })
    expect(timers()).toBeLessThanOrEqual(before) // other tests' timers may have ended meanwhile
  })

  it("serves this process's waiters by priority, then first come first served", async () => {
    const p = prefix()
    const pool = createRedisPool({ client: a.client, concurrency: 1, prefix: p })
    const release = await pool.acquire()
    const order: string[] = []
    const done = ['low', 'high', 'low-2', 'high-2'].map((name) =>
      pool.acquire({ priority: name.startsWith('high') ? 1 : 0 }).then((r) => {
        order.push(name)
        r()
      }),
    )
    await vi.waitFor(() => expect(pool.stats.queued).toBe(4), handshake)
    release()
    await Promise.all(done)
    expect(order).toEqual(['high', 'high-2', 'low', 'low-2'])
  })

  it('caps one origin fleet-wide with perOrigin without holding back other origins', async () => {
    const p = prefix()
    const one = createRedisPool({ client: a.client, concurrency: 3, perOrigin: 1, prefix: p })
    const two = createRedisPool({ client: b.client, concurrency: 3, perOrigin: 1, prefix: p })
    const first = await one.acquire({ origin: 'https://a.example' })
    let second = false
    const waiting = two.acquire({ origin: 'https://a.example' }).then((r) => {
      second = true
      return r
    })
    const other = await two.acquire({ origin: 'https://b.example' })
    expect(second).toBe(false)
    first()
    ;(await waiting)()
    other()
  })
})

describe('createRedisPool options', () => {
  it('rejects unknown and invalid options with a TypeError saying what was expected and given', async () => {
    const c = await connectClient('ioredis', redis().url)
    expect(() => createRedisPool({ client: c.client } as never)).toThrow(/concurrency must be a positive integer, got undefined/)
    expect(() => createRedisPool({ client: c.client, concurrency: 2, lease: 10 } as never)).toThrow(/createRedisPool\(\): unknown option `lease`; did you mean `leaseMs`\?/)
    expect(() => createRedisPool({ client: c.client, concurrency: 2, leaseMs: 5 })).toThrow(/leaseMs must be an integer number of ms, at least 30, got 5/)
    expect(() => createRedisPool({ client: c.client, concurrency: 2, perOrigin: 0 })).toThrow(/perOrigin must be a positive integer or Infinity, got 0/)
    await c.close()
  })
})
