import { describe, expect, it } from 'vitest'
import { HTTPError, NetworkError, ParseError, TimeoutError, AbortError } from '@volley/core'
import { backoffDelay, defaultRetry, isRetryable, serverDelay } from '@volley/core/internal'

const NOW = Date.parse('2026-11-21T12:00:00Z')
const headers = (init: Record<string, string>) => new Headers(init)

describe('retry policy', () => {
  it('reads Retry-After as delta seconds', () => {
    expect(serverDelay(headers({ 'retry-after': '3' }), NOW)).toBe(3000)
    expect(serverDelay(headers({ 'retry-after': ' 0 ' }), NOW)).toBe(0)
  })

  it('reads the three HTTP-date forms of RFC 9110 §5.6.7 strictly', () => {
    const at = NOW + 4000 // 2026-11-21T12:00:04Z, a Saturday
    expect(serverDelay(headers({ 'retry-after': 'Sat, 21 Nov 2026 12:00:04 GMT' }), NOW)).toBe(4000)
    expect(serverDelay(headers({ 'retry-after': 'Saturday, 21-Nov-26 12:00:04 GMT' }), NOW)).toBe(4000)
    expect(serverDelay(headers({ 'retry-after': 'Sat Nov 21 12:00:04 2026' }), NOW)).toBe(4000)
    expect(serverDelay(headers({ 'retry-after': new Date(at).toUTCString() }), NOW)).toBe(4000)
  })

  it("places an RFC 850 date's two-digit year on the caller's clock, not the machine's", () => {
    const date = 'Thursday, 21-Nov-75 12:00:04 GMT'
    const at = Date.parse('2075-11-21T12:00:04Z')
    // On a clock in 2026, '75' is 2075 (49 years ahead): a wait until then.
    const in2026 = Date.parse('2026-01-01T00:00:00Z')
    expect(serverDelay(headers({ 'retry-after': date }), in2026)).toBe(at - in2026)
    // On a clock in 2060, '99' is 2099 (39 years ahead): a wait until then. (On the machine's own
    // clock, in 2026, 2099 would be more than 50 years ahead and read as 1999.)
    const in2060 = Date.parse('2060-01-01T00:00:00Z')
    expect(serverDelay(headers({ 'retry-after': 'Saturday, 21-Nov-99 12:00:04 GMT' }), in2060)).toBe(Date.parse('2099-11-21T12:00:04Z') - in2060)
    // On a clock in 2026, '77' would be 2077, 51 years ahead: it is 1977 (a Monday), in the past.
    expect(serverDelay(headers({ 'retry-after': 'Monday, 21-Nov-77 12:00:04 GMT' }), in2026)).toBe(0)
  })

  it.each([
    ['-1', 'a negative number (Date.parse reads it as a date in 2001)'],
    ['1.5', 'a fraction (delta-seconds is 1*DIGIT)'],
    ['+5', 'a sign'],
    ['1e3', 'an exponent'],
    ['soon', 'a word'],
    ['2026-11-21T12:00:04Z', 'an ISO date'],
    ['Sat, 21 Nov 2026 12:00:04 UTC', 'a zone other than GMT'],
    ['Sat, 31 Feb 2026 12:00:04 GMT', 'a day that does not exist'],
    ['Sat, 21 Nov 2026 25:00:04 GMT', 'an hour that does not exist'],
    ['Sat,  21 Nov 2026 12:00:04 GMT', 'extra whitespace inside'],
    ['', 'an empty value'],
  ])('ignores Retry-After %j: %s', (value) => {
    expect(serverDelay(headers({ 'retry-after': value }), NOW)).toBeUndefined()
  })

  it('reads Retry-After as an HTTP date, never negative', () => {
    expect(serverDelay(headers({ 'retry-after': new Date(NOW + 4000).toUTCString() }), NOW)).toBe(4000)
    expect(serverDelay(headers({ 'retry-after': new Date(NOW - 4000).toUTCString() }), NOW)).toBe(0)
  })

  it('reads RateLimit-Reset as seconds and X-RateLimit-Reset as seconds or an epoch', () => {
    expect(serverDelay(headers({ 'ratelimit-reset': '2' }), NOW)).toBe(2000)
    expect(serverDelay(headers({ 'x-ratelimit-reset': String(NOW / 1000 + 7) }), NOW)).toBe(7000)
    expect(serverDelay(headers({ 'x-ratelimit-reset': '7' }), NOW)).toBe(7000)
  })

  it('ignores garbage', () => {
    expect(serverDelay(headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined()
    expect(serverDelay(headers({}), NOW)).toBeUndefined()
  })

  it('backs off exponentially up to the cap, with full jitter below the ceiling', () => {
    const policy = { ...defaultRetry, delay: 100, factor: 2, maxDelay: 1000, jitter: 'none' as const }
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(policy, a))).toEqual([100, 200, 400, 800, 1000, 1000])
    const full = { ...policy, jitter: 'full' as const }
    expect(backoffDelay(full, 3, () => 0)).toBe(0)
    expect(backoffDelay(full, 3, () => 0.999999)).toBe(400)
    expect(backoffDelay({ ...policy, jitter: 'equal' }, 3, () => 0)).toBe(200)
  })

  it('retries only what is safe to retry', () => {
    const response = new Response(null, { status: 503 })
    const http = (status: number) => new HTTPError({ response: new Response(null, { status }), data: undefined })
    const p = defaultRetry
    expect(isRetryable(p, 'GET', http(503), false)).toBe(true)
    expect(isRetryable(p, 'GET', http(404), false)).toBe(false)
    expect(isRetryable(p, 'POST', http(503), false)).toBe(false)
    expect(isRetryable(p, 'POST', http(503), true)).toBe(true)
    expect(isRetryable(p, 'GET', new NetworkError({ cause: new Error('reset') }), false)).toBe(true)
    for (const phase of ['attempt', 'idle', 'connect'] as const) {
      expect(isRetryable(p, 'GET', new TimeoutError({ phase, limit: 1 }), false)).toBe(true)
    }
    for (const phase of ['total', 'queue'] as const) {
      expect(isRetryable(p, 'GET', new TimeoutError({ phase, limit: 1 }), false)).toBe(false)
    }
    expect(isRetryable(p, 'GET', new AbortError({}), false)).toBe(false)
    expect(isRetryable(p, 'GET', new ParseError({ contentType: 'application/json', body: '{', status: 200 }), false)).toBe(false)
    void response
  })
})
