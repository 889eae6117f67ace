import { describe, expect, it, vi } from 'vitest'
import {
  circuitBreaker,
  createClient,
  createPool,
  dedupe,
  isCircuitOpenError,
  isNetworkError,
  isTimeoutError,
  type VolleyEvent,
} from '@volley/core'
import { closedPort, uniqueKey, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

const server = useChaosServer()
const quick = { limit: 2, delay: 1, jitter: 'none' } as const

describe('client.fetch', () => {
  it('is a standard fetch: retries a 503 and resolves with the final Response, unread', async () => {
    const api = createClient({ retry: quick })
    const response = await api.fetch(`${server().url}/flaky?key=${uniqueKey()}&fail=2`)
    expect(response).toBeInstanceOf(Response)
    expect(response.status).toBe(200)
    expect(response.bodyUsed).toBe(false)
    expect(response.headers.get('x-request-count')).toBe('3')
    expect(await response.json()).toEqual({ ok: true, attempt: 3 })
  })

  it('honours Retry-After between attempts', async () => {
    const events: VolleyEvent[] = []
    const api = createClient({ retry: quick, onEvent: (event) => events.push(event) })
    const response = await api.fetch(`${server().url}/flaky?key=${uniqueKey()}&fail=1&status=429&retryAfter=0`)
    expect(response.status).toBe(200)
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { fromServer: boolean }).fromServer)).toEqual([true])
  })

  it('resolves with the last error Response after the retries, its body unread and byte for byte', async () => {
    const api = createClient({ retry: quick })
    const response = await api.fetch(`${server().url}/flaky?key=${uniqueKey()}&fail=9&status=503`)
    expect(response.ok).toBe(false)
    expect(response.status).toBe(503)
    expect(response.statusText).toBe('Service Unavailable')
    expect(response.bodyUsed).toBe(false)
    expect(response.url).toContain('/flaky?')
    expect(response.headers.get('x-request-count')).toBe('3')
    expect(await response.json()).toEqual({ status: 503, message: 'Service Unavailable', attempt: 3 })
    // A status that is not retried comes back at once, as fetch returns it.
    const missing = await api.fetch(`${server().url}/status/404`)
    expect(missing.status).toBe(404)
    expect(await missing.text()).toBe('{"status":404,"message":"Not Found"}')
  })

  it('sends a body as fetch does, and takes a Request, a URL and the client baseURL', async () => {
    const api = createClient({ baseURL: server().url, headers: { 'x-client': 'volley' } })
    const text = await (await api.fetch('/echo', { method: 'POST', body: 'hi' })).json()
    expect(text).toMatchObject({ method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain;charset=UTF-8', 'x-client': 'volley' } })
    expect(text.headers.accept).not.toBe('application/json')
    const form = await (await api.fetch(new URL(`${server().url}/echo`), { method: 'PUT', body: new URLSearchParams({ a: '1' }) })).json()
    expect(form).toMatchObject({ method: 'PUT', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' } })
    const request = new Request(`${server().url}/echo?q=1`, { method: 'PATCH', body: '{"a":1}', headers: { 'content-type': 'application/json' } })
    const fromRequest = await (await api.fetch(request)).json()
    expect(fromRequest).toMatchObject({ method: 'PATCH', body: '{"a":1}', query: { q: '1' }, headers: { 'content-type': 'application/json' } })
    const head = await api.fetch('/json', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.body).toBe(null)
  })

  it('rejects with the signal reason when the caller aborts, as fetch does', async () => {
    const api = createClient()
    const controller = new AbortController()
    const pending = api.fetch(`${server().url}/slow-headers/60000`, { signal: controller.signal })
    await vi.waitFor(() => expect(server().stats.count('slow-headers')).toBe(1), handshake)
    controller.abort()
    const error = await pending.catch((e: unknown) => e)
    expect(error).toBe(controller.signal.reason)
    expect((error as Error).name).toBe('AbortError')
    // A Request's own signal counts too.
    const reason = new Error('stop')
    const other = new AbortController()
    const request = new Request(`${server().url}/slow-headers/60000`, { signal: other.signal })
    const second = api.fetch(request)
    await vi.waitFor(() => expect(server().stats.count('slow-headers')).toBe(2), handshake)
    other.abort(reason)
    await expect(second).rejects.toBe(reason)
  })

  it('rejects a network failure with a TypeError whose cause is the NetworkError, after the retries', async () => {
    const api = createClient({ retry: quick })
    const error = (await api.fetch(`http://127.0.0.1:${await closedPort()}/json`).catch((e: unknown) => e)) as TypeError
    expect(error).toBeInstanceOf(TypeError)
    expect(isNetworkError(error.cause)).toBe(true)
    expect((error.cause as { attempts: number }).attempts).toBe(3)
  })

  it("rejects with volley's typed errors where fetch has none: a deadline, an open circuit", async () => {
    const api = createClient({ timeout: { total: 50 } })
    const timeout = await api.fetch(`${server().url}/slow-headers/60000`).catch((e: unknown) => e)
    expect(isTimeoutError(timeout)).toBe(true)
    const breaker = circuitBreaker({ failures: 1 })
    const guarded = createClient({ retry: false, use: [breaker] })
    expect((await guarded.fetch(`${server().url}/status/500`)).status).toBe(500)
    const open = await guarded.fetch(`${server().url}/status/200`).catch((e: unknown) => e)
    expect(isCircuitOpenError(open)).toBe(true)
  })

  it("keeps within the client's pool at the server, and dedupe shares identical GETs", async () => {
    const key = uniqueKey('pool')
    const api = createClient({ pool: createPool({ concurrency: 2 }) })
    // A slot is held until the body is read, as with every volley call: read each body as it comes.
    await Promise.all(Array.from({ length: 6 }, () => api.fetch(`${server().url}/concurrency?ms=20&key=${key}`).then((r) => r.json())))
    expect(server().stats.concurrency(key).max).toBe(2)
    const shared = createClient({ use: [dedupe()] })
    const url = `${server().url}/concurrency?ms=40&key=${uniqueKey('dedupe')}`
    const both = await Promise.all([shared.fetch(url), shared.fetch(new Request(url))])
    expect(server().stats.count('concurrency')).toBe(7)
    expect(await Promise.all(both.map((r) => r.json()))).toEqual([expect.objectContaining({ current: 1 }), expect.objectContaining({ current: 1 })])
  })

  it('works detached from its client, as a fetch option is called', async () => {
    const { fetch } = createClient({ baseURL: server().url })
    expect((await fetch('/json')).status).toBe(200)
  })
})
