import { request } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'
import { concat, expectBytes, readChunks } from './helpers.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('GET /drip', () => {
  it('spreads the bytes over several chunks across the duration', async () => {
    const started = performance.now()
    // 500 ms between chunks: only a client stalled that long would read two of them at once.
    const res = await fetch(`${server.url}/drip?bytes=50&chunks=5&duration=2000`)
    expect(res.headers.get('content-length')).toBe('50')
    const chunks = await readChunks(res)
    const elapsed = performance.now() - started
    // Chunks 500 ms apart arrive separately; allow some coalescing on a loaded machine.
    expect(chunks.length).toBeGreaterThanOrEqual(2)
    expect(chunks.length).toBeLessThanOrEqual(5)
    expectBytes(concat(chunks), 50)
    expect(elapsed).toBeGreaterThanOrEqual(2000 - 20)
  })

  it('waits delay ms before sending headers', async () => {
    const started = performance.now()
    const res = await fetch(`${server.url}/drip?bytes=4&chunks=1&delay=80`)
    expect(performance.now() - started).toBeGreaterThanOrEqual(80 - 20)
    expectBytes(new Uint8Array(await res.arrayBuffer()), 4)
  })

  it('omits Content-Length with length=0', async () => {
    const res = await fetch(`${server.url}/drip?bytes=30&chunks=3&duration=20&length=0`)
    expect(res.headers.get('content-length')).toBeNull()
    expectBytes(new Uint8Array(await res.arrayBuffer()), 30)
  })

  it('gzips each chunk as it is sent with gzip=1', async () => {
    const body = await new Promise<Buffer>((resolve, reject) => {
      const req = request(`${server.url}/drip?bytes=3000&chunks=3&duration=40&gzip=1`, (res) => {
        expect(res.headers['content-encoding']).toBe('gzip')
        const parts: Buffer[] = []
        res.on('data', (part: Buffer) => parts.push(part))
        res.on('end', () => resolve(Buffer.concat(parts)))
      })
      req.on('error', reject)
      req.end()
    })
    expectBytes(new Uint8Array(gunzipSync(body)), 3000)
  })

  it('clears its timers when the client aborts mid-drip', async () => {
    server.reset()
    const controller = new AbortController()
    const res = await fetch(`${server.url}/drip?bytes=100&chunks=100&duration=10000`, { signal: controller.signal })
    const reader = res.body!.getReader()
    await reader.read()
    controller.abort()
    await expect(reader.read()).rejects.toThrow()
    // A live server afterwards, and close() in afterAll has nothing pending to wait for.
    expect((await fetch(`${server.url}/json`)).status).toBe(200)
  })
})
