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
import { holdAtServer, uniqueKey, useChaosServer } from './helpers/chaos.js'
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

/** Resolves once `n` requests of `key` reached the server. */
async function arrived(key: string, n: number): Promise<void> {
  await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(n), handshake)
}

/** Resolves once the server holds no request of `key` any more (it saw every abort). */
async function released(key: string): Promise<void> {
  await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(0), handshake)
}

describe('hedge()', () => {
  it('sends a hedge after the delay; the first answer wins and the slow attempt is aborted at the server', async () => {
    const key = uniqueKey('slow')
    const events: VolleyEvent[] = []
    const clock = createManualClock()
    const api = createClient({ baseURL: server().url, clock, use: [hedge({ after: 30 })], onEvent: (e) => events.push(e) })
    const call = api.raw.get<{ ok: boolean }>('/json', { onRequest: route([`/concurrency?ms=10000&key=${key}`]) })
    await arrived(key, 1)
    await clock.advance(30)
    const response = await call
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
    expect((hedgeEvent as { after: number }).after).toBe(30)
  })

  it('does not hedge a call that answers before the delay', async () => {
    // On the manual clock, which never moves here: the delay cannot run out first, however slow the answer.
    const api = createClient({ baseURL: server().url, clock: createManualClock(), use: [hedge({ after: 5_000 })] })
    const response = await api.raw.get('/json')
    expect(response.meta).toMatchObject({ attempts: 1, hedges: 0 })
    expect(server().stats.count()).toBe(1)
  })

  it('rides on its call\'s pool slot, given back once the loser has let go', async () => {
    const key = uniqueKey('slot')
    const pool = createPool({ concurrency: 4 })
    const clock = createManualClock()
    const api = createClient({ baseURL: server().url, clock, pool, use: [hedge({ after: 20 })] })
    let during = 0
    const slowFirst = route([`/concurrency?ms=10000&key=${key}`])
    const call = api.get('/json', {
      onRequest: (context) => {
        during = Math.max(during, pool.stats.active)
        slowFirst(context)
      },
    })
    await arrived(key, 1)
    await clock.advance(20)
    await call
    // The hedge's onRequest ran while the first attempt held the call's one slot.
    expect(during).toBe(1)
    await released(key)
    await vi.waitFor(() => expect(pool.stats.active).toBe(0), handshake)
  })

  it('sends at most `max` hedges, each a delay after the previous attempt', async () => {
    const key = uniqueKey('max')
    const clock = createManualClock()
    const after: number[] = []
    const api = createClient({
      baseURL: server().url,
      clock,
      use: [hedge({ after: 20, max: 2 })],
      onEvent: (e) => e.type === 'hedge' && after.push(e.after),
    })
    // Every attempt waits at the server until the test's own request makes a fourth.
    const path = `/concurrency?ms=0&until=4&key=${key}`
    const call = api.raw.get(path)
    await arrived(key, 1)
    await clock.advance(20)
    await arrived(key, 2)
    await clock.advance(20)
    await arrived(key, 3)
    await clock.advance(1_000) // a third hedge would be due long before
    expect(after).toEqual([20, 40])
    await fetch(`${server().url}${path}`)
    const response = await call
    expect(response.meta).toMatchObject({ attempts: 3, hedges: 2 })
    expect(server().stats.count('concurrency')).toBe(4) // the call's three and the test's own
    await released(key)
  })

  it('hedges only the methods it is given (GET, HEAD, OPTIONS by default)', async () => {
    const key = uniqueKey('post')
    const clock = createManualClock()
    const api = createClient({ baseURL: server().url, clock, use: [hedge({ after: 10 })] })
    const call = api.raw.post(holdAtServer(server, key).path, { body: { a: 1 } })
    await arrived(key, 1)
    await clock.advance(1_000) // a hedge would be due long before
    await holdAtServer(server, key).release()
    const response = await call
    expect(response.meta).toMatchObject({ attempts: 1, hedges: 0 })
    expect(server().stats.count('concurrency')).toBe(2) // the call's one and the test's own
  })

  it('never hedges a stream body (it can be sent once)', async () => {
    const key = uniqueKey('stream')
    const clock = createManualClock()
    const api = createClient({ baseURL: server().url, clock, use: [hedge({ after: 10, methods: ['PUT'] })] })
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('x'))
        controller.close()
      },
    })
    const call = api.raw.put(holdAtServer(server, key).path, { body, headers: { 'content-type': 'text/plain' } })
    await arrived(key, 1)
    await clock.advance(1_000) // a hedge would be due long before
    await holdAtServer(server, key).release()
    const response = await call
    expect(response.meta.hedges).toBe(0)
    expect(server().stats.count('concurrency')).toBe(2) // the call's one and the test's own
  })

  it('keeps racing when the hedge fails fast, and reports the failure in meta', async () => {
    const key = uniqueKey('fast-fail')
    const clock = createManualClock()
    const ended: number[] = []
    const api = createClient({
      baseURL: server().url,
      clock,
      retry: 0,
      use: [hedge({ after: 20 })],
      onEvent: (e) => e.type === 'attempt-end' && ended.push(e.attempt),
    })
    // Attempt 1 is held at the server until its hedge has failed.
    const call = api.raw.get('/json', { onRequest: route([holdAtServer(server, key).path, '/status/500']) })
    await arrived(key, 1)
    await clock.advance(20)
    await vi.waitFor(() => expect(ended).toEqual([2]), handshake)
    await holdAtServer(server, key).release()
    const response = await call
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
    const key = uniqueKey('refused')
    const clock = createManualClock()
    const api = createClient({ baseURL: server().url, clock, metrics, use: [refuse, hedge({ after: 10 })], onEvent: (e) => events.push(e) })
    // The answer is held at the server until the hedge was due and refused.
    const call = api.raw.get(holdAtServer(server, key).path)
    await arrived(key, 1)
    await clock.advance(10)
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'refused')).toMatchObject([{ attempt: 1, policy: 'no-hedges', kind: 'hedge' }]), handshake)
    await holdAtServer(server, key).release()
    const response = await call
    expect(response.meta).toMatchObject({ attempts: 1, hedges: 0, refused: 'no-hedges' })
    expect(server().stats.count()).toBe(2) // the call's one request and the test's own
    expect(metrics.snapshot()).toMatchObject({ hedges: 0, refused: { 'no-hedges': 1 } })
  })

  it('counts hedges in metrics', async () => {
    const key = uniqueKey('metrics')
    const metrics = createMetrics()
    const clock = createManualClock()
    const api = createClient({ baseURL: server().url, clock, metrics, use: [hedge({ after: 15 })] })
    const call = api.get('/json', { onRequest: route([`/concurrency?ms=10000&key=${key}`]) })
    await arrived(key, 1)
    await clock.advance(15)
    await call
    expect(metrics.snapshot()).toMatchObject({ calls: 1, attempts: 2, hedges: 1 })
    await released(key)
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
    const clock = createManualClock()
    const api = createClient({ baseURL: server().url, clock, use: [hedge({ after: 20 })] })
    const call = api.get(`/concurrency?ms=10000&key=${key}`, { signal: controller.signal })
    await arrived(key, 1)
    await clock.advance(20)
    await arrived(key, 2)
    controller.abort()
    expect(isAbortError(await call.catch((e: unknown) => e))).toBe(true)
    await released(key)
  })

  it('learns the delay from the p95 of recent attempts, per origin', async () => {
    // On the manual clock each call takes exactly as long as the test holds it at the server.
    const key = uniqueKey('p95')
    const clock = createManualClock()
    const policy = hedge({ after: 'p95', minSamples: 20 })
    const api = createClient({ baseURL: server().url, clock, use: [policy] })
    const origin = new URL(server().url).origin
    const callTaking = async (ms: number): Promise<void> => {
      const call = api.get(holdAtServer(server, key).path)
      await arrived(key, 1)
      await clock.advance(ms)
      await holdAtServer(server, key).release()
      await call
    }
    for (let i = 0; i < 19; i++) await callTaking(50)
    expect(policy.delay(origin)).toBeUndefined()
    await callTaking(50)
    // The sketch keeps ~1% relative error, and a delay is whole ms rounded up.
    expect(policy.delay(origin)).toBeGreaterThanOrEqual(50)
    expect(policy.delay(origin)).toBeLessThanOrEqual(51)
    // Faster calls (under the delay, so none is hedged) leave the 95th percentile where it was.
    for (let i = 0; i < 20; i++) await callTaking(40)
    const delay = policy.delay(origin)
    expect(delay).toBeGreaterThanOrEqual(50)
    expect(delay).toBeLessThanOrEqual(51)
    expect(server().stats.count('concurrency')).toBe(80) // no hedge: each call's one request and the test's own
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
