import { createClient, createManualClock } from '@volley/core'
import type { Redis } from 'ioredis'
import { describe, expect, it, vi } from 'vitest'
import { createRedisPool } from '../src/index.js'
import { CLIENT_KINDS, connectClient, useRedisClient, useRedisServer } from './helpers/redis-server.js'
import { useChaosServer } from '../../core/test/helpers/chaos.js'
import { handshake } from '../../core/test/helpers/handshake.js'

/*
 * The pools run on manual clocks: their timers (Redis call timeouts, renewals, the wake-up at the
 * soonest lease expiry) fire only when a test advances them, so no step races a loaded machine.
 * A test waits for what the Redis server saw instead: a lease's score, a subscriber on the pool's
 * channel. Leases expire on the server's own clock, which is real time.
 */

const redis = useRedisServer()
const server = useChaosServer()
/** Watches and steers Redis from outside the pools. */
const watcher = useRedisClient('ioredis', redis)
const raw = (): Redis => watcher.client as Redis

let unique = 0
const prefix = (): string => `pool-${++unique}:`
/** The Redis server's clock, in ms: leases are scored on it. */
const serverNow = async (): Promise<number> => {
  const [seconds, micros] = await raw().time()
  return Number(seconds) * 1000 + Number(micros) / 1000
}
/** How many processes listen for freed slots of the pool under `p`: one per process whose waiter Redis refused. */
const listening = async (p: string): Promise<number> => Number(((await raw().pubsub('NUMSUB', `${p}{pool}:free`)) as [string, number])[1])

describe.each(CLIENT_KINDS)('createRedisPool with a %s client', (kind) => {
  const a = useRedisClient(kind, redis)
  const b = useRedisClient(kind, redis)

  it('never lets the pools of two processes hold more than concurrency requests in flight, as the server sees it', async () => {
    const p = prefix()
    // On a manual clock no Redis call times out, however slowly a loaded machine lets Redis answer.
    const clock = createManualClock()
    const pools = [a, b].map((c) => createRedisPool({ client: c.client, concurrency: 3, prefix: p, clock }))
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
    // On a manual clock that never moves, the wake-up at the lease's expiry never fires: only the
    // published release can serve the waiter.
    const clock = createManualClock()
    const holder = createRedisPool({ client: a.client, concurrency: 1, prefix: p, leaseMs: 60_000, clock })
    const waiter = createRedisPool({ client: b.client, concurrency: 1, prefix: p, leaseMs: 60_000, clock })
    const release = await holder.acquire()
    let granted = false
    const next = waiter.acquire().then((r) => {
      granted = true
      return r
    })
    // Refused: the waiter's process listens for a release.
    await vi.waitFor(async () => expect(await listening(p)).toBe(1), handshake)
    expect(granted).toBe(false)
    release()
    ;(await next)()
    await Promise.all([holder.close(), waiter.close()])
  })

  it('gives back the slots of a process that stopped renewing them once their leases expire', async () => {
    const p = prefix()
    const all = `${p}{pool}:all`
    // Two leases of a process that is gone, ten minutes from expiry on the server's clock.
    await raw().zadd(all, (await serverNow()) + 600_000, 'dead-1', (await serverNow()) + 600_000, 'dead-2')
    const clock = createManualClock()
    const pool = createRedisPool({ client: a.client, concurrency: 2, prefix: p, leaseMs: 60_000, clock })
    expect(await pool.fleetActive()).toBe(2)
    const waiting = pool.acquire()
    await vi.waitFor(async () => expect(await listening(p)).toBe(1), handshake) // refused: the slots are taken
    // Their last renewal runs out: the leases expire on the server's clock, with no release published.
    await raw().zadd(all, 'XX', (await serverNow()) + 50, 'dead-1', (await serverNow()) + 50, 'dead-2')
    await vi.waitFor(async () => expect(await pool.fleetActive()).toBe(0), handshake)
    // The wake-up at the soonest expiry (capped at leaseMs) asks again, if the ask made once the
    // subscription was in place did not come late enough to be granted already; Redis evicts them.
    await clock.advance(60_001)
    const release = await waiting
    expect(await pool.fleetActive()).toBe(1)
    expect(await raw().zcard(all)).toBe(1)
    release()
    await pool.close()
  })

  it('keeps renewing a held lease, so a call that outlasts its lease keeps its slot from other processes', async () => {
    const p = prefix()
    const all = `${p}{pool}:all`
    const clock = createManualClock()
    const pool = createRedisPool({ client: a.client, concurrency: 1, prefix: p, leaseMs: 60_000, clock })
    const other = createRedisPool({ client: b.client, concurrency: 1, prefix: p, leaseMs: 60_000, clock })
    const release = await pool.acquire()
    const [id] = (await raw().zrange(all, '0', '0')) as [string]
    let left = 0
    for (let renewal = 1; renewal <= 3; renewal++) {
      // The lease is about to run out on the server's clock: 50 ms left.
      const before = await serverNow()
      left = before + 50
      await raw().zadd(all, 'XX', left, id)
      // Every leaseMs / 3 on the pool's clock, the lease gets leaseMs again from the server's now.
      await clock.advance(20_000)
      await vi.waitFor(async () => expect(Number(await raw().zscore(all, id))).toBeGreaterThanOrEqual(before + 60_000), handshake)
    }
    // Past the expiry the last renewal found, on the server's clock: the lease still holds the slot.
    await vi.waitFor(async () => expect(await serverNow()).toBeGreaterThan(left), handshake)
    expect(await pool.fleetActive()).toBe(1)
    const next = other.acquire()
    await vi.waitFor(async () => expect(await listening(p)).toBe(1), handshake) // refused
    release()
    ;(await next)()
    await Promise.all([pool.close(), other.close()])
  })

  it('lets an aborted waiter leave at once, and leaves no timer or subscriber behind once idle', async () => {
    const p = prefix()
    const clock = createManualClock()
    const pool = createRedisPool({ client: a.client, concurrency: 1, prefix: p, clock })
    const release = await pool.acquire()
    const controller = new AbortController()
    const waiting = pool.acquire({ signal: controller.signal })
    await vi.waitFor(async () => expect(await listening(p)).toBe(1), handshake) // refused, and waiting
    expect(pool.stats.queued).toBe(1)
    controller.abort(new Error('changed my mind'))
    await expect(waiting).rejects.toThrow('changed my mind')
    expect(pool.stats.queued).toBe(0)
    release()
    await pool.onIdle()
    expect(pool.stats).toMatchObject({ active: 0, queued: 0, completed: 1 })
    // The release's Redis call ends and, with it, the last timer; the subscriber connection closes.
    await vi.waitFor(() => expect(clock.pending).toBe(0), handshake)
    await vi.waitFor(async () => expect(await listening(p)).toBe(0), handshake)
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
