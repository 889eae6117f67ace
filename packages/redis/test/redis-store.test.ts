import { createManualClock, createRateLimiter, type Clock } from '@volley/core'
import { describe, expect, it, vi } from 'vitest'
import { handshake } from '../../core/test/helpers/handshake.js'
import { createRedisStore } from '../src/index.js'
import { CLIENT_KINDS, connectClient, useRedisClient, useRedisServer } from './helpers/redis-server.js'

const redis = useRedisServer()

const perSecond = (limit: number, burst = 0) => ({ limit, interval: 1000, capacity: 1 + burst })
// Where a test counts tokens, they refill per hour: Redis keeps real time, and a loaded machine may
// take a second between two takes, which at 10 a second would refill what the test counts.
const perHour = (limit: number, burst = 0) => ({ limit, interval: 3_600_000, capacity: 1 + burst })
let unique = 0
const key = (): string => `https://api-${++unique}.example`
/**
 * A store whose `timeoutMs` runs on a manual clock that the test never moves past it, so a slow
 * Redis on a loaded machine never fails a take. Pauses read `until` on the same clock: a test
 * passes `clock.now() + ms`. Buckets and pauses still run on Redis's own clock.
 */
const storeOn = (client: object, clock: Clock = createManualClock(), prefix?: string) => createRedisStore({ client, clock, ...(prefix !== undefined && { prefix }) })
/**
 * A limiter's store, on the limiter's system clock (it waits as long as Redis says, in real time):
 * a timeout of an hour, longer than any test, so a slow answer on a loaded machine is never one.
 */
const patientStore = (client: object) => createRedisStore({ client, timeoutMs: 3_600_000 })

describe.each(CLIENT_KINDS)('createRedisStore with a %s client', (kind) => {
  const a = useRedisClient(kind, redis)
  const b = useRedisClient(kind, redis)

  it('grants 1 + burst tokens back to back, then tells how long until the next', async () => {
    const store = storeOn(a.client)
    const k = key()
    const answers = []
    for (let i = 0; i < 4; i++) answers.push(await store.take(k, 0, perHour(10, 2)))
    expect(answers.slice(0, 3)).toEqual([0, 0, 0])
    expect(answers[3]).toBeGreaterThan(0)
    expect(answers[3]).toBeLessThanOrEqual(360_000)
  })

  it('shares one budget between stores on different connections', async () => {
    const one = storeOn(a.client)
    const two = storeOn(b.client)
    const k = key()
    expect(await one.take(k, 0, perHour(1, 1))).toBe(0)
    expect(await two.take(k, 0, perHour(1, 1))).toBe(0)
    expect(await one.take(k, 0, perHour(1, 1))).toBeGreaterThan(0)
    expect(await two.take(k, 0, perHour(1, 1))).toBeGreaterThan(0)
  })

  it("runs on the server's clock, whatever now the caller passes", async () => {
    const store = storeOn(a.client)
    const k = key()
    expect(await store.take(k, 0, perSecond(1))).toBe(0)
    // A caller whose clock is a day ahead gets no token from the future.
    expect(await store.take(k, Date.now() + 86_400_000, perSecond(1))).toBeGreaterThan(0)
  })

  it('takes a weighted call as that many tokens', async () => {
    const store = storeOn(a.client)
    const k = key()
    const config = perHour(10, 9)
    expect(await store.takeMany(k, 0, [{ name: '', config, cost: 7 }])).toBe(0)
    expect(await store.takeMany(k, 0, [{ name: '', config, cost: 4 }])).toBeGreaterThan(0)
    expect(await store.takeMany(k, 0, [{ name: '', config, cost: 3 }])).toBe(0)
  })

  it('takes several limits all or nothing: a refusal by one consumes nothing from the others', async () => {
    const store = storeOn(a.client)
    const k = key()
    const requests = perHour(10, 9)
    const tokens = { limit: 1000, interval: 3_600_000, capacity: 1000 }
    expect(await store.takeMany(k, 0, [{ name: '', config: requests, cost: 1 }, { name: 'tokens', config: tokens, cost: 900 }])).toBe(0)
    expect(await store.takeMany(k, 0, [{ name: '', config: requests, cost: 1 }, { name: 'tokens', config: tokens, cost: 500 }])).toBeGreaterThan(0)
    const { tokens: left } = await store.read(k, 0, requests)
    expect(left).toBeGreaterThan(8.9)
    expect(left).toBeLessThan(9.1)
  })

  it('shares a pause (429 Retry-After) with every store, and only for that key', async () => {
    const clock = createManualClock()
    const one = storeOn(a.client, clock)
    const two = storeOn(b.client, clock)
    const k = key()
    // A minute's pause, so that the seconds a loaded machine may take between these calls (on
    // Redis's clock) cannot bring it near the ignored one's length.
    await one.pause(k, clock.now() + 60_000)
    await one.pause(k, clock.now() + 1000) // earlier: ignored
    const wait = await two.take(k, 0, perSecond(100))
    expect(wait).toBeGreaterThan(50_000)
    expect(wait).toBeLessThanOrEqual(60_000)
    expect(await two.take(key(), 0, perSecond(100))).toBe(0)
    const state = await two.read(k, 1_000_000, perSecond(100))
    expect(state.pausedUntil).toBeGreaterThan(1_050_000)
  })

  it('puts every key of one limiter key under one Cluster hash tag, and lets them expire when idle', async () => {
    const clock = createManualClock()
    const store = storeOn(a.client, clock, `tag-${kind}:`)
    const k = key()
    // Per-minute buckets and a minute's pause: nothing expires while a loaded machine looks.
    const perMinute = (limit: number, capacity: number) => ({ limit, interval: 60_000, capacity })
    await store.takeMany(k, 0, [{ name: '', config: perMinute(1, 1), cost: 1 }, { name: 'tokens', config: perMinute(100, 100), cost: 50 }])
    await store.pause(k, clock.now() + 60_000)
    const probe = await connectClient('ioredis', redis().url)
    const io = probe.client as import('ioredis').Redis
    const keys = (await io.keys(`tag-${kind}:*`)).sort()
    expect(keys).toEqual([`tag-${kind}:{${k}}:b:`, `tag-${kind}:{${k}}:b:tokens`, `tag-${kind}:{${k}}:p`])
    for (const name of keys) {
      const ttl = await io.pttl(name)
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(60_000)
    }
    await probe.close()
  })

  it('loads its script again when the server has forgotten it (NOSCRIPT)', async () => {
    const store = storeOn(a.client)
    const probe = await connectClient('ioredis', redis().url)
    await (probe.client as import('ioredis').Redis).script('FLUSH')
    await probe.close()
    expect(await store.take(key(), 0, perSecond(1))).toBe(0)
  })

  it('spaces the starts of limiters in several clients sharing the store', async () => {
    const k = key()
    const limiters = [a, b].map((c) => createRateLimiter({ limit: 20, interval: 1000, store: patientStore(c.client) }))
    const granted: number[] = []
    const startedAt = Date.now()
    await Promise.all(Array.from({ length: 10 }, (_, i) => (limiters[i % 2] as (typeof limiters)[number]).take({ key: k }).then(() => granted.push(Date.now()))))
    expect(granted).toHaveLength(10)
    // 10 starts at 20/s with no burst: Redis (on this machine's clock) grants the last at least 9
    // steps of 50 ms after the test began; seeing it later only adds (1 ms: Date.now() rounds down).
    expect(Math.max(...granted) - startedAt).toBeGreaterThanOrEqual(9 * 50 - 1)
  })
})

describe('createRedisStore options', () => {
  it('rejects unknown and invalid options with a TypeError saying what was expected and given', async () => {
    const c = await connectClient('redis', redis().url)
    expect(() => createRedisStore({ client: {} })).toThrow(/client must be a connected client of `redis` \(createClient\) or `ioredis` \(new Redis\), got an object/)
    expect(() => createRedisStore({ client: c.client, timeout: 5 } as never)).toThrow(/createRedisStore\(\): unknown option `timeout`; did you mean `timeoutMs`\?/)
    expect(() => createRedisStore({ client: c.client, onStoreError: 'open' as never })).toThrow(/onStoreError must be one of 'fail-closed', 'fail-open', 'local', got "open"/)
    expect(() => createRedisStore({ client: c.client, prefix: 'a{b}' })).toThrow(/prefix must be a string without \{ or \}, got "a\{b\}"/)
    expect(() => createRedisStore({ client: c.client, timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number of ms, got 0/)
    await c.close()
  })
})

describe('a limiter with several limits on Redis', () => {
  it('takes requests and tokens per minute together, and a refused call takes neither', async () => {
    const c = await connectClient('redis', redis().url)
    const store = storeOn(c.client, createManualClock(), 'llm:')
    // The limiter's own manual clock: its one timer is the wait Redis told it after a refusal.
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 10, interval: 60_000, burst: 9, limits: { tokens: { limit: 1000, interval: 60_000, burst: 999 } }, store, clock })
    const k = key()
    await limiter.take({ key: k, cost: { tokens: 800 } })
    const controller = new AbortController()
    const refused = limiter.take({ key: k, cost: { tokens: 300 }, signal: controller.signal })
    // Aborted once Redis has refused it and the limiter waits, not before it asked.
    await vi.waitFor(() => expect(clock.pending).toBe(1), handshake)
    controller.abort(new Error('gave up'))
    await expect(refused).rejects.toThrow('gave up')
    await limiter.take({ key: k, cost: { tokens: 150 } })
    const { tokens } = await store.read(k, 0, { limit: 10, interval: 60_000, capacity: 10 })
    expect(Math.round(tokens)).toBe(8) // two requests taken, not three
    await c.close()
  })
})
