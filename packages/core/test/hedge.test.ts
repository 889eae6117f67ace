import { describe, expect, it, vi } from 'vitest'
import {
  createClient,
  createManualClock,
  createMetrics,
  createPool,
  hedge,
  isAbortError,
  isTimeoutError,
  type Policy,
  type VolleyEvent,
  type VolleyOptions,
} from '@volley/core'
import { uniqueKey, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

const server = useChaosServer()

/**
 * Sends the attempts of a call, in the order they start, to the given paths (the rest to the
 * call's own URL): the real server answers each, slow or fast, so which attempt wins is known.
 */
type OnRequest = Extract<NonNullable<VolleyOptions['onRequest']>, (...args: never[]) => unknown>

function route(paths: string[]): OnRequest {
  let n = 0
  return (context) => {
    const path = paths[n++]
    if (path !== undefined) context.request = `${server().url}${path}`
  }
}

/** Resolves once the server holds no request of `key` any more (it saw every abort). */
async function released(key: string): Promise<void> {
  await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(0), handshake)
}

describe('hedge()', () => {
  it('sends a hedge after the delay; the first answer wins and the slow attempt is aborted at the server', async () => {
    const key = uniqueKey('slow')
    const events: VolleyEvent[] = []
    const api = createClient({ baseURL: server().url, use: [hedge({ after: 30 })], onEvent: (e) => events.push(e) })
    const response = await api.raw.get<{ ok: boolean }>('/json', { onRequest: route([`/concurrency?ms=10000&key=${key}`]) })
    expect(response.status).toBe(200)
    expect(response.meta).toMatchObject({ attempts: 2, hedges: 1, retries: 0 })
    expect(server().stats.count('concurrency')).toBe(1)
    expect(server().stats.count('json')).toBe(1)
    await released(key)
    const types = events.map((e) => `${e.type}${'attempt' in e ? `:${e.attempt}` : ''}`)
    expect(types).toEqual(['start', 'queued:1', 'sent:1', 'queued:2', 'hedge:2', 'sent:2', 'headers:2', 'attempt-end:1', 'attempt-end:2', 'settle'])
    const loser = events.find((e) => e.type === 'attempt-end' && e.attempt === 1)
    expect(loser).toMatchObject({ error: 'ERR_ABORTED' })
    const hedgeEvent = events.find((e) => e.type === 'hedge')
    expect(hedgeEvent).toMatchObject({ attempt: 2 })
    expect((hedgeEvent as { after: number }).after).toBeGreaterThanOrEqual(29)
  })

  it('does not hedge a call that answers before the delay', async () => {
    const api = createClient({ baseURL: server().url, use: [hedge({ after: 5_000 })] })
    const response = await api.raw.get('/json')
    expect(response.meta).toMatchObject({ attempts: 1, hedges: 0 })
    expect(server().stats.count()).toBe(1)
  })

  it('rides on its call\'s pool slot, given back once the loser has let go', async () => {
    const key = uniqueKey('slot')
    const pool = createPool({ concurrency: 4 })
    const api = createClient({ baseURL: server().url, pool, use: [hedge({ after: 20 })] })
    let during = 0
    const slowFirst = route([`/concurrency?ms=10000&key=${key}`])
    const call = api.get('/json', {
      onRequest: (context) => {
        during = Math.max(during, pool.stats.active)
        slowFirst(context)
      },
    })
    await call
    // The hedge's onRequest ran while the first attempt held the call's one slot.
    expect(during).toBe(1)
    await released(key)
    await vi.waitFor(() => expect(pool.stats.active).toBe(0), handshake)
  })

  it('sends at most `max` hedges, each a delay after the previous attempt', async () => {
    const key = uniqueKey('max')
    const api = createClient({ baseURL: server().url, use: [hedge({ after: 20, max: 2 })] })
    const response = await api.raw.get(`/concurrency?ms=2000&key=${key}`)
    expect(response.meta).toMatchObject({ attempts: 3, hedges: 2 })
    expect(server().stats.count('concurrency')).toBe(3)
    await released(key)
  })

  it('hedges only the methods it is given (GET, HEAD, OPTIONS by default)', async () => {
    const key = uniqueKey('post')
    const api = createClient({ baseURL: server().url, use: [hedge({ after: 10 })] })
    const response = await api.raw.post(`/concurrency?ms=80&key=${key}`, { body: { a: 1 } })
    expect(response.meta).toMatchObject({ attempts: 1, hedges: 0 })
    expect(server().stats.count('concurrency')).toBe(1)
  })

  it('never hedges a stream body (it can be sent once)', async () => {
    const key = uniqueKey('stream')
    const api = createClient({ baseURL: server().url, use: [hedge({ after: 10, methods: ['PUT'] })] })
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('x'))
        controller.close()
      },
    })
    const response = await api.raw.put(`/concurrency?ms=80&key=${key}`, { body, headers: { 'content-type': 'text/plain' } })
    expect(response.meta.hedges).toBe(0)
    expect(server().stats.count('concurrency')).toBe(1)
  })

  it('keeps racing when the hedge fails fast, and reports the failure in meta', async () => {
    const api = createClient({ baseURL: server().url, retry: 0, use: [hedge({ after: 20 })] })
    const response = await api.raw.get('/delay/2000', { onRequest: route(['/delay/2000', '/status/500']) })
    expect(response.status).toBe(200)
    expect(response.meta).toMatchObject({ attempts: 2, hedges: 1 })
    expect(response.meta.timings.map((t) => [t.attempt, t.error])).toEqual([
      [2, 'ERR_HTTP'],
      [1, undefined],
    ])
  })

  it('goes to the retry decision when every attempt of the race failed', async () => {
    // On the manual clock, so the 150 ms attempt limit cuts attempt 1 when the test says so and
    // never the retry, however slowly a loaded machine answers it.
    const clock = createManualClock()
    const ended: number[] = []
    const api = createClient({
      baseURL: server().url,
      clock,
      retry: { limit: 1, delay: 1 },
      timeout: { attempt: 150 },
      use: [hedge({ after: 20 })],
      onEvent: (e) => e.type === 'attempt-end' && ended.push(e.attempt),
    })
    // Attempt 1 times out at 150 ms; its hedge (attempt 2) fails at once; the retry (attempt 3) answers.
    const call = api.raw.get('/json', { onRequest: route(['/delay/5000', '/status/503']) })
    await vi.waitFor(() => expect(server().stats.count('delay')).toBe(1), handshake)
    await clock.advance(20)
    await vi.waitFor(() => expect(ended).toEqual([2]), handshake)
    await clock.advance(130)
    await vi.waitFor(() => expect(ended).toEqual([2, 1]), handshake)
    await clock.advance(1)
    const response = await call
    expect(response.status).toBe(200)
    expect(response.meta).toMatchObject({ attempts: 3, hedges: 1, retries: 1 })
    expect(response.meta.timings.map((t) => [t.attempt, t.error])).toEqual([
      [2, 'ERR_HTTP'],
      [1, 'ERR_TIMEOUT'],
      [3, undefined],
    ])
    expect(server().stats.count('json')).toBe(1)
  })

  it('asks the policies before spending a hedge, and says who refused', async () => {
    const events: VolleyEvent[] = []
    const refuse: Policy = { name: 'no-hedges', allow: (_origin, kind) => kind !== 'hedge' }
    const metrics = createMetrics()
    const api = createClient({ baseURL: server().url, metrics, use: [refuse, hedge({ after: 10 })], onEvent: (e) => events.push(e) })
    // 1 s of answer against a 10 ms hedge delay: the hedge is due long before, even on a loaded machine.
    const response = await api.raw.get('/delay/1000')
    expect(response.meta).toMatchObject({ attempts: 1, hedges: 0, refused: 'no-hedges' })
    expect(events.filter((e) => e.type === 'refused')).toMatchObject([{ attempt: 1, policy: 'no-hedges', kind: 'hedge' }])
    expect(server().stats.count()).toBe(1)
    expect(metrics.snapshot()).toMatchObject({ hedges: 0, refused: { 'no-hedges': 1 } })
  })

  it('counts hedges in metrics', async () => {
    const metrics = createMetrics()
    const api = createClient({ baseURL: server().url, metrics, use: [hedge({ after: 15 })] })
    await api.get('/delay/2000', { onRequest: route(['/delay/2000', '/json']) })
    expect(metrics.snapshot()).toMatchObject({ calls: 1, attempts: 2, hedges: 1 })
  })

  it('a total timeout ends the race and aborts every attempt at the server', async () => {
    const key = uniqueKey('total')
    const clock = createManualClock()
    const api = createClient({ baseURL: server().url, clock, timeout: { total: 150 }, use: [hedge({ after: 20 })] })
    const call = api.get(`/concurrency?ms=10000&key=${key}`).catch((e: unknown) => e)
    await vi.waitFor(() => expect(server().stats.count('concurrency')).toBe(1), handshake)
    await clock.advance(20)
    await vi.waitFor(() => expect(server().stats.count('concurrency')).toBe(2), handshake)
    await clock.advance(130)
    const error = await call
    expect(isTimeoutError(error) && error.phase).toBe('total')
    expect(server().stats.count('concurrency')).toBe(2)
    await released(key)
  })

  it("the caller's abort ends the race and aborts every attempt", async () => {
    const key = uniqueKey('abort')
    const controller = new AbortController()
    const api = createClient({ baseURL: server().url, use: [hedge({ after: 20 })] })
    const call = api.get(`/concurrency?ms=10000&key=${key}`, { signal: controller.signal })
    await vi.waitFor(() => expect(server().stats.count('concurrency')).toBe(2), handshake)
    controller.abort()
    expect(isAbortError(await call.catch((e: unknown) => e))).toBe(true)
    await released(key)
  })

  it('learns the delay from the p95 of recent attempts, per origin', async () => {
    const policy = hedge({ after: 'p95', minSamples: 20 })
    const api = createClient({ baseURL: server().url, use: [policy] })
    const origin = new URL(server().url).origin
    for (let i = 0; i < 19; i++) await api.get('/json')
    expect(policy.delay(origin)).toBeUndefined()
    for (let i = 0; i < 21; i++) await api.get('/json')
    const delay = policy.delay(origin)
    expect(delay).toBeGreaterThanOrEqual(0)
    // Loopback JSON answers in a few ms; a p95 of a second would mean the sketch is wrong.
    expect(delay).toBeLessThan(1_000)
    expect(policy.delay('https://elsewhere.example')).toBeUndefined()
    expect(hedge({ after: 'p95', minDelay: 50 }).delay(origin)).toBeUndefined()
  })

  it('rejects bad options with a clear TypeError', () => {
    expect(() => hedge({ afer: 10 } as never)).toThrow(/hedge\(\): unknown option `afer`; did you mean `after`\?/)
    expect(() => hedge({ after: 'fast' as never })).toThrow(/`after` must be a delay in ms/)
    expect(() => hedge({ after: -1 })).toThrow(/`after` must be a delay in ms/)
    expect(() => hedge({ max: 0 })).toThrow(/`max` must be a positive integer/)
    expect(() => hedge('p95' as never)).toThrow(/`options` must be an object/)
  })
})
