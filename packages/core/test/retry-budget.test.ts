import { inspect } from 'node:util'
import { describe, expect, it, vi } from 'vitest'
import {
  createClient,
  createManualClock,
  createMetrics,
  isHTTPError,
  isThrottledError,
  retryBudget,
  hedge,
  type AttemptOutcome,
  type VolleyEvent,
} from '@volley/core'
import { holdAtServer, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

const server = useChaosServer()
const fast = { limit: 2, delay: 1, jitter: 'none' as const }


/** A call's first attempt answered: what makes the budget count a call. */
function firstAttempt(origin: string): AttemptOutcome {
  return { origin, method: 'GET', attempt: 1, hedge: false, error: undefined, abandoned: false, status: 200, elapsedMs: 1, emit: () => {} }
}

describe('retryBudget()', () => {
  it('without a budget, retries triple the load on an origin that fails everything', async () => {
    const api = createClient({ baseURL: server().url, retry: fast })
    await Promise.all(Array.from({ length: 50 }, () => api.get('/status/503').catch(() => {})))
    expect(server().stats.count('status')).toBe(150)
  })

  it('keeps what retries add under `ratio` of the calls (or within `min` per window)', async () => {
    const api = createClient({ baseURL: server().url, retry: fast, use: [retryBudget({ ratio: 0.1, min: 2 })] })
    for (let i = 0; i < 200; i++) await api.get('/status/503').catch(() => {})
    // 200 calls may add 19 retries (under 10%: 20 would be 10%); each call would have made 2.
    expect(server().stats.count('status')).toBe(219)
  })

  it('with `retry: 3`, many concurrent calls to a failing origin add at most ratio + floor', async () => {
    const three = { ...fast, limit: 3 }
    const plain = createClient({ baseURL: server().url, retry: three })
    await Promise.all(Array.from({ length: 40 }, () => plain.get('/status/503').catch(() => {})))
    expect(server().stats.count('status')).toBe(160) // 4× without a budget
    const budget = retryBudget({ ratio: 0.1, min: 2 })
    const api = createClient({ baseURL: server().url, retry: three, use: [budget] })
    const settled: unknown[] = []
    await Promise.all(Array.from({ length: 100 }, () => api.get('/status/503').catch((e: unknown) => settled.push(e))))
    expect(settled).toHaveLength(100) // every call settles once, with the origin's error
    expect(settled.every((e) => isHTTPError(e) && e.status === 503)).toBe(true)
    const extra = server().stats.count('status') - 160 - 100
    expect(extra).toBeGreaterThanOrEqual(2) // the floor
    expect(extra).toBeLessThanOrEqual(10 + 2) // 10% of 100 calls, plus the floor
    expect(budget.state(new URL(server().url).origin)).toMatchObject({ calls: 100, retries: extra, available: 0 })
  })

  it('counts exactly, sequentially: 100 calls with `retry: 3` add 9 retries (strictly under 10%)', async () => {
    const api = createClient({ baseURL: server().url, retry: { ...fast, limit: 3 }, use: [retryBudget({ ratio: 0.1, min: 2 })] })
    for (let i = 0; i < 100; i++) await api.get('/status/503').catch(() => {})
    expect(server().stats.count('status')).toBe(109)
  })

  it('stays strictly under the ratio where floating point would round it up (0.07 × 100)', () => {
    const budget = retryBudget({ ratio: 0.07, min: 0, clock: createManualClock(0) })
    const origin = 'https://api.example'
    for (let i = 0; i < 100; i++) budget.attempted?.(firstAttempt(origin))
    let allowed = 0
    while (budget.allow?.(origin, 'retry')) allowed++
    expect(allowed).toBe(6) // 0.07 · 100 is 7.000000000000001 in floating point: 7 would be 7%
    expect(budget.state(origin)).toMatchObject({ calls: 100, retries: 6, available: 0 })
  })

  it('lets a quiet client retry up to `min` times per window', async () => {
    const api = createClient({ baseURL: server().url, retry: fast, use: [retryBudget({ min: 3 })] })
    for (let i = 0; i < 4; i++) await api.get('/status/503').catch(() => {})
    expect(server().stats.count('status')).toBe(4 + 3)
  })

  it('returns the failure at once when spent, with a refused event, meta.refused and metrics', async () => {
    const events: VolleyEvent[] = []
    const metrics = createMetrics()
    const budget = retryBudget({ min: 1 })
    const api = createClient({ baseURL: server().url, retry: fast, metrics, use: [budget], onEvent: (e) => events.push(e) })
    const first = await api.get('/status/503').catch((e: unknown) => e)
    expect(isHTTPError(first) && first.attempts).toBe(2) // the one retry of the window, then refused
    events.length = 0
    const second = await api.get('/status/503').catch((e: unknown) => e)
    expect(isHTTPError(second) && second.status).toBe(503)
    expect(isHTTPError(second) && second.attempts).toBe(1)
    expect((second as { meta: { refused?: string } }).meta.refused).toBe('retry-budget')
    expect(events.map((e) => e.type)).toEqual(['start', 'queued', 'sent', 'headers', 'attempt-end', 'refused', 'settle'])
    expect(events.find((e) => e.type === 'refused')).toMatchObject({ attempt: 1, policy: 'retry-budget', kind: 'retry' })
    expect(metrics.snapshot()).toMatchObject({ calls: 2, retries: 1, refused: { 'retry-budget': 2 }, errors: { ERR_HTTP: 2 } })
  })

  it('is shared by the clients that share it, per origin', async () => {
    const budget = retryBudget({ min: 2 })
    const a = createClient({ baseURL: server().url, retry: fast, use: [budget] })
    const b = createClient({ baseURL: server().url, retry: fast, use: [budget] })
    await a.get('/status/503').catch(() => {}) // spends both retries
    await b.get('/status/503').catch(() => {}) // none left
    expect(server().stats.count('status')).toBe(4)
    const origin = new URL(server().url).origin
    expect(budget.state(origin)).toMatchObject({ calls: 2, retries: 2, available: 0 })
    expect(budget.state('https://other.example')).toMatchObject({ calls: 0, retries: 0, available: 2 })
  })

  it('spends the budget on hedges too', async () => {
    const budget = retryBudget({ min: 1 })
    // On the manual clock, each call's request held at the server until its hedge was due: the
    // hedge is asked for whatever the machine's load.
    const clock = createManualClock()
    const api = createClient({ baseURL: server().url, clock, use: [budget, hedge({ after: 5 })] })
    const [one, two] = [holdAtServer(server), holdAtServer(server)]
    const events: VolleyEvent[] = []
    const first = api.raw.get(one.path)
    await vi.waitFor(() => expect(server().stats.concurrency(one.key).current).toBe(1), handshake)
    await clock.advance(5) // the hedge is the barrier's second request: both answer
    expect((await first).meta.hedges).toBe(1)
    const second = api.raw.get(two.path, { onEvent: (e) => events.push(e) })
    await vi.waitFor(() => expect(server().stats.concurrency(two.key).current).toBe(1), handshake)
    await clock.advance(5)
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'refused')).toMatchObject([{ policy: 'retry-budget', kind: 'hedge' }]), handshake)
    await two.release()
    expect((await second).meta).toMatchObject({ hedges: 0, refused: 'retry-budget' })
    // The first call and its hedge, then the second alone (and the test's own request).
    expect(server().stats.count('concurrency')).toBe(4)
  })

  it('slides: spent retries come back as the window moves on', async () => {
    const clock = createManualClock(1_000_000)
    const budget = retryBudget({ min: 1, window: 1_000, clock })
    const origin = 'https://api.example'
    budget.attempted?.(firstAttempt(origin))
    expect(budget.allow?.(origin, 'retry')).toBe(true)
    expect(budget.allow?.(origin, 'retry')).toBe(false)
    await clock.advance(500)
    expect(budget.allow?.(origin, 'retry')).toBe(false)
    await clock.advance(600)
    expect(budget.state(origin)).toMatchObject({ calls: 0, retries: 0, available: 1 })
    expect(budget.allow?.(origin, 'retry')).toBe(true)
  })

  it('remembers at most 1024 origins, forgetting the least recently used', () => {
    const budget = retryBudget({ min: 1, clock: createManualClock(0) })
    const hot = 'https://hot.example'
    budget.attempted?.(firstAttempt(hot))
    expect(budget.allow?.(hot, 'retry')).toBe(true)
    for (let i = 0; i < 1023; i++) budget.attempted?.(firstAttempt(`https://o${i}.example`))
    expect(budget.state(hot)).toMatchObject({ retries: 1, available: 0 }) // touched: now the most recent
    for (let i = 1023; i < 1030; i++) budget.attempted?.(firstAttempt(`https://o${i}.example`))
    expect(budget.state(hot)).toMatchObject({ calls: 1, retries: 1, available: 0 }) // still remembered
    expect(budget.state('https://o0.example')).toMatchObject({ calls: 0 }) // forgotten: least recently used
  })

  it('adaptive throttling refuses calls locally while the origin rejects most requests', async () => {
    let roll = 0.999
    const budget = retryBudget({ adaptive: true, random: () => roll })
    const api = createClient({ baseURL: server().url, retry: 0, use: [budget] })
    const origin = new URL(server().url).origin
    for (let i = 0; i < 10; i++) await api.get('/status/503').catch(() => {})
    // 10 requests, 0 accepts: refuse with probability 10/11.
    expect(budget.state(origin).rejectProbability).toBeCloseTo(10 / 11)
    roll = 0.5
    const refused = await api.get('/status/503').catch((e: unknown) => e)
    expect(isThrottledError(refused)).toBe(true)
    expect(isThrottledError(refused) && refused.request?.url).toContain('/status/503')
    const secret = await api.get('/status/503?token=s3cr3t', { headers: { authorization: 'Bearer s3cr3t' } }).catch((e: unknown) => e)
    expect(isThrottledError(secret)).toBe(true)
    expect(inspect(secret, { depth: 5 })).not.toContain('s3cr3t')
    expect(JSON.stringify(secret)).not.toContain('s3cr3t')
    expect(server().stats.count('status')).toBe(10)
    roll = 0.99
    await api.get('/json')
    // Accepts bring the probability down: (13 − 2·1) / 14 (the two throttled calls count as requests).
    expect(budget.state(origin)).toMatchObject({ requests: 13, accepts: 1 })
    expect(budget.state(origin).rejectProbability).toBeCloseTo(11 / 14)
    expect(retryBudget().state(origin).rejectProbability).toBe(0)
  })

  it('adaptive throttling counts a served but unparsable body as accepted, a 429 as not', async () => {
    const budget = retryBudget({ adaptive: { k: 2 }, random: () => 0.999 })
    const api = createClient({ baseURL: server().url, retry: 0, use: [budget] })
    const origin = new URL(server().url).origin
    await api.get('/invalid-json').catch(() => {}) // a ParseError: the origin served it
    await api.get('/status/429').catch(() => {})
    expect(budget.state(origin)).toMatchObject({ requests: 2, accepts: 1 })
    expect(budget.state(origin).rejectProbability).toBe(0) // 2 − 2·1 ≤ 0
  })

  it('rejects bad options with a clear TypeError', () => {
    expect(() => retryBudget({ ration: 0.1 } as never)).toThrow(/retryBudget\(\): unknown option `ration`; did you mean `ratio`\?/)
    expect(() => retryBudget({ ratio: 0 })).toThrow(/`ratio` must be a positive number/)
    expect(() => retryBudget({ min: 1.5 })).toThrow(/`min` must be a non-negative integer/)
    expect(() => retryBudget({ adaptive: 'yes' as never })).toThrow(/`adaptive` must be true, false or \{ k \}/)
    expect(() => retryBudget({ adaptive: { kk: 2 } as never })).toThrow(/unknown option `adaptive.kk`; did you mean `adaptive.k`\?/)
  })
})
