import { describe, expect, it, vi } from 'vitest'
import { createClient, volley } from '@volley/core'
import { closedPort, useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()

interface Echo {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  body: string
  bytes: number
}

describe('client', () => {
  it('gets JSON through the default instance', async () => {
    const data = await volley.get<{ hello: string }>(`${server().url}/json`)
    expect(data.hello).toBe('world')
  })

  it('is callable like fetch and has every verb', async () => {
    const api = createClient({ baseURL: server().url })
    expect((await api<Echo>('/echo')).method).toBe('GET')
    for (const verb of ['get', 'post', 'put', 'patch', 'delete', 'options'] as const) {
      expect((await api[verb]<Echo>('/echo')).method).toBe(verb.toUpperCase())
    }
    const head = await api.raw.head('/echo')
    expect(head.status).toBe(200)
    expect(head.data).toBeUndefined()
  })

  it('joins baseURL, appends query and sends JSON bodies', async () => {
    const api = createClient({ baseURL: `${server().url}/`, headers: { 'x-client': 'a' }, query: { fixed: 1 } })
    const echo = await api.post<Echo>('/echo', { body: { name: 'Ada' }, query: { page: 2, skip: undefined }, headers: { 'X-Call': 'b' } })
    expect(echo.path).toBe('/echo')
    expect(echo.query).toEqual({ fixed: '1', page: '2' })
    expect(echo.headers['content-type']).toBe('application/json')
    expect(echo.headers['x-client']).toBe('a')
    expect(echo.headers['x-call']).toBe('b')
    expect(JSON.parse(echo.body)).toEqual({ name: 'Ada' })
  })

  it('sends strings, URLSearchParams and bytes as they are', async () => {
    const api = createClient({ baseURL: server().url })
    expect((await api.post<Echo>('/echo', { body: 'plain' })).body).toBe('plain')
    expect((await api.post<Echo>('/echo', { body: new URLSearchParams({ a: '1' }) })).body).toBe('a=1')
    expect((await api.post<Echo>('/echo', { body: new Uint8Array([104, 105]) })).bytes).toBe(2)
  })

  it('parses text, blob, arrayBuffer and stream response types', async () => {
    const api = createClient({ baseURL: server().url })
    expect(await api.get('/json', { responseType: 'text' })).toMatch(/"hello"/)
    expect(((await api.get('/bytes/10', { responseType: 'blob' })) as Blob).size).toBe(10)
    expect(((await api.get('/bytes/10', { responseType: 'arrayBuffer' })) as ArrayBuffer).byteLength).toBe(10)
    const stream = (await api.get('/bytes/100000', { responseType: 'stream' })) as ReadableStream<Uint8Array>
    let bytes = 0
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength
    expect(bytes).toBe(100_000)
  })

  it('returns the Response with data and meta from raw()', async () => {
    const response = await createClient({ baseURL: server().url }).raw.post<Echo>('/echo', { body: 'hello' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/json/)
    expect(response.data.body).toBe('hello')
    expect(response.meta).toMatchObject({ method: 'POST', attempts: 1, retries: 0, status: 200, bytesOut: 5 })
    expect(response.meta.bytesIn).toBe(Number(response.headers.get('content-length')))
    expect(response.meta.ttfbMs).toBeGreaterThanOrEqual(0)
    expect(response.meta.durationMs).toBeGreaterThanOrEqual(response.meta.ttfbMs!)
    expect(response.meta.timings).toHaveLength(1)
    expect(response.url).toBe(`${server().url}/echo`)
  })

  it('never throws from safe, for successes, HTTP errors, network errors and bad options', async () => {
    const api = createClient({ baseURL: server().url, retry: 0 })
    const ok = await api.safe.get<{ hello: string }>('/json')
    expect(ok.ok && ok.data.hello).toBe('world')
    const notFound = await api.safe.get<unknown, { status: number }>('/status/404')
    expect(notFound.ok).toBe(false)
    if (!notFound.ok) {
      expect(notFound.error.code).toBe('ERR_HTTP')
      expect(notFound.response?.status).toBe(404)
      expect(notFound.meta.attempts).toBe(1)
    }
    const refused = await api.safe.get(`http://127.0.0.1:${await closedPort()}/`)
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error.code).toBe('ERR_NETWORK')
    const invalid = await api.safe.get('/json', { timeout: -1 })
    expect(invalid.ok).toBe(false)
    if (!invalid.ok) expect(invalid.error.message).toMatch(/timeout/)
  })

  it('rejects an invalid URL at once with a TypeError, without sending or retrying', async () => {
    const api = createClient({ retry: 5 })
    await expect(api.get('http://127.0.0.1:port/json')).rejects.toThrow(/invalid URL "http:\/\/127.0.0.1:port\/json": expected an absolute URL/)
    await expect(api.get('/relative/without/base')).rejects.toBeInstanceOf(TypeError)
    const safe = await api.safe.get('not a url')
    expect(safe.ok).toBe(false)
  })

  it('extends a client with merged options', async () => {
    const base = createClient({ baseURL: server().url, headers: { 'x-a': '1' } })
    const child = base.extend({ headers: { 'x-b': '2' } })
    const echo = await child.get<Echo>('/echo')
    expect(echo.headers).toMatchObject({ 'x-a': '1', 'x-b': '2' })
    expect(child.defaults.baseURL).toBe(server().url)
  })

  it('calls ofetch-style hooks once per attempt', async () => {
    const onRequest = vi.fn()
    const onResponse = vi.fn()
    const onResponseError = vi.fn()
    await createClient({ baseURL: server().url, retry: { limit: 1, delay: 1 }, onRequest, onResponse, onResponseError })
      .get('/status/503')
      .catch(() => {})
    expect(onRequest).toHaveBeenCalledTimes(2)
    expect(onResponse).toHaveBeenCalledTimes(2)
    expect(onResponseError).toHaveBeenCalledTimes(2)
  })

  it('lets onRequest change headers', async () => {
    const echo = await createClient({
      baseURL: server().url,
      onRequest: ({ options }) => {
        ;(options.headers as Headers).set('x-hooked', 'yes')
      },
    }).get<Echo>('/echo')
    expect(echo.headers['x-hooked']).toBe('yes')
  })

  it('passes an exception from a hook through untouched and does not retry it', async () => {
    const boom = new Error('hook failed')
    const api = createClient({ baseURL: server().url, onRequest: () => Promise.reject(boom) })
    await expect(api.get('/json')).rejects.toBe(boom)
    expect(server().stats.count('json')).toBe(0)
  })

  it('settles every call exactly once in a mixed batch', async () => {
    const api = createClient({ baseURL: server().url, retry: { limit: 1, delay: 1 }, timeout: { total: 2000, attempt: 200 } })
    const paths = ['/json', '/status/500', '/delay/1000', '/invalid-json', '/status/404', '/reset?after=10', '/bytes/1000']
    const settled = vi.fn()
    await Promise.all(
      Array.from({ length: 35 }, (_, i) => api.safe.get(paths[i % paths.length]!).then(settled)),
    )
    expect(settled).toHaveBeenCalledTimes(35)
  })
})
