import { expectedBytes } from '@volley/chaos-server'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createManualClock, createPool, createClient, createNodeTransport, isAbortError, isBodyTooLargeError, isNetworkError, isTimeoutError, type Client, type NetworkError, type TimeoutError, progress } from '@volley/node'
import { closedPort, startCountingServer, useChaosServer } from './helpers/servers.js'
import { failure } from '../../core/test/helpers/failure.js'
import { handshake } from '../../core/test/helpers/handshake.js'
import { watchBytes } from '../../core/test/helpers/watch-bytes.js'

const server = useChaosServer()
const client = createClient({ retry: false })
// Only the test that watches progress opts in: the rest must hold without the progress policy.
const withProgress = createClient({ retry: false, use: [progress()] })
afterAll(async () => {
  await (client as { close?: () => Promise<void> }).close?.()
  await (withProgress as { close?: () => Promise<void> }).close?.()
})

interface Echo {
  method: string
  path: string
  headers: Record<string, string>
  body: string
  bytes: number
}

interface Upload {
  bytes: number
  sha256: string
  contentType: string | null
  contentLength: number | null
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/** Byte-exact comparison without a slow deep-equality diff of large arrays. */
function sameBytes(actual: ArrayBuffer | Uint8Array, expected: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(actual instanceof ArrayBuffer ? new Uint8Array(actual) : actual), Buffer.from(expected)) === 0
}

describe('node transport: responses', () => {
  it('parses JSON, text and binary bodies', async () => {
    expect(await client.get<{ hello: string }>(`${server().url}/json`)).toMatchObject({ hello: 'world' })
    const text = await client.get<string>(`${server().url}/json`, { responseType: 'text' })
    expect(JSON.parse(text)).toMatchObject({ hello: 'world' })
    const bytes = await client.get<ArrayBuffer>(`${server().url}/bytes/70000`, { responseType: 'arrayBuffer' })
    expect(sameBytes(bytes, expectedBytes(70_000))).toBe(true)
    const blob = await client.get<Blob>(`${server().url}/bytes/1000`, { responseType: 'blob' })
    expect(sameBytes(await blob.arrayBuffer(), expectedBytes(1000))).toBe(true)
  })

  it('streams a body through a WHATWG ReadableStream and counts every byte', async () => {
    const response = await client.raw<ReadableStream<Uint8Array>>(`${server().url}/bytes/600000?chunkSize=16384`, { responseType: 'stream' })
    expect(response.data).toBeInstanceOf(ReadableStream)
    expect(sameBytes(await readAll(response.data), expectedBytes(600_000))).toBe(true)
    expect(response.meta.bytesIn).toBe(600_000)
  })

  it('decodes a gzip body to the exact bytes, with and without Content-Length', async () => {
    for (const query of ['gzip=1', 'gzip=1&chunked=1']) {
      const response = await client.raw<ArrayBuffer>(`${server().url}/bytes/300000?${query}`, { responseType: 'arrayBuffer' })
      expect(response.headers.get('content-encoding')).toBe('gzip')
      expect(sameBytes(response.data, expectedBytes(300_000))).toBe(true)
    }
  })

  it('gives 204 and HEAD responses a null body', async () => {
    const empty = await client.raw(`${server().url}/status/204`)
    expect(empty.status).toBe(204)
    expect(empty.body).toBeNull()
    const head = await client.raw.head(`${server().url}/json`)
    expect(head.status).toBe(200)
    expect(head.body).toBeNull()
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0)
  })

  it('returns real Response and Headers objects that can be cloned', async () => {
    const response = await createNodeTransport()(`${server().url}/json`)
    expect(response).toBeInstanceOf(Response)
    expect(response.headers).toBeInstanceOf(Headers)
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(Object.fromEntries(response.headers)).toMatchObject({ 'content-type': response.headers.get('content-type'), 'x-chaos-route': 'json' })
    expect(new Headers(response.headers).get('x-chaos-route')).toBe('json')
    expect(response.ok).toBe(true)
    expect(response.statusText).toBe('OK')
    const copy = response.clone()
    expect(await copy.json()).toMatchObject({ hello: 'world' })
    expect(await response.json()).toMatchObject({ hello: 'world' })
    expect(response.bodyUsed).toBe(true)
    await expect(response.text()).rejects.toThrow(TypeError)
  })
})

describe('node transport: redirects', () => {
  it('follows redirects and reports the final URL', async () => {
    const response = await client.raw<Echo>(`${server().url}/redirect/3`)
    expect(response.data.path).toBe('/echo')
    expect(response.redirected).toBe(true)
    expect(response.url).toBe(`${server().url}/echo`)
  })

  it('drops credentials on a cross-origin redirect and keeps them on the same origin', async () => {
    const headers = { authorization: 'Bearer secret', cookie: 'sid=1', 'proxy-authorization': 'Basic x', 'x-trace': 't' }
    const cross = await client.get<Echo>(`${server().url}/redirect-cross-origin?to=/echo`, { headers })
    expect(cross.headers['x-trace']).toBe('t')
    expect(cross.headers).not.toHaveProperty('authorization')
    expect(cross.headers).not.toHaveProperty('cookie')
    expect(cross.headers).not.toHaveProperty('proxy-authorization')
    const same = await client.get<Echo>(`${server().url}/redirect/1`, { headers })
    expect(same.headers.authorization).toBe('Bearer secret')
  })

  it('turns a POST into a GET on 303 and keeps method and body on 307', async () => {
    const seeOther = await client.post<Echo>(`${server().url}/redirect/1?status=303`, { body: 'hello' })
    expect(seeOther).toMatchObject({ method: 'GET', bytes: 0 })
    expect(seeOther.headers).not.toHaveProperty('content-type')
    const temporary = await client.post<Echo>(`${server().url}/redirect/1?status=307`, { body: 'hello' })
    expect(temporary).toMatchObject({ method: 'POST', body: 'hello' })
  })

  it("returns the redirect itself with redirect: 'manual' and fails with redirect: 'error'", async () => {
    const response = await client.raw(`${server().url}/redirect/1`, { redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toContain('/redirect/0')
    const error = await failure(client.get(`${server().url}/redirect/1`, { redirect: 'error' }))
    expect(error).toBeInstanceOf(TypeError)
    expect(isNetworkError(error)).toBe(false)
  })

  it('fails a redirect loop at once with a TypeError, not a retried network error', async () => {
    const error = await failure<TypeError & { code?: string; meta?: { attempts: number } }>(client.get(`${server().url}/redirect-loop`))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/too many redirects/)
    expect(error.code).toBe('ERR_TOO_MANY_REDIRECTS')
    expect(error.meta?.attempts).toBe(1)
  })
})

describe('node transport: failures', () => {
  it('reports a refused connection as ERR_NETWORK with ECONNREFUSED', async () => {
    const error = await failure<NetworkError>(client.get(`http://127.0.0.1:${await closedPort()}/`))
    expect(error.code).toBe('ERR_NETWORK')
    expect(error.causeCode).toBe('ECONNREFUSED')
  })

  it('reports a connection reset mid-body as ERR_NETWORK', async () => {
    const error = await failure<NetworkError>(client.get(`${server().url}/reset?after=5000&length=100000`, { responseType: 'arrayBuffer' }))
    expect(error.code).toBe('ERR_NETWORK')
    expect(error.causeCode).toMatch(/^(UND_ERR_|ECONNRESET)/)
  })

  it('times out a stalled body with an idle TimeoutError', async () => {
    // On the manual clock: the idle limit runs out once the 100 bytes are in, however slowly they come.
    const clock = createManualClock()
    const watch = watchBytes()
    const watched = createClient({ clock, retry: false, use: [watch.policy] })
    const call = failure(watched.get(`${server().url}/stall?after=100`, { responseType: 'arrayBuffer', timeout: { idle: 150 } }), isTimeoutError)
    await vi.waitFor(() => expect(watch.received).toBe(100), handshake)
    await clock.advance(150)
    const error = await call
    await watched.close()
    expect(error.phase).toBe('idle')
    expect((error as { meta?: unknown }).meta).toMatchObject({ bytesIn: 100 })
  })

  it('stops a huge chunked body at maxBodySize after reading far less than all of it', async () => {
    const error = await failure(client.get(`${server().url}/bytes/100000000?chunked=1`, { responseType: 'arrayBuffer', maxBodySize: 1_000_000 }))
    expect(isBodyTooLargeError(error)).toBe(true)
    const bytesIn = (error as { meta: { bytesIn: number } }).meta.bytesIn
    expect(bytesIn).toBeGreaterThan(1_000_000)
    expect(bytesIn).toBeLessThan(5_000_000)
  })

  it('frees the pool slot and the socket when a stream read is aborted', async () => {
    const counting = await startCountingServer()
    const pooled: Client = createClient({ pool: createPool({ concurrency: 1 }), retry: false })
    try {
      const controller = new AbortController()
      const response = await pooled.raw<ReadableStream<Uint8Array>>(`${server().url}/stall?after=1000`, { responseType: 'stream', signal: controller.signal })
      const reader = response.data.getReader()
      expect((await reader.read()).value?.byteLength).toBeGreaterThan(0)
      expect(pooled.pool?.stats.active).toBe(1)
      controller.abort(new Error('user gave up'))
      const error = await failure(reader.read())
      expect(error).toMatchObject({ message: 'user gave up' })
      expect(pooled.pool?.stats.active).toBe(0)
      // The slot is free: the next call through the one-slot pool goes through at once.
      expect(await pooled.get(`${counting.url}/`)).toEqual({ ok: true })
    } finally {
      await counting.close()
    }
  })

  it('rejects with the abort reason when aborted before the headers', async () => {
    const controller = new AbortController()
    // The server sends no headers for a minute; the call is aborted once the request has reached it.
    const pending = failure(client.get(`${server().url}/slow-headers/60000`, { signal: controller.signal }))
    await vi.waitFor(() => expect(server().stats.count('slow-headers')).toBe(1), handshake)
    controller.abort()
    expect(isAbortError(await pending)).toBe(true)
  })
})

describe('node transport: connections and request bodies', () => {
  it('reuses keep-alive connections for 50 sequential requests', async () => {
    const counting = await startCountingServer()
    const transport = createNodeTransport()
    try {
      const keepAlive = createClient({ transport })
      for (let i = 0; i < 50; i++) await keepAlive.get(`${counting.url}/`)
      // undici's pool marks a socket free on the tick after its response completes, so the second
      // request may open a second socket; from then on one of the two is always free.
      expect(counting.connections).toBeLessThanOrEqual(2)
    } finally {
      await transport.close()
      await counting.close()
    }
  })

  it('sends every kind of fetch body with the content type fetch implies', async () => {
    const url = `${server().url}/upload`
    const transport = createNodeTransport()
    const bytes = expectedBytes(100_000)
    const form = new FormData()
    form.set('name', 'ada')
    form.set('file', new Blob([bytes.subarray(0, 10)], { type: 'application/octet-stream' }), 'a.bin')
    const cases: [unknown, number | undefined, RegExp | null][] = [
      ['héllo', 6, /^text\/plain;charset=UTF-8$/],
      [bytes, 100_000, null],
      [bytes.buffer, 100_000, null],
      [new URLSearchParams({ a: '1', b: 'two' }), 9, /^application\/x-www-form-urlencoded;charset=UTF-8$/],
      [new Blob([bytes], { type: 'application/x-test' }), 100_000, /^application\/x-test$/],
      [form, undefined, /^multipart\/form-data; boundary=/],
      [Readable.from([bytes.subarray(0, 50_000), bytes.subarray(50_000)]), 100_000, null],
      [new Blob([bytes]).stream(), 100_000, null],
    ]
    for (const [body, size, type] of cases) {
      const response = await transport(url, { method: 'POST', body: body as BodyInit, duplex: 'half' } as RequestInit)
      const result = (await response.json()) as Upload
      if (size !== undefined) expect(result.bytes).toBe(size)
      if (type) expect(result.contentType).toMatch(type)
      else expect(result.contentType).toBeNull()
    }
    await transport.close()
  })

  it('accepts a Request as input, as fetch does', async () => {
    const transport = createNodeTransport()
    const request = new Request(`${server().url}/echo?q=1`, { method: 'PUT', body: 'from a Request', headers: { 'x-from': 'request' } })
    const echo = (await (await transport(request)).json()) as Echo
    expect(echo).toMatchObject({ method: 'PUT', body: 'from a Request', headers: { 'x-from': 'request' } })
    await transport.close()
  })

  it('streams an upload through the client with progress up to the exact size', async () => {
    const events: number[] = []
    const result = await withProgress.post<Upload>(`${server().url}/upload`, {
      body: new Blob([expectedBytes(1_000_000)]),
      onUploadProgress: (p) => events.push(p.loaded),
    })
    expect(result.bytes).toBe(1_000_000)
    expect(events.at(-1)).toBe(1_000_000)
    expect(events).toEqual([...events].sort((a, b) => a - b))
  })
})
