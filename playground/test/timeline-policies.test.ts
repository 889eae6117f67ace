import { describe, expect, it } from 'vitest'
import type { VolleyEvent } from '@volley/browser'
import { circuitBands, marksOf, segmentsOf } from '../src/timeline-draw.js'
import { createTimelineModel } from '../src/timeline-model.js'
import { describeAttempt } from '../src/timeline-tooltip.js'

/** The events one client emitted for a hedged call, a refused retry, an offline wait and a breaker (as volley emits them, in order). */
const EVENTS: VolleyEvent[] = [
  { type: 'start', id: 1, time: 0, method: 'GET', url: 'http://x/tail' },
  { type: 'queued', id: 1, time: 0, attempt: 1 },
  { type: 'sent', id: 1, time: 1, attempt: 1, queuedMs: 1 },
  { type: 'queued', id: 1, time: 50, attempt: 2 },
  { type: 'hedge', id: 1, time: 50, attempt: 2, after: 50 },
  { type: 'sent', id: 1, time: 50, attempt: 2, queuedMs: 0 },
  { type: 'headers', id: 1, time: 60, attempt: 2, status: 200, ttfbMs: 10 },
  { type: 'attempt-end', id: 1, time: 61, attempt: 1, status: undefined, error: 'ERR_ABORTED', message: 'aborted', durationMs: 60, bytesIn: 0, bytesOut: 0 },
  { type: 'attempt-end', id: 1, time: 62, attempt: 2, status: 200, error: undefined, message: undefined, durationMs: 12, bytesIn: 10, bytesOut: 0 },
  { type: 'start', id: 2, time: 100, method: 'GET', url: 'http://x/flap' },
  { type: 'queued', id: 2, time: 100, attempt: 1 },
  { type: 'offline', id: 2, time: 100, attempt: 1, waiting: true },
  { type: 'offline', id: 2, time: 300, attempt: 1, waiting: false },
  { type: 'sent', id: 2, time: 300, attempt: 1, queuedMs: 200 },
  { type: 'attempt-end', id: 2, time: 310, attempt: 1, status: 503, error: 'ERR_HTTP', message: '503', durationMs: 10, bytesIn: 0, bytesOut: 0 },
  { type: 'circuit', id: 2, time: 310, origin: 'http://x', state: 'open', retryAt: 2310 },
  { type: 'refused', id: 2, time: 311, attempt: 1, policy: 'retry-budget', kind: 'retry' },
  { type: 'shared', id: 2, time: 311, attempt: 1, callers: 3 },
  { type: 'settle', id: 2, time: 312, ok: false, status: 503, error: 'ERR_HTTP', message: '503', meta: {} as never },
  { type: 'start', id: 3, time: 400, method: 'GET', url: 'http://x/cacheable/1' },
  { type: 'cache', id: 3, time: 401, status: 'hit' },
  { type: 'settle', id: 3, time: 402, ok: true, status: 200, error: undefined, message: undefined, meta: {} as never },
  { type: 'start', id: 4, time: 500, method: 'GET', url: 'http://x/cacheable/2' },
  { type: 'queued', id: 4, time: 500, attempt: 1 },
  { type: 'sent', id: 4, time: 500, attempt: 1, queuedMs: 0 },
  { type: 'headers', id: 4, time: 540, attempt: 1, status: 200, ttfbMs: 40 },
  { type: 'cache', id: 4, time: 540, status: 'revalidated' },
  { type: 'attempt-end', id: 4, time: 541, attempt: 1, status: 200, error: undefined, message: undefined, durationMs: 41, bytesIn: 0, bytesOut: 0 },
  { type: 'settle', id: 4, time: 541, ok: true, status: 200, error: undefined, message: undefined, meta: {} as never },
  { type: 'circuit', id: 1, time: 2310, origin: 'http://x', state: 'half-open', retryAt: undefined },
  { type: 'circuit', id: 1, time: 2400, origin: 'http://x', state: 'closed', retryAt: undefined },
]

describe('the timeline and the resilience policies', () => {
  it('marks a cache hit (a row with no attempt) and a revalidation where the cache said so', () => {
    const model = createTimelineModel()
    for (const event of EVENTS) model.apply(event)
    const [, , hit, revalidated] = model.rows
    expect([hit?.cache, hit?.attempts.length, marksOf(hit!)]).toEqual(['hit', 0, [{ kind: 'cacheHit', at: 401 }]])
    expect(marksOf(revalidated!)).toEqual([{ kind: 'revalidated', at: 540 }])
  })

  const model = createTimelineModel()
  for (const event of EVENTS) model.apply(event)
  const [hedged, paused] = model.rows as [NonNullable<(typeof model.rows)[0]>, NonNullable<(typeof model.rows)[0]>]

  it('gives a hedge its own attempt, and each end to the attempt it names', () => {
    expect(hedged.attempts.map((a) => [a.number, a.hedge, a.error, a.status])).toEqual([
      [1, false, 'ERR_ABORTED', undefined],
      [2, true, undefined, 200],
    ])
    expect(marksOf(hedged)).toEqual([{ kind: 'hedge', at: 50 }])
    const flights = segmentsOf(hedged, { pool: false, limiter: false }, 100).filter((s) => s.kind !== 'queued')
    expect(flights.map((s) => [s.attempt, s.kind, s.from, s.to])).toEqual([
      [1, 'aborted', 1, 61],
      [2, 'ok', 50, 62],
    ])
  })

  it('draws no slot wait for a hedge in a pool: it rides on the slot of the attempt it races, and only waits for a token', () => {
    const pooled = createTimelineModel()
    const events: VolleyEvent[] = [
      { type: 'start', id: 1, time: 0, method: 'GET', url: 'http://x/tail' },
      { type: 'queued', id: 1, time: 0, attempt: 1 },
      { type: 'slot', id: 1, time: 10, attempt: 1 },
      { type: 'sent', id: 1, time: 12, attempt: 1, queuedMs: 12 },
      // The hedge is queued 50 ms after its original was sent and waits 20 ms for a token, no slot.
      { type: 'queued', id: 1, time: 62, attempt: 2 },
      { type: 'hedge', id: 1, time: 82, attempt: 2, after: 70 },
      { type: 'sent', id: 1, time: 82, attempt: 2, queuedMs: 20 },
    ]
    for (const event of events) pooled.apply(event)
    const row = pooled.rows[0]!
    const admission = { pool: true, limiter: true, concurrency: 4, rateLimit: { limit: 5, interval: 1000 } }
    const waits = segmentsOf(row, admission, 100).filter((s) => s.kind === 'queued' || s.kind === 'token')
    expect(waits.map((s) => [s.attempt, s.kind, s.from, s.to])).toEqual([
      [1, 'queued', 0, 10],
      [1, 'token', 10, 12],
      [2, 'token', 62, 82],
    ])
    const hedge = describeAttempt(row, row.attempts[1], admission, [], 100).lines.join('\n')
    expect(hedge).toContain('token wait 20 ms')
    expect(hedge).not.toContain('slot wait')
    expect(describeAttempt(row, row.attempts[0], admission, [], 100).lines.join('\n')).toContain('slot wait 10 ms (pool of 4 full)')
  })

  it('marks refusals, spans the offline wait and counts shared callers', () => {
    expect(marksOf(paused)).toEqual([{ kind: 'refused', at: 311 }])
    expect(paused.offline).toEqual([{ from: 100, to: 300 }])
    expect(segmentsOf(paused, { pool: false, limiter: false }, 400).find((s) => s.kind === 'offline')).toMatchObject({ from: 100, to: 300 })
    expect(paused.shared).toBe(3)
    expect(paused.refusals).toEqual([{ at: 311, policy: 'retry-budget', kind: 'retry' }])
  })

  it('draws the breaker as bands: open until half-open, half-open until closed', () => {
    expect(circuitBands(model.circuits, 5000).map((b) => [b.state, b.from, b.to])).toEqual([
      ['open', 310, 2310],
      ['half-open', 2310, 2400],
    ])
    model.clear()
    expect(model.circuits).toEqual([])
  })
})
