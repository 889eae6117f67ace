import { describe, expect, it, vi } from 'vitest'
import { startChaosServer } from '@volley/chaos-server'
import { createClient, createManualClock, isHTTPError, type HTTPError, type VolleyEvent } from '@volley/core'
import { uniqueKey, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

const server = useChaosServer()
const client = (options = {}) => createClient({ baseURL: server().url, retry: { delay: 1, jitter: 'none' }, ...options })

/** Gaps in ms between consecutive hits of a route, as the server saw them. */
function gaps(route: string): number[] {
  const times = server().stats.byRoute(route).map((hit) => hit.time)
  return times.slice(1).map((t, i) => t - times[i]!)
}

describe('retries', () => {
  it('retries a 503 twice by default and succeeds on the third attempt', async () => {
    const key = uniqueKey()
    const response = await client().raw.get<{ ok: boolean }>('/flaky', { query: { key, fail: 2 } })
    expect(response.data.ok).toBe(true)
    expect(response.meta.attempts).toBe(3)
    expect(response.meta.timings.map((t) => t.status)).toEqual([503, 503, 200])
    expect(server().stats.count('flaky')).toBe(3)
  })

  it('gives up after the limit with the last HTTPError and the earlier failures', async () => {
    const error = (await client().get('/status/500').catch((e: unknown) => e)) as HTTPError
    expect(isHTTPError(error)).toBe(true)
    expect(error.status).toBe(500)
    expect(error.attempts).toBe(3)
    expect(error.previous).toHaveLength(2)
    expect(server().stats.count('status')).toBe(3)
  })

  it('does not retry a 404', async () => {
    const error = (await client().get('/status/404').catch((e: unknown) => e)) as HTTPError
    expect(error.status).toBe(404)
    expect(error.attempts).toBe(1)
    expect(server().stats.count('status')).toBe(1)
  })

  it('honours Retry-After in seconds', async () => {
    const key = uniqueKey()
    await client().get('/retry-after', { query: { mode: 'seconds', value: 1, key, fail: 1 } })
    const [gap] = gaps('retry-after')
    expect(gap).toBeGreaterThanOrEqual(990)
  })

  it('honours Retry-After as an HTTP date', async () => {
    // The server dates its answer on the client's manual clock, so the wait is known to the ms:
    // 2 s after 00:00:00.250, rounded up to the date's whole second, is 00:00:03, 2750 ms away.
    const clock = createManualClock(Date.UTC(2026, 0, 1, 0, 0, 0, 250))
    const dated = await startChaosServer({ port: 0, now: () => clock.now() })
    try {
      const retries: VolleyEvent[] = []
      const api = createClient({ baseURL: dated.url, clock, retry: { delay: 1, jitter: 'none' }, onEvent: (e) => e.type === 'retry' && retries.push(e) })
      const call = api.get('/retry-after', { query: { mode: 'date', value: 2, key: uniqueKey(), fail: 1 } })
      await vi.waitFor(() => expect(retries).toMatchObject([{ delay: 2750, fromServer: true }]), handshake)
      await clock.advance(2749)
      expect(dated.stats.count('retry-after')).toBe(1)
      await clock.advance(1)
      await call
      expect(dated.stats.count('retry-after')).toBe(2)
    } finally {
      await dated.close()
    }
  })

  it('honours RateLimit-Reset and X-RateLimit-Reset', async () => {
    await client().get('/retry-after', { query: { mode: 'ratelimit-reset', value: 1, key: uniqueKey(), fail: 1 } })
    await client().get('/retry-after', { query: { mode: 'x-ratelimit-reset', value: 1, key: uniqueKey(), fail: 1 } })
    const [first, , third] = server().stats.byRoute('retry-after').map((h) => h.time)
    const all = server().stats.byRoute('retry-after').map((h) => h.time)
    expect(all).toHaveLength(4)
    expect(all[1]! - first!).toBeGreaterThanOrEqual(990)
    // X-RateLimit-Reset is an epoch second: the wait is at least what remains of that second.
    expect(all[3]! - third!).toBeGreaterThan(0)
  })

  it('caps a long Retry-After at maxRetryAfter', async () => {
    // On the manual clock: the call goes on once the capped 50 ms have passed, not the 30 s asked.
    const clock = createManualClock()
    const retries: VolleyEvent[] = []
    const api = client({ clock, retry: { maxRetryAfter: 50, delay: 1 }, onEvent: (e: VolleyEvent) => e.type === 'retry' && retries.push(e) })
    const call = api.get('/retry-after', { query: { mode: 'seconds', value: 30, key: uniqueKey(), fail: 1 } })
    await vi.waitFor(() => expect(retries).toMatchObject([{ delay: 50, fromServer: true, requested: 30_000 }]), handshake)
    await clock.advance(50)
    await call
    expect(server().stats.count('retry-after')).toBe(2)
  })

  it('fails at once when the server asks for a wait that would cross the total deadline', async () => {
    const key = uniqueKey()
    const error = (await client()
      .get('/retry-after', { query: { mode: 'seconds', value: 5, key, fail: 1, status: 503 }, timeout: 1000 })
      .catch((e: unknown) => e)) as HTTPError
    // The real reason (a 503), not a timeout after a pointless sleep.
    expect(isHTTPError(error)).toBe(true)
    expect(error.status).toBe(503)
    expect(error.attempts).toBe(1)
    expect(server().stats.count('retry-after')).toBe(1)
  })

  it('does not retry a POST unless asked', async () => {
    const key = uniqueKey()
    const error = (await client().post('/flaky', { query: { key, fail: 1 }, body: { a: 1 } }).catch((e: unknown) => e)) as HTTPError
    expect(error.status).toBe(503)
    expect(server().stats.count('flaky')).toBe(1)
  })

  it('retries a POST with an idempotency key, sending the same key on every attempt', async () => {
    const key = uniqueKey()
    await client().post('/flaky', { query: { key, fail: 2 }, body: { a: 1 }, idempotencyKey: true })
    const keys = server().stats.byRoute('flaky').map((hit) => hit.headers['idempotency-key'])
    expect(keys).toHaveLength(3)
    expect(keys[0]).toMatch(/^[0-9a-f-]{32,36}$/)
    expect(new Set(keys).size).toBe(1)
  })

  it('retries a POST when the methods list includes it', async () => {
    const key = uniqueKey()
    await client({ retry: { methods: ['POST'], delay: 1 } }).post('/flaky', { query: { key, fail: 1 }, body: 'x' })
    expect(server().stats.count('flaky')).toBe(2)
  })

  it('lets shouldRetry veto and onRetry observe', async () => {
    const onRetry = vi.fn()
    const shouldRetry = vi.fn(({ attempt }: { attempt: number }) => attempt < 2)
    const error = (await client({ retry: { limit: 5, delay: 1, jitter: 'none', shouldRetry, onRetry } })
      .get('/status/503')
      .catch((e: unknown) => e)) as HTTPError
    expect(error.attempts).toBe(2)
    expect(shouldRetry).toHaveBeenCalledTimes(2)
    expect(onRetry).toHaveBeenCalledTimes(1)
    expect(onRetry.mock.calls[0]![0]).toMatchObject({ attempt: 1, method: 'GET', delay: 1 })
  })

  it('retries a connection reset mid-body', async () => {
    const error = await client({ retry: { limit: 1, delay: 1 } })
      .get('/reset', { query: { after: 100 }, responseType: 'arrayBuffer' })
      .catch((e: unknown) => e)
    expect((error as { code: string }).code).toBe('ERR_NETWORK')
    expect(server().stats.count('reset')).toBe(2)
  })

  it('never retries a user abort and settles at once', async () => {
    const controller = new AbortController()
    const pending = client({ retry: { limit: 5 } }).get('/delay/5000', { signal: controller.signal })
    // Aborted once the server holds the request, however long a loaded machine takes to send it.
    await vi.waitFor(() => expect(server().stats.count('delay')).toBe(1), handshake)
    controller.abort(new Error('user left'))
    const error = (await pending.catch((e: unknown) => e)) as { code: string; reason: Error; attempts: number }
    expect(error.code).toBe('ERR_ABORTED')
    expect(error.reason.message).toBe('user left')
    expect(error.attempts).toBe(1)
    expect(server().stats.count('delay')).toBe(1)
  })

  it('aborts during a retry wait without waiting it out', async () => {
    const controller = new AbortController()
    let waiting = false
    const pending = client({ retry: { limit: 3, delay: 10_000, jitter: 'none' }, onEvent: (e: VolleyEvent) => void (e.type === 'retry' && (waiting = true)) }).get('/status/503', { signal: controller.signal })
    // The client's own word that it is in the retry wait: the server's hit comes before the 503 is read.
    await vi.waitFor(() => expect(waiting).toBe(true), handshake)
    controller.abort()
    const error = (await pending.catch((e: unknown) => e)) as { code: string; previous: unknown[] }
    expect(error.code).toBe('ERR_ABORTED')
    expect(error.previous).toHaveLength(1)
  })
})
