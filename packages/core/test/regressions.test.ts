import { describe, expect, it, vi } from 'vitest'
import { streamSSE, createMetrics, createPool, createClient, createManualClock, createProgressTracker, type Progress, type VolleyEvent, progress } from '@volley/core'
import { uniqueKey, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'
import { watchBytes } from './helpers/watch-bytes.js'

const server = useChaosServer()

describe('regressions found by the Node entry work', () => {
  it('reads an error body in stream mode into the HTTPError and frees the slot', async () => {
    const api = createClient({ baseURL: server().url, pool: createPool({ concurrency: 1 }), retry: 0 })
    const error = await api.get('/status/418', { responseType: 'stream' }).catch((e: unknown) => e)
    expect((error as { status: number; data: unknown }).status).toBe(418)
    expect((error as { data: { status: number } }).data).toMatchObject({ status: 418 })
    expect(api.pool!.stats).toMatchObject({ active: 0, queued: 0 })
  })
})

describe('regressions found by the browser and playground work', () => {
  it('passes a 204 with an empty non-null body through (browsers do that; re-wrapping it threw)', async () => {
    const transport = async () => {
      const response = new Response(null, { status: 204 })
      Object.defineProperty(response, 'body', { value: new ReadableStream({ start: (c) => c.close() }) })
      return response
    }
    const response = await createClient({ transport }).raw.get('http://volley.test/no-content')
    expect(response.status).toBe(204)
    expect(response.data).toBeUndefined()
  })

  it('ends an SSE stream when the server answers 204 instead of reconnecting forever', async () => {
    const ids: string[] = []
    for await (const event of streamSSE(createClient({ baseURL: server().url }), `/sse?count=3&interval=1&key=${uniqueKey()}`, { retryDelay: 5 })) {
      ids.push(event.id!)
    }
    expect(ids).toEqual(['1', '2', '3'])
    const hits = server().stats.byRoute('sse')
    expect(hits).toHaveLength(2) // the stream, then one reconnect that got 204
    expect(hits[1]!.headers['last-event-id']).toBe('3')
  })

  it('settles a stream response whose body breaks as a failure, not as ok', async () => {
    const events: VolleyEvent[] = []
    const api = createClient({ baseURL: server().url, metrics: createMetrics(), onEvent: (e) => events.push(e) })
    const body = await api.get<ReadableStream<Uint8Array>>('/reset?after=100', { responseType: 'stream' })
    const error = await (async () => {
      for await (const _ of body as unknown as AsyncIterable<Uint8Array>) void _
    })().catch((e: unknown) => e)
    expect((error as { code: string }).code).toBe('ERR_NETWORK')
    const settle = events.find((e) => e.type === 'settle') as Extract<VolleyEvent, { type: 'settle' }>
    expect(settle).toMatchObject({ ok: false, error: 'ERR_NETWORK' })
    expect(api.metrics!.snapshot().outcomes).toMatchObject({ ok: 0, network: 1 })
  })

  it('reports bytes of a burst followed by silence when the throttle window closes', async () => {
    const clock = createManualClock()
    const events: Progress[] = []
    const tracker = createProgressTracker({ total: 1000, onProgress: (p) => events.push(p), clock })
    tracker.add(100) // inside the first 50 ms window: throttled
    expect(events.map((e) => e.loaded)).toEqual([0])
    await clock.advance(50)
    expect(events.map((e) => e.loaded)).toEqual([0, 100])
    tracker.stop()
    tracker.add(50)
    await clock.advance(100)
    expect(events).toHaveLength(2) // stopped: no late event and no timer left
    expect(clock.pending).toBe(0)
  })

  it('shows the first bytes of a stalled body before the idle timeout fires', async () => {
    // On the manual clock: the idle limit runs out once the 100 bytes are in, however slowly a
    // loaded machine delivers them, and the progress throttle's window (50 ms) closes before it.
    const clock = createManualClock()
    const watch = watchBytes()
    const events: Progress[] = []
    const call = createClient({ baseURL: server().url, clock, retry: 0, use: [progress(), watch.policy] })
      .get('/stall?after=100', { responseType: 'arrayBuffer', timeout: { idle: 300 }, onDownloadProgress: (p) => events.push(p) })
      .catch((e: unknown) => e)
    await vi.waitFor(() => expect(watch.received).toBe(100), handshake)
    await clock.advance(300)
    const error = await call
    expect((error as { phase: string }).phase).toBe('idle')
    expect(events.at(-1)!.loaded).toBe(100)
    expect(events.every((e) => !e.done)).toBe(true)
  })
})
