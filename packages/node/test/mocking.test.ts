import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher, type Agent } from 'undici'
import { describe, expect, it, vi } from 'vitest'
import { createClient, createNodeTransport, isHTTPError, type NodeTransport } from '@volley/node'
import { createClient as createCoreClient } from '@volley/core'
import { useClients } from '../../core/test/helpers/clients.js'
import { describeMswInterception } from '../../core/test/helpers/msw-suite.js'
import { useChaosServer } from './helpers/servers.js'
import { handshake } from '../../core/test/helpers/handshake.js'

const server = useChaosServer()
const API = 'https://api.example.test'

const { client, defer } = useClients(createClient)

function withMockAgent(): MockAgent {
  const previous = getGlobalDispatcher()
  const agent = new MockAgent()
  agent.disableNetConnect()
  agent.enableNetConnect('127.0.0.1')
  setGlobalDispatcher(agent)
  defer(async () => {
    setGlobalDispatcher(previous)
    await agent.close()
  })
  return agent
}

function withMsw(...handlers: Parameters<typeof setupServer>): ReturnType<typeof setupServer> {
  const msw = setupServer(...handlers)
  msw.listen({ onUnhandledRequest: 'bypass' })
  defer(() => msw.close())
  return msw
}

describe('@volley/node in the normal case', () => {
  it('uses its own Agent: connection timings are reported and the socket is kept alive', async () => {
    const api = client({ baseURL: server().url })
    const first = await api.raw.get('/json')
    // The socket goes back to the pool a tick after the body ends: wait until the Agent has it free.
    const agent = (api.defaults.transport as NodeTransport).dispatcher as Agent
    const pool = () => agent.stats[new URL(server().url).origin] as { free: number } | undefined // a Pool's stats: the Agent's default
    await vi.waitFor(() => expect(pool()?.free).toBe(1), handshake)
    const second = await api.raw.get('/json')
    expect(first.meta.timings[0]!.connectMs).toBeTypeOf('number')
    expect(second.meta.timings[0]!.reusedSocket).toBe(true)
  })
})

describe("undici's MockAgent installed with setGlobalDispatcher", () => {
  it('intercepts requests of the Node entry', async () => {
    withMockAgent()
      .get(API)
      .intercept({ path: '/users/1', method: 'GET' })
      .reply(200, { id: 1, name: 'Ada' }, { headers: { 'content-type': 'application/json' } })
    const api = client({ baseURL: API })
    expect(await api.get('/users/1')).toEqual({ id: 1, name: 'Ada' })
  })

  it('drives retries: a mocked 503 then a 200', async () => {
    const pool = withMockAgent().get(API)
    pool.intercept({ path: '/flaky', method: 'GET' }).reply(503, 'busy')
    pool.intercept({ path: '/flaky', method: 'GET' }).reply(200, { ok: true }, { headers: { 'content-type': 'application/json' } })
    const api = client({ baseURL: API, retry: { limit: 2, delay: 1 } })
    const response = await api.raw.get('/flaky')
    expect(response.data).toEqual({ ok: true })
    expect(response.meta.attempts).toBe(2)
  })

  it('intercepts even when it was installed before @volley/node was imported', async () => {
    withMockAgent().get(API).intercept({ path: '/early' }).reply(200, { early: true }, { headers: { 'content-type': 'application/json' } })
    vi.resetModules()
    const fresh = (await import('@volley/node')) as typeof import('@volley/node')
    const api = fresh.createClient()
    defer(() => api.close())
    expect(await api.get(`${API}/early`)).toEqual({ early: true })
  })

  it('intercepts core over fetch too (Node fetch reads the same global dispatcher)', async () => {
    withMockAgent().get(API).intercept({ path: '/ping' }).reply(200, 'pong', { headers: { 'content-type': 'text/plain' } })
    expect(await createCoreClient().get(`${API}/ping`)).toBe('pong')
  })

  it('is not used by a transport given its own dispatcher', async () => {
    withMockAgent().get(server().url).intercept({ path: '/json' }).reply(200, { mocked: true }, { headers: { 'content-type': 'application/json' } })
    const { Agent } = await import('undici')
    const dispatcher = new Agent()
    defer(() => dispatcher.close())
    const api = createClient({ transport: createNodeTransport({ dispatcher }) })
    expect(await api.get(`${server().url}/json`)).toMatchObject({ hello: 'world' })
  })
})

describe('MSW (msw/node)', () => {
  it('intercepts requests of the Node entry', async () => {
    withMsw(http.get(`${API}/users/:id`, ({ params }) => HttpResponse.json({ id: params.id, via: 'msw' })))
    const api = client({ baseURL: API })
    expect(await api.get('/users/7')).toEqual({ id: '7', via: 'msw' })
  })

  it('reports a mocked error status as an HTTPError and lets unhandled requests through to the network', async () => {
    withMsw(http.get(`${API}/missing`, () => HttpResponse.json({ error: 'nope' }, { status: 404 })))
    const api = client({ retry: 0 })
    const error = await api.get(`${API}/missing`).catch((e: unknown) => e)
    expect(isHTTPError(error) && error.status).toBe(404)
    expect(isHTTPError(error) && error.data).toEqual({ error: 'nope' })
    expect(await api.get(`${server().url}/json`)).toMatchObject({ hello: 'world' })
  })

  it('sends request bodies through to the handler', async () => {
    withMsw(http.post(`${API}/echo`, async ({ request }) => HttpResponse.json({ got: await request.json() })))
    const api = client()
    expect(await api.post(`${API}/echo`, { body: { a: 1 } })).toEqual({ got: { a: 1 } })
  })

  it('intercepts even when MSW was listening before @volley/node was imported', async () => {
    withMsw(http.get(`${API}/early`, () => HttpResponse.json({ early: true })))
    vi.resetModules()
    const fresh = (await import('@volley/node')) as typeof import('@volley/node')
    const api = fresh.createClient()
    defer(() => api.close())
    expect(await api.get(`${API}/early`)).toEqual({ early: true })
  })

  it('intercepts core over fetch too (fetch is looked up per call)', async () => {
    withMsw(http.get(`${API}/ping`, () => HttpResponse.text('pong')))
    expect(await createCoreClient().get(`${API}/ping`)).toBe('pong')
  })

  it('steps aside once MSW is closed: back to the own Agent', async () => {
    const msw = setupServer(http.get(`${server().url}/json`, () => HttpResponse.json({ mocked: true })))
    msw.listen({ onUnhandledRequest: 'bypass' })
    const api = client({ baseURL: server().url })
    expect(await api.get('/json')).toEqual({ mocked: true })
    msw.close()
    const response = await api.raw.get('/json')
    expect(response.data).toMatchObject({ hello: 'world' })
    expect(response.meta.timings[0]!.connectMs ?? response.meta.timings[0]!.reusedSocket).toBeDefined()
  })
})

// The same scenarios as core's (packages/core/test/msw.test.ts), through the undici transport, which
// steps aside for MSW per request (src/mocking.ts).
describeMswInterception('@volley/node (the undici transport)', createClient, server)
