import { startChaosServer, type ChaosServer } from '@volley/chaos-server'
import { createSecureServer } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient, createNodeTransport, type Logger } from '@volley/node'
import { createTestCertificates, type TestCertificates } from './helpers/certificates.js'

let certificates: TestCertificates
let server: ChaosServer
beforeAll(async () => {
  certificates = createTestCertificates()
  server = await startChaosServer({ port: 0, tls: { key: certificates.key, cert: certificates.cert } })
})
afterAll(() => server?.close())

function spyLogger() {
  return { debug: () => {}, info: () => {}, warn: vi.fn<Logger['warn']>(), error: () => {} } satisfies Logger
}

describe('TLS', () => {
  it('refuses a certificate from an unknown CA with a TLS cause code', async () => {
    const transport = createNodeTransport()
    const client = createClient({ transport, retry: false })
    // Not a network failure: the same certificate fails every time, so it is a TypeError, never retried.
    const error = (await client.get(`${server.url}/json`).catch((e: unknown) => e)) as TypeError & { code?: string }
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/TLS certificate was rejected/)
    expect(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']).toContain(error.code)
    await transport.close()
  })

  it('trusts the server when given its CA', async () => {
    const transport = createNodeTransport({ tls: { ca: certificates.ca } })
    const client = createClient({ transport, retry: false })
    expect(await client.get(`${server.url}/json`)).toMatchObject({ hello: 'world' })
    // The certificate also names localhost, the server's other loopback origin.
    expect(await client.get(`${server.altUrl}/json`)).toMatchObject({ hello: 'world' })
    await transport.close()
  })

  it('accepts any certificate with rejectUnauthorized: false and warns exactly once', async () => {
    const logger = spyLogger()
    const transport = createNodeTransport({ tls: { rejectUnauthorized: false }, logger })
    const client = createClient({ transport, retry: false })
    for (let i = 0; i < 3; i++) expect(await client.get(`${server.url}/json`)).toMatchObject({ hello: 'world' })
    expect(logger.warn).toHaveBeenCalledTimes(1)
    expect(String(logger.warn.mock.calls[0]?.[0])).toMatch(/rejectUnauthorized: false/)
    await transport.close()
  })

  it('speaks HTTP/2 when allowH2 is on and the server offers it', async () => {
    const h2 = createSecureServer({ key: certificates.key, cert: certificates.cert, allowHTTP1: true }, (req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ httpVersion: req.httpVersion }))
    })
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve))
    const url = `https://127.0.0.1:${(h2.address() as AddressInfo).port}/`
    const transports = [createNodeTransport({ tls: { ca: certificates.ca }, allowH2: true }), createNodeTransport({ tls: { ca: certificates.ca } })]
    try {
      const [withH2, without] = await Promise.all(transports.map((transport) => createClient({ transport, retry: false }).get(url)))
      expect(withH2).toEqual({ httpVersion: '2.0' })
      expect(without).toEqual({ httpVersion: '1.1' })
    } finally {
      await Promise.all(transports.map((transport) => transport.close()))
      await new Promise<void>((resolve) => h2.close(() => resolve()))
    }
  })
})
