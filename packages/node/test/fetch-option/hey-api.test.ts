import { createClient as createHeyApiClient, createConfig } from '@hey-api/client-fetch'
import { describe, expect, it, vi } from 'vitest'
import { createClient, createPool, type VolleyEvent } from '@volley/node'
import { uniqueKey, useChaosServer } from '../../../core/test/helpers/chaos.js'
import { getConcurrency, getFlaky, getStatus, postEcho } from '../fixtures/api/hey-api/index.js'
import { handshake } from '../../../core/test/helpers/handshake.js'

const server = useChaosServer()

/** hey-api's SDK generated from the chaos server's /openapi.json, on @hey-api/client-fetch given `client.fetch`. */
function setup() {
  const events: VolleyEvent[] = []
  const volley = createClient({ retry: { limit: 2, delay: 1, jitter: 'none' }, pool: createPool({ concurrency: 2 }), onEvent: (event) => events.push(event) })
  const client = createHeyApiClient(createConfig({ baseUrl: server().url, fetch: volley.fetch }))
  return { client, events }
}

describe('@hey-api/client-fetch with fetch: client.fetch', () => {
  it("gets volley's retries: two 503s, then the parsed, typed data", async () => {
    const { client, events } = setup()
    const { data, error, response } = await getFlaky({ client, query: { key: uniqueKey(), fail: 2 } })
    expect(error).toBeUndefined()
    expect(data).toEqual({ ok: true, attempt: 3 })
    expect(response.status).toBe(200)
    expect(server().stats.count('flaky')).toBe(3)
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2)
  })

  it("keeps within volley's pool at the server", async () => {
    const { client } = setup()
    const key = uniqueKey('pool')
    const results = await Promise.all(Array.from({ length: 6 }, () => getConcurrency({ client, query: { key, ms: 20 } })))
    expect(results.every((r) => r.response.ok)).toBe(true)
    expect(server().stats.concurrency(key).max).toBe(2)
  })

  it('aborts with its signal, at the server too', async () => {
    const { client } = setup()
    const controller = new AbortController()
    const key = uniqueKey('abort')
    const pending = getConcurrency({ client, query: { key, ms: 60_000 }, signal: controller.signal })
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(1), handshake)
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(0), handshake)
    expect(server().stats.count('concurrency')).toBe(1)
  })

  it('keeps its own error handling and parsing: `error` for error statuses, `throwOnError` throws the body', async () => {
    const { client } = setup()
    const missing = await getStatus({ client, path: { code: 404 } })
    expect(missing.data).toBeUndefined()
    expect(missing.error).toEqual({ status: 404, message: 'Not Found' })
    expect(missing.response.status).toBe(404)
    const key = uniqueKey('down')
    await expect(getFlaky({ client, query: { key, fail: 9 }, throwOnError: true })).rejects.toEqual({ status: 503, message: 'Service Unavailable', attempt: 3 })
    expect(server().stats.count('flaky')).toBe(3)
    const echoed = await postEcho({ client, body: { name: 'Ada' } })
    expect(echoed.data).toMatchObject({ method: 'POST', body: '{"name":"Ada"}', headers: { 'content-type': 'application/json' } })
  })
})
