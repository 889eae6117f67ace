import { startChaosServer, type ChaosServer } from '@volley/chaos-server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { circuitBreaker, createClient, dedupe, hedge, isCircuitOpenError } from '@volley/node'
import { handshake } from '../../core/test/helpers/handshake.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer({ port: 0 })
})
afterAll(() => server?.close())

/** The resilience policies on the Node entry's undici transport (it listens to the attempt signal and reads bodies itself). */
describe('resilience policies on the undici transport', () => {
  it('dedupe shares one request and gives each caller a whole body of its own', async () => {
    server.reset()
    const api = createClient({ baseURL: server.url, use: [dedupe()] })
    const path = '/bytes/200000?chunkSize=16384'
    const bodies = await Promise.all([0, 1, 2].map(() => api.get<ArrayBuffer>(path, { responseType: 'arrayBuffer' })))
    expect(bodies.map((b) => b.byteLength)).toEqual([200000, 200000, 200000])
    expect(server.stats.count('bytes')).toBe(1)
    await api.close()
  })

  it('dedupe aborts the shared request when every caller aborted', async () => {
    server.reset()
    const api = createClient({ baseURL: server.url, use: [dedupe()] })
    const controller = new AbortController()
    const calls = [0, 1].map(() => api.get('/concurrency?ms=10000&key=node-dedupe', { signal: controller.signal }).catch(() => 'aborted'))
    await vi.waitFor(() => expect(server.stats.concurrency('node-dedupe').current).toBe(1), handshake)
    controller.abort()
    expect(await Promise.all(calls)).toEqual(['aborted', 'aborted'])
    await vi.waitFor(() => expect(server.stats.concurrency('node-dedupe').current).toBe(0), handshake)
    await api.close()
  })

  it('a hedge wins over a slow attempt, which the server sees aborted', async () => {
    server.reset()
    let n = 0
    const api = createClient({
      baseURL: server.url,
      use: [hedge({ after: 20 })],
      onRequest: (context) => {
        if (n++ === 0) context.request = `${server.url}/concurrency?ms=10000&key=node-hedge`
      },
    })
    const response = await api.raw.get('/json')
    expect(response.meta).toMatchObject({ attempts: 2, hedges: 1 })
    await vi.waitFor(() => expect(server.stats.concurrency('node-hedge').current).toBe(0), handshake)
    await api.close()
  })

  it('an open breaker fails fast without reaching the server', async () => {
    server.reset()
    const api = createClient({ baseURL: server.url, retry: 0, use: [circuitBreaker({ failures: 2, failureRate: false })] })
    for (let i = 0; i < 2; i++) await api.get('/status/503').catch(() => {})
    expect(isCircuitOpenError(await api.get('/json').catch((e: unknown) => e))).toBe(true)
    expect(server.stats.count()).toBe(2)
    await api.close()
  })
})
