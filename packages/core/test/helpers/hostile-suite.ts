import type { ChaosServer } from '@volley/chaos-server'
import { afterEach, describe, expect, it } from 'vitest'
import type { Client, VolleyEvent, VolleyOptions } from '@volley/core'
import { uniqueKey } from './chaos.js'

/** The client factory under test: core's `createClient` or the Node entry's. */
export type MakeClient = (options?: VolleyOptions) => Client

/**
 * Servers that misbehave on purpose (README "Safe against hostile servers"), run against every
 * entry that sends through a different transport: core over the global fetch, the Node entry over
 * undici. Each case is a request to a chaos-server route that sends what a broken or hostile
 * server sends.
 */
export function describeHostileServers(entry: string, makeClient: MakeClient, chaos: () => ChaosServer): void {
  describe(`hostile servers (${entry})`, () => {
    const cleanups: (() => unknown)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    function client(options?: VolleyOptions): Client {
      const api = makeClient(options)
      cleanups.push(() => api.close())
      return api
    }

    describe('Retry-After is read strictly (RFC 9110 §10.2.3)', () => {
      it.each(['-1', '1.5', 'soon', '2001-09-09', 'Sat, 21 Nov 2026 12:00:04 UTC'])('ignores Retry-After: %s and backs off instead', async (raw) => {
        const retries: Extract<VolleyEvent, { type: 'retry' }>[] = []
        const api = client({ retry: { limit: 1, delay: 7, jitter: 'none' }, onEvent: (e) => e.type === 'retry' && retries.push(e) })
        const data = await api.get<{ ok: boolean }>(`${chaos().url}/retry-after`, { query: { raw, key: uniqueKey(), fail: 1, status: 503 } })
        expect(data.ok).toBe(true)
        expect(retries).toHaveLength(1)
        expect(retries[0]).toMatchObject({ delay: 7, fromServer: false, requested: undefined })
      })

      it('still honours delta-seconds', async () => {
        const retries: Extract<VolleyEvent, { type: 'retry' }>[] = []
        const api = client({ retry: { limit: 1, delay: 7, jitter: 'none', maxRetryAfter: 5 }, onEvent: (e) => e.type === 'retry' && retries.push(e) })
        await api.get(`${chaos().url}/retry-after`, { query: { raw: '120', key: uniqueKey(), fail: 1, status: 503 } })
        // Capped at maxRetryAfter, so the test does not wait two minutes; the request is the server's.
        expect(retries[0]).toMatchObject({ delay: 5, fromServer: true, requested: 120_000 })
      })
    })
  })
}
