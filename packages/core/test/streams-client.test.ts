import { describe, expect, it } from 'vitest'
import { createClient, createPool, isParseError, streamLines, streamNdjson, streamSSE } from '@volley/core'
import { uniqueKey, useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()

describe('streams through the client', () => {
  it('reconnects an SSE stream that drops after event 3 with Last-Event-ID: 3 and delivers 4.. once each', async () => {
    const key = uniqueKey()
    const api = createClient({ baseURL: server().url })
    const ids: string[] = []
    for await (const event of streamSSE(api, `/sse?count=6&interval=5&key=${key}&dropAfter=3&retry=20`, { retryDelay: 20 })) {
      ids.push(event.id!)
      if (event.id === '6') break
    }
    expect(ids).toEqual(['1', '2', '3', '4', '5', '6'])
    const hits = server().stats.byRoute('sse')
    expect(hits).toHaveLength(2)
    expect(hits[1]!.headers['last-event-id']).toBe('3')
    expect(hits[0]!.headers.accept).toBe('text/event-stream')
  })

  it('parses NDJSON split across chunk boundaries', async () => {
    const rows: { i: number }[] = []
    for await (const row of streamNdjson<{ i: number }>(createClient({ baseURL: server().url }), '/ndjson?count=50&chunkSize=7')) rows.push(row)
    expect(rows.map((r) => r.i)).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })

  it('yields lines and turns a non-JSON NDJSON line into a ParseError', async () => {
    const api = createClient({ baseURL: server().url })
    const lines: string[] = []
    for await (const line of streamLines(api, '/ndjson?count=3&chunkSize=5')) lines.push(line)
    expect(lines.filter(Boolean)).toHaveLength(3)
    const error = await (async () => {
      for await (const _ of streamNdjson(api, '/bytes/100')) void _
    })().catch((e: unknown) => e)
    expect(isParseError(error)).toBe(true)
  })

  it('frees the pool slot when the loop is left early', async () => {
    const api = createClient({ baseURL: server().url, pool: createPool({ concurrency: 1 }) })
    for await (const row of streamNdjson<{ i: number }>(api, '/ndjson?count=100000&chunkSize=64&interval=1')) {
      if (row.i === 2) break
    }
    await api.pool!.onIdle()
    expect(api.pool!.stats.active).toBe(0)
    expect(await api.get<{ hello: string }>('/json')).toMatchObject({ hello: 'world' })
  })
})
