import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('ANY /rate-limited', () => {
  it('allows limit calls, then answers 429 with Retry-After and RateLimit headers', async () => {
    const url = `${server.url}/rate-limited?limit=3&interval=60000&key=burst`
    const remaining: (string | null)[] = []
    for (let i = 0; i < 3; i++) {
      const res = await fetch(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('ratelimit-limit')).toBe('3')
      remaining.push(res.headers.get('ratelimit-remaining'))
    }
    expect(remaining).toEqual(['2', '1', '0'])

    const limited = await fetch(url)
    expect(limited.status).toBe(429)
    // One token per 20 s: the next one is (just under) 20 s away.
    expect(limited.headers.get('retry-after')).toBe('20')
    expect(limited.headers.get('ratelimit-remaining')).toBe('0')
    expect(limited.headers.get('ratelimit-reset')).toBe('60')
  })

  it('refills the bucket over time', async () => {
    // Time is the server's `now`, moved by the test: no sleep, and no race with a slow machine.
    let now = 1_000_000
    const timed = await startChaosServer({ now: () => now })
    try {
      const url = `${timed.url}/rate-limited?limit=1&interval=128&key=refill`
      expect((await fetch(url)).status).toBe(200)
      expect((await fetch(url)).status).toBe(429)
      now += 127
      expect((await fetch(url)).status).toBe(429)
      now += 1
      expect((await fetch(url)).status).toBe(200)
    } finally {
      await timed.close()
    }
  })

  it('keeps separate buckets per key', async () => {
    const a = `${server.url}/rate-limited?limit=1&interval=60000&key=ka`
    const b = `${server.url}/rate-limited?limit=1&interval=60000&key=kb`
    expect((await fetch(a)).status).toBe(200)
    expect((await fetch(b)).status).toBe(200)
    expect((await fetch(a)).status).toBe(429)
  })

  it('rounds Retry-After up to a whole second', async () => {
    const url = `${server.url}/rate-limited?limit=1&interval=300&key=round`
    await fetch(url)
    const res = await fetch(url)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('1')
  })
})
