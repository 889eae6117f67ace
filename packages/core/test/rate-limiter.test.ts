import { describe, expect, it } from 'vitest'
import { createManualClock, type ManualClock } from '../src/runtime/manual-clock.js'
import { createMemoryStore, createRateLimiter, type RateLimiter, type RateLimitStore } from '../src/limits/rate-limiter.js'

/** Starts `count` takes for `key` and records the clock time at which each is granted. */
function takeMany(limiter: RateLimiter, clock: ManualClock, count: number, key?: string): number[] {
  const granted: number[] = []
  for (let i = 0; i < count; i++) void limiter.take({ key }).then(() => granted.push(clock.now()))
  return granted
}

/** The most starts found in any half-open window `[t, t + width)`; a busiest window starts at a start. */
function busiestWindow(times: readonly number[], width: number): number {
  let most = 0
  for (const start of times) most = Math.max(most, times.filter((time) => time >= start && time < start + width).length)
  return most
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

describe('createRateLimiter', () => {
  it('spaces starts evenly and never lets a window of interval ms hold more than limit starts', async () => {
    const clock = createManualClock(1_000_000)
    const limiter = createRateLimiter({ limit: 10, interval: 1000, clock })
    const granted = takeMany(limiter, clock, 50)
    await clock.advance(10_000)
    expect(granted).toHaveLength(50)
    expect(granted.map((time) => time - 1_000_000)).toEqual(Array.from({ length: 50 }, (_, i) => i * 100))
    expect(busiestWindow(granted, 1000)).toBe(10)
  })

  it('allows 1 + burst starts at once after an idle period and at most limit + burst per window', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 10, interval: 1000, burst: 3, clock })
    const granted = takeMany(limiter, clock, 50)
    await flush()
    expect(granted).toEqual([0, 0, 0, 0])
    await clock.advance(10_000)
    expect(granted).toHaveLength(50)
    expect(busiestWindow(granted, 1000)).toBe(13)
  })

  it('keeps the window bound when interval / limit is not a whole number of ms', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 3, interval: 1000, burst: 1, clock })
    const granted = takeMany(limiter, clock, 40)
    await clock.advance(20_000)
    expect(granted).toHaveLength(40)
    expect(busiestWindow(granted, 1000)).toBeLessThanOrEqual(4)
  })

  it('grants a free token without a timer and within one microtask', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 1, clock })
    let done = false
    void limiter.take().then(() => (done = true))
    expect(clock.pending).toBe(0)
    await Promise.resolve()
    expect(done).toBe(true)
  })

  it('serves the waiters of one key first in, first out, with one timer for all of them', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 5, interval: 1000, clock })
    const order: number[] = []
    for (let i = 0; i < 20; i++) void limiter.take({ key: 'a' }).then(() => order.push(i))
    await flush()
    expect(clock.pending).toBe(1)
    expect(limiter.state('a').waiting).toBe(19)
    await clock.advance(5000)
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(clock.pending).toBe(0)
  })

  it('keeps the budgets of different keys independent', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 1, interval: 1000, clock })
    const a = takeMany(limiter, clock, 3, 'https://a.test')
    const b = takeMany(limiter, clock, 3, 'https://b.test')
    await flush()
    expect([a, b]).toEqual([[0], [0]])
    await clock.advance(2000)
    expect(a).toEqual([0, 1000, 2000])
    expect(b).toEqual([0, 1000, 2000])
  })

  it('blocks every take of a paused key until the pause ends, and only that key', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 100, interval: 1000, clock })
    const waiting = takeMany(limiter, clock, 2, 'a')
    limiter.pauseUntil('a', 2500)
    limiter.pauseUntil('a', 1500) // earlier: ignored
    await flush()
    expect(waiting).toEqual([0]) // granted before the pause
    const paused = takeMany(limiter, clock, 2, 'a')
    const other = takeMany(limiter, clock, 2, 'b')
    await clock.advance(2000)
    expect(limiter.state('a')).toMatchObject({ pausedUntil: 2500, waiting: 3 })
    expect(waiting).toEqual([0])
    expect(paused).toEqual([])
    expect(other).toEqual([0, 10])
    expect(clock.pending).toBe(1)
    await clock.advance(1000)
    expect([...waiting, ...paused]).toEqual([0, 2500, 2510, 2520])
    expect(limiter.state('a').pausedUntil).toBe(0)
  })

  it('rejects an aborted wait with the reason at once and leaves no timer behind', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 1, interval: 1000, clock })
    await limiter.take()
    const first = new AbortController()
    const second = new AbortController()
    const a = limiter.take({ signal: first.signal })
    const b = limiter.take({ signal: second.signal })
    expect(clock.pending).toBe(1)
    first.abort(new Error('first gave up'))
    await expect(a).rejects.toThrow('first gave up')
    expect(clock.pending).toBe(1) // still timing the wait of the second
    second.abort('second gave up')
    await expect(b).rejects.toBe('second gave up')
    expect(clock.pending).toBe(0)
    expect(limiter.state()).toMatchObject({ waiting: 0 })
    await expect(limiter.take({ signal: AbortSignal.abort('already') })).rejects.toBe('already')
    await clock.advance(1000)
    await expect(limiter.take()).resolves.toBeUndefined() // the aborted ones took no token
  })

  it('uses a store that answers with promises, in FIFO order and with the same spacing', async () => {
    const clock = createManualClock()
    const memory = createMemoryStore()
    const calls = { take: 0, pause: 0 }
    const store: RateLimitStore = {
      take: async (key, now, config) => {
        calls.take++
        return memory.take(key, now, config)
      },
      pause: async (key, until) => {
        calls.pause++
        await memory.pause(key, until)
      },
      read: async (key, now, config) => memory.read(key, now, config),
    }
    const limiter = createRateLimiter({ limit: 2, interval: 1000, clock, store })
    const order: number[] = []
    const granted: number[] = []
    for (let i = 0; i < 6; i++) {
      void limiter.take({ key: 'k' }).then(() => {
        order.push(i)
        granted.push(clock.now())
      })
    }
    const controller = new AbortController()
    const aborted = limiter.take({ key: 'k', signal: controller.signal })
    controller.abort('nope')
    await expect(aborted).rejects.toBe('nope')
    limiter.pauseUntil('k', 1800)
    await clock.advance(5000)
    expect(order).toEqual([0, 1, 2, 3, 4, 5])
    expect(granted).toEqual([0, 1800, 2300, 2800, 3300, 3800])
    expect(calls.take).toBeGreaterThanOrEqual(6)
    expect(calls.pause).toBe(1)
    expect(limiter.state('k')).toMatchObject({ key: 'k', waiting: 0, tokens: NaN })
    expect(clock.pending).toBe(0)
  })

  it('shares one budget between limiters that share a store', async () => {
    const clock = createManualClock()
    const store = createMemoryStore()
    const first = createRateLimiter({ limit: 1, interval: 1000, clock, store })
    const second = createRateLimiter({ limit: 1, interval: 1000, clock, store })
    const fromFirst = takeMany(first, clock, 2)
    const fromSecond = takeMany(second, clock, 2)
    await clock.advance(5000)
    expect([...fromFirst, ...fromSecond].sort((x, y) => x - y)).toEqual([0, 1000, 2000, 3000])
  })

  it('reports tokens refilling continuously', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 4, interval: 1000, burst: 1, clock })
    expect(limiter.state()).toEqual({ key: 'default', tokens: 2, pausedUntil: 0, waiting: 0 })
    await limiter.take()
    await limiter.take()
    expect(limiter.state().tokens).toBe(0)
    await clock.advance(125)
    expect(limiter.state().tokens).toBe(0.5)
    await clock.advance(1000)
    expect(limiter.state().tokens).toBe(2)
    expect(limiter.options).toEqual({ limit: 4, interval: 1000, burst: 1 })
  })

  it('forgets keys whose bucket refilled, so a crawl of many origins does not grow the store forever', async () => {
    const clock = createManualClock()
    const store = createMemoryStore()
    const limiter = createRateLimiter({ limit: 10, interval: 1000, clock, store })
    for (let i = 0; i < 5000; i++) await limiter.take({ key: `https://${i}.test` })
    expect(store.size).toBeGreaterThan(4000)
    await clock.advance(1000) // every bucket has refilled
    const unlimited = createRateLimiter({ limit: 1000, burst: 10_000, clock, store })
    for (let i = 0; i < 6000; i++) await unlimited.take({ key: 'https://busy.test' })
    expect(store.size).toBe(1)
    expect(store.read('https://1.test', clock.now(), { limit: 10, interval: 1000, capacity: 1 })).toEqual({ tokens: 1, pausedUntil: 0 })
  })

  it('rejects invalid options with a TypeError naming the option, the expectation and the value', () => {
    expect(() => createRateLimiter({ limit: 0 })).toThrow(new TypeError('volley: createRateLimiter(): `limit` must be a positive number, got 0'))
    expect(() => createRateLimiter({ limit: 1, interval: -5 })).toThrow(/`interval` must be a positive number of ms, got -5/)
    expect(() => createRateLimiter({ limit: 1, burst: 1.5 })).toThrow(/`burst` must be a non-negative integer, got 1.5/)
    expect(() => createRateLimiter({ limit: 1, store: {} as never })).toThrow(/`store` must be an object with take, pause and read/)
    expect(() => createRateLimiter({ limit: '5' as never })).toThrow(/`limit` must be a positive number, got "5"/)
    expect(() => createRateLimiter({ limit: 1 }).pauseUntil('a', Number.NaN)).toThrow(/until must be a number/)
  })
})
