import { describe, expect, it, vi } from 'vitest'
import { createClient, createManualClock, createPool, createRateLimiter, dedupe, isAbortError, type VolleyEvent } from '@volley/core'
import { holdAtServer, uniqueKey, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

const server = useChaosServer()

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength
  return bytes
}

describe('dedupe()', () => {
  it('shares one request among identical GETs in flight; each caller gets its own data', async () => {
    const key = uniqueKey('same')
    const events: VolleyEvent[] = []
    const policy = dedupe()
    const api = createClient({ baseURL: server().url, use: [policy], onEvent: (e) => events.push(e) })
    const calls = Array.from({ length: 5 }, () => api.get<{ current: number }>(`/concurrency?ms=80&key=${key}`))
    await vi.waitFor(() => expect(policy.inFlight).toBe(1), handshake)
    const results = await Promise.all(calls)
    expect(server().stats.count('concurrency')).toBe(1)
    expect(new Set(results).size).toBe(5)
    expect(results.every((r) => r.current === 1)).toBe(true)
    expect(policy.inFlight).toBe(0)
    expect(events.filter((e) => e.type === 'shared').map((e) => (e as { callers: number }).callers)).toEqual([2, 3, 4, 5])
    // Once the headers came, a new call makes a new request.
    await api.get(`/concurrency?ms=1&key=${key}`)
    expect(server().stats.count('concurrency')).toBe(2)
  })

  it('keeps requests apart that differ in method, URL, Accept or Authorization', async () => {
    const api = createClient({ baseURL: server().url, use: [dedupe()] })
    const key = uniqueKey('apart')
    const path = `/concurrency?ms=60&key=${key}`
    await Promise.all([
      api.get(path),
      api.get(path, { headers: { authorization: 'Bearer a' } }),
      api.get(path, { headers: { authorization: 'Bearer b' } }),
      api.get(path, { headers: { accept: 'text/plain' } }),
      api.get(`${path}&x=1`),
      api.head(path),
    ])
    expect(server().stats.count('concurrency')).toBe(6)
  })

  it('never shares a POST or a request with a body', async () => {
    const api = createClient({ baseURL: server().url, use: [dedupe({ methods: ['GET', 'POST'] })] })
    const key = uniqueKey('post')
    await Promise.all([api.post(`/concurrency?ms=40&key=${key}`, { body: { a: 1 } }), api.post(`/concurrency?ms=40&key=${key}`, { body: { a: 1 } })])
    expect(server().stats.count('concurrency')).toBe(2)
  })

  it('takes a key function, and shares nothing it leaves undefined', async () => {
    const byPath = dedupe({ key: ({ url }) => new URL(url).pathname })
    const api = createClient({ baseURL: server().url, use: [byPath] })
    await Promise.all([api.get('/delay/40?a=1'), api.get('/delay/40?a=2')])
    expect(server().stats.count('delay')).toBe(1)
    const never = createClient({ baseURL: server().url, use: [dedupe({ key: () => undefined })] })
    await Promise.all([never.get('/delay/40'), never.get('/delay/40')])
    expect(server().stats.count('delay')).toBe(3)
  })

  it('gives each caller its own body stream; one cancelling early leaves the others whole', async () => {
    const api = createClient({ baseURL: server().url, use: [dedupe()] })
    const path = '/bytes/300000?chunkSize=16384'
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => api.get<ReadableStream<Uint8Array>>(path, { responseType: 'stream' })))
    await a!.cancel()
    const [bytesB, bytesC] = await Promise.all([drain(b!), drain(c!)])
    expect([bytesB, bytesC]).toEqual([300000, 300000])
    expect(server().stats.count('bytes')).toBe(1)
  })

  it("one caller's abort leaves the shared request to the others", async () => {
    const key = uniqueKey('abort-one')
    const api = createClient({ baseURL: server().url, use: [dedupe()] })
    const controller = new AbortController()
    // The shared request is held at the server until the test has aborted the first caller.
    const held = holdAtServer(server, key)
    const first = api.get(held.path, { signal: controller.signal })
    const second = api.get<{ current: number }>(held.path)
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(1), handshake)
    controller.abort()
    expect(isAbortError(await first.catch((e: unknown) => e))).toBe(true)
    await held.release()
    expect(await second).toMatchObject({ current: 1 })
    expect(server().stats.count('concurrency')).toBe(2) // the shared request and the test's own
  })

  it('close() drains a call that rides on a request in flight, as it drains the call that sent it', async () => {
    const key = uniqueKey('close')
    const events: VolleyEvent[] = []
    const api = createClient({ baseURL: server().url, use: [dedupe()], onEvent: (e) => events.push(e) })
    const held = holdAtServer(server, key)
    const leader = api.get<{ current: number }>(held.path)
    const joiner = api.get<{ current: number }>(held.path)
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(1), handshake)
    await vi.waitFor(() => expect(events.some((e) => e.type === 'shared')).toBe(true), handshake)
    const closed = api.close()
    await held.release()
    await closed
    // Both answered from the one request (not ClientClosedError for the joiner).
    expect(await leader).toMatchObject({ current: 1 })
    expect(await joiner).toMatchObject({ current: 1 })
    expect(server().stats.count('concurrency')).toBe(2) // the shared request and the test's own
  })

  it('aborts the request at the server once every caller has aborted', async () => {
    const key = uniqueKey('abort-all')
    const api = createClient({ baseURL: server().url, use: [dedupe()] })
    const controller = new AbortController()
    const calls = [0, 1, 2].map(() => api.get(`/concurrency?ms=10000&key=${key}`, { signal: controller.signal }).catch((e: unknown) => e))
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(1), handshake)
    controller.abort()
    expect((await Promise.all(calls)).every(isAbortError)).toBe(true)
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(0), handshake)
  })

  it('shares a failure, and each caller retries on its own (the retries share again)', async () => {
    const key = uniqueKey('flaky')
    const api = createClient({ baseURL: server().url, retry: { limit: 1, delay: 20, jitter: 'none' }, use: [dedupe()] })
    const results = await Promise.all([0, 1, 2].map(() => api.raw.get<{ ok: boolean }>(`/flaky?key=${key}&fail=1`)))
    // Each caller went through two attempts; only the one that started a request counts it.
    expect(results.map((r) => [r.status, r.meta.timings.length])).toEqual([
      [200, 2],
      [200, 2],
      [200, 2],
    ])
    expect(results.reduce((sum, r) => sum + r.meta.attempts, 0)).toBe(2)
    expect(results.flatMap((r) => r.meta.timings).filter((t) => t.shared)).toHaveLength(4)
    expect(server().stats.count('flaky')).toBe(2)
  })

  it('shares before admission: identical GETs under a pool of 2 and a limiter take one slot and one token', async () => {
    const key = uniqueKey('pool')
    const pool = createPool({ concurrency: 2 })
    // The limiter's clock stands still, so a token taken is not refilled while the test looks.
    const limiter = createRateLimiter({ limit: 10, interval: 60_000, burst: 9, clock: createManualClock(1000) })
    const events: VolleyEvent[] = []
    const api = createClient({ baseURL: server().url, pool, rateLimit: limiter, use: [dedupe()], onEvent: (e) => events.push(e) })
    const results = await Promise.all(Array.from({ length: 10 }, () => api.raw.get<{ current: number }>(`/concurrency?ms=30&key=${key}`)))
    expect(server().stats.count('concurrency')).toBe(1)
    expect(results.every((r) => r.data.current === 1)).toBe(true)
    expect(pool.stats).toMatchObject({ active: 0, queued: 0, completed: 1 })
    expect(limiter.state(server().origin).tokens).toBe(9)
    expect(events.filter((e) => e.type === 'slot')).toHaveLength(1)
    expect(results.reduce((sum, r) => sum + r.meta.attempts, 0)).toBe(1)
  })

  it('lets joiners go on alone when the leader leaves before sending, and one of them leads', async () => {
    const key = uniqueKey('orphan')
    const pool = createPool({ concurrency: 1 })
    const events: VolleyEvent[] = []
    const api = createClient({ baseURL: server().url, pool, use: [dedupe()], onEvent: (e) => events.push(e) })
    // Hold the only slot, so the leader of the identical calls waits in line.
    const holder = new AbortController()
    const held = api.get(`/concurrency?ms=10000&key=${uniqueKey('holder')}`, { signal: holder.signal }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(pool.stats.active).toBe(1), handshake)
    const leaving = new AbortController()
    const leader = api.get(`/concurrency?ms=1&key=${key}`, { signal: leaving.signal }).catch((e: unknown) => e)
    const joiners = [0, 1].map(() => api.get<{ current: number }>(`/concurrency?ms=1&key=${key}`))
    // Joining is synchronous: the joiners wait for the leader without a place in the pool's line.
    expect(events.filter((e) => e.type === 'shared')).toHaveLength(2)
    await vi.waitFor(() => expect(pool.stats.queued).toBe(1), handshake)
    leaving.abort()
    expect(isAbortError(await leader)).toBe(true)
    // One joiner leads now and waits in line; the other joined it.
    await vi.waitFor(() => expect(pool.stats.queued).toBe(1), handshake)
    expect(events.filter((e) => e.type === 'shared')).toHaveLength(3)
    holder.abort()
    expect(isAbortError(await held)).toBe(true)
    expect((await Promise.all(joiners)).map((r) => r.current)).toEqual([1, 1])
    expect(server().stats.count('concurrency')).toBe(2)
  })

  it('rejects bad options with a clear TypeError', () => {
    expect(() => dedupe({ header: ['x'] } as never)).toThrow(/dedupe\(\): unknown option `header`; did you mean `headers`\?/)
    expect(() => dedupe({ key: 'url' as never })).toThrow(/`key` must be a function/)
  })
})
