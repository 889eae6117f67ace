import { describe, expect, it } from 'vitest'
import { HTTPError, NetworkError, ParseError, TimeoutError, AbortError } from '@volley/core'
import { backoffDelay, defaultRetry, isRetryable, serverDelay } from '@volley/core/internal'

const NOW = Date.parse('2026-11-21T12:00:00Z')
const headers = (init: Record<string, string>) => new Headers(init)

describe('retry policy', () => {
  it('reads Retry-After as delta seconds', () => {
    expect(serverDelay(headers({ 'retry-after': '3' }), NOW)).toBe(3000)
    expect(serverDelay(headers({ 'retry-after': '0.5' }), NOW)).toBe(500)
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
