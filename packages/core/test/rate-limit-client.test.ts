import { describe, expect, it } from 'vitest'
import { createClient, createRateLimiter } from '@volley/core'
import { uniqueKey, useChaosServer } from './helpers/chaos.js'

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

describe('rate limiting in the request flow', () => {
  it('never lets more than 10 requests start in a second', async () => {
    const sent: number[] = []
    const api = createClient({
      baseURL: server().url,
      rateLimit: createRateLimiter({ limit: 10, interval: 1000 }),
      onEvent: (e) => e.type === 'sent' && sent.push(e.time),
    })
    await Promise.all(Array.from({ length: 25 }, (_, i) => api.get(`/json?i=${i}`)))
    // Exact at the source: the moments requests were handed to fetch.
    expect(sent).toHaveLength(25)
    expect(busiestWindow(sent, 1000)).toBeLessThanOrEqual(10)
    // At the server, with a 50 ms allowance for arrival jitter (client and server share one
    // event loop here, so a busy loop can bunch arrivals).
    const times = server().stats.byRoute('json').map((hit) => hit.time)
    expect(times).toHaveLength(25)
    expect(busiestWindow(times, 950)).toBeLessThanOrEqual(10)
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2000) // 25 starts at 10/s: ~2.4 s
  })

  it('allows limit + burst in a window with burst', async () => {
    const api = createClient({ baseURL: server().url, rateLimit: createRateLimiter({ limit: 10, interval: 1000, burst: 4 }) })
    await Promise.all(Array.from({ length: 20 }, () => api.get('/json')))
    const times = server().stats.byRoute('json').map((hit) => hit.time)
    expect(busiestWindow(times, 950)).toBeLessThanOrEqual(14)
    expect(busiestWindow(times, 50)).toBe(5) // the burst: 1 + 4 back to back
  })

  it('pauses every request to an origin after a 429 with Retry-After: 1', async () => {
    const limiter = createRateLimiter({ limit: 1000, interval: 1000 })
    const a = createClient({ baseURL: server().url, rateLimit: limiter, retry: 0 })
    const b = createClient({ baseURL: server().url, rateLimit: limiter })
    const key = uniqueKey()
    await a.safe.get('/retry-after', { query: { mode: 'seconds', value: 1, status: 429, key, fail: 1 } })
    const limited = server().stats.byRoute('retry-after')[0]!.time
    expect(limiter.state(server().origin).pausedUntil).toBeGreaterThan(0)
    // Another client sharing the limiter: its requests wait out the server's Retry-After too.
    await Promise.all(Array.from({ length: 5 }, () => b.get('/json')))
    for (const hit of server().stats.byRoute('json')) expect(hit.time - limited).toBeGreaterThanOrEqual(950)
  })

  it('does not pause another origin', async () => {
    const limiter = createRateLimiter({ limit: 1000 })
    const api = createClient({ rateLimit: limiter, retry: 0 })
    await api.safe.get(`${server().url}/retry-after`, { query: { mode: 'seconds', value: 5, status: 503, key: uniqueKey(), fail: 1 } })
    const started = Date.now()
    await api.get(`${server().altUrl}/json`) // same server, other origin (localhost)
    expect(Date.now() - started).toBeLessThan(4000)
  })
})
