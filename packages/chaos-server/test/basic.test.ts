import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('GET /json', () => {
  it('returns a small JSON object with an exact Content-Length', async () => {
    const res = await fetch(`${server.url}/json`)
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text))
    expect(text.length).toBeLessThanOrEqual(120)
    expect(JSON.parse(text)).toMatchObject({ hello: 'world', n: 1 })
  })

  it('answers 405 with Allow for a method the route does not take', async () => {
    const res = await fetch(`${server.url}/json`, { method: 'DELETE' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
  })
})

describe('ANY /echo', () => {
  it('echoes method, path, query, headers and the body with its byte count', async () => {
    const res = await fetch(`${server.url}/echo?a=1&b=two`, {
      method: 'PATCH',
      headers: { 'X-Test': 'yes', 'Content-Type': 'text/plain' },
      body: 'héllo',
    })
    const echo = await res.json()
    expect(echo).toMatchObject({
      method: 'PATCH',
      path: '/echo',
      query: { a: '1', b: 'two' },
      body: 'héllo',
      bytes: 6,
    })
    expect(echo.headers['x-test']).toBe('yes')
    expect(echo.headers['content-type']).toBe('text/plain')
  })

  it('echoes a GET with an empty body', async () => {
    const echo = await (await fetch(`${server.url}/echo`)).json()
    expect(echo).toMatchObject({ method: 'GET', body: '', bytes: 0 })
  })
})

describe('ANY /status/:code', () => {
  it('answers the status with { status, message }', async () => {
    const res = await fetch(`${server.url}/status/418`, { method: 'POST' })
    expect(res.status).toBe(418)
    expect(await res.json()).toEqual({ status: 418, message: "I'm a Teapot" })
  })

  it('adds Retry-After when asked', async () => {
    const res = await fetch(`${server.url}/status/503?retryAfter=3`)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('3')
  })

  it('sends no body for 204 and 304', async () => {
    for (const code of [204, 304]) {
      const res = await fetch(`${server.url}/status/${code}`)
      expect(res.status).toBe(code)
      expect(await res.text()).toBe('')
    }
  })

  it('rejects a code outside 200-599 with a 400 that says why', async () => {
    const res = await fetch(`${server.url}/status/99`)
    expect(res.status).toBe(400)
    expect((await res.json()).message).toContain('"code"')
  })
})

describe('GET /invalid-json', () => {
  it('declares JSON and sends a body that does not parse', async () => {
    const res = await fetch(`${server.url}/invalid-json`)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const text = await res.text()
    expect(() => JSON.parse(text)).toThrow(SyntaxError)
  })
})

describe('GET /headers and unknown routes', () => {
  it('returns the request headers', async () => {
    const body = await (await fetch(`${server.url}/headers`, { headers: { 'X-Api-Key': 'k' } })).json()
    expect(body.headers['x-api-key']).toBe('k')
  })

  it('answers 404 JSON for an unknown route and records it as "not-found"', async () => {
    server.reset()
    const res = await fetch(`${server.url}/does/not/exist`)
    expect(res.status).toBe(404)
    expect((await res.json()).status).toBe(404)
    expect(server.stats.count('not-found')).toBe(1)
  })

  it('lists the routes at /', async () => {
    const body = await (await fetch(`${server.url}/`)).json()
    expect(body.routes.map((r: { name: string }) => r.name)).toContain('flaky')
  })
})
