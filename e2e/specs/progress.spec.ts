import { expect, test } from './fixtures.js'
import type { ProgressEvent } from '../apps/vanilla/src/scenarios/progress.js'

/** Progress must only move forward, start with the first event and end with one `done` event at `size`. */
function expectWellFormed(events: ProgressEvent[], size: number): void {
  expect(events.length).toBeGreaterThanOrEqual(2)
  const loaded = events.map((event) => event.loaded)
  expect(loaded, 'loaded never decreases').toEqual([...loaded].sort((a, b) => a - b))
  const percents = events.map((event) => event.percent ?? 0)
  expect(percents, 'percent never decreases').toEqual([...percents].sort((a, b) => a - b))
  expect(events.slice(0, -1).every((event) => !event.done), 'only the last event is done').toBe(true)
  expect(events.at(-1)).toEqual({ loaded: size, total: size, percent: 100, done: true })
}

test.describe('progress', () => {
  const size = 300_000

  test('download progress through fetch is monotonic and ends at the size', async ({ vanilla }) => {
    const result = await vanilla.run('downloadProgress', { bytes: size, via: 'fetch' })
    expect(result).toMatchObject({ received: size, mismatches: 0, bytesIn: size })
    expectWellFormed(result.events, size)
    // The body arrived in ten drips over ~0.5 s: progress was reported along the way, not only at the end.
    expect(result.events.some((event) => event.loaded > 0 && event.loaded < size)).toBe(true)
  })

  test('download progress through the XHR transport is monotonic and ends at the size', async ({ vanilla }) => {
    const result = await vanilla.run('downloadProgress', { bytes: size, via: 'xhr' })
    expect(result).toMatchObject({ received: size, mismatches: 0, bytesIn: size })
    expectWellFormed(result.events, size)
  })

  test('download() fills a Blob, names it from Content-Disposition and reports progress', async ({ vanilla }) => {
    const result = await vanilla.run('downloadBlob', { bytes: size })
    expect(result).toMatchObject({ size, mismatches: 0, filename: 'report.bin' })
    expectWellFormed(result.events, size)
  })

  test('upload progress through XHR ends at the body size, and the server got every byte', async ({ vanilla }) => {
    const bytes = 3 * 1024 * 1024 + 17
    const result = await vanilla.run('uploadProgress', { bytes })
    // On loopback a browser fires few upload events (often one): assert the last, not a count.
    expectWellFormed(result.events, bytes)
    expect(result.bytesOut).toBe(bytes)
    expect(result.server).toMatchObject({ bytes, sha256: result.expected.sha256, contentLength: bytes })
  })

  test('a ReadableStream body is never sent as "[object ReadableStream]"', async ({ vanilla }) => {
    const bytes = 256 * 1024 + 3
    const { expected, upload, echo, sentText } = await vanilla.run('streamBody', { bytes })
    // Either it goes through XHR (read into a Blob) and arrives intact, or it fails saying why.
    if (upload.ok) expect(upload.server).toMatchObject({ bytes, sha256: expected.sha256 })
    else expect(upload.error.message).toMatch(/stream/i)
    if (echo.ok) expect(echo.body).toBe(sentText)
    else expect(echo.error.message).toMatch(/stream/i)
    expect(echo.ok && echo.body).not.toBe('[object ReadableStream]')
    test.info().annotations.push({ type: 'stream body', description: upload.ok ? 'sent intact (via XHR)' : `rejected: ${upload.error.message}` })
  })

  test('a ReadableStream body is sent whole, or refused with a TypeError, whatever the engine does with one', async ({ vanilla, browserName }) => {
    const bytes = 128 * 1024 + 5
    const result = await vanilla.run('streamBodyPaths', { bytes })
    test.info().annotations.push({ type: 'the engine with a stream body', description: JSON.stringify(result.engine) })
    // What the engine itself does with `fetch(url, { body: stream, duplex: 'half' })` over HTTP/1.1
    // (e2e/README.md, "Known browser behaviour"): why volley never hands fetch a stream in a browser.
    const engine = {
      chromium: { ok: false, error: { name: 'TypeError', message: 'Failed to fetch' } },
      firefox: { ok: true, server: { bytes: '[object ReadableStream]'.length } },
      webkit: { ok: false, error: { name: 'NotSupportedError', message: 'ReadableStream uploading is not supported' } },
    }[browserName]
    expect(result.engine).toMatchObject(engine)
    // volley's default transport (fetch) refuses before sending, saying what to do instead.
    expect(result.defaultClient).toMatchObject({ ok: false, error: { name: 'TypeError', message: expect.stringContaining('cannot send a ReadableStream request body over fetch') } })
    // The browser transport sends it through XHR, or, without XHR (a service worker), as a Blob through fetch.
    const intact = { ok: true, server: { bytes, sha256: result.expected.sha256 } }
    expect(result.browserTransport).toMatchObject(intact)
    expect(result.withoutXhr).toMatchObject(intact)
    expect(result.fetchBodies).toEqual(['[object Blob]'])
  })
})
