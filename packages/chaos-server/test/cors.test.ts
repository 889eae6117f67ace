import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXPOSED_HEADERS, startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('CORS', () => {
  it('echoes the Origin with credentials allowed and Vary: Origin', async () => {
    const res = await fetch(`${server.url}/json`, { headers: { Origin: 'http://app.test:5173' } })
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.test:5173')
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    expect(res.headers.get('vary')).toBe('Origin')
  })

  it('answers * when the request has no Origin', async () => {
    const res = await fetch(`${server.url}/json`)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it('exposes the retry, rate-limit, validator and length headers clients read', async () => {
    const res = await fetch(`${server.url}/status/503`, { headers: { Origin: 'http://app.test' } })
    const exposed = res.headers.get('access-control-expose-headers')?.split(', ') ?? []
    for (const name of ['Retry-After', 'RateLimit-Reset', 'X-RateLimit-Reset', 'ETag', 'Content-Range', 'X-Request-Count']) {
      expect(exposed).toContain(name)
    }
    expect(res.headers.get('access-control-expose-headers')).toBe(EXPOSED_HEADERS)
  })

  it('sets CORS headers on errors and unknown routes too', async () => {
    const res = await fetch(`${server.url}/nope`, { headers: { Origin: 'http://app.test' } })
    expect(res.status).toBe(404)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.test')
  })

  it('answers a preflight with 204, every method, the requested headers and Max-Age 600', async () => {
    const res = await fetch(`${server.url}/upload`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://app.test',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type, x-api-key',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT')
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH')
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, x-api-key')
    expect(res.headers.get('access-control-max-age')).toBe('600')
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.test')
  })

  it('records preflights as "preflight", not as hits of the route', async () => {
    server.reset()
    await fetch(`${server.url}/flaky?key=cors`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.test', 'Access-Control-Request-Method': 'POST' },
    })
    expect(server.stats.count('flaky')).toBe(0)
    expect(server.stats.count('preflight')).toBe(1)
    expect(server.stats.byRoute('preflight')[0]?.path).toBe('/flaky')
  })

  it('opts in to Private Network Access when Chrome asks', async () => {
    const res = await fetch(`${server.url}/json`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://public.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Private-Network': 'true',
      },
    })
    expect(res.headers.get('access-control-allow-private-network')).toBe('true')
  })
})
