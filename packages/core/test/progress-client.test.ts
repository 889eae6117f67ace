import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createClient, createManualClock, type Progress, progress } from '@volley/core'
import { useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()

function expectWellFormed(events: Progress[], size: number, total: number | undefined): void {
  expect(events.length).toBeGreaterThanOrEqual(2)
  expect(events[0]).toMatchObject({ loaded: 0, done: false })
  const last = events.at(-1)!
  expect(last).toMatchObject({ loaded: size, done: true, percent: 100, etaMs: 0 })
  expect(events.filter((e) => e.done)).toHaveLength(1)
  for (let i = 1; i < events.length; i++) expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded)
  for (const e of events) {
    expect(e.total).toBe(total)
    if (e.percent !== undefined) expect(e.percent).toBeLessThanOrEqual(100)
  }
}

describe('download progress', () => {
  it('reports a dripped body monotonically, throttled, with first and final events', async () => {
    const events: Progress[] = []
    const at: number[] = []
    const body = await createClient({ baseURL: server().url, use: [progress()] }).get<ArrayBuffer>('/drip?bytes=100000&duration=600&chunks=60', {
      responseType: 'arrayBuffer',
      onDownloadProgress: (p) => {
        events.push(p)
        at.push(performance.now())
      },
    })
    expect(body.byteLength).toBe(100_000)
    expectWellFormed(events, 100_000, 100_000)
    // At most one event per 50 ms, however the 60 chunks were spread (a loaded machine stretches
    // the ~600 ms drip): each event but the final one comes 50 ms or more after the one before
    // (timers may fire up to a millisecond early).
    const gaps = at.slice(1, -1).map((t, i) => t - at[i]!)
    expect(gaps.every((gap) => gap >= 49)).toBe(true)
    expect(events.slice(1, -1).some((e) => e.bytesPerSecond > 0)).toBe(true)
  })

  it('leaves total and percent undefined when the length is unknown', async () => {
    const events: Progress[] = []
    await createClient({ baseURL: server().url, use: [progress()] }).get('/drip?bytes=20000&duration=200&chunks=10&length=0', {
      responseType: 'blob',
      onDownloadProgress: (p) => events.push(p),
    })
    expectWellFormed(events, 20_000, undefined)
    expect(events.slice(0, -1).every((e) => e.percent === undefined && e.etaMs === undefined)).toBe(true)
  })

  it('never passes 100% when a gzip body decodes to more than Content-Length', async () => {
    const events: Progress[] = []
    const body = await createClient({ baseURL: server().url, use: [progress()] }).get<ArrayBuffer>('/bytes/200000?gzip=1', {
      responseType: 'arrayBuffer',
      onDownloadProgress: (p) => events.push(p),
    })
    expect(body.byteLength).toBe(200_000)
    expect(events[0]!.total).toBeLessThan(200_000) // compressed length
    expect(events.every((e) => (e.percent ?? 0) <= 100)).toBe(true)
    expect(events.at(-1)).toMatchObject({ loaded: 200_000, done: true })
  })

  it.each(['json', 'text', 'blob', 'arrayBuffer', 'stream'] as const)('works for responseType %s', async (responseType) => {
    const events: Progress[] = []
    const data = await createClient({ baseURL: server().url, use: [progress()] }).get(responseType === 'json' ? '/json' : '/bytes/5000', {
      responseType,
      onDownloadProgress: (p) => events.push(p),
    })
    if (responseType === 'stream') {
      for await (const _ of data as AsyncIterable<Uint8Array>) void _
    }
    expect(events.at(-1)!.done).toBe(true)
    expect(events.at(-1)!.loaded).toBeGreaterThan(0)
  })
})

describe('download progress across retries', () => {
  it('never goes backwards for the caller when a cut download is retried, and ends once at the size', async () => {
    // The manual clock moves 50 ms per event, so every chunk of every attempt may emit: without the
    // per-call floor, the retry's first event (loaded 0) would follow the cut attempt's 16 KiB.
    const clock = createManualClock()
    const events: Progress[] = []
    const client = createClient({ baseURL: server().url, clock, use: [progress()], retry: { limit: 2, delay: 1, jitter: 'none' } })
    const call = client.raw.get<ArrayBuffer>(`/file/65536?resetAfter=16384&resetTimes=2&chunkSize=4096&key=progress-retries`, {
      responseType: 'arrayBuffer',
      onDownloadProgress: (p) => {
        events.push(p)
        void clock.advance(50)
      },
    })
    let settled = false
    void call.finally(() => (settled = true)).catch(() => {})
    // The retry waits (1 ms each) are on the manual clock: move it until the call settles.
    while (!settled) {
      await new Promise((resolve) => setTimeout(resolve, 1))
      await clock.advance(1)
    }
    const response = await call
    expect(response.meta.attempts).toBe(3)
    expect(server().stats.count('file')).toBe(3)
    expect(response.data.byteLength).toBe(65536)
    expectWellFormed(events, 65536, 65536)
    // The cut attempts were shown: the caller saw 16 KiB before the first retry.
    expect(events.some((e) => e.loaded === 16384 && !e.done)).toBe(true)
  })
})

describe('upload progress (request streams, as in Node)', () => {
  it('streams a 50 MB body with progress ending at the exact total, and the server hash matches', async () => {
    const size = 50 * 1024 * 1024
    const body = new Uint8Array(size)
    for (let i = 0; i < size; i++) body[i] = (i * 7) & 0xff
    const events: Progress[] = []
    const result = await createClient({ baseURL: server().url, use: [progress()] }).raw.post<{ bytes: number; sha256: string }>('/upload', {
      body,
      onUploadProgress: (p) => events.push(p),
    })
    expect(result.data.bytes).toBe(size)
    expect(result.data.sha256).toBe(createHash('sha256').update(body).digest('hex'))
    expectWellFormed(events, size, size)
    expect(events.length).toBeGreaterThan(2) // real intermediate progress, not just 0% then 100%
    expect(result.meta.bytesOut).toBe(size)
  })

  it('counts a caller-provided stream body (unknown total) and does not retry it', async () => {
    const chunks = 100
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(64 * 1024).fill(1))
        if (--remaining === 0) controller.close()
      },
    })
    let remaining = chunks
    const events: Progress[] = []
    const result = await createClient({ baseURL: server().url, use: [progress()] }).raw.post<{ bytes: number }>('/upload', {
      body: stream,
      onUploadProgress: (p) => events.push(p),
    })
    expect(result.data.bytes).toBe(chunks * 64 * 1024)
    expectWellFormed(events, chunks * 64 * 1024, undefined)
  })

  it('trips the idle timeout while the server stops reading an upload', async () => {
    const body = new Uint8Array(8 * 1024 * 1024)
    const error = await createClient({ baseURL: server().url, retry: 0, use: [progress()] })
      .post('/upload?delayPerChunk=400', { body, timeout: { idle: 150 }, onUploadProgress: () => {} })
      .catch((e: unknown) => e)
    expect((error as { phase?: string }).phase).toBe('idle')
  })
})
