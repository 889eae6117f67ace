import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('ANY /flaky', () => {
  it('fails the first k calls per key, then answers 200 with the attempt', async () => {
    const statuses: number[] = []
    const counts: (string | null)[] = []
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.url}/flaky?key=three&fail=2`)
      statuses.push(res.status)
      counts.push(res.headers.get('x-request-count'))
      if (i === 2) expect(await res.json()).toEqual({ ok: true, attempt: 3 })
    }
    expect(statuses).toEqual([503, 503, 200])
    expect(counts).toEqual(['1', '2', '3'])
  })

  it('keeps a separate count per key', async () => {
    expect((await fetch(`${server.url}/flaky?key=a`)).status).toBe(503)
    expect((await fetch(`${server.url}/flaky?key=b`)).status).toBe(503)
    expect((await fetch(`${server.url}/flaky?key=a`)).status).toBe(200)
  })

  it('uses the given status and Retry-After, for any method', async () => {
    const res = await fetch(`${server.url}/flaky?key=post&status=429&retryAfter=2`, { method: 'POST', body: 'x' })
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('2')
    expect(await res.json()).toMatchObject({ status: 429, attempt: 1 })
  })

  it('starts counting again after reset()', async () => {
    await fetch(`${server.url}/flaky?key=again`)
    server.reset()
    expect((await fetch(`${server.url}/flaky?key=again`)).status).toBe(503)
  })
})
