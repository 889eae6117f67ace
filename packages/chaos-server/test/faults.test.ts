import { get, type IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'
import { expectBytes, rawRequest } from './helpers.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('GET /stall', () => {
  it('sends headers and the first bytes, then nothing until the client leaves', async () => {
    const received: Buffer[] = []
    const { req, res } = await new Promise<{ req: ReturnType<typeof get>; res: IncomingMessage }>((resolve) => {
      const req = get(`${server.url}/stall?after=100&length=5000`, (res) => resolve({ req, res }))
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-length']).toBe('5000')
    // Waits for the bytes rather than for a while, so a slow machine cannot fail it.
    let count = 0
    const hundred = new Promise<void>((resolve) =>
      res.on('data', (chunk: Buffer) => {
        received.push(chunk)
        count += chunk.length
        if (count >= 100) resolve()
      }),
    )
    await hundred
    const closed = new Promise((resolve) => res.once('close', resolve))
    req.destroy()
    await closed
    expectBytes(new Uint8Array(Buffer.concat(received)), 100)
    expect(res.complete).toBe(false)
  })

  it('rejects an after that would complete the body', async () => {
    const res = await fetch(`${server.url}/stall?after=10&length=10`)
    expect(res.status).toBe(400)
  })
})

describe('GET /reset', () => {
  it('promises more than it sends and closes the connection after n bytes', async () => {
    const raw = await rawRequest(server, '/reset?after=2500')
    expect(raw.status).toBe(200)
    expect(Number(raw.headers['content-length'])).toBeGreaterThan(2500)
    expectBytes(new Uint8Array(raw.body), 2500)
  })

  it('breaks the connection right after the headers with after=0', async () => {
    const raw = await rawRequest(server, '/reset')
    expect(raw.status).toBe(200)
    expect(raw.body.length).toBe(0)
  })

  it('makes fetch fail with a network error', async () => {
    const res = await fetch(`${server.url}/reset?after=10`)
    await expect(res.arrayBuffer()).rejects.toThrow()
  })

  it('reads a PUT body first, then cuts the answer the same way', async () => {
    const res = await fetch(`${server.url}/reset?after=100&length=200`, { method: 'PUT', body: new Uint8Array(4096) })
    expect(res.status).toBe(200)
    await expect(res.arrayBuffer()).rejects.toThrow()
  })

  it('sends a TCP reset with rst=1', async () => {
    const raw = await rawRequest(server, '/reset?after=10&rst=1')
    expect(raw.error?.code).toBe('ECONNRESET')
  })
})
