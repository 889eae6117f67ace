import { createHash } from 'node:crypto'
import { readInt } from '../params.js'
import { sendJson } from '../respond.js'
import type { RouteDefinition } from '../router.js'
import { MAX_WAIT_MS } from './delay.js'

/**
 * `POST|PUT|PATCH /upload?delayPerChunk=0`: reads the body as a stream and
 * answers `{ bytes, sha256, contentType, contentLength, transferEncoding }`.
 * With `delayPerChunk`, reading pauses that long after each chunk, so TCP
 * backpressure reaches the client (slow-server upload and idle-timeout tests).
 */
export const upload: RouteDefinition = {
  name: 'upload',
  path: '/upload',
  methods: ['POST', 'PUT', 'PATCH'],
  async handle(ctx) {
    const { req, res } = ctx
    const delayPerChunk = readInt(ctx.query, 'delayPerChunk', 0, { max: MAX_WAIT_MS })
    const hash = createHash('sha256')
    let bytes = 0
    try {
      // The async iterator pulls: while we sleep, nothing is read and the socket fills up.
      for await (const chunk of req as AsyncIterable<Buffer>) {
        hash.update(chunk)
        bytes += chunk.length
        if (delayPerChunk > 0 && !(await ctx.sleep(delayPerChunk))) return
      }
    } catch {
      return // client aborted mid-upload
    }
    if (ctx.closed) return
    const contentLength = req.headers['content-length']
    sendJson(res, 200, {
      bytes,
      sha256: hash.digest('hex'),
      contentType: req.headers['content-type'] ?? null,
      contentLength: contentLength === undefined ? null : Number(contentLength),
      transferEncoding: req.headers['transfer-encoding'] ?? null,
    })
  },
}
