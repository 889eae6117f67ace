import { DEFAULT_CHUNK_SIZE, pumpBytes } from '../byte-stream.js'
import type { RouteContext } from '../context.js'
import { readFlag, readInt } from '../params.js'
import { ifRangeHolds, parseRange } from '../range.js'
import { breakConnection } from '../respond.js'
import type { RouteDefinition } from '../router.js'
import { MAX_BYTES } from './bytes.js'

/** The fixed Last-Modified of every `/file/:n`: a stable validator for If-Range. */
export const FILE_LAST_MODIFIED = 'Wed, 01 Jan 2025 00:00:00 GMT'

function quoteEtag(raw: string): string {
  return raw.startsWith('"') || raw.startsWith('W/"') ? raw : `"${raw}"`
}

/**
 * `GET|HEAD /file/:n`: a resumable download. Deterministic bytes with ETag,
 * Last-Modified and Range/If-Range support, plus faults: `resetAfter`
 * (break the first `resetTimes` responses of `key` after k body bytes),
 * `stallAfter` (hold the first `stallTimes` responses of `key` after k body
 * bytes until the client leaves) and `ignoreRange` (a server that always
 * sends the full body).
 */
export const file: RouteDefinition = {
  name: 'file',
  path: '/file/:n',
  methods: ['GET', 'HEAD'],
  async handle(ctx: RouteContext) {
    const { req, res, query } = ctx
    const size = readInt(ctx.params, 'n', 0, { max: MAX_BYTES })
    const etag = query.etag ? quoteEtag(query.etag) : `"v1-${size}"`
    const ignoreRange = readFlag(query, 'ignoreRange')
    const resetAfter = query.resetAfter === undefined ? undefined : readInt(query, 'resetAfter', 0)
    const resetTimes = readInt(query, 'resetTimes', 1)
    const stallAfter = query.stallAfter === undefined ? undefined : readInt(query, 'stallAfter', 0)
    const stallTimes = readInt(query, 'stallTimes', 1)
    const chunkSize = readInt(query, 'chunkSize', DEFAULT_CHUNK_SIZE, { min: 1 })

    res.setHeader('Content-Type', 'application/octet-stream')
    res.setHeader('ETag', etag)
    res.setHeader('Last-Modified', FILE_LAST_MODIFIED)
    // A server that ignores ranges should not advertise them.
    if (!ignoreRange) res.setHeader('Accept-Ranges', 'bytes')
    if (query.filename) res.setHeader('Content-Disposition', `attachment; filename="${query.filename.replace(/["\\]/g, '_')}"`)

    let start = 0
    let length = size
    const rangeHeader = req.headers.range
    const ifRange = req.headers['if-range']
    if (!ignoreRange && ifRangeHolds(typeof ifRange === 'string' ? ifRange : ifRange?.[0], etag, FILE_LAST_MODIFIED)) {
      const range = parseRange(rangeHeader, size)
      if (range === 'unsatisfiable') {
        res.statusCode = 416
        res.setHeader('Content-Range', `bytes */${size}`)
        res.setHeader('Content-Length', 0)
        return void res.end()
      }
      if (range) {
        res.statusCode = 206
        res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
        start = range.start
        length = range.end - range.start + 1
      }
    }
    res.setHeader('Content-Length', length)
    if (ctx.head) return void res.end()

    // Counted per key across responses, so "fail the first t downloads" works for resume tests.
    const key = query.key ?? 'default'
    const breakHere = resetAfter !== undefined && resetAfter < length && ctx.state.next('file-reset', key) <= resetTimes
    // A stalled body lets a test act at a known byte count (abort a download part-way) without
    // racing the transfer: nothing more arrives until the client gives up (docs/DESIGN.md#tests).
    const stallHere = !breakHere && stallAfter !== undefined && stallAfter < length && ctx.state.next('file-stall', key) <= stallTimes
    if (stallHere) {
      res.flushHeaders()
      await pumpBytes(ctx, res, start, stallAfter, chunkSize)
      return
    }
    if (!breakHere) {
      if (await pumpBytes(ctx, res, start, length, chunkSize)) res.end()
      return
    }
    res.flushHeaders()
    if (await pumpBytes(ctx, res, start, resetAfter, chunkSize)) await breakConnection(ctx)
  },
}
