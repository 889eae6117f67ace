import type { ChaosServer } from '@volley/chaos-server'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_MAX_EVENT_SIZE,
  createManualClock,
  isTimeoutError,
  DEFAULT_MAX_LINE_LENGTH,
  SECRET_HEADERS,
  isBodyTooLargeError,
  isItemTooLargeError,
  DEFAULT_MAX_BODY_SIZE,
  streamLines,
  streamNdjson,
  streamSSE,
  type Client,
  type ItemTooLargeError,
  type VolleyEvent,
} from '@volley/core'
import { closedPort, uniqueKey, useChaosServer } from './chaos.js'
import { useClients, type MakeClient } from './clients.js'

/** One value per header volley treats as a secret (`set-cookie` is a response header). */
export const SECRET_VALUES: Readonly<Record<string, string>> = Object.fromEntries(
  [...SECRET_HEADERS].filter((name) => name !== 'set-cookie').map((name) => [name, `${name}-s3cret`]),
)

/** What `/echo` answers. */
export interface Echo {
  method: string
  path: string
  headers: Record<string, string>
  body: string
}

/** The secret headers a server received. */
export function secretsIn(echo: Echo): string[] {
  return Object.keys(echo.headers).filter((name) => name in SECRET_VALUES).sort()
}

export const ALL_SECRETS = Object.keys(SECRET_VALUES).sort()

/**
 * Where a client's baseURL points, seen from the chaos server a call reaches (always plain http on
 * 127.0.0.1): the same origin, or another one that differs only by host, scheme or port. Nothing
 * listens on the other origins: the server that receives the call is always the chaos server.
 */
export function baseOrigins(chaos: ChaosServer, otherPort: number): ReadonlyArray<[label: string, base: string, sameOrigin: boolean]> {
  return [
    ['same origin', chaos.url, true],
    ['other host', chaos.altUrl, false],
    ['scheme downgrade (https base, http call)', chaos.url.replace('http:', 'https:'), false],
    ['other port', `http://127.0.0.1:${otherPort}`, false],
  ]
}

/**
 * Servers that misbehave on purpose (README "Safe against hostile servers"), run against every
 * entry that sends through a different transport: core over the global fetch, the Node entry over
 * undici. Each case is a request to a chaos-server route that sends what a broken or hostile
 * server sends.
 */
export function describeHostileServers(entry: string, makeClient: MakeClient, chaos: () => ChaosServer): void {
  describe(`hostile servers (${entry})`, () => {
    const { client } = useClients(makeClient)

    describe('secrets stay with their origin', () => {
      let otherPort = 0
      beforeAll(async () => {
        otherPort = await closedPort()
      })
      // Another origin with a server behind it, which only trustedOrigins: ['*'] may send secrets to.
      const other = useChaosServer({ resetEachTest: false })

      describe('a direct call to an absolute URL', () => {
        it.each([0, 1, 2, 3])('case %i of the table: same origin keeps the client secrets, another origin gets none', async (row) => {
          const [label, baseURL, same] = baseOrigins(chaos(), otherPort)[row]!
          const api = client({ baseURL, headers: SECRET_VALUES, retry: false })
          for (const call of [
            () => api.get<Echo>(`${chaos().url}/echo`),
            () => api.raw.post<Echo>(`${chaos().url}/echo`, { body: 'payload' }).then((r) => r.data),
            async () => {
              const result = await api.safe.get<Echo>(`${chaos().url}/echo`)
              if (!result.ok) throw result.error
              return result.data
            },
            () => api.get<Echo>(new Request(`${chaos().url}/echo`)),
          ]) {
            expect(secretsIn(await call()), label).toEqual(same ? ALL_SECRETS : [])
          }
        })

        it('keeps the client secrets on the baseURL origin for relative, protocol-relative and backslash paths', async () => {
          const api = client({ baseURL: `${chaos().url}/`, headers: SECRET_VALUES, retry: false })
          for (const path of ['echo', '/echo', '//evil.test/echo', '/\\evil.test/echo']) {
            const echo = await api.get<Echo>(path).catch((e: unknown) => e as Error)
            // `//evil.test/echo` stays a path on the base origin: a 404 from the chaos server, not a request to evil.test.
            if (echo instanceof Error) expect((echo as { status?: number }).status, path).toBe(404)
            else expect(secretsIn(echo), path).toEqual(ALL_SECRETS)
          }
          expect(chaos().stats.byRoute('echo').length).toBeGreaterThanOrEqual(2)
        })

        it('sends the client secrets to an origin listed in trustedOrigins', async () => {
          const api = client({ baseURL: chaos().altUrl, headers: SECRET_VALUES, retry: false, trustedOrigins: [chaos().url] })
          expect(secretsIn(await api.get<Echo>(`${chaos().url}/echo`))).toEqual(ALL_SECRETS)
          const anywhere = client({ baseURL: chaos().altUrl, headers: SECRET_VALUES, retry: false, trustedOrigins: ['*'] })
          expect(secretsIn(await anywhere.get<Echo>(`${other().url}/echo`))).toEqual(ALL_SECRETS)
        })

        it('sends secret headers given on the call itself, and only those', async () => {
          const api = client({ baseURL: chaos().altUrl, headers: SECRET_VALUES, retry: false })
          const echo = await api.get<Echo>(`${chaos().url}/echo`, { headers: { authorization: 'Bearer per-call' } })
          expect(secretsIn(echo)).toEqual(['authorization'])
          expect(echo.headers.authorization).toBe('Bearer per-call')
        })

        it('applies to client.fetch too', async () => {
          const api = client({ baseURL: chaos().altUrl, headers: SECRET_VALUES, retry: false })
          const elsewhere = (await (await api.fetch(`${chaos().url}/echo`)).json()) as Echo
          expect(secretsIn(elsewhere)).toEqual([])
          const own = (await (await api.fetch('/echo')).json()) as Echo
          expect(secretsIn(own)).toEqual(ALL_SECRETS)
        })

        it('applies to the stream helpers too', async () => {
          const api = client({ baseURL: chaos().altUrl, headers: SECRET_VALUES, retry: false })
          // /echo answers one JSON line: a line, an NDJSON row.
          const seen: string[][] = []
          for await (const line of streamLines(api, `${chaos().url}/echo`)) seen.push(secretsIn(JSON.parse(line) as Echo))
          for await (const row of streamNdjson<Echo>(api, `${chaos().url}/echo`)) seen.push(secretsIn(row))
          const own = client({ baseURL: chaos().url, headers: SECRET_VALUES, retry: false })
          for await (const row of streamNdjson<Echo>(own, '/echo')) seen.push(secretsIn(row))
          expect(seen).toEqual([[], [], ALL_SECRETS])
        })

        it('keeps non-secret client headers on every origin', async () => {
          const api = client({ baseURL: chaos().altUrl, headers: { ...SECRET_VALUES, 'x-trace': 'on' }, retry: false })
          const echo = await api.get<Echo>(`${chaos().url}/echo`)
          expect(echo.headers['x-trace']).toBe('on')
          expect(secretsIn(echo)).toEqual([])
        })
      })
    })

    describe('dot segments stay under the baseURL path', () => {
      it.each(['users/../../admin', '../admin', '/../admin', 'users/%2e%2e/%2E%2E/admin', 'users\\..\\..\\admin', '..'])('refuses %j before sending', async (path) => {
        const api = client({ baseURL: `${chaos().url}/v1/`, headers: SECRET_VALUES })
        const before = chaos().stats.count('echo')
        const error = await api.get(path).catch((e: unknown) => e as Error)
        expect(error).toBeInstanceOf(TypeError)
        expect((error as Error).message).toMatch(/climbs above the baseURL's path "\/v1\/"/)
        expect(chaos().stats.count('echo')).toBe(before)
      })

      it('resolves dot segments that stay under the base path, and takes an absolute URL as meant', async () => {
        const api = client({ baseURL: `${chaos().url}/`, retry: false })
        expect((await api.get<Echo>('users/../echo')).path).toBe('/echo')
        const v1 = client({ baseURL: `${chaos().url}/v1`, retry: false })
        expect((await v1.get<Echo>(`${chaos().url}/v1/../echo`)).path).toBe('/echo')
      })
    })

    describe('a body read whole is bounded by default', () => {
      it('limits bodies read whole to DEFAULT_MAX_BODY_SIZE unless maxBodySize is set, and streams not at all', () => {
        const api = client()
        expect(DEFAULT_MAX_BODY_SIZE).toBe(64 * 1024 * 1024)
        expect(api.defaults.maxBodySize).toBe(DEFAULT_MAX_BODY_SIZE)
        expect(client({ responseType: 'stream' }).defaults.maxBodySize).toBe(Infinity)
      })

      it.each(['json', 'text', 'arrayBuffer', 'blob'] as const)('stops a decompression bomb read as %s on decoded bytes (a small limit stands in for the default)', async (responseType) => {
        // 1 MB of decoded bytes in a few KB of gzip: the limit counts what the body decodes to.
        const api = client({ maxBodySize: 10_000, retry: false })
        const error = await api.get(`${chaos().url}/bytes/1000000?gzip=1`, { responseType }).catch((e: unknown) => e)
        expect(isBodyTooLargeError(error)).toBe(true)
        expect(error).toMatchObject({ limit: 10_000 })
      })
    })

    describe('lines and events are bounded', () => {
      async function drain(items: AsyncIterable<unknown>): Promise<unknown> {
        try {
          for await (const _ of items) {
            // an endless item never yields
          }
        } catch (error) {
          return error
        }
        throw new Error('expected the stream to fail')
      }

      it('has defaults that protect a process', () => {
        expect(DEFAULT_MAX_LINE_LENGTH).toBe(8 * 1024 * 1024)
        expect(DEFAULT_MAX_EVENT_SIZE).toBe(8 * 1024 * 1024)
      })

      it.each([
        ['streamLines', (api: Client, url: string) => streamLines(api, url, { maxLineLength: 10_000 })],
        ['streamNdjson', (api: Client, url: string) => streamNdjson(api, url, { maxLineLength: 10_000 })],
      ])('%s fails a line that never ends with ItemTooLargeError', async (_name, open) => {
        const api = client()
        const error = (await drain(open(api, `${chaos().url}/endless?kind=line&chunkSize=1000`))) as ItemTooLargeError
        expect(isItemTooLargeError(error)).toBe(true)
        expect(error).toMatchObject({ code: 'ERR_ITEM_TOO_LARGE', item: 'line', limit: 10_000 })
        expect(error.message).toMatch(/exceeds maxLineLength of 10000 characters/)
      })

      it.each([
        ['one data: line that never ends', 'sse'],
        ['one event of data: lines that no blank line ends', 'sse-lines'],
      ])('streamSSE fails %s with ItemTooLargeError, without reconnecting', async (_label, kind) => {
        const api = client()
        const error = (await drain(streamSSE(api, `${chaos().url}/endless?kind=${kind}&chunkSize=1000`, { maxEventSize: 10_000, retryDelay: 0 }))) as ItemTooLargeError
        expect(isItemTooLargeError(error)).toBe(true)
        expect(error).toMatchObject({ item: 'event', limit: 10_000 })
        expect(chaos().stats.byRoute('endless').filter((hit) => hit.query.kind === kind)).toHaveLength(1)
      })

      it('refuses a limit that is not a positive integer', () => {
        const api = client()
        expect(() => streamSSE(api, `${chaos().url}/endless`, { maxEventSize: 0 })).toThrow(/`maxEventSize` must be a positive integer number of characters or Infinity, got 0/)
      })
    })

    describe('an SSE stream has no total deadline unless the call sets one, and then for the whole stream', () => {
      it('is not cut at the default 30 s when the call sets only idle', async () => {
        const clock = createManualClock()
        const api = client({ clock })
        const events = streamSSE(api, `${chaos().url}/sse?count=3&interval=200`, { timeout: { idle: 60_000 }, reconnect: false })
        const seen: string[] = []
        for await (const event of events) {
          seen.push(event.data)
          // Past the default total (30 s) and short of the idle limit.
          if (seen.length === 1) await clock.advance(31_000)
        }
        expect(seen).toEqual(['{"i":1}', '{"i":2}', '{"i":3}'])
        expect(clock.pending).toBe(0)
      })

      it('refuses an invalid total at once, as any call does', () => {
        expect(() => streamSSE(client(), `${chaos().url}/sse`, { timeout: -1 })).toThrow(/`timeout` must be a positive number of milliseconds or false, got -1/)
      })

      it("bounds the whole stream, reconnects included, with the call's total", async () => {
        const clock = createManualClock()
        const api = client({ clock })
        const events = streamSSE(api, `${chaos().url}/sse?count=100&interval=0&dropAfter=1&key=${uniqueKey()}`, { timeout: { total: 10_000 }, retryDelay: 1_000 })
        const first = await events.next()
        expect(first.value?.data).toBe('{"i":1}')
        // The first connection breaks after one event; the reconnect waits 1 s on the clock, and
        // the deadline ends the stream wherever it is by then.
        const next = events.next()
        await clock.advance(10_001)
        const error = await next.then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(isTimeoutError(error)).toBe(true)
        expect(error).toMatchObject({ phase: 'total', limit: 10_000 })
        expect(clock.pending).toBe(0)
      })
    })

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
