import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'
import { waitFor } from './helpers.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('ANY /concurrency', () => {
  it('reports current 1 and max 1 for requests made one after another', async () => {
    for (let i = 0; i < 3; i++) {
      const body = await (await fetch(`${server.url}/concurrency?ms=5&key=serial`)).json()
      expect(body).toEqual({ current: 1, max: 1, key: 'serial' })
    }
    expect(server.stats.concurrency('serial')).toEqual({ current: 0, max: 1 })
  })

  it('tracks the highest number held at once', async () => {
    const bodies = await Promise.all(
      Array.from({ length: 4 }, () => fetch(`${server.url}/concurrency?ms=150&key=parallel`, { method: 'POST' }).then((r) => r.json())),
    )
    const seen = bodies.map((b: { current: number }) => b.current)
    // How many overlap depends on scheduling; what is exact is that max is the highest arrival count.
    expect(Math.min(...seen)).toBe(1)
    expect(server.stats.concurrency('parallel').max).toBe(Math.max(...seen))
    expect(server.stats.concurrency('parallel').current).toBe(0)
  })

  it('counts held requests and decrements when clients abort', async () => {
    const controller = new AbortController()
    const pending = Array.from({ length: 5 }, () =>
      fetch(`${server.url}/concurrency?ms=60000&key=aborted`, { signal: controller.signal }).catch((error: unknown) => error),
    )
    await waitFor(() => server.stats.concurrency('aborted').current === 5)
    expect(server.stats.concurrency('aborted').max).toBe(5)

    controller.abort()
    await Promise.all(pending)
    await waitFor(() => server.stats.concurrency('aborted').current === 0)
    expect(server.stats.concurrency('aborted')).toEqual({ current: 0, max: 5 })
  })

  it('holds requests with until=n until n wait together, then lets them all go', async () => {
    const bodies = await Promise.all(
      Array.from({ length: 4 }, () => fetch(`${server.url}/concurrency?ms=0&until=4&key=barrier`).then((r) => r.json())),
    )
    expect(bodies.map((b: { current: number }) => b.current).sort()).toEqual([1, 2, 3, 4])
    expect(server.stats.concurrency('barrier')).toEqual({ current: 0, max: 4 })
  })

  it('keeps a request that left the barrier out of its count', async () => {
    const controller = new AbortController()
    const gone = fetch(`${server.url}/concurrency?ms=0&until=2&key=barrier-left`, { signal: controller.signal }).catch((error: unknown) => error)
    await waitFor(() => server.stats.concurrency('barrier-left').current === 1)
    controller.abort()
    await gone
    await waitFor(() => server.stats.concurrency('barrier-left').current === 0)
    // The one that left does not count: two more are needed, and together they go.
    const bodies = await Promise.all(
      Array.from({ length: 2 }, () => fetch(`${server.url}/concurrency?ms=0&until=2&key=barrier-left`).then((r) => r.json())),
    )
    expect(bodies).toHaveLength(2)
  })

  it('answers with the same numbers over /__stats', async () => {
    const body = await (await fetch(`${server.url}/__stats?key=aborted`)).json()
    expect(body.concurrency).toEqual({ current: 0, max: 5 })
  })
})
