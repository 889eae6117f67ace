import { describe, expect, it } from 'vitest'
import { createManualClock } from '../src/runtime/manual-clock.js'
import { createMemoryStore, createRateLimiter } from '../src/limits/rate-limiter.js'
import { createClient } from '../src/client.js'

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

describe('weighted takes and several limits', () => {
  it('takes a weighted call as that many tokens, and makes it wait for all of them', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 10, interval: 1000, burst: 4, clock })
    await limiter.take({ cost: 5 })
    expect(limiter.state().tokens).toBe(0)
    let granted = -1
    void limiter.take({ cost: 3 }).then(() => (granted = clock.now()))
    await clock.advance(1000)
    expect(granted).toBe(300)
  })

  it('takes requests and tokens per minute together, all or nothing', async () => {
    const clock = createManualClock()
    const store = createMemoryStore()
    const limiter = createRateLimiter({ limit: 3, interval: 60_000, burst: 2, limits: { tokens: { limit: 1000, interval: 60_000, burst: 999 } }, store, clock })
    await limiter.take({ cost: { tokens: 900 } })
    let second = false
    void limiter.take({ cost: { tokens: 200 } }).then(() => (second = true))
    await flush()
    expect(second).toBe(false)
    // The refused call took no request token: two requests are still there for small calls.
    const other = createRateLimiter({ limit: 3, interval: 60_000, burst: 2, limits: { tokens: { limit: 1000, interval: 60_000, burst: 999 } }, store, clock })
    await other.take({ key: 'default', cost: { tokens: 50 } })
    expect(store.read('default', clock.now(), { limit: 3, interval: 60_000, capacity: 3 }).tokens).toBe(1)
    await clock.advance(60_000)
    expect(second).toBe(true)
  })

  it('makes a call refused by one limit consume nothing from the others, in the store', () => {
    const store = createMemoryStore()
    const requests = { limit: 10, interval: 1000, capacity: 10 }
    const tokens = { limit: 100, interval: 1000, capacity: 100 }
    expect(store.takeMany('k', 0, [{ name: '', config: requests, cost: 1 }, { name: 'tokens', config: tokens, cost: 101 - 1 }])).toBe(0)
    expect(store.takeMany('k', 0, [{ name: '', config: requests, cost: 1 }, { name: 'tokens', config: tokens, cost: 50 }])).toBeGreaterThan(0)
    expect(store.read('k', 0, requests).tokens).toBe(9)
  })

  it('makes a paused key refuse weighted takes too', () => {
    const store = createMemoryStore()
    store.pause('k', 500)
    expect(store.takeMany('k', 100, [{ name: 'tokens', config: { limit: 1, interval: 1, capacity: 5 }, cost: 2 }])).toBe(400)
  })

  it('rejects a cost above the capacity, an unknown limit name and a store without takeMany', async () => {
    const limiter = createRateLimiter({ limit: 1, burst: 1, limits: { tokens: { limit: 10 } } })
    await expect(limiter.take({ cost: 3 })).rejects.toThrow(/cost must be a number from 0 to the limit's capacity 2 \(1 \+ burst\), got 3/)
    await expect(limiter.take({ cost: { words: 1 } })).rejects.toThrow(/names are limits of this limiter \("tokens"\), got "words"/)
    expect(() => createRateLimiter({ limit: 1, limits: { tokens: { limit: 1, size: 2 } as never } })).toThrow(/unknown option `limits.tokens.size`/)
    const store = { take: () => 0, pause: () => {}, read: () => ({ tokens: 1, pausedUntil: 0 }) }
    expect(() => createRateLimiter({ limit: 1, limits: { tokens: { limit: 1 } }, store })).toThrow(/takeMany/)
    expect(limiter.options.limits).toEqual({ tokens: { limit: 10, interval: 1000, burst: 0 } })
  })
})

describe('fairness', () => {
  it('serves a call that first asked earlier ahead of later ones once a paused key resumes', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 1000, interval: 1000, clock })
    await limiter.take({ key: 'a' }) // the call that then gets a 429
    limiter.pauseUntil('a', 1000)
    const order: string[] = []
    await clock.advance(100)
    void limiter.take({ key: 'a' }).then(() => order.push('second'))
    await clock.advance(100)
    void limiter.take({ key: 'a' }).then(() => order.push('third'))
    // The first call retries after its Retry-After, saying when it first asked.
    void limiter.take({ key: 'a', since: 0 }).then(() => order.push('first'))
    await clock.advance(1000)
    expect(order).toEqual(['first', 'second', 'third'])
  })

  it('keeps arrival order among takes that wait out a pause', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 1000, interval: 1000, clock })
    limiter.pauseUntil('a', 500)
    const order: number[] = []
    for (let i = 0; i < 5; i++) {
      void limiter.take({ key: 'a' }).then(() => order.push(i))
      await clock.advance(10)
    }
    await clock.advance(1000)
    expect(order).toEqual([0, 1, 2, 3, 4])
  })
})

describe('a weighted call through the client', () => {
  it("takes the call's `cost` from the named limit and makes the next call wait for its tokens", async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 100, interval: 1000, limits: { tokens: { limit: 100, interval: 1000, burst: 99 } }, clock })
    const transport = async (): Promise<Response> => new Response('{}', { headers: { 'content-type': 'application/json' } })
    const sent: number[] = []
    const api = createClient({ transport, rateLimit: limiter, clock, timeout: false, onEvent: (e) => e.type === 'sent' && sent.push(e.time) })
    await api.get('http://volley.test/a', { cost: { tokens: 60 } })
    const second = api.get('http://volley.test/b', { cost: { tokens: 60 } })
    await clock.advance(150)
    expect(sent).toEqual([0]) // 40 tokens left; the next 60 are there 200 ms after the first call
    await clock.advance(100)
    await second
    expect(sent).toHaveLength(2)
    expect(sent[1]).toBeGreaterThanOrEqual(200)
    expect(sent[1]).toBeLessThanOrEqual(250)
  })

  it('rejects a cost that is not a positive number or an object of numbers', () => {
    expect(() => createClient({ cost: 0 })).toThrow(/`cost` must be a positive number, or an object of non-negative numbers per named limit, got 0/)
    expect(() => createClient({ cost: { tokens: 'many' } as never })).toThrow(TypeError)
  })
})

describe('fairness through the client', () => {
  it('lets a call that waited out a 429 go before the calls that asked after it', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 1, interval: 100, clock })
    const sent: string[] = []
    let first = true
    const transport = async (input: string | URL | Request): Promise<Response> => {
      const path = new URL(String(input)).pathname
      sent.push(path)
      if (path === '/a' && first) {
        first = false
        return new Response('slow down', { status: 429, headers: { 'retry-after': '1' } })
      }
      return new Response('{}', { headers: { 'content-type': 'application/json' } })
    }
    const api = createClient({ transport, rateLimit: limiter, clock, timeout: false, retry: { limit: 1 } })
    const a = api.get('http://volley.test/a')
    await clock.advance(10)
    // The 429 paused the origin until t=1000: these two queue behind the pause.
    const later = [api.get('http://volley.test/b'), api.get('http://volley.test/c')]
    await clock.advance(1500)
    await Promise.all([a, ...later])
    expect(sent).toEqual(['/a', '/a', '/b', '/c'])
  })
})
