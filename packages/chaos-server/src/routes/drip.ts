import { constants as zlibConstants } from 'node:zlib'
import { MAX_CHUNK_SIZE } from '../bytes.js'
import { gzipInto, pumpBytes } from '../byte-stream.js'
import { readFlag, readInt } from '../params.js'
import type { RouteDefinition } from '../router.js'
import { MAX_BYTES } from './bytes.js'
import { MAX_WAIT_MS } from './delay.js'

/**
 * `GET /drip?bytes=10&duration=1000&chunks=10&delay=0&length=1&gzip=0`:
 * headers after `delay` ms, then `bytes` deterministic bytes in `chunks`
 * near-equal writes, the first at once and the last `duration` ms later, for
 * progress and idle-timeout tests.
 */
export const drip: RouteDefinition = {
  name: 'drip',
  path: '/drip',
  methods: ['GET', 'HEAD'],
  async handle(ctx) {
    const { res, query } = ctx
    const total = readInt(query, 'bytes', 10, { max: MAX_BYTES })
    const duration = readInt(query, 'duration', 1000, { max: MAX_WAIT_MS })
    // More writes than bytes would mean empty writes; clamp instead of failing.
    const chunks = Math.max(1, Math.min(readInt(query, 'chunks', 10, { min: 1 }), total))
    const delay = readInt(query, 'delay', 0, { max: MAX_WAIT_MS })
    const withLength = readFlag(query, 'length', true)
    const gzip = readFlag(query, 'gzip')

    if (delay > 0 && !(await ctx.sleep(delay))) return
    res.setHeader('Content-Type', 'application/octet-stream')
    // Gzip output size is unknown up front; a progressive body matters more here than a length.
    if (gzip) res.setHeader('Content-Encoding', 'gzip')
    else if (withLength) res.setHeader('Content-Length', total)
    if (ctx.head) return void res.end()
    res.flushHeaders()

    const gz = gzip ? gzipInto(ctx) : undefined
    const sink = gz ?? res
    const base = Math.floor(total / chunks)
    const extra = total % chunks
    const interval = chunks > 1 ? duration / (chunks - 1) : 0
    const started = performance.now()
    let offset = 0
    for (let k = 0; k < chunks; k++) {
      // Scheduled against the start time so per-write latency does not accumulate into drift.
      const wait = started + k * interval - performance.now()
      if (k > 0 && !(await ctx.sleep(Math.max(1, wait)))) return
      const size = base + (k < extra ? 1 : 0)
      if (!(await pumpBytes(ctx, sink, offset, size, MAX_CHUNK_SIZE))) return
      offset += size
      // A sync flush pushes this chunk through zlib now instead of when its window fills.
      gz?.flush(zlibConstants.Z_SYNC_FLUSH)
    }
    sink.end()
  },
}
