import { describe, expect, it } from 'vitest'
import {
  AbortError,
  BodyTooLargeError,
  createClient,
  HTTPError,
  isHTTPError,
  isNetworkError,
  isParseError,
  isVolleyError,
  NetworkError,
  ParseError,
  QueueFullError,
  CircuitOpenError,
  ThrottledError,
  TimeoutError,
  VolleyError,
} from '@volley/core'
import { closedPort, useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()

describe('errors', () => {
  it('gives invalid JSON a ParseError with the content type and an excerpt', async () => {
    const error = (await createClient({ baseURL: server().url }).get('/invalid-json').catch((e: unknown) => e)) as ParseError
    expect(isParseError(error)).toBe(true)
    expect(error.contentType).toMatch(/application\/json/)
    expect(error.excerpt.length).toBeGreaterThan(0)
    expect(error.status).toBe(200)
    expect(error.attempts).toBe(1)
  })

  it('carries the status, headers and parsed data of an HTTP error', async () => {
    const error = (await createClient({ baseURL: server().url, retry: 0 })
      .get('/status/418')
      .catch((e: unknown) => e)) as HTTPError<{ status: number }>
    expect(isHTTPError(error)).toBe(true)
    expect(error.status).toBe(418)
    expect(error.data.status).toBe(418)
    expect(error.headers.get('content-type')).toMatch(/json/)
    expect(error.message).toBe(`GET ${server().url}/status/418: HTTP 418 I'm a Teapot`.replace("I'm a Teapot", error.statusText))
  })

  it('names the URL with its query as it was sent', async () => {
    const query = { flag: null, page: [1, 2], q: 'a b/c', skip: undefined }
    const error = (await createClient({ baseURL: server().url, retry: 0 }).get('/status/404', { query }).catch((e: unknown) => e)) as HTTPError
    expect(error.request?.url).toBe(`${server().url}/status/404?flag&page=1&page=2&q=a+b%2Fc`)
    expect(error.request?.url).toBe(error.response.url)
  })

  it('reports a refused connection as a NetworkError with the platform code', async () => {
    const port = await closedPort()
    const error = (await createClient({ retry: 0 }).get(`http://127.0.0.1:${port}/x`).catch((e: unknown) => e)) as NetworkError
    expect(isNetworkError(error)).toBe(true)
    expect(error.causeCode).toBe('ECONNREFUSED')
    expect(error.message).toContain('ECONNREFUSED')
  })

  it('stops a body larger than maxBodySize without buffering it', async () => {
    const api = createClient({ baseURL: server().url, maxBodySize: 1_000_000 })
    const error = (await api.raw.get('/bytes/100000000', { responseType: 'arrayBuffer', query: { chunked: 1 } }).catch((e: unknown) => e)) as BodyTooLargeError
    expect(error).toBeInstanceOf(BodyTooLargeError)
    expect(error.limit).toBe(1_000_000)
    const meta = (error as unknown as { meta: { bytesIn: number } }).meta
    expect(meta.bytesIn).toBeLessThan(2_000_000)
  })

  it('rejects a Content-Length above maxBodySize before reading', async () => {
    const error = await createClient({ baseURL: server().url, maxBodySize: 10 })
      .get('/bytes/100')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BodyTooLargeError)
  })

  it('has a stable code and guards on every class', () => {
    const request = { method: 'GET', url: 'https://x.test/' }
    const cases: [VolleyError, string][] = [
      [new TimeoutError({ phase: 'idle', limit: 5, request }), 'ERR_TIMEOUT'],
      [new NetworkError({ cause: new Error('x'), request }), 'ERR_NETWORK'],
      [new AbortError({ reason: 'bye', request }), 'ERR_ABORTED'],
      [new QueueFullError({ maxQueue: 3 }), 'ERR_QUEUE_FULL'],
      [new BodyTooLargeError({ limit: 1 }), 'ERR_BODY_TOO_LARGE'],
      [new CircuitOpenError({ origin: 'https://x.test', retryAt: 0 }), 'ERR_CIRCUIT_OPEN'],
      [new ThrottledError({ origin: 'https://x.test', probability: 0.5 }), 'ERR_THROTTLED'],
    ]
    for (const [error, code] of cases) {
      expect(error.code).toBe(code)
      expect(isVolleyError(error)).toBe(true)
      expect(error).toBeInstanceOf(VolleyError)
      expect(error).toBeInstanceOf(Error)
    }
    expect(new TimeoutError({ phase: 'idle', limit: 5 })).not.toBeInstanceOf(NetworkError)
  })

  it('keeps its class name as a literal, so minified builds still say HTTPError', async () => {
    // e2e found `Ie: GET ...` in a minified app: names must not come from constructor.name.
    const error = (await createClient({ baseURL: server().url, retry: 0 }).get('/status/404').catch((e: unknown) => e)) as HTTPError
    expect(error.name).toBe('HTTPError')
    expect(String(error)).toMatch(/^HTTPError: GET /)
    expect(new TimeoutError({ phase: 'idle', limit: 1 }).name).toBe('TimeoutError')
    expect(new NetworkError({ cause: new Error('x') }).name).toBe('NetworkError')
  })

  it('recognises errors from another copy of volley by their brand', () => {
    // What a second installed copy produces: same brand symbol, different class objects.
    const foreign = Object.assign(new Error('from elsewhere'), { code: 'ERR_HTTP', status: 500 })
    Object.defineProperty(foreign, Symbol.for('volley.error'), { value: true })
    expect(isVolleyError(foreign)).toBe(true)
    expect(isHTTPError(foreign)).toBe(true)
    expect(foreign).toBeInstanceOf(HTTPError)
    expect(foreign).not.toBeInstanceOf(TimeoutError)
  })
})
