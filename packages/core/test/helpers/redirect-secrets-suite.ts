import { startChaosServer, type ChaosServer } from '@volley/chaos-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '@volley/core'
import { createTestCertificates, type TestCertificates } from '../../../node/test/helpers/certificates.js'
import { startDualSchemeServer, type DualSchemeServer } from '../../../node/test/helpers/dual-scheme.js'
import { ALL_SECRETS, SECRET_VALUES, secretsIn, type Echo } from './hostile-suite.js'

/** Makes the client under test, trusting `ca` for the https hop; returns it and how to undo what it set up. */
export type MakeTrustingClient = (ca: string, headers: Record<string, string>) => { client: Client; cleanup?: () => unknown }

/**
 * The redirect half of the secrets table (the direct half is in hostile-suite.ts): a 307 keeps
 * method and body, so a cross-origin hop carries every header that is not dropped. Same origin,
 * other host, scheme downgrade (https to http on one port) and other port.
 */
export function describeRedirectSecrets(entry: string, make: MakeTrustingClient): void {
  describe(`a 307 redirect (POST with a body) on ${entry}`, () => {
    let certificates: TestCertificates
    let server: ChaosServer
    let other: ChaosServer
    let dual: DualSchemeServer
    let client: Client
    let cleanup: (() => unknown) | undefined
    beforeAll(async () => {
      certificates = createTestCertificates()
      server = await startChaosServer({ port: 0 })
      other = await startChaosServer({ port: 0 })
      dual = await startDualSchemeServer(certificates)
      ;({ client, cleanup } = make(certificates.ca, SECRET_VALUES))
    })
    afterAll(async () => {
      await client?.close()
      await cleanup?.()
      await Promise.all([server?.close(), other?.close(), dual?.close()])
    })

    const redirect = (from: string, to: string) => `${from}/redirect-to?status=307&url=${encodeURIComponent(to)}`

    it.each([
      ['same origin', () => redirect(server.url, `${server.url}/echo`), true],
      ['other host', () => redirect(server.url, `${server.altUrl}/echo`), false],
      ['scheme downgrade (https to http, same host and port)', () => redirect(dual.httpsUrl, `${dual.httpUrl}/echo`), false],
      ['other port', () => redirect(server.url, `${other.url}/echo`), false],
    ])('%s: secrets follow only to the same origin', async (_label, url, same) => {
      const response = await client.raw.post<Echo>(url(), { body: 'payload' })
      expect(response.data).toMatchObject({ method: 'POST', body: 'payload' })
      expect(secretsIn(response.data)).toEqual(same ? ALL_SECRETS : [])
      expect(response.redirected).toBe(true)
    })

    it('drops secret headers given on the call too (a redirect is the server choosing the target)', async () => {
      const echo = await client.post<Echo>(redirect(server.url, `${server.altUrl}/echo`), { body: 'x', headers: { 'x-api-key': 'per-call' } })
      expect(secretsIn(echo)).toEqual([])
    })

    it('turns a POST into a GET without its body on 303, and keeps following', async () => {
      const echo = await client.post<Echo>(`${server.url}/redirect/2?status=303`, { body: 'x' })
      expect(echo).toMatchObject({ method: 'GET', body: '' })
      expect(secretsIn(echo)).toEqual(ALL_SECRETS)
    })
  })
}
