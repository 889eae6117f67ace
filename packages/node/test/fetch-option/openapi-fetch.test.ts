import createOpenApiClient from 'openapi-fetch'
import { describe, expect, it, vi } from 'vitest'
import { createClient, createPool, type VolleyEvent } from '@volley/node'
import { uniqueKey, useChaosServer } from '../../../core/test/helpers/chaos.js'
import type { paths } from '../fixtures/api/openapi-typescript.js'
import { handshake } from '../../../core/test/helpers/handshake.js'

const server = useChaosServer()

/** openapi-fetch over the types openapi-typescript generated from the chaos server's /openapi.json, sending through `client.fetch`. */
function setup() {
  const events: VolleyEvent[] = []
  const volley = createClient({ retry: { limit: 2, delay: 1, jitter: 'none' }, pool: createPool({ concurrency: 2 }), onEvent: (event) => events.push(event) })
  const api = createOpenApiClient<paths>({ baseUrl: server().url, fetch: volley.fetch })
  return { api, events }
}

describe('openapi-fetch with fetch: client.fetch', () => {
  it("gets volley's retries: two 503s, then the parsed, typed data", async () => {
    const { api, events } = setup()
    const { data, error, response } = await api.GET('/flaky', { params: { query: { key: uniqueKey(), fail: 2 } } })
    expect(error).toBeUndefined()
    expect(data).toEqual({ ok: true, attempt: 3 })
    expect(response.status).toBe(200)
    expect(server().stats.count('flaky')).toBe(3)
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2)
  })

  it("keeps within volley's pool at the server", async () => {
    const { api } = setup()
    const key = uniqueKey('pool')
    const results = await Promise.all(Array.from({ length: 6 }, () => api.GET('/concurrency', { params: { query: { key, ms: 20 } } })))
    expect(results.every((r) => r.response.ok)).toBe(true)
    expect(server().stats.concurrency(key).max).toBe(2)
  })

  it('aborts with its signal, at the server too', async () => {
    const { api } = setup()
    const controller = new AbortController()
    const key = uniqueKey('abort')
    const pending = api.GET('/concurrency', { params: { query: { key, ms: 60_000 } }, signal: controller.signal })
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(1), handshake)
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    // The server saw the connection go: nothing is held any more, and nothing was retried.
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(0), handshake)
    expect(server().stats.count('concurrency')).toBe(1)
  })

  it('keeps its own error handling and parsing: error statuses as `error`, after the retries', async () => {
    const { api } = setup()
    const missing = await api.GET('/status/{code}', { params: { path: { code: 404 } } })
    expect(missing.data).toBeUndefined()
    expect(missing.error).toEqual({ status: 404, message: 'Not Found' })
    expect(missing.response.status).toBe(404)
    const key = uniqueKey('down')
    const down = await api.GET('/flaky', { params: { query: { key, fail: 9 } } })
    expect(down.error).toEqual({ status: 503, message: 'Service Unavailable', attempt: 3 })
    expect(server().stats.count('flaky')).toBe(3)
    const echoed = await api.POST('/echo', { body: { name: 'Ada' } })
    expect(echoed.data).toMatchObject({ method: 'POST', body: '{"name":"Ada"}', headers: { 'content-type': 'application/json' } })
  })
})
