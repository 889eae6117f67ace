import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer, type StatsResponse } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('stats', () => {
  it('records each hit with route, method, path, query, lower-case headers and an epoch time', async () => {
    server.reset()
    const before = Date.now()
    await fetch(`${server.url}/flaky?key=stats&fail=0`, { method: 'PUT', headers: { 'X-Trace': 'abc' }, body: 'x' })
    await fetch(`${server.url}/json`)
    const after = Date.now()

    const [flaky, json] = server.stats.hits
    expect(server.stats.hits).toHaveLength(2)
    expect(flaky).toMatchObject({ route: 'flaky', method: 'PUT', path: '/flaky', query: { key: 'stats', fail: '0' } })
    expect(flaky?.headers['x-trace']).toBe('abc')
    expect(json?.route).toBe('json')
    expect(flaky!.time).toBeGreaterThanOrEqual(before - 50)
    expect(json!.time).toBeLessThanOrEqual(after + 50)
    expect(json!.time).toBeGreaterThanOrEqual(flaky!.time)
  })

  it('counts per route and filters by route', async () => {
    server.reset()
    await Promise.all([fetch(`${server.url}/json`), fetch(`${server.url}/json`), fetch(`${server.url}/echo`)])
    expect(server.stats.count()).toBe(3)
    expect(server.stats.count('json')).toBe(2)
    expect(server.stats.byRoute('echo')).toHaveLength(1)
    expect(server.stats.count('sse')).toBe(0)
  })

  it('serves stats over GET /__stats without recording the call', async () => {
    server.reset()
    await fetch(`${server.url}/json?x=1`)
    await fetch(`${server.url}/status/500`)
    const body = (await (await fetch(`${server.url}/__stats?route=json`)).json()) as StatsResponse
    expect(body.count).toBe(1)
    expect(body.hits.map((hit) => hit.query)).toEqual([{ x: '1' }])
    expect(body.concurrency).toEqual({ current: 0, max: 0 })
    expect(server.stats.count()).toBe(2)
  })

  it('resets over POST /__reset and GET /__reset', async () => {
    await fetch(`${server.url}/json`)
    expect((await fetch(`${server.url}/__reset`, { method: 'POST' })).status).toBe(200)
    expect(server.stats.count()).toBe(0)
    await fetch(`${server.url}/json`)
    await fetch(`${server.url}/__reset`)
    expect(server.stats.hits).toHaveLength(0)
  })
})

describe('recording options', () => {
  it('keeps only the newest maxRecorded hits, oldest first, while counting all', async () => {
    const small = await startChaosServer({ maxRecorded: 3 })
    try {
      for (let i = 0; i < 5; i++) await fetch(`${small.url}/json?i=${i}`)
      expect(small.stats.hits.map((hit) => hit.query.i)).toEqual(['2', '3', '4'])
      expect(small.stats.count('json')).toBe(5)
    } finally {
      await small.close()
    }
  })

  it('stores no hits with record: false but still counts', async () => {
    const quiet = await startChaosServer({ record: false })
    try {
      await fetch(`${quiet.url}/json`)
      expect(quiet.stats.hits).toEqual([])
      expect(quiet.stats.count('json')).toBe(1)
    } finally {
      await quiet.close()
    }
  })
})
