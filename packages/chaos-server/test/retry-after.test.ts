import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { retryAfterHeader, startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('retryAfterHeader', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0, 250)

  it('formats each mode', () => {
    expect(retryAfterHeader('seconds', 2, now)).toEqual(['Retry-After', '2'])
    expect(retryAfterHeader('ratelimit-reset', 5, now)).toEqual(['RateLimit-Reset', '5'])
    expect(retryAfterHeader('x-ratelimit-reset', 5, now)).toEqual(['X-RateLimit-Reset', String(Date.UTC(2025, 0, 1, 12, 0, 6) / 1000)])
  })

  it('rounds an HTTP-date up so it is never earlier than asked', () => {
    expect(retryAfterHeader('date', 2, now)).toEqual(['Retry-After', 'Wed, 01 Jan 2025 12:00:03 GMT'])
  })
})

describe('ANY /retry-after', () => {
  it('sends Retry-After in seconds by default, then succeeds', async () => {
    const first = await fetch(`${server.url}/retry-after?key=s&value=2`)
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).toBe('2')
    const second = await fetch(`${server.url}/retry-after?key=s&value=2`)
    expect(second.status).toBe(200)
    expect(await second.json()).toEqual({ ok: true, attempt: 2 })
  })

  it('sends an HTTP-date value seconds ahead in date mode', async () => {
    // Bounded by the clock before and after the request, so a slow round trip cannot fail it.
    const before = Date.now()
    const res = await fetch(`${server.url}/retry-after?key=d&mode=date&value=3&status=503`)
    const after = Date.now()
    expect(res.status).toBe(503)
    const header = res.headers.get('retry-after') ?? ''
    expect(header).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/)
    // An HTTP-date has whole seconds: 3 s after the server's now, rounded up.
    expect(Date.parse(header)).toBeGreaterThanOrEqual(before + 3000)
    expect(Date.parse(header)).toBeLessThanOrEqual(Math.ceil((after + 3000) / 1000) * 1000)
  })

  it('sends a raw Retry-After value verbatim, for broken-server tests', async () => {
    const res = await fetch(`${server.url}/retry-after?key=raw&raw=-1`)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('-1')
  })

  it('sends RateLimit-Reset as delta seconds', async () => {
    const res = await fetch(`${server.url}/retry-after?key=r&mode=ratelimit-reset&value=4`)
    expect(res.headers.get('ratelimit-reset')).toBe('4')
    expect(res.headers.get('retry-after')).toBeNull()
  })

  it('sends X-RateLimit-Reset as epoch seconds', async () => {
    const before = Date.now()
    const res = await fetch(`${server.url}/retry-after?key=x&mode=x-ratelimit-reset&value=4`, { method: 'POST' })
    const after = Date.now()
    const reset = Number(res.headers.get('x-ratelimit-reset'))
    // 4 s after the server's now, which lies between the two readings, rounded up to a second.
    expect(reset).toBeGreaterThanOrEqual(Math.ceil(before / 1000 + 4))
    expect(reset).toBeLessThanOrEqual(Math.ceil(after / 1000 + 4))
  })

  it('fails as many times as asked', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${server.url}/retry-after?key=f&fail=3&value=0`)).status)
    expect(statuses).toEqual([429, 429, 429, 200])
  })

  it('rejects an unknown mode', async () => {
    expect((await fetch(`${server.url}/retry-after?mode=minutes`)).status).toBe(400)
  })
})
