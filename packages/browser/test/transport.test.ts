import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from '@volley/core'
import { createBrowserTransport, mustBuffer, needsXhr } from '../src/transport.js'
import { useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()

// Node has no XMLHttpRequest: the browser transport must then fall back to fetch for everything
// (what a service worker sees). The browser-side choices are covered in xhr.dom.test.ts.
describe('needsXhr without XMLHttpRequest', () => {
  it('always answers fetch', () => {
    expect(needsXhr({}, { uploaded: () => {} })).toBe(false)
    expect(needsXhr({ body: new ReadableStream() })).toBe(false)
    expect(needsXhr(undefined)).toBe(false)
  })
})

// A service worker: a browser scope (WorkerGlobalScope) without XMLHttpRequest, whose fetch cannot
// stream a request body (WebKit rejects it with NotSupportedError, Firefox sends
// "[object ReadableStream]"). Node's fetch could stream it; the browser scope decides.
describe('a ReadableStream body without XMLHttpRequest, in a browser scope', () => {
  const scope = globalThis as { WorkerGlobalScope?: unknown }
  afterEach(() => {
    delete scope.WorkerGlobalScope
  })

  function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 1000))
        controller.enqueue(bytes.subarray(1000))
        controller.close()
      },
    })
  }

  it('is read into a Blob and sent by fetch whole', async () => {
    scope.WorkerGlobalScope = class {}
    expect(mustBuffer({ body: new ReadableStream() })).toBe(true)
    expect(mustBuffer({ body: 'text' })).toBe(false)
    const sent: unknown[] = []
    const transport = createBrowserTransport({
      fetch: (input, init) => {
        sent.push(init?.body)
        return globalThis.fetch(input, init)
      },
    })
    const api = createClient({ baseURL: server().url, transport })
    const bytes = new Uint8Array(5000).map((_, i) => i % 251)
    const upload = await api.post<{ bytes: number }>('/upload', { body: streamOf(bytes) })
    expect(upload.bytes).toBe(5000)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toBeInstanceOf(Blob)
  })

  it('stops reading the stream when the call is aborted, and sends nothing', async () => {
    scope.WorkerGlobalScope = class {}
    let fetches = 0
    const transport = createBrowserTransport({
      fetch: (input, init) => {
        fetches++
        return globalThis.fetch(input, init)
      },
    })
    let cancelled: unknown
    const controller = new AbortController()
    const body = new ReadableStream<Uint8Array>(
      {
        // The transport is reading the body: abort now (and never deliver a chunk).
        pull: () => controller.abort(new Error('the user left')),
        cancel(reason) {
          cancelled = reason
        },
      },
      // No read ahead: pull runs only once the transport reads.
      { highWaterMark: 0 },
    )
    const api = createClient({ baseURL: server().url, transport })
    const call = api.post('/upload', { body, signal: controller.signal })
    await expect(call).rejects.toMatchObject({ name: 'AbortError' })
    expect(fetches).toBe(0)
    expect(cancelled).toBeDefined()
  })

  it('leaves a stream to fetch outside a browser scope (Node streams request bodies)', () => {
    expect(mustBuffer({ body: new ReadableStream() })).toBe(false)
  })
})
