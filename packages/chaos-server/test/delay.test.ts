import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('GET /delay/:ms and /slow-headers/:ms', () => {
  it('answers no sooner than the delay', async () => {
    const started = performance.now()
    const res = await fetch(`${server.url}/delay/60`)
    expect(await res.json()).toEqual({ delayed: 60 })
    expect(performance.now() - started).toBeGreaterThanOrEqual(60 - 20)
  })

  it('records slow-headers under its own route name', async () => {
    server.reset()
    const res = await fetch(`${server.url}/slow-headers/10`)
    expect(res.status).toBe(200)
    expect(server.stats.count('slow-headers')).toBe(1)
    expect(server.stats.count('delay')).toBe(0)
  })

  it('lets a client abort while waiting for headers', async () => {
    const controller = new AbortController()
    const pending = fetch(`${server.url}/slow-headers/10000`, { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await expect(pending).rejects.toThrow(/abort/i)
  })
})
