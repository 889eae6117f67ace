/**
 * The behaviours ofetch v1's own suite (unjs/ofetch `test/index.test.ts`) checks, written in our
 * own words against the chaos server, through a thin `ofetchLike` adapter on volley's
 * `createClient` + `fromOfetchOptions`. One `it` per ofetch test, numbered in ofetch's order, so
 * the count is easy to audit. Differences volley keeps on purpose are asserted as volley's
 * behaviour and named in the test title ("deliberate:").
 */
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, createManualClock, fromOfetchOptions, type CallOptions, type Client, type OfetchCompatOptions } from '@volley/core'
import { holdAtServer, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

const server = useChaosServer()

interface Echo {
  method: string
  url: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  body: string
}

interface OfetchLike {
  <T = any>(url: string, options?: OfetchCompatOptions): Promise<T>
  create(defaults: OfetchCompatOptions): OfetchLike
}

/** ofetch's call shape on volley: options translated by fromOfetchOptions, nothing else added. */
function adapter(client: Client): OfetchLike {
  const call = (<T>(url: string, options: OfetchCompatOptions = {}) => client<T>(url, fromOfetchOptions(options) as CallOptions)) as OfetchLike
  call.create = (defaults) => adapter(client.extend(fromOfetchOptions(defaults)))
  return call
}

const ofetchLike = adapter(createClient())
const url = (path: string): string => `${server().url}${path}`
const caught = (promise: Promise<unknown>): Promise<any> => promise.then(() => undefined, (error: unknown) => error)

/**
 * The waits before the retries of a failing call (`/status/408`, retried twice), on a manual
 * clock: each retry goes out once the test has moved time by the wait the call announced, so the
 * waits are exact, where racing a slow call against a fast one would ask a loaded machine to keep time.
 */
async function retryWaits(options: OfetchCompatOptions): Promise<number[]> {
  const clock = createManualClock()
  const waits: number[] = []
  const call = adapter(createClient({ clock, onEvent: (e) => e.type === 'retry' && waits.push(e.delay) }))(url('/status/408'), options).catch(() => 'failed')
  for (let retry = 1; retry <= 2; retry++) {
    await vi.waitFor(() => expect([server().stats.count('status'), waits.length]).toEqual([retry, retry]), handshake)
    await clock.advance(waits[retry - 1]!)
  }
  expect(await call).toBe('failed')
  expect(server().stats.count('status')).toBe(3)
  return waits
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('ofetch v1 behaviours through ofetchLike', () => {
  it('01 ok: a GET resolves with the parsed body', async () => {
    expect(await ofetchLike(url('/json'))).toMatchObject({ hello: 'world' })
  })

  it('02 custom parseResponse: called once with the text, its result returned', async () => {
    const parser = vi.fn((text: string) => `C${text.length}`)
    expect(await ofetchLike(url('/json'), { parseResponse: parser })).toMatch(/^C\d+$/)
    expect(parser).toHaveBeenCalledTimes(1)
  })

  it('03 responseType picks json, blob, text or arrayBuffer', async () => {
    const target = url('/echo?test=true')
    expect(await ofetchLike<Echo>(target, { responseType: 'json' })).toMatchObject({ query: { test: 'true' } })
    expect(await ofetchLike(target, { responseType: 'blob' })).toBeInstanceOf(Blob)
    expect(JSON.parse(await ofetchLike<string>(target, { responseType: 'text' }))).toMatchObject({ query: { test: 'true' } })
    expect(await ofetchLike(target, { responseType: 'arrayBuffer' })).toBeInstanceOf(ArrayBuffer)
  })

  it('04 a binary content type resolves with a Blob', async () => {
    expect(await ofetchLike(url('/bytes/6'))).toBeInstanceOf(Blob)
  })

  it('05 baseURL is joined with a path and its query', async () => {
    expect((await ofetchLike<Echo>('/echo?foo=123', { baseURL: server().url })).url).toBe('/echo?foo=123')
  })

  it('06 an object or array body is sent as JSON with JSON headers, whatever form the headers take', async () => {
    expect(JSON.parse((await ofetchLike<Echo>(url('/echo'), { method: 'POST', body: { num: 42 } })).body)).toEqual({ num: 42 })
    expect(JSON.parse((await ofetchLike<Echo>(url('/echo'), { method: 'POST', body: [{ num: 42 }, { num: 43 }] })).body)).toEqual([{ num: 42 }, { num: 43 }])
    for (const headers of [[['X-header', '1']], { 'x-header': '1' }, new Headers({ 'x-header': '1' })] as HeadersInit[]) {
      const echo = await ofetchLike<Echo>(url('/echo'), { method: 'POST', body: { num: 42 }, headers })
      expect(echo.headers).toMatchObject({ 'x-header': '1', accept: 'application/json', 'content-type': 'application/json' })
    }
  })

  it('07 a string body with a non-JSON content type is sent as it is', async () => {
    const message = '"Hallo von volley"'
    const echo = await ofetchLike<Echo>(url('/echo'), { method: 'POST', body: message, headers: { 'Content-Type': 'text/plain' } })
    expect(echo.body).toBe(message)
  })

  it('08 a Buffer body is sent as bytes', async () => {
    const echo = await ofetchLike<Echo>(url('/echo'), { method: 'POST', body: Buffer.from('Hallo bytes'), headers: { 'Content-Type': 'text/plain' } })
    expect(echo.body).toBe('Hallo bytes')
  })

  it('09 a ReadableStream body is streamed', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'))
        controller.close()
      },
    })
    expect((await ofetchLike<Echo>(url('/echo'), { method: 'POST', body, headers: { 'content-length': '8' } })).body).toBe('streamed')
  })

  it('10 a Node Readable body is streamed', async () => {
    const body = Readable.from([Buffer.from('node '), Buffer.from('readable')])
    expect((await ofetchLike<Echo>(url('/echo'), { method: 'POST', body, headers: { 'content-length': '13' } })).body).toBe('node readable')
  })

  it('11 a FormData body is sent as multipart', async () => {
    const data = new FormData()
    data.append('foo', 'bar')
    const echo = await ofetchLike<Echo>(url('/echo'), { method: 'POST', body: data })
    expect(echo.body).toContain('form-data; name="foo"')
    expect(echo.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
  })

  it('12 a URLSearchParams body is sent form-encoded', async () => {
    const echo = await ofetchLike<Echo>(url('/echo'), { method: 'POST', body: new URLSearchParams({ foo: 'bar' }) })
    expect(echo.body).toBe('foo=bar')
    expect(echo.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
  })

  it('13 a 404 rejects with the status in its text, the parsed body as data (also on the response) and the request URL (deliberate: `request` is { method, url })', async () => {
    const error = await caught(ofetchLike(url('/status/404'), { retry: 0 }))
    expect(String(error)).toContain('404 Not Found')
    expect(error.data).toEqual({ status: 404, message: 'Not Found' })
    expect(error.response._data).toEqual(error.data)
    expect(error.request.url).toBe(url('/status/404'))
  })

  it('14 ignoreResponseError resolves with the error body', async () => {
    expect(await ofetchLike(url('/status/403'), { ignoreResponseError: true })).toEqual({ status: 403, message: 'Forbidden' })
  })

  it('15 a 204 resolves with undefined', async () => {
    expect(await ofetchLike(url('/status/204'))).toBeUndefined()
  })

  it('16 a HEAD resolves with undefined', async () => {
    expect(await ofetchLike(url('/json'), { method: 'HEAD' })).toBeUndefined()
  })

  it('17 an empty path with a baseURL and retries reports the baseURL as the request', async () => {
    const error = await caught(ofetchLike('', { baseURL: url('/status/404'), retry: 3 }))
    expect(error.request.url).toBe(url('/status/404'))
  })

  it('18 a numeric retryDelay spaces the retries', async () => {
    expect(await retryWaits({ retry: 2, retryDelay: 300 })).toEqual([300, 300])
  })

  it('19 a retryDelay function spaces the retries', async () => {
    expect(await retryWaits({ retry: 2, retryDelay: () => 300 })).toEqual([300, 300])
  })

  it('20 an aborted signal rejects at once despite retries', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(ofetchLike('', { baseURL: url('/json'), retry: 3, signal: controller.signal })).rejects.toThrow(/aborted/)
    expect(server().stats.count('json')).toBe(0)
  })

  it('21 the error of a POST names its method and URL (deliberate: `request.method` instead of `options.method`; options stay off errors)', async () => {
    const error = await caught(ofetchLike(url('/status/403'), { method: 'post' }))
    expect(String(error)).toBe(`HTTPError: POST ${url('/status/403')}: HTTP 403 Forbidden`)
    expect(error.request).toEqual({ method: 'POST', url: url('/status/403') })
    expect(error.response._data).toEqual(error.data)
  })

  it('22 timeout aborts a call that would otherwise hang', async () => {
    // The call without a timeout is held at the server until the other one has timed out.
    const held = holdAtServer(server)
    const noTimeout = ofetchLike(url(held.path)).then(() => 'no timeout')
    const timeout = ofetchLike(url('/stall'), { timeout: 100, retry: 0 }).catch(() => 'timeout')
    expect(await Promise.race([noTimeout, timeout])).toBe('timeout')
    await held.release()
    expect(await noTimeout).toBe('no timeout')
  })

  it("23 a timeout's cause is a DOMException named TimeoutError", async () => {
    const error = await caught(ofetchLike(url('/stall'), { timeout: 100, retry: 0 }))
    expect(error.name).toBe('TimeoutError')
    expect(error.cause.message).toContain('The operation was aborted due to timeout')
    expect(error.cause.name).toBe('TimeoutError')
    expect(error.cause.code).toBe(DOMException.TIMEOUT_ERR)
  })

  it('24 create() deep-merges default query, params and headers with the call', async () => {
    const custom = ofetchLike.create({ query: { a: 0 }, params: { b: 2 }, headers: { 'x-header-a': '0', 'x-header-b': '2' } })
    const echo = await custom<Echo>(url('/echo'), {
      query: { a: 1 },
      params: { c: 3 },
      headers: { 'Content-Type': 'text/plain', 'x-header-a': '1', 'x-header-c': '3' },
    })
    expect(echo.headers).toMatchObject({ 'x-header-a': '1', 'x-header-b': '2', 'x-header-c': '3' })
    expect(echo.query).toEqual({ a: '1', b: '2', c: '3' })
  })

  it('25 a Request as input: its headers are sent, call headers override them', async () => {
    const request = new Request(url('/echo'), { headers: { foo: '1' } })
    expect((await ofetchLike<Echo>(request as never)).headers).toMatchObject({ foo: '1' })
    expect((await ofetchLike<Echo>(new Request(url('/echo'), { headers: { foo: '1' } }) as never, { headers: { foo: '2', bar: '3' } })).headers).toMatchObject({ foo: '2', bar: '3' })
  })

  it('26a an error thrown in onRequest, onResponse or onResponseError rejects the call', async () => {
    const boom = (where: string) => () => {
      throw new Error(`error in ${where}`)
    }
    await expect(ofetchLike(url('/json'), { onRequest: boom('onRequest') })).rejects.toThrow('error in onRequest')
    await expect(ofetchLike(url('/json'), { onResponse: boom('onResponse') })).rejects.toThrow('error in onResponse')
    await expect(ofetchLike(url('/status/403'), { onResponseError: boom('onResponseError') })).rejects.toThrow('error in onResponseError')
  })

  // Hooks run before the URL is checked, so onRequestError sees a URL that is still invalid.
  it('26b onRequestError sees an invalid (relative) URL and its error rejects the call', async () => {
    const onRequestError = () => {
      throw new Error('error in onRequestError')
    }
    await expect(ofetchLike('/', { onRequestError })).rejects.toThrow('error in onRequestError')
  })

  it('27 hooks run once each (or once per array entry); onResponseError only for error statuses', async () => {
    const hooks = () => ({ onRequest: vi.fn(), onRequestError: vi.fn(), onResponse: vi.fn(), onResponseError: vi.fn() })
    const counts = (h: ReturnType<typeof hooks>) => [h.onRequest, h.onRequestError, h.onResponse, h.onResponseError].map((f) => f.mock.calls.length)

    let h = hooks()
    await ofetchLike(url('/json'), h)
    expect(counts(h)).toEqual([1, 0, 1, 0])
    h = hooks()
    await caught(ofetchLike(url('/status/403'), h))
    expect(counts(h)).toEqual([1, 0, 1, 1])
    h = hooks()
    const twice = (x: ReturnType<typeof hooks>) => ({
      onRequest: [x.onRequest, x.onRequest],
      onRequestError: [x.onRequestError, x.onRequestError],
      onResponse: [x.onResponse, x.onResponse],
      onResponseError: [x.onResponseError, x.onResponseError],
    })
    await ofetchLike(url('/json'), twice(h))
    expect(counts(h)).toEqual([2, 0, 2, 0])
    h = hooks()
    await caught(ofetchLike(url('/status/403'), twice(h)))
    expect(counts(h)).toEqual([2, 0, 2, 2])
  })

  it('28 deliberate: fetch gets an abort signal and the method, not only headers (volley owns deadlines and aborts)', async () => {
    const spy = vi.spyOn(globalThis, 'fetch')
    await ofetchLike(url('/json'))
    expect(spy).toHaveBeenCalledOnce()
    const init = spy.mock.calls[0]![1] as RequestInit
    expect(init.headers).toBeInstanceOf(Headers)
    expect(init.signal).toBeInstanceOf(AbortSignal)
    // ofetch v1 passes exactly { headers }; volley's init has more keys on purpose.
    expect(Object.keys(init)).not.toEqual(['headers'])
  })
})
