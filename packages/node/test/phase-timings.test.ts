import { startChaosServer, type ChaosServer } from '@volley/chaos-server'
import { createSecureServer } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent, buildConnector } from 'undici'
import { createClient, createNodeTransport, type AttemptMeta, type Client } from '@volley/node'
import { createTestCertificates, type TestCertificates } from './helpers/certificates.js'

let http: ChaosServer
let https: ChaosServer
let certificates: TestCertificates
beforeAll(async () => {
  certificates = createTestCertificates()
  ;[http, https] = await Promise.all([startChaosServer({ port: 0 }), startChaosServer({ port: 0, tls: { key: certificates.key, cert: certificates.cert } })])
})
afterAll(() => Promise.all([http?.close(), https?.close()]))

/**
 * undici hands a socket back to its pool one event-loop turn after a response completes (it waits
 * a full turn in case the server closes it anyway), so a request sent at once would open a second
 * socket: wait that turn before expecting reuse.
 */
const socketReturned = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

async function timings(client: Client, url: string): Promise<AttemptMeta[]> {
  return (await client.raw.get(url)).meta.timings
}

describe('connection phase timings (meta.timings)', () => {
  it('reports connectMs for the request that opened the socket and reusedSocket for the next', async () => {
    const client = createClient({ retry: false })
    try {
      const [first] = await timings(client, `${http.url}/json`)
      expect(first).toMatchObject({ reusedSocket: false, tlsMs: undefined })
      expect(first!.connectMs).toBeGreaterThanOrEqual(0)
      expect(first!.connectMs).toBeLessThanOrEqual(first!.ttfbMs!)

      await socketReturned()
      const [second] = await timings(client, `${http.url}/json`)
      expect(second).toMatchObject({ reusedSocket: true, connectMs: undefined, tlsMs: undefined })
    } finally {
      await client.close()
    }
  })

  it('reports each attempt of a retried call on its own', async () => {
    const client = createClient({ retry: { limit: 1, delay: 1, jitter: 'none' } })
    try {
      const attempts = await timings(client, `${http.url}/flaky?key=phases-retry&fail=1`)
      expect(attempts.map((t) => [t.status, t.reusedSocket])).toEqual([
        [503, false],
        // The 1 ms backoff outlasts the turn undici waits before it reuses the socket.
        [200, true],
      ])
      expect(attempts[0]!.connectMs).toBeGreaterThanOrEqual(0)
      expect(attempts[1]!.connectMs).toBeUndefined()
    } finally {
      await client.close()
    }
  })

  it('gives every request that waited for a new socket its timings (several sockets at once)', async () => {
    const client = createClient({ retry: false })
    try {
      const all = await Promise.all(Array.from({ length: 4 }, () => timings(client, `${http.url}/delay/20`)))
      for (const [attempt] of all) {
        expect(attempt!.reusedSocket).toBe(false)
        expect(attempt!.connectMs).toBeGreaterThanOrEqual(0)
      }
    } finally {
      await client.close()
    }
  })

  it('reports nothing for a request that failed to connect', async () => {
    const closed = await startChaosServer({ port: 0 })
    const url = `${closed.url}/json`
    await closed.close()
    const client = createClient({ retry: false })
    try {
      const error = (await client.get(url).catch((e: unknown) => e)) as { code: string; meta: { timings: AttemptMeta[] } }
      expect(error.code).toBe('ERR_NETWORK')
      expect(error.meta.timings[0]).toMatchObject({ connectMs: undefined, tlsMs: undefined, reusedSocket: undefined })
    } finally {
      await client.close()
    }
  })

  it('times a custom connect function as a whole when it returns the socket', async () => {
    const transport = createNodeTransport({ connect: buildConnector({}) })
    const client = createClient({ transport, retry: false })
    try {
      const [first] = await timings(client, `${http.url}/json`)
      expect(first).toMatchObject({ reusedSocket: false, tlsMs: undefined })
      expect(first!.connectMs).toBeGreaterThanOrEqual(0)
    } finally {
      await client.close()
    }
  })

  it('reports nothing through a dispatcher of the caller, whose sockets it cannot see', async () => {
    const dispatcher = new Agent()
    const client = createClient({ transport: createNodeTransport({ dispatcher }), retry: false })
    try {
      const [first] = await timings(client, `${http.url}/json`)
      expect(first).toMatchObject({ connectMs: undefined, tlsMs: undefined, reusedSocket: undefined })
    } finally {
      await client.close()
      await dispatcher.close()
    }
  })

  it('reports the TLS handshake for HTTPS', async () => {
    const client = createClient({ transport: createNodeTransport({ tls: { ca: certificates.ca } }), retry: false })
    try {
      const [first] = await timings(client, `${https.url}/json`)
      expect(first!.reusedSocket).toBe(false)
      expect(first!.connectMs).toBeGreaterThanOrEqual(0)
      expect(first!.tlsMs).toBeGreaterThan(0)
      expect(first!.connectMs! + first!.tlsMs!).toBeLessThanOrEqual(first!.ttfbMs!)

      await socketReturned()
      const [second] = await timings(client, `${https.url}/json`)
      expect(second).toMatchObject({ reusedSocket: true, connectMs: undefined, tlsMs: undefined })
    } finally {
      await client.close()
    }
  })

  it('reports the HTTP/2 connection once, then its reuse', async () => {
    const h2 = createSecureServer({ key: certificates.key, cert: certificates.cert }, (_req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end('{}')
    })
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve))
    const url = `https://127.0.0.1:${(h2.address() as AddressInfo).port}/`
    const client = createClient({ transport: createNodeTransport({ tls: { ca: certificates.ca }, allowH2: true }), retry: false })
    try {
      const [first] = await timings(client, url)
      expect(first!.reusedSocket).toBe(false)
      expect(first!.tlsMs).toBeGreaterThan(0)
      // HTTP/2 multiplexes: the next request shares the session at once.
      const [second] = await timings(client, url)
      expect(second).toMatchObject({ reusedSocket: true, connectMs: undefined })
    } finally {
      await client.close()
      await new Promise<void>((resolve) => h2.close(() => resolve()))
    }
  })
})
