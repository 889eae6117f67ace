import { createRateLimiter } from '@volley/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore } from '../src/index.js'
import { connectClient, startRedis, type TestClient, type TestRedis } from './helpers/redis-server.js'

let redis: TestRedis
let a: TestClient
let b: TestClient
beforeAll(async () => {
  redis = await startRedis()
  a = await connectClient('redis', redis.url)
  b = await connectClient('ioredis', redis.url)
})
afterAll(async () => {
  await a.close()
  await b.close()
  await redis.close()
})

const config = { limit: 1000, interval: 1000, capacity: 5 }
let unique = 0
const key = (): string => `https://fair-${++unique}.example`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('fairQueue: callers of several processes served in the order they first asked', () => {
  it('makes a younger caller of another process wait for an older one after a pause, even with tokens to spare', async () => {
    const older = createRedisStore({ client: a.client, fairQueue: true })
    const younger = createRedisStore({ client: b.client, fairQueue: true })
    const k = key()
    await older.pause(k, Date.now() + 200)
    const now = Date.now()
    expect(await older.take(k, now, config, now - 5000)).toBeGreaterThan(0) // asked 5 s ago: the call that got the 429
    expect(await younger.take(k, now, config, now)).toBeGreaterThan(0)
    await sleep(250)
    // The pause is over and the bucket holds 5 tokens, yet the younger caller goes second.
    expect(await younger.take(k, Date.now(), config, now)).toBeGreaterThan(0)
    expect(await older.take(k, Date.now(), config, now - 5000)).toBe(0)
    expect(await younger.take(k, Date.now(), config, now)).toBe(0)
  })

  it('stops holding others back once a caller that went away lets its ticket lapse', async () => {
    const gone = createRedisStore({ client: a.client, fairQueue: true, ticketGraceMs: 100 })
    const waiting = createRedisStore({ client: b.client, fairQueue: true, ticketGraceMs: 100 })
    const k = key()
    await gone.pause(k, Date.now() + 100)
    const now = Date.now()
    await gone.take(k, now, config, now - 1000) // and never asks again
    await sleep(300)
    expect(await waiting.take(k, Date.now(), config, now)).toBe(0)
  })

  it('serves the limiters of two processes in first-asked order when the pause ends', async () => {
    const k = key()
    // 5 a second: each limiter asks for its next waiter only once its head is served, so the
    // steps (200 ms) keep the two processes' asks apart by far more than a loaded machine's jitter.
    const limiters = [a, b].map((c) => createRateLimiter({ limit: 5, interval: 1000, store: createRedisStore({ client: c.client, fairQueue: true }) }))
    const [first, second] = limiters as [(typeof limiters)[number], (typeof limiters)[number]]
    // Long enough that the pause reaches Redis and all four takes ask inside it on a loaded machine.
    first.pauseUntil(k, Date.now() + 1500)
    await sleep(200)
    const order: string[] = []
    const start = Date.now()
    const takes = [
      second.take({ key: k, since: start }).then(() => order.push('second asked at +0')),
      second.take({ key: k, since: start + 10 }).then(() => order.push('second asked at +10')),
      first.take({ key: k, since: start - 1000 }).then(() => order.push('first asked at -1000')),
      first.take({ key: k, since: start + 5 }).then(() => order.push('first asked at +5')),
    ]
    await Promise.all(takes)
    expect(order).toEqual(['first asked at -1000', 'second asked at +0', 'first asked at +5', 'second asked at +10'])
  })
})
