import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('ANY /cacheable/:id', () => {
  it('sends the cache headers the query asks for, and counts requests per id', async () => {
    const res = await fetch(`${server.url}/cacheable/a?cc=max-age%3D5%2C%20must-revalidate&lastModified=1&expires=30&age=3&vary=accept`, { headers: { accept: 'text/plain' } })
    expect(res.headers.get('cache-control')).toBe('max-age=5, must-revalidate')
    expect(res.headers.get('etag')).toBe('"a-v1"')
    expect(res.headers.get('last-modified')).toBe('Wed, 01 Jan 2025 00:00:00 GMT')
    expect(Date.parse(res.headers.get('expires') ?? '') - Date.parse(res.headers.get('date') ?? '')).toBe(30_000)
    expect([res.headers.get('age'), res.headers.get('vary'), res.headers.get('x-request-count')]).toEqual(['3', 'accept', '1'])
    expect(await res.json()).toMatchObject({ id: 'a', version: 'v1', count: 1, vary: { accept: 'text/plain' } })
  })

  it('answers a matching conditional GET with a 304 (If-None-Match first, then If-Modified-Since)', async () => {
    expect((await fetch(`${server.url}/cacheable/b`, { headers: { 'if-none-match': 'W/"b-v1"' } })).status).toBe(304)
    expect((await fetch(`${server.url}/cacheable/b`, { headers: { 'if-none-match': '"other"' } })).status).toBe(200)
    expect((await fetch(`${server.url}/cacheable/b?lastModified=1`, { headers: { 'if-modified-since': 'Thu, 02 Jan 2025 00:00:00 GMT' } })).status).toBe(304)
    expect((await fetch(`${server.url}/cacheable/b`, { method: 'POST', headers: { 'if-none-match': '"b-v1"' } })).status).toBe(200)
  })

  it('changes the representation after changeAfter, and fails after failAfter', async () => {
    await fetch(`${server.url}/cacheable/c?changeAfter=1`)
    const changed = await fetch(`${server.url}/cacheable/c?changeAfter=1`)
    expect(changed.headers.get('etag')).toBe('"c-v2"')
    const failed = await fetch(`${server.url}/cacheable/c?failAfter=2&failStatus=500`)
    expect([failed.status, failed.headers.get('cache-control')]).toEqual([500, 'no-store'])
  })

  it('sends no Cache-Control or ETag when told not to, and Location headers on any method', async () => {
    const res = await fetch(`${server.url}/cacheable/d?cc=&etag=0&location=%2Fx&contentLocation=%2Fy`, { method: 'DELETE' })
    expect([res.headers.get('cache-control'), res.headers.get('etag'), res.headers.get('location'), res.headers.get('content-location')]).toEqual([null, null, '/x', '/y'])
  })
})
