import { describe, expect, it, vi } from 'vitest'
import { createMetrics, createPool, createClient, logEvents, type VolleyEvent } from '@volley/core'
import { createLatencySketch } from '@volley/core/internal'
import { holdAtServer, uniqueKey, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

const server = useChaosServer()

describe('lifecycle events', () => {
  it('tells the whole story of a retried call in order', async () => {
    const events: VolleyEvent[] = []
    const api = createClient({ baseURL: server().url, pool: createPool({ concurrency: 2 }), retry: { delay: 1 }, onEvent: (e) => events.push(e) })
    await api.get('/flaky', { query: { key: uniqueKey(), fail: 1 } })
    expect(events.map((e) => e.type)).toEqual([
      'start',
      'queued', 'slot', 'sent', 'headers', 'attempt-end', 'retry',
      'queued', 'slot', 'sent', 'headers', 'attempt-end',
      'settle',
    ])
    expect(new Set(events.map((e) => e.id)).size).toBe(1)
    const settle = events.at(-1) as Extract<VolleyEvent, { type: 'settle' }>
    expect(settle).toMatchObject({ ok: true, status: 200 })
    expect(settle.meta.attempts).toBe(2)
    const firstEnd = events[5] as Extract<VolleyEvent, { type: 'attempt-end' }>
    expect(firstEnd).toMatchObject({ status: 503, error: 'ERR_HTTP' })
  })

  it('keeps a throwing listener from changing the outcome', async () => {
    const api = createClient({ baseURL: server().url, onEvent: () => { throw new Error('observer bug') } })
    expect(await api.get('/json')).toMatchObject({ hello: 'world' })
  })
})

describe('metrics', () => {
  it('counts outcomes, retries and latency', async () => {
    const api = createClient({ baseURL: server().url, pool: createPool({ concurrency: 4 }), metrics: createMetrics(), retry: { limit: 1, delay: 1 } })
    await Promise.all([api.get('/json'), api.get('/json'), api.safe.get('/status/404'), api.safe.get('/status/503'), api.safe.get('/delay/60000', { timeout: 50 })])
    const snapshot = api.metrics!.snapshot()
    expect(snapshot).toMatchObject({ calls: 5, inFlight: 0, outcomes: { ok: 2, http: 2, timeout: 1, network: 0 }, retries: 1 })
    expect(snapshot.statuses).toMatchObject({ '2xx': 2, '4xx': 1, '5xx': 1 })
    expect(snapshot.errorRate).toBeCloseTo(3 / 5)
    expect(snapshot.latency.p50).toBeGreaterThan(0)
    expect(snapshot.latency.p99).toBeGreaterThanOrEqual(snapshot.latency.p50!)
    expect(snapshot.pool).toMatchObject({ active: 0, concurrency: 4 })
    api.metrics!.reset()
    expect(api.metrics!.snapshot().calls).toBe(0)
  })

  it('estimates percentiles within 2% from a bounded sketch', () => {
    const sketch = createLatencySketch()
    const values = Array.from({ length: 100_000 }, (_, i) => 0.5 + (i % 1000) * 1.7 + Math.floor(i / 1000) * 0.01)
    for (const v of values) sketch.record(v)
    const sorted = [...values].sort((a, b) => a - b)
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!
      expect(Math.abs(sketch.quantile(q)! - exact) / exact).toBeLessThan(0.02)
    }
  })
})

describe('close', () => {
  it('rejects queued calls, drains in-flight ones, then refuses new calls', async () => {
    const api = createClient({ baseURL: server().url, pool: createPool({ concurrency: 1 }) })
    // The call in flight is held at the server until the test lets it answer, after close().
    const held = holdAtServer(server)
    const inFlight = api.get(held.path)
    const queued = api.get('/json').catch((e: unknown) => e)
    await vi.waitFor(() => expect([server().stats.concurrency(held.key).current, api.pool!.stats.queued]).toEqual([1, 1]), handshake)
    const closing = api.close()
    await held.release()
    await closing
    expect(await inFlight).toMatchObject({ key: held.key })
    expect((await queued as { code: string }).code).toBe('ERR_CLIENT_CLOSED')
    await expect(api.get('/json')).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' })
    expect(api.closed).toBe(true)
    expect(server().stats.count('json')).toBe(0)
  })

  it('aborts in-flight calls in abort mode', async () => {
    const api = createClient({ baseURL: server().url })
    const key = uniqueKey('close-abort')
    const inFlight = api.get(`/concurrency?ms=60000&key=${key}`).catch((e: unknown) => e)
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(1), handshake)
    await api.close({ mode: 'abort' })
    expect((await inFlight as { code: string }).code).toBe('ERR_CLIENT_CLOSED')
  })

  it('closes on await using', async () => {
    let closedInside: boolean | undefined
    const api = createClient({ baseURL: server().url })
    {
      await api[Symbol.asyncDispose]()
      closedInside = api.closed
    }
    expect(closedInside).toBe(true)
  })
})

describe('logEvents', () => {
  it('logs each attempt, each retry and a failed call, and says an aborted call was aborted, not failed', async () => {
    const lines: string[] = []
    const record = (level: string) => (message: string) => void lines.push(`${level} ${message}`)
    const logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') }
    const api = createClient({ baseURL: server().url, retry: { limit: 1, delay: 1 }, onEvent: logEvents(logger) })
    await api.safe.get('/status/503')
    const controller = new AbortController()
    const pending = api.safe.get('/delay/60000', { signal: controller.signal })
    // Aborted once its attempt has reached the server: "after 1 attempt", whatever the machine's load.
    await vi.waitFor(() => expect(server().stats.count('delay')).toBe(1), handshake)
    controller.abort()
    await pending
    const url = `${server().url}`
    expect(lines.filter((line) => line.startsWith(`debug GET ${url}/status/503 attempt`))).toHaveLength(2)
    expect(lines).toContainEqual(expect.stringMatching(/^info GET .*\/status\/503: retry 1 in \d+ ms after ERR_HTTP$/))
    expect(lines.filter((line) => line.startsWith('warn'))).toEqual([expect.stringMatching(/^warn GET .*\/status\/503: failed after 2 attempts: .*HTTP 503/)])
    expect(lines).toContainEqual(`info GET ${url}/delay/60000: aborted after 1 attempt`)
  })
})
