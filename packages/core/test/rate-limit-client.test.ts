import { describe, expect, it, vi } from 'vitest'
import { createClient, createManualClock, createRateLimiter } from '@volley/core'
import { uniqueKey, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

const server = useChaosServer()

/**
 * Most starts in any half-open window of `width` ms.
 */
function busiestWindow(times: number[], width: number): number {
  let best = 0
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= width) j++
    best = Math.max(best, i - j + 1)
  }
  return best
}

// Time is the client's manual clock, so it moves only when a test says so; each step then waits
// for the requests it let go to reach the server (a handshake), never for a while
// (docs/DESIGN.md#tests).
describe('rate limiting in the request flow', () => {
  it('never lets more than 10 requests start in a second', async () => {
    const clock = createManualClock()
    const sent: number[] = []
    const api = createClient({
      baseURL: server().url,
      clock,
      rateLimit: createRateLimiter({ limit: 10, interval: 1000, clock }),
      onEvent: (e) => e.type === 'sent' && sent.push(e.time),
    })
    const calls = Promise.all(Array.from({ length: 25 }, (_, i) => api.get(`/json?i=${i}`)))
    // One token every 100 ms: each step lets exactly one more request reach the server.
    for (let started = 1; started <= 25; started++) {
      await vi.waitFor(() => expect(server().stats.count('json')).toBe(started), handshake)
      expect(sent).toHaveLength(started)
      await clock.advance(100)
    }
    await calls
    expect(sent).toEqual(Array.from({ length: 25 }, (_, i) => i * 100))
    expect(busiestWindow(sent, 1000)).toBe(10)
    expect(server().stats.byRoute('json').map((hit) => hit.query.i)).toEqual(Array.from({ length: 25 }, (_, i) => String(i)))
  })

  it('allows limit + burst in a window with burst', async () => {
    const clock = createManualClock()
    const sent: number[] = []
    const api = createClient({
      baseURL: server().url,
      clock,
      rateLimit: createRateLimiter({ limit: 10, interval: 1000, burst: 4, clock }),
      onEvent: (e) => e.type === 'sent' && sent.push(e.time),
    })
    const calls = Promise.all(Array.from({ length: 20 }, () => api.get('/json')))
    // The burst: 1 + 4 at once, then one per 100 ms.
    await vi.waitFor(() => expect(server().stats.count('json')).toBe(5), handshake)
    expect(sent).toEqual([0, 0, 0, 0, 0])
    for (let started = 6; started <= 20; started++) {
      await clock.advance(100)
      await vi.waitFor(() => expect(server().stats.count('json')).toBe(started), handshake)
      expect(sent).toHaveLength(started)
    }
    await calls
    expect(busiestWindow(sent, 1000)).toBe(14)
    expect(busiestWindow(sent, 1)).toBe(5)
  })

  it('pauses every request to an origin after a 429 with Retry-After: 1', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 1000, interval: 1000, clock })
    const a = createClient({ baseURL: server().url, clock, rateLimit: limiter, retry: 0 })
    const sent: number[] = []
    const b = createClient({ baseURL: server().url, clock, rateLimit: limiter, onEvent: (e) => e.type === 'sent' && sent.push(e.time) })
    const key = uniqueKey()
    await a.safe.get('/retry-after', { query: { mode: 'seconds', value: 1, status: 429, key, fail: 1 } })
    expect(limiter.state(server().origin).pausedUntil).toBe(1000)
    // Another client sharing the limiter: its requests wait out the server's Retry-After too.
    const calls = Promise.all(Array.from({ length: 5 }, () => b.get('/json')))
    await vi.waitFor(() => expect(limiter.state(server().origin).waiting).toBe(5), handshake)
    await clock.advance(999)
    expect(sent).toEqual([])
    // Then one token per ms (1000 a second).
    await clock.advance(1 + 4)
    await calls
    expect(sent).toEqual([1000, 1001, 1002, 1003, 1004])
    expect(server().stats.count('json')).toBe(5)
  })

  it('does not pause another origin', async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 1000, clock })
    const api = createClient({ clock, rateLimit: limiter, retry: 0 })
    await api.safe.get(`${server().url}/retry-after`, { query: { mode: 'seconds', value: 5, status: 503, key: uniqueKey(), fail: 1 } })
    expect(limiter.state(server().origin).pausedUntil).toBe(5000)
    // Same server, other origin (localhost): answered while the clock stands still, so it never waited.
    const other = new URL(server().altUrl).origin
    expect(limiter.state(other).pausedUntil).toBe(0)
    await expect(api.get(`${server().altUrl}/json`)).resolves.toBeDefined()
    expect(clock.now()).toBe(0)
  })
})
