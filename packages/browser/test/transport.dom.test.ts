import { describe, expect, it, vi } from 'vitest'
import { createBrowserTransport, createClient, createXhrTransport, globalFetch, volley, progress } from '@volley/browser'
import { useChaosServer } from './helpers/chaos.js'
import { countingXhr } from './helpers/xhr.js'

// Which transport the default browser transport picks, observed in happy-dom (a document exists,
// so this counts as a browser). In Node, without XMLHttpRequest, see transport.test.ts.

const server = useChaosServer()

interface Upload {
  bytes: number
}

describe('default browser transport', () => {
  /** A browser transport whose XHRs and fetches are counted (spies that only watch). */
  function countingBrowserTransport(): { transport: ReturnType<typeof createBrowserTransport>; xhrs: number; fetches: number } {
    const counts = { transport: undefined as unknown as ReturnType<typeof createBrowserTransport>, xhrs: 0, fetches: 0 }
    counts.transport = createBrowserTransport({
      createXhr: () => {
        counts.xhrs++
        return new XMLHttpRequest()
      },
      fetch: (input, init) => {
        counts.fetches++
        return globalThis.fetch(input, init)
      },
    })
    return counts
  }

  it('uses fetch for plain calls and XHR only when upload progress is asked', async () => {
    const counts = countingBrowserTransport()
    const api = createClient({ baseURL: server().url, transport: counts.transport, use: [progress()] })
    await api.get('/json')
    await api.post('/upload', { body: 'no progress asked' })
    expect(counts).toMatchObject({ xhrs: 0, fetches: 2 })

    const loaded: number[] = []
    const upload = await api.post<Upload>('/upload', { body: 'with progress', onUploadProgress: (p) => loaded.push(p.loaded) })
    expect(upload.bytes).toBe('with progress'.length)
    expect(loaded.at(-1)).toBe('with progress'.length)
    expect(counts).toMatchObject({ xhrs: 1, fetches: 2 })
  })

  it("progress() sends an upload with progress through XHR while the client's transport stays the global fetch", async () => {
    const opened = vi.spyOn(XMLHttpRequest.prototype, 'open')
    const api = createClient({ baseURL: server().url, use: [progress()] })
    await api.get('/json')
    expect(opened).not.toHaveBeenCalled()
    const loaded: number[] = []
    const upload = await api.post<Upload>('/upload', { body: 'with progress', onUploadProgress: (p) => loaded.push(p.loaded) })
    expect(upload.bytes).toBe('with progress'.length)
    expect(loaded.at(-1)).toBe('with progress'.length)
    expect(opened).toHaveBeenCalledTimes(1)
    opened.mockRestore()
  })

  it('sends a ReadableStream body through XHR in a browser', async () => {
    const counts = countingBrowserTransport()
    const api = createClient({ baseURL: server().url, transport: counts.transport })
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(1234))
        controller.close()
      },
    })
    const upload = await api.post<Upload>('/upload', { body })
    expect(upload.bytes).toBe(1234)
    expect(counts).toMatchObject({ xhrs: 1, fetches: 0 })
  })

  it('lets one call choose XHR with { transport: createXhrTransport() }', async () => {
    const counts = countingBrowserTransport()
    const api = createClient({ baseURL: server().url, transport: counts.transport })
    const xhr = countingXhr()
    await api.get('/json', { transport: xhr.transport })
    expect(xhr.created).toHaveLength(1)
    expect(counts).toMatchObject({ xhrs: 0, fetches: 0 })
  })

  it('declares reportsUpload (the transport protocol), while createClient and volley default to the global fetch', () => {
    expect(createBrowserTransport().reportsUpload).toBe(true)
    expect(createXhrTransport().reportsUpload).toBe(true)
    // The lean client: XHR reaches a bundle only through progress() or an explicit transport.
    expect(createClient().defaults.transport).toBe(globalFetch)
    expect(volley.defaults.transport).toBe(globalFetch)
    const own = createXhrTransport()
    expect(createClient({ transport: own }).defaults.transport).toBe(own)
  })
})
