import { Octokit } from '@octokit/core'
import { RequestError } from '@octokit/request-error'
import { describe, expect, it, vi } from 'vitest'
import { createClient, createPool, type VolleyEvent } from '@volley/node'
import { closedPort, uniqueKey, useChaosServer } from '../../../core/test/helpers/chaos.js'
import { handshake } from '../../../core/test/helpers/handshake.js'

const server = useChaosServer()

/** @octokit/core pointed at the chaos server, its `request.fetch` being `client.fetch`. */
function setup() {
  const events: VolleyEvent[] = []
  const volley = createClient({ retry: { limit: 2, delay: 1, jitter: 'none' }, pool: createPool({ concurrency: 2 }), onEvent: (event) => events.push(event) })
  const octokit = new Octokit({ baseUrl: server().url, auth: 'ghp_secret-token', request: { fetch: volley.fetch } })
  return { octokit, events }
}

describe('@octokit/core with request.fetch: client.fetch', () => {
  it("gets volley's retries: a 429 with Retry-After, then the parsed data", async () => {
    const { octokit, events } = setup()
    const response = await octokit.request('GET /flaky', { key: uniqueKey(), fail: 1, status: 429, retryAfter: 0 })
    expect(response.status).toBe(200)
    expect(response.data).toEqual({ ok: true, attempt: 2 })
    expect(server().stats.count('flaky')).toBe(2)
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { fromServer: boolean }).fromServer)).toEqual([true])
    // Octokit's own headers reach the server, through volley.
    expect(server().stats.byRoute('flaky')[1]?.headers).toMatchObject({ authorization: 'token ghp_secret-token', accept: 'application/vnd.github.v3+json' })
  })

  it("keeps within volley's pool at the server", async () => {
    const { octokit } = setup()
    const key = uniqueKey('pool')
    await Promise.all(Array.from({ length: 6 }, () => octokit.request('GET /concurrency', { key, ms: 20 })))
    expect(server().stats.concurrency(key).max).toBe(2)
  })

  it('aborts with its signal, at the server too', async () => {
    const { octokit } = setup()
    const controller = new AbortController()
    const key = uniqueKey('abort')
    const pending = octokit.request('GET /concurrency', { key, ms: 60_000, request: { signal: controller.signal } })
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(1), handshake)
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(0), handshake)
    expect(server().stats.count('concurrency')).toBe(1)
  })

  it('keeps its own error handling: a RequestError with the status and parsed body, after the retries', async () => {
    const { octokit } = setup()
    const missing = (await octokit.request('GET /status/{code}', { code: 404 }).catch((e: unknown) => e)) as RequestError
    expect(missing).toBeInstanceOf(RequestError)
    expect(missing.status).toBe(404)
    expect(missing.response?.data).toEqual({ status: 404, message: 'Not Found' })
    const key = uniqueKey('down')
    const down = (await octokit.request('GET /flaky', { key, fail: 9, status: 502 }).catch((e: unknown) => e)) as RequestError
    expect(down.status).toBe(502)
    expect(down.response?.data).toEqual({ status: 502, message: 'Bad Gateway', attempt: 3 })
    expect(server().stats.count('flaky')).toBe(3)
    // A network failure reaches Octokit as fetch reports it: a TypeError, whose cause's message Octokit keeps.
    const offline = new Octokit({ baseUrl: `http://127.0.0.1:${await closedPort()}`, request: { fetch: createClient({ retry: false }).fetch } })
    const failed = (await offline.request('GET /json').catch((e: unknown) => e)) as RequestError
    expect(failed).toBeInstanceOf(RequestError)
    expect(failed.status).toBe(500)
    expect(failed.message).toMatch(/ECONNREFUSED/)
  })
})
