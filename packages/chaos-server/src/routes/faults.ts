import { pumpBytes } from '../byte-stream.js'
import { BadRequestError, readFlag, readInt } from '../params.js'
import { breakConnection } from '../respond.js'
import type { RouteDefinition } from '../router.js'
import { MAX_BYTES } from './bytes.js'

/**
 * `GET /stall?after=0&length=1000000`: headers and the first `after` bytes,
 * then silence until the client gives up. Content-Length promises `length`
 * bytes (`length=0` omits it: chunked) so the client keeps waiting.
 * Nothing is scheduled: the request simply stays open until its socket closes.
 */
export const stall: RouteDefinition = {
  name: 'stall',
  path: '/stall',
  methods: ['GET'],
  async handle(ctx) {
    const { res, query } = ctx
    const after = readInt(query, 'after', 0, { max: MAX_BYTES })
    const length = readInt(query, 'length', 1_000_000, { max: MAX_BYTES })
    if (length > 0 && after >= length) {
      throw new BadRequestError(`"after" (${after}) must be below "length" (${length}) or the body would complete`)
    }
    res.setHeader('Content-Type', 'application/octet-stream')
    if (length > 0) res.setHeader('Content-Length', length)
    res.flushHeaders()
    await pumpBytes(ctx, res, 0, after)
  },
}

/**
 * `GET|PUT|POST /reset?after=0&length=after+1000&rst=0`: promises `length` bytes,
 * sends `after`, then breaks the connection. By default a FIN after flushing
 * (the client surely got the `after` bytes, then a truncated body);
 * `rst=1` sends a TCP RST instead (ECONNRESET; unread bytes may be lost).
 * PUT and POST bodies are read and dropped first: an upload whose answer is cut.
 */
export const reset: RouteDefinition = {
  name: 'reset',
  path: '/reset',
  methods: ['GET', 'PUT', 'POST'],
  async handle(ctx) {
    const { res, query } = ctx
    const after = readInt(query, 'after', 0, { max: MAX_BYTES })
    const length = readInt(query, 'length', after + 1000, { min: 1, max: MAX_BYTES })
    if (after >= length) {
      throw new BadRequestError(`"after" (${after}) must be below "length" (${length}) or the body would complete`)
    }
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) void chunk
    res.setHeader('Content-Type', 'application/octet-stream')
    res.setHeader('Content-Length', length)
    res.flushHeaders()
    if (await pumpBytes(ctx, res, 0, after)) await breakConnection(ctx, readFlag(query, 'rst') ? 'rst' : 'close')
  },
}
