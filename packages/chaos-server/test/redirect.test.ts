import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('redirects', () => {
  it('counts down /redirect/:n to /echo', async () => {
    const hop = await fetch(`${server.url}/redirect/2`, { redirect: 'manual' })
    expect(hop.status).toBe(302)
    expect(hop.headers.get('location')).toBe('/redirect/1')
    const last = await fetch(`${server.url}/redirect/0`, { redirect: 'manual' })
    expect(last.headers.get('location')).toBe('/echo')

    server.reset()
    const res = await fetch(`${server.url}/redirect/3`)
    expect(res.redirected).toBe(true)
    expect(res.url).toBe(`${server.url}/echo`)
    expect(server.stats.count('redirect')).toBe(4)
  })

  it('keeps the query, so status=307 holds for the whole chain and the body survives', async () => {
    const res = await fetch(`${server.url}/redirect/2?status=307`, { method: 'POST', body: 'payload' })
    const echo = await res.json()
    expect(echo).toMatchObject({ method: 'POST', body: 'payload', query: { status: '307' } })
  })

  it('loops forever on /redirect-loop until the client gives up', async () => {
    const hop = await fetch(`${server.url}/redirect-loop`, { redirect: 'manual' })
    expect(hop.headers.get('location')).toBe('/redirect-loop')
    await expect(fetch(`${server.url}/redirect-loop`)).rejects.toThrow()
  })

  it('sends /redirect-cross-origin to the other loopback name on the same port', async () => {
    const hop = await fetch(`${server.url}/redirect-cross-origin?to=/echo?x=1`, { redirect: 'manual' })
    expect(hop.headers.get('location')).toBe(`${server.altUrl}/echo?x=1`)

    const back = await fetch(`${server.altUrl}/redirect-cross-origin`, { redirect: 'manual' })
    expect(back.headers.get('location')).toBe(`${server.url}/echo`)
  })

  it('lets the echo show what a client forwards across origins', async () => {
    const res = await fetch(`${server.url}/redirect-cross-origin`, { headers: { Authorization: 'Bearer secret' } })
    const echo = await res.json()
    expect(res.url).toBe(`${server.altUrl}/echo`)
    expect(echo.headers.host).toBe(new URL(server.altUrl).host)
    // Fetch (undici) drops Authorization on a cross-origin redirect; this is what a client's own check should match.
    expect(echo.headers.authorization).toBeUndefined()
  })

  it('redirects anywhere with /redirect-to and the chosen status', async () => {
    const target = `${server.altUrl}/json`
    const res = await fetch(`${server.url}/redirect-to?url=${encodeURIComponent(target)}&status=308`, { redirect: 'manual' })
    expect(res.status).toBe(308)
    expect(res.headers.get('location')).toBe(target)
    expect((await fetch(`${server.url}/redirect-to?url=/json&status=301`, { redirect: 'manual' })).status).toBe(301)
  })

  it('rejects a non-redirect status and a missing url', async () => {
    expect((await fetch(`${server.url}/redirect-to?url=/json&status=304`)).status).toBe(400)
    expect((await fetch(`${server.url}/redirect-to`)).status).toBe(400)
  })
})
