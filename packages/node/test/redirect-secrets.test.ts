import { startChaosServer, type ChaosServer } from '@volley/chaos-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, createNodeTransport, type Client } from '@volley/node'
import { ALL_SECRETS, SECRET_VALUES, secretsIn, type Echo } from '../../core/test/helpers/hostile-suite.js'
import { createTestCertificates } from './helpers/certificates.js'
import { startDualSchemeServer, type DualSchemeServer } from './helpers/dual-scheme.js'

// The redirect half of the secrets table (the direct half is in hostile-servers.test.ts): a 307
// keeps method and body, so a cross-origin hop would carry every header that is not dropped.
let server: ChaosServer
let other: ChaosServer
let dual: DualSchemeServer
let client: Client
beforeAll(async () => {
  const certificates = createTestCertificates()
  server = await startChaosServer({ port: 0 })
  other = await startChaosServer({ port: 0 })
  dual = await startDualSchemeServer(certificates)
  client = createClient({ transport: createNodeTransport({ tls: { ca: certificates.ca } }), retry: false, headers: SECRET_VALUES })
})
afterAll(async () => {
  await client?.close()
  await Promise.all([server?.close(), other?.close(), dual?.close()])
})

const redirect = (from: string, to: string) => `${from}/redirect-to?status=307&url=${encodeURIComponent(to)}`

describe('a 307 redirect (POST with a body) on the Node entry', () => {
  it.each([
    ['same origin', () => redirect(server.url, `${server.url}/echo`), true],
    ['other host', () => redirect(server.url, `${server.altUrl}/echo`), false],
    ['scheme downgrade (https to http, same host and port)', () => redirect(dual.httpsUrl, `${dual.httpUrl}/echo`), false],
    ['other port', () => redirect(server.url, `${other.url}/echo`), false],
  ])('%s: secrets follow only to the same origin', async (_label, url, same) => {
    const echo = await client.post<Echo>(url(), { body: 'payload' })
    expect(echo).toMatchObject({ method: 'POST', body: 'payload' })
    expect(secretsIn(echo)).toEqual(same ? ALL_SECRETS : [])
  })

  it('drops secret headers given on the call too (a redirect is the server choosing the target)', async () => {
    const echo = await client.post<Echo>(redirect(server.url, `${server.altUrl}/echo`), { body: 'x', headers: { 'x-api-key': 'per-call' } })
    expect(secretsIn(echo)).toEqual([])
  })
})
