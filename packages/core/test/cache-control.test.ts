import { describe, expect, it } from 'vitest'
import { deltaSeconds, parseCacheControl } from '../src/policies/cache/cache-control.js'
import { currentAge, freshnessLifetime, reuseOf } from '../src/policies/cache/freshness.js'
import type { StoredResponse } from '../src/policies/cache/stored-response.js'

const NOW = Date.parse('2026-01-01T00:00:00Z')

function entry(headers: Record<string, string>, status = 200): StoredResponse {
  return { url: 'http://x.test/', status, statusText: '', headers: Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v] as const), body: new Uint8Array(), vary: {}, requestTime: NOW, responseTime: NOW }
}
const date = new Date(NOW).toUTCString()

describe('Cache-Control parsing (RFC 9111 §5.2)', () => {
  it('reads directives case-insensitively, with token and quoted arguments (cache-tests freshness-max-age-quoted)', () => {
    const cc = parseCacheControl('Max-Age="3600", no-cache, private="set-cookie", s-maxage=10')
    expect([...cc]).toEqual([['max-age', '3600'], ['no-cache', ''], ['private', 'set-cookie'], ['s-maxage', '10']])
  })

  it('ignores a directive name inside a quoted string (cache-tests freshness-max-age-ignore-quoted)', () => {
    expect(deltaSeconds(parseCacheControl('extension="max-age=100", max-age=1'), 'max-age')).toBe(1000)
    expect(deltaSeconds(parseCacheControl('max-age=1, extension="max-age=100"'), 'max-age')).toBe(1000)
  })

  it('keeps the first of duplicate directives (§4.2.1) and reads an invalid delta-seconds as 0 (§1.2.2; cache-tests freshness-max-age-single-quoted)', () => {
    expect(deltaSeconds(parseCacheControl('max-age=10, max-age=3600'), 'max-age')).toBe(10_000)
    expect(deltaSeconds(parseCacheControl("max-age='3600'"), 'max-age')).toBe(0)
    expect(deltaSeconds(parseCacheControl('max-age=-1'), 'max-age')).toBe(0)
  })
})

describe('freshness lifetime and age (RFC 9111 §4.2.1-4.2.3)', () => {
  it('prefers s-maxage (shared only), then max-age, then Expires - Date; an invalid Expires is stale (§5.3; cache-tests freshness-max-age-expires-invalid)', () => {
    const e = entry({ date, 'cache-control': 'max-age=60, s-maxage=600', expires: new Date(NOW + 3_600_000).toUTCString() })
    expect(freshnessLifetime(e, true, 0.1, 86_400_000)).toBe(600_000)
    expect(freshnessLifetime(e, false, 0.1, 86_400_000)).toBe(60_000)
    expect(freshnessLifetime(entry({ date, expires: new Date(NOW + 30_000).toUTCString() }), false, 0.1, 86_400_000)).toBe(30_000)
    expect(freshnessLifetime(entry({ date, expires: '0' }), false, 0.1, 86_400_000)).toBe(0)
    expect(freshnessLifetime(entry({ date, expires: '0', 'cache-control': 'max-age=3600' }), false, 0.1, 86_400_000)).toBe(3_600_000)
  })

  it('gives heuristic freshness only to heuristically cacheable statuses or public responses (§4.2.2)', () => {
    const lastModified = new Date(NOW - 10 * 86_400_000).toUTCString()
    expect(freshnessLifetime(entry({ date, 'last-modified': lastModified }), false, 0.1, 86_400_000)).toBe(86_400_000)
    expect(freshnessLifetime(entry({ date, 'last-modified': lastModified }, 201), false, 0.1, 86_400_000)).toBe(0)
    expect(freshnessLifetime(entry({ date, 'last-modified': lastModified, 'cache-control': 'public' }, 201), false, 0.1, 86_400_000)).toBe(86_400_000)
  })

  it('adds Age, the response delay and the resident time; ignores an Age that is not a non-negative integer (cache-tests age-parse-*)', () => {
    const e = { ...entry({ date, age: '15' }), requestTime: NOW - 2_000 }
    expect(currentAge(e, NOW + 5_000)).toBe(22_000)
    for (const age of ['abc', '-7200', '7200.0']) expect(currentAge(entry({ date, age }), NOW)).toBe(0)
  })

  it('validates rather than serves stale when must-revalidate forbids it, even under max-stale (§5.2.1.2, §5.2.2.2)', () => {
    const e = entry({ date, 'cache-control': 'max-age=1, must-revalidate' })
    expect(reuseOf(e, parseCacheControl('max-stale'), NOW + 5_000, false, 0.1, 86_400_000)).toBe('validate')
    const loose = entry({ date, 'cache-control': 'max-age=1' })
    expect(reuseOf(loose, parseCacheControl('max-stale'), NOW + 5_000, false, 0.1, 86_400_000)).toBe('fresh')
    expect(reuseOf(loose, parseCacheControl('max-stale=2'), NOW + 5_000, false, 0.1, 86_400_000)).toBe('validate')
  })
})
