import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectedBytes, expectedSha256, startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('POST|PUT /upload', () => {
  it('counts and hashes a body with Content-Length', async () => {
    const body = expectedBytes(250_000)
    const res = await fetch(`${server.url}/upload`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body,
    })
    expect(await res.json()).toEqual({
      bytes: 250_000,
      sha256: expectedSha256(250_000),
      contentType: 'application/octet-stream',
      contentLength: 250_000,
      transferEncoding: null,
    })
  })

  it('reads a streamed (chunked) PUT body', async () => {
    const parts = ['hello ', 'streaming ', 'world']
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(new TextEncoder().encode(part))
        controller.close()
      },
    })
    const res = await fetch(`${server.url}/upload`, { method: 'PUT', body: stream, duplex: 'half' } as RequestInit)
    const result = await res.json()
    expect(result).toMatchObject({ bytes: 21, contentLength: null, transferEncoding: 'chunked' })
    expect(result.sha256).toBe(createHash('sha256').update(parts.join('')).digest('hex'))
  })

  it('slows reading with delayPerChunk', async () => {
    const started = performance.now()
    const res = await fetch(`${server.url}/upload?delayPerChunk=30`, { method: 'POST', body: 'small' })
    expect((await res.json()).bytes).toBe(5)
    expect(performance.now() - started).toBeGreaterThanOrEqual(30 - 10)
  })

  it('answers 405 for GET', async () => {
    expect((await fetch(`${server.url}/upload`)).status).toBe(405)
  })
})
