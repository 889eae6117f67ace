import { MAX_CHUNK_SIZE } from '../bytes.js'
import { DEFAULT_CHUNK_SIZE, gzipAhead, gzipInto, pumpBytes } from '../byte-stream.js'
import { readFlag, readInt } from '../params.js'
import { writeChunk } from '../respond.js'
import type { RouteDefinition } from '../router.js'

/** Largest body the byte routes serve: 1 TiB, i.e. "as much as a benchmark wants". */
export const MAX_BYTES = 2 ** 40

/**
 * `GET /bytes/:n?chunked=&gzip=&chunkSize=&type=`: `n` deterministic bytes (see
 * `expectedBytes`), streamed with backpressure. `type` replaces the Content-Type
 * (`application/octet-stream`); `type=` sends none.
 */
export const bytes: RouteDefinition = {
  name: 'bytes',
  path: '/bytes/:n',
  methods: ['GET', 'HEAD'],
  async handle(ctx) {
    const { res, query } = ctx
    const n = readInt(ctx.params, 'n', 0, { max: MAX_BYTES })
    const chunked = readFlag(query, 'chunked')
    const gzip = readFlag(query, 'gzip')
    const chunkSize = readInt(query, 'chunkSize', DEFAULT_CHUNK_SIZE, { min: 1, max: MAX_CHUNK_SIZE })
    const type = typeof query.type === 'string' ? query.type : 'application/octet-stream'
    if (type !== '') res.setHeader('Content-Type', type)

    if (!gzip) {
      // Without Content-Length, Node frames the body with chunked transfer encoding.
      if (!chunked) res.setHeader('Content-Length', n)
      if (ctx.head) return void res.end()
      if (await pumpBytes(ctx, res, 0, n, chunkSize)) res.end()
      return
    }

    res.setHeader('Content-Encoding', 'gzip')
    if (chunked) {
      if (ctx.head) return void res.end()
      const sink = gzipInto(ctx)
      if (await pumpBytes(ctx, sink, 0, n, chunkSize)) sink.end()
      return
    }
    // Content-Length must be the compressed size, known only after compressing.
    const parts = await gzipAhead(ctx, 0, n, chunkSize)
    if (!parts) return
    res.setHeader('Content-Length', parts.reduce((sum, part) => sum + part.length, 0))
    if (ctx.head) return void res.end()
    for (const part of parts) {
      if (!(await writeChunk(ctx, res, part))) return
    }
    res.end()
  },
}
