import { MAX_CHUNK_SIZE } from '../bytes.js'
import { readInt } from '../params.js'
import { writeChunk } from '../respond.js'
import type { RouteDefinition } from '../router.js'
import { MAX_WAIT_MS } from './delay.js'

/** Line `i` of `/ndjson`, newline included. ASCII only, so string length equals byte length. */
export function ndjsonLine(i: number): string {
  return `{"i":${i},"text":"line ${i}"}\n`
}

/**
 * `GET /ndjson?count=100&chunkSize=7&interval=0`: `count` lines
 * `{"i":i,"text":"line i"}`, written in writes of exactly `chunkSize` bytes
 * (the last may be shorter), so lines straddle chunk boundaries. Each write
 * waits `interval` ms, or one event-loop turn when 0, so writes leave as
 * separate socket writes instead of one coalesced buffer.
 */
export const ndjson: RouteDefinition = {
  name: 'ndjson',
  path: '/ndjson',
  methods: ['GET'],
  async handle(ctx) {
    const { res, query } = ctx
    const count = readInt(query, 'count', 100)
    const chunkSize = readInt(query, 'chunkSize', 7, { min: 1, max: MAX_CHUNK_SIZE })
    const interval = readInt(query, 'interval', 0, { max: MAX_WAIT_MS })
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8')
    res.flushHeaders()

    // Lines are produced lazily: `count` may be large and the body is never held whole.
    let pending = ''
    let next = 0
    let first = true
    while (next < count || pending.length > 0) {
      while (pending.length < chunkSize && next < count) pending += ndjsonLine(next++)
      const chunk = pending.slice(0, chunkSize)
      pending = pending.slice(chunkSize)
      if (!first && !(await ctx.sleep(interval))) return
      first = false
      if (!(await writeChunk(ctx, res, chunk))) return
    }
    res.end()
  },
}
