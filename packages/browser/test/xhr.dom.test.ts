import { createHash } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import { createClient, createManualClock, createXhrTransport, isAbortError, isBodyTooLargeError, isNetworkError, isTimeoutError, type Progress, progress } from '@volley/browser'
import { useChaosServer, useRepeatedHeadersServer } from './helpers/chaos.js'
import { capturePageConsole } from './helpers/page-console.js'
import { countingXhr } from './helpers/xhr.js'
import { handshake } from '../../core/test/helpers/handshake.js'
import { watchBytes } from '../../core/test/helpers/watch-bytes.js'

// happy-dom's XMLHttpRequest runs on its own fetch and fires no `xhr.upload` events; this file
// checks the DOM glue (requests built, responses parsed) against a real server. Real browser
// behaviour (upload events, CORS preflights) is proven in e2e/ with Playwright.

const server = useChaosServer()
const repeatedHeaders = useRepeatedHeadersServer()

interface Upload {
  bytes: number
  sha256: string
  contentType: string | null
}

interface Echo {
  method: string
  headers: Record<string, string>
  body: string
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

describe('XHR transport', () => {
  it('gets JSON through createClient({ transport: createXhrTransport() })', async () => {
    const { transport, created } = countingXhr()
    const api = createClient({ baseURL: server().url, transport })
    const response = await api.raw.get<{ hello: string }>('/json')
    expect(response.data.hello).toBe('world')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(response.url).toBe(`${server().url}/json`)
    expect(response.meta.bytesIn).toBe(Number(response.headers.get('content-length')))
    expect(created).toHaveLength(1)
  })

  it('sends the method, headers and a string body', async () => {
    const { transport } = countingXhr()
    const api = createClient({ baseURL: server().url, transport, headers: { 'X-Client': 'volley' } })
    const echo = await api.put<Echo>('/echo', { body: 'plain text', headers: { 'X-Call': 'one' } })
    expect(echo.method).toBe('PUT')
    expect(echo.body).toBe('plain text')
    expect(echo.headers['x-client']).toBe('volley')
    expect(echo.headers['x-call']).toBe('one')
  })

  it('sends JSON, URLSearchParams and typed-array bodies', async () => {
    const { transport } = countingXhr()
    const api = createClient({ baseURL: server().url, transport })
    const json = await api.post<Echo>('/echo', { body: { name: 'Ada' } })
    expect(JSON.parse(json.body)).toEqual({ name: 'Ada' })
    expect(json.headers['content-type']).toBe('application/json')
    const form = await api.post<Echo>('/echo', { body: new URLSearchParams({ a: '1', b: 'x y' }) })
    expect(form.body).toBe('a=1&b=x+y')
    const bytes = new TextEncoder().encode('héllo')
    const upload = await api.post<Upload>('/upload', { body: bytes })
    expect(upload.bytes).toBe(bytes.byteLength)
  })

  it('uploads a Blob with progress: the last event equals its size, and the server got every byte', async () => {
    const { transport } = countingXhr()
    const api = createClient({ baseURL: server().url, transport, use: [progress()] })
    const content = new Uint8Array(300_000).map((_, i) => (i * 31) % 251)
    const events: Progress[] = []
    const result = await api.raw.post<Upload>('/upload', {
      body: new Blob([content], { type: 'application/octet-stream' }),
      onUploadProgress: (progress) => events.push(progress),
    })
    expect(result.data.bytes).toBe(content.byteLength)
    expect(result.data.sha256).toBe(sha256(content))
    expect(result.data.contentType).toBe('application/octet-stream')
    expect(events[0]?.loaded).toBe(0)
    const last = events.at(-1)
    expect(last).toMatchObject({ loaded: content.byteLength, total: content.byteLength, percent: 100, done: true })
    expect(result.meta.bytesOut).toBe(content.byteLength)
  })

  it('hands bytes, strings and URLSearchParams to xhr.send as Blobs, so a big body does not block the page', async () => {
    const sent: unknown[] = []
    const transport = createXhrTransport({
      createXhr: () => {
        const xhr = new XMLHttpRequest()
        const send = xhr.send.bind(xhr)
        xhr.send = (body) => {
          sent.push(body)
          send(body)
        }
        return xhr
      },
    })
    const api = createClient({ baseURL: server().url, transport })
    const bytes = new Uint8Array(50_000).map((_, i) => i % 251)
    const upload = await api.post<Upload>('/upload', { body: bytes })
    // Straight through the transport: no client setting a Content-Type of its own.
    const text = (await (await transport(`${server().url}/echo`, { method: 'POST', body: 'plain text' })).json()) as Echo
    const form = await api.post<Echo>('/echo', { body: new URLSearchParams({ a: '1' }) })

    expect(sent.map((body) => body instanceof Blob)).toEqual([true, true, true])
    // The server sees the same request as with the original body: bytes, text and content type.
    expect(upload).toMatchObject({ bytes: bytes.byteLength, sha256: sha256(bytes) })
    expect(text.body).toBe('plain text')
    expect(text.headers['content-type']).toMatch(/^text\/plain/)
    expect(form.body).toBe('a=1')
    expect(form.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
  })

  it('maps xhr.upload progress events to onUploadProgress (synthetic events; real ones in e2e)', async () => {
    const size = 10_000
    // happy-dom never fires upload events, so this XHR fires the ones a browser would.
    const transport = createXhrTransport({
      createXhr: () => {
        const xhr = new XMLHttpRequest()
        const send = xhr.send.bind(xhr)
        xhr.send = (body) => {
          for (const loaded of [0, 4_000, 8_000]) xhr.upload.dispatchEvent(new ProgressEvent('progress', { lengthComputable: true, loaded, total: size }))
          xhr.upload.dispatchEvent(new ProgressEvent('load', { lengthComputable: true, loaded: size, total: size }))
          send(body)
        }
        return xhr
      },
    })
    const api = createClient({ baseURL: server().url, transport, use: [progress()] })
    const loaded: number[] = []
    await api.post('/upload', { body: new Uint8Array(size), onUploadProgress: (p) => loaded.push(p.loaded) })
    expect(loaded[0]).toBe(0)
    expect(loaded.at(-1)).toBe(size)
    expect([...loaded].sort((a, b) => a - b)).toEqual(loaded)
  })

  it('reads a ReadableStream body into a Blob before sending (XHR cannot stream uploads)', async () => {
    const { transport } = countingXhr()
    const api = createClient({ baseURL: server().url, transport })
    const parts = ['stream', 'ed ', 'body']
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const part = parts.shift()
        if (part === undefined) controller.close()
        else controller.enqueue(new TextEncoder().encode(part))
      },
    })
    const upload = await api.post<Upload>('/upload', { body })
    expect(upload.bytes).toBe('streamed body'.length)
    expect(upload.sha256).toBe(sha256(new TextEncoder().encode('streamed body')))
  })

  it('reports download progress from XHR progress events and counts bytesIn', async () => {
    const { transport } = countingXhr()
    const api = createClient({ baseURL: server().url, transport, use: [progress()] })
    const events: Progress[] = []
    const response = await api.raw.get<Blob>('/drip?bytes=4000&chunks=4&duration=200', {
      responseType: 'blob',
      onDownloadProgress: (p) => events.push(p),
    })
    expect(response.data.size).toBe(4000)
    expect(response.meta.bytesIn).toBe(4000)
    expect(events[0]?.loaded).toBe(0)
    expect(events.at(-1)).toMatchObject({ loaded: 4000, total: 4000, done: true })
    // The body arrived in several chunks 50 ms apart, so progress fired before the end.
    expect(events.some((p) => !p.done && p.loaded > 0 && p.loaded < 4000)).toBe(true)
  })

  it('parses response headers: repeated fields combined, names case-insensitive', async () => {
    const response = await createXhrTransport()(`${repeatedHeaders()}/repeated-headers`)
    expect(response.headers.get('x-repeat')).toBe('a, b')
    expect(response.headers.get('X-REPEAT')).toBe('a, b')
    expect(response.headers.get('x-mixed-case')).toBe('Value Keeps Its Case')
    expect(await response.text()).toBe('ok')
  })

  it('gives 204 a null body', async () => {
    const response = await createXhrTransport()(`${server().url}/status/204`, { method: 'DELETE' })
    expect(response.status).toBe(204)
    expect(response.body).toBeNull()
    const viaClient = await createClient({ transport: createXhrTransport() }).raw.delete(`${server().url}/status/204`)
    expect(viaClient.status).toBe(204)
    expect(viaClient.data).toBeUndefined()
  })

  it('reports statusText and error statuses as HTTPError with the parsed body', async () => {
    const pageConsole = capturePageConsole()
    const api = createClient({ baseURL: server().url, transport: createXhrTransport(), retry: false })
    const result = await api.safe.get<unknown, { status: number }>('/status/404')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('ERR_HTTP')
    expect(result.response?.statusText).toBe('Not Found')
    expect(pageConsole()).toEqual([`GET ${server().url}/status/404 404 (Not Found)`])
  })

  it('follows redirects and exposes the final url and redirected', async () => {
    const response = await createXhrTransport()(`${server().url}/redirect/2`)
    expect(response.status).toBe(200)
    expect(response.url).toBe(`${server().url}/echo`)
    expect(response.redirected).toBe(true)
    await response.arrayBuffer()
    await expect(createXhrTransport()(`${server().url}/redirect/1`, { redirect: 'error' })).rejects.toThrow(TypeError)
  })

  it('aborts through the signal before the headers, rejecting with AbortError', async () => {
    const pageConsole = capturePageConsole()
    const api = createClient({ baseURL: server().url, transport: createXhrTransport() })
    const controller = new AbortController()
    const pending = api.get('/delay/5000', { signal: controller.signal })
    // Aborted once the server holds the request, so there is a connection to close.
    await vi.waitFor(() => expect(server().stats.count('delay')).toBe(1), handshake)
    controller.abort(new Error('user left'))
    const error = await pending.catch((e: unknown) => e)
    expect(isAbortError(error)).toBe(true)
    // happy-dom reports the connection it closed on abort (a browser does not).
    await vi.waitFor(() => expect(pageConsole()).toEqual([expect.stringMatching(/^Error: socket hang up/)]), handshake)
  })

  it('aborts mid-body, erroring the body with the signal reason', async () => {
    const controller = new AbortController()
    const response = await createXhrTransport()(`${server().url}/stall?after=100&length=1000`, { signal: controller.signal })
    expect(response.status).toBe(200)
    const reason = new Error('stop')
    // Through the reader: happy-dom's Response.arrayBuffer() wraps stream errors in its own.
    const reading = response.body?.getReader().read()
    controller.abort(reason)
    await expect(reading).rejects.toBe(reason)
  })

  it('aborts a call mid-body through the client, rejecting with AbortError', async () => {
    const api = createClient({ baseURL: server().url, transport: createXhrTransport(), use: [progress()] })
    const controller = new AbortController()
    let headersAt = 0
    const pending = api.get('/stall?after=100&length=1000', {
      signal: controller.signal,
      responseType: 'arrayBuffer',
      onDownloadProgress: () => (headersAt ||= Date.now()),
    })
    // The tracker's first event fires when the headers are in; abort while the body stalls.
    await vi.waitFor(() => expect(headersAt).toBeGreaterThan(0), handshake)
    controller.abort()
    const error = await pending.catch((e: unknown) => e)
    expect(isAbortError(error)).toBe(true)
  })

  it('rejects at once when the signal is already aborted', async () => {
    const reason = new Error('too late')
    await expect(createXhrTransport()(`${server().url}/json`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
  })

  it('enforces the idle timeout between body chunks', async () => {
    // On the manual clock, the idle limit runs out once the first 10 bytes are in: the timeout
    // cuts the body, never a request still waiting for its headers on a loaded machine.
    const clock = createManualClock()
    const watch = watchBytes()
    const api = createClient({ baseURL: server().url, clock, transport: createXhrTransport(), retry: false, timeout: { idle: 150 }, use: [watch.policy] })
    const call = api.get('/stall?after=10&length=1000', { responseType: 'arrayBuffer' }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(watch.received).toBe(10), handshake)
    await clock.advance(150)
    const error = await call
    expect(isTimeoutError(error) && error.phase).toBe('idle')
  })

  it('enforces maxBodySize while the body arrives', async () => {
    const api = createClient({ baseURL: server().url, transport: createXhrTransport(), retry: false, maxBodySize: 1000 })
    const error = await api.get('/bytes/100000?chunked=1', { responseType: 'arrayBuffer' }).catch((e: unknown) => e)
    expect(isBodyTooLargeError(error)).toBe(true)
  })

  it('turns a refused connection into a NetworkError', async () => {
    const pageConsole = capturePageConsole()
    const api = createClient({ transport: createXhrTransport(), retry: false })
    // Port 9 (discard) on loopback: nothing listens there in CI.
    const error = await api.get('http://127.0.0.1:9/json').catch((e: unknown) => e)
    expect(isNetworkError(error)).toBe(true)
    expect(pageConsole()).toEqual([expect.stringMatching(/^Error: connect ECONNREFUSED 127\.0\.0\.1:9/)])
  })

  it("sets withCredentials for credentials: 'include' only", async () => {
    const { transport, created } = countingXhr()
    await transport(`${server().url}/json`, { credentials: 'include' }).then((r) => r.text())
    await transport(`${server().url}/json`).then((r) => r.text())
    expect(created.map((xhr) => xhr.withCredentials)).toEqual([true, false])
  })

  it('takes a Request as input and refuses a body on GET like fetch', async () => {
    const transport = createXhrTransport()
    const echo = await transport(new Request(`${server().url}/echo`, { method: 'POST', body: 'from a Request', headers: { 'x-from': 'request' } }))
    const data = (await echo.json()) as Echo
    expect(data.body).toBe('from a Request')
    expect(data.headers['x-from']).toBe('request')
    await expect(transport(`${server().url}/echo`, { method: 'GET', body: 'no' })).rejects.toThrow(TypeError)
  })
})
