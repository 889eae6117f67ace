import { getEventListeners } from 'node:events'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { describe, expect, it } from 'vitest'
import { createPool, isHTTPError, isTimeoutError, progress, type Progress } from '@volley/core'
import { uniqueKey } from './chaos.js'
import { useClients, type MakeClient } from './clients.js'
import type { ChaosServer } from '@volley/chaos-server'
import { handshake } from './handshake.js'

const API = 'https://api.example.test'

/**
 * One MSW suite, run against every entry that sends through a different transport (core over the
 * global fetch, the Node entry over undici). Each test proves the request was answered by MSW's
 * handler (handler hits counted) and, where it matters, that it never reached the real server.
 */
export function describeMswInterception(entry: string, makeClient: MakeClient, chaos: () => ChaosServer): void {
  describe(`MSW (msw/node setupServer) intercepts ${entry}`, () => {
    const { client, defer } = useClients(makeClient)

    function listen(...handlers: Parameters<typeof setupServer>): ReturnType<typeof setupServer> {
      const msw = setupServer(...handlers)
      msw.listen({ onUnhandledRequest: 'error' })
      defer(() => msw.close())
      return msw
    }

    it('a client created before server.listen(): fetch is looked up per call, not at creation', async () => {
      const key = uniqueKey()
      const api = client({ baseURL: chaos().url })
      let hits = 0
      listen(
        http.get(`${chaos().url}/json`, () => {
          hits++
          return HttpResponse.json({ via: 'msw' })
        }),
      )
      expect(await api.get(`/json?key=${key}`)).toEqual({ via: 'msw' })
      expect(hits).toBe(1)
      expect(chaos().stats.byRoute('json').filter((hit) => hit.query.key === key)).toHaveLength(0)
    })

    it('retries a mocked 503 and succeeds on the 200 that follows (handler hit twice)', async () => {
      let hits = 0
      listen(
        http.get(`${API}/flaky`, () => {
          hits++
          return hits === 1 ? new HttpResponse('busy', { status: 503 }) : HttpResponse.json({ ok: true })
        }),
      )
      const response = await client({ retry: { limit: 2, delay: 1, jitter: 'none' } }).raw.get(`${API}/flaky`)
      expect(response.data).toEqual({ ok: true })
      expect(response.meta.attempts).toBe(2)
      expect(hits).toBe(2)
    })

    it('gives up after the retry limit with an HTTPError that counts every attempt', async () => {
      let hits = 0
      listen(
        http.get(`${API}/down`, () => {
          hits++
          return new HttpResponse('busy', { status: 503 })
        }),
      )
      const error = await client({ retry: { limit: 2, delay: 1, jitter: 'none' } })
        .get(`${API}/down`)
        .catch((e: unknown) => e)
      expect(isHTTPError(error) && error.status).toBe(503)
      expect(isHTTPError(error) && error.attempts).toBe(3)
      expect(hits).toBe(3)
    })

    it('times out a handler that never answers, aborts it, and retries the attempt timeout', async () => {
      let hits = 0
      let aborted = 0
      listen(
        http.get(`${API}/hang`, async ({ request }) => {
          hits++
          // The handler sees volley's abort: the mocked request is cancelled, not left pending.
          await new Promise<void>((resolve) => request.signal.addEventListener('abort', () => resolve(), { once: true }))
          aborted++
          return HttpResponse.error()
        }),
      )
      const error = await client({ retry: { limit: 1, delay: 1, jitter: 'none' }, timeout: { attempt: 50, total: 10_000 } })
        .get(`${API}/hang`)
        .catch((e: unknown) => e)
      expect(isTimeoutError(error) && error.phase).toBe('attempt')
      expect(isTimeoutError(error) && error.attempts).toBe(2)
      expect(hits).toBe(2)
      await expect.poll(() => aborted, handshake).toBe(2)
    })

    it('reports download progress of a mocked streamed body: first and final events, monotonic', async () => {
      const size = 64 * 1024
      listen(
        http.get(`${API}/download`, () => {
          let sent = 0
          const body = new ReadableStream<Uint8Array>({
            pull(controller) {
              if (sent >= size) return controller.close()
              controller.enqueue(new Uint8Array(8 * 1024).fill(7))
              sent += 8 * 1024
            },
          })
          return new HttpResponse(body, { headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) } })
        }),
      )
      const events: Progress[] = []
      const body = await client({ use: [progress()] }).get<ArrayBuffer>(`${API}/download`, {
        responseType: 'arrayBuffer',
        onDownloadProgress: (p) => events.push(p),
      })
      expect(body.byteLength).toBe(size)
      expect(events[0]).toMatchObject({ loaded: 0, done: false })
      expect(events.at(-1)).toMatchObject({ loaded: size, total: size, percent: 100, done: true })
      expect(events.filter((e) => e.done)).toHaveLength(1)
      for (let i = 1; i < events.length; i++) expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded)
    })

    it('settles every call of a mixed fan-out exactly once and leaves no listener on the caller signal', async () => {
      const hits = new Map<string, number>()
      listen(
        http.get(`${API}/mixed/:n`, ({ params }) => {
          const n = Number(params.n)
          const seen = (hits.get(String(n)) ?? 0) + 1
          hits.set(String(n), seen)
          if (n % 3 === 0) return HttpResponse.json({ error: 'nope' }, { status: 404 })
          if (n % 3 === 1 && seen === 1) return new HttpResponse('busy', { status: 503 })
          return HttpResponse.json({ n })
        }),
      )
      const caller = new AbortController()
      const pool = createPool({ concurrency: 3 })
      const api = client({ pool, retry: { limit: 1, delay: 1, jitter: 'none' } })
      let settled = 0
      // Thirty calls on one signal: core listens to a caller's signal once, however many calls share
      // it (past ten listeners Node would print a MaxListenersExceededWarning).
      const calls = Array.from({ length: 30 }, (_, n) =>
        api.get<{ n: number }>(`${API}/mixed/${n}`, { signal: caller.signal }).finally(() => settled++),
      )
      expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1)
      const results = await Promise.allSettled(calls)
      expect(settled).toBe(30)
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20)
      expect(results.filter((r) => r.status === 'rejected' && isHTTPError(r.reason) && r.reason.status === 404)).toHaveLength(10)
      // Thirty first attempts, plus one retry for each of the ten 503s.
      expect([...hits.values()].reduce((a, b) => a + b, 0)).toBe(40)
      expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
      expect(pool.stats.active).toBe(0)
    })

    it('after server.close() the same client reaches the real server again', async () => {
      const key = uniqueKey()
      const api = client({ baseURL: chaos().url })
      const msw = listen(http.get(`${chaos().url}/json`, () => HttpResponse.json({ via: 'msw' })))
      expect(await api.get(`/json?key=${key}`)).toEqual({ via: 'msw' })
      msw.close()
      expect(await api.get(`/json?key=${key}`)).toMatchObject({ hello: 'world' })
      expect(chaos().stats.byRoute('json').filter((hit) => hit.query.key === key)).toHaveLength(1)
    })
  })
}
