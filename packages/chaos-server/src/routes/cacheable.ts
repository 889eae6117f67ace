import type { RouteContext } from '../context.js'
import { readInt } from '../params.js'
import { sendJson } from '../respond.js'
import { ANY, type RouteDefinition } from '../router.js'

/** The Last-Modified of every `/cacheable/:id` that sends one (`lastModified=1`). */
export const CACHEABLE_LAST_MODIFIED = 'Wed, 01 Jan 2025 00:00:00 GMT'

/** Whether an `If-None-Match` list names `etag`: the weak comparison of RFC 9110 §13.1.2. */
function noneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  const bare = (tag: string): string => tag.trim().replace(/^W\//, '')
  return header.split(',').some((tag) => bare(tag) === bare(etag))
}

function headerOf(ctx: RouteContext, name: string): string | undefined {
  const value = ctx.req.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/**
 * `ANY /cacheable/:id`: an answer an HTTP cache may keep (RFC 9111), with its cache headers set
 * by the query, and conditional requests answered with 304. Every response carries
 * `X-Request-Count` (per `id`); the JSON body is `{ id, version, count, vary, pad }`.
 *
 * | param | meaning |
 * | --- | --- |
 * | `cc` | the `Cache-Control` value, verbatim (default `max-age=60`; `cc=` sends none) |
 * | `etag=0` | no ETag (default: `"<id>-<version>"`) |
 * | `lastModified=1` | a fixed `Last-Modified`, and `If-Modified-Since` honoured |
 * | `changeAfter=n` | from request n+1 on, the representation is `v2` (a new ETag and body) |
 * | `failAfter=n`, `failStatus=503` | from request n+1 on, answer `failStatus` |
 * | `expires=s` | `Expires` s seconds after `Date` (negative: in the past) |
 * | `age=s` | an `Age` header |
 * | `dateOffset=s` | `Date` shifted by s seconds |
 * | `vary` | a `Vary` header; the body echoes those request headers |
 * | `pad=n` | n bytes of padding in the body (for memory bounds) |
 * | `location`, `contentLocation` | sent on any method (for invalidation by unsafe methods) |
 * | `ms` | wait this long before answering, 304s included (a real origin's latency) |
 */
export const cacheable: RouteDefinition = {
  name: 'cacheable',
  path: '/cacheable/:id',
  methods: ANY,
  async handle(ctx) {
    const { query, res } = ctx
    const id = ctx.params.id ?? ''
    const count = ctx.state.next('cacheable', id)
    const ms = readInt(query, 'ms', 0, { max: 60_000 })
    if (ms > 0 && !(await ctx.sleep(ms))) return
    const changeAfter = readInt(query, 'changeAfter', Number.MAX_SAFE_INTEGER)
    const failAfter = readInt(query, 'failAfter', Number.MAX_SAFE_INTEGER)
    const failStatus = readInt(query, 'failStatus', 503, { min: 400, max: 599 })
    const pad = readInt(query, 'pad', 0, { max: 16 * 1024 * 1024 })
    const version = count > changeAfter ? 'v2' : 'v1'
    const headers: Record<string, string | number> = { 'X-Request-Count': count }
    if (query.location !== undefined) headers['Location'] = query.location
    if (query.contentLocation !== undefined) headers['Content-Location'] = query.contentLocation
    if (count > failAfter) return sendJson(res, failStatus, { status: failStatus, count }, { ...headers, 'Cache-Control': 'no-store' })

    const date = Date.now() + readInt(query, 'dateOffset', 0, { min: -1e9, max: 1e9 }) * 1000
    headers['Date'] = new Date(date).toUTCString()
    const cc = query.cc ?? 'max-age=60'
    if (cc !== '') headers['Cache-Control'] = cc
    const etag = query.etag === '0' ? undefined : `"${id}-${version}"`
    if (etag) headers['ETag'] = etag
    const lastModified = query.lastModified === '1' ? CACHEABLE_LAST_MODIFIED : undefined
    if (lastModified) headers['Last-Modified'] = lastModified
    if (query.expires !== undefined) headers['Expires'] = new Date(date + readInt(query, 'expires', 0, { min: -1e9, max: 1e9 }) * 1000).toUTCString()
    if (query.age !== undefined) headers['Age'] = readInt(query, 'age', 0)
    const vary: Record<string, string | null> = {}
    if (query.vary) {
      headers['Vary'] = query.vary
      for (const name of query.vary.split(',')) vary[name.trim().toLowerCase()] = headerOf(ctx, name.trim().toLowerCase()) ?? null
    }

    // RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since; only GET and HEAD get a 304.
    const safe = ctx.method === 'GET' || ctx.method === 'HEAD'
    const inm = headerOf(ctx, 'if-none-match')
    const ims = headerOf(ctx, 'if-modified-since')
    const notModified = inm !== undefined ? etag !== undefined && noneMatch(inm, etag) : ims !== undefined && lastModified !== undefined && Date.parse(ims) >= Date.parse(lastModified)
    if (safe && notModified) return sendJson(res, 304, undefined, headers)
    sendJson(res, 200, { id, version, count, vary, pad: 'x'.repeat(pad) }, headers)
  },
}
