import { createHash } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { byteAt, expectedBytes, expectedSha256, startChaosServer, type ChaosServer } from '../src/index.js'
import { expectBytes, rawRequest, readChunks } from './helpers.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('deterministic bytes', () => {
  it('follows (i * 31 + 7) & 0xff, also far beyond 2^32', () => {
    expect(byteAt(0)).toBe(7)
    expect(byteAt(1)).toBe(38)
    expect(byteAt(2 ** 33 + 1)).toBe(((2 ** 33 + 1) * 31 + 7) % 256)
    expect(expectedBytes(3, 1)).toEqual(new Uint8Array([38, 69, 100]))
  })

  it('hashes the same bytes expectedBytes returns', () => {
    const n = 300_000
    expect(expectedSha256(n)).toBe(createHash('sha256').update(expectedBytes(n)).digest('hex'))
  })
})

describe('GET /bytes/:n', () => {
  it('sends n deterministic bytes with Content-Length', async () => {
    const res = await fetch(`${server.url}/bytes/200000`)
    expect(res.headers.get('content-length')).toBe('200000')
    expectBytes(new Uint8Array(await res.arrayBuffer()), 200_000)
  })

  it('streams in writes of chunkSize', async () => {
    const res = await fetch(`${server.url}/bytes/1000000?chunkSize=1000`)
    const body = new Uint8Array(await res.arrayBuffer())
    expect(createHash('sha256').update(body).digest('hex')).toBe(expectedSha256(1_000_000))
  })

  it('omits Content-Length and uses chunked transfer with chunked=1', async () => {
    const res = await fetch(`${server.url}/bytes/5000?chunked=1`)
    expect(res.headers.get('content-length')).toBeNull()
    expect(res.headers.get('transfer-encoding')).toBe('chunked')
    expectBytes(new Uint8Array(await res.arrayBuffer()), 5000)
  })

  it('gzips with the compressed length as Content-Length', async () => {
    const raw = await rawRequest(server, '/bytes/100000?gzip=1')
    expect(raw.headers['content-encoding']).toBe('gzip')
    expect(Number(raw.headers['content-length'])).toBe(raw.body.length)
    expect(raw.body.length).toBeLessThan(100_000)
    expectBytes(new Uint8Array(gunzipSync(raw.body)), 100_000)
  })

  it('gzips a chunked stream that fetch decodes back to the bytes', async () => {
    const res = await fetch(`${server.url}/bytes/100000?gzip=1&chunked=1`)
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('content-length')).toBeNull()
    expectBytes(new Uint8Array(await res.arrayBuffer()), 100_000)
  })

  it('sends headers only for HEAD, however large n is', async () => {
    const res = await fetch(`${server.url}/bytes/1099511627776`, { method: 'HEAD' })
    expect(res.headers.get('content-length')).toBe('1099511627776')
    expect(await res.text()).toBe('')
  })

  it('stops writing when the client cancels a huge body', async () => {
    const res = await fetch(`${server.url}/bytes/1073741824`)
    const reader = res.body!.getReader()
    await reader.read()
    await reader.cancel()
    // The same server still answers: the aborted stream did not wedge it.
    const next = await fetch(`${server.url}/bytes/10`)
    expectBytes(new Uint8Array(await next.arrayBuffer()), 10)
  })

  it('delivers the body over several reads', async () => {
    const chunks = await readChunks(await fetch(`${server.url}/bytes/300000?chunkSize=16384`))
    expect(chunks.length).toBeGreaterThan(1)
  })
})
