/**
 * A response as a cache keeps it (RFC 9111 §3): status, header fields, the body bytes, the values
 * of the request header fields its `Vary` names (§4.1), and when it was requested and received
 * (for its age, §4.2.3). Plain data, so a store can serialize it (JSON plus the bytes).
 */
import { parseCacheControl } from './cache-control.js'
import { header, type StoredResponse } from './entry.js'
import { HEURISTICALLY_CACHEABLE } from './freshness.js'

export type { StoredResponse } from './entry.js'

/**
 * Fields a cache does not store (RFC 9111 §3.1: hop-by-hop fields and those the Connection field
 * names, RFC 9110 §7.6.1).
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'transfer-encoding', 'upgrade', 'proxy-authenticate', 'proxy-authorization'])

/** Fields a 304 does not update (RFC 9111 §3.2): they describe the stored body, not the resource. */
const NOT_UPDATED = new Set(['content-length', 'content-encoding', 'content-range', 'etag'])

/** The header fields of `headers` a cache may keep. `dropSetCookie` for a shared cache (see docs/DESIGN.md#http-cache). */
export function storableHeaders(headers: Headers, dropSetCookie: boolean): [string, string][] {
  const connection = new Set((headers.get('connection') ?? '').split(',').map((name) => name.trim().toLowerCase()))
  const kept: [string, string][] = []
  headers.forEach((value, name) => {
    if (HOP_BY_HOP.has(name) || connection.has(name) || name === 'set-cookie') return
    kept.push([name, value])
  })
  if (!dropSetCookie) for (const cookie of headers.getSetCookie?.() ?? []) kept.push(['set-cookie', cookie])
  return kept
}

/** The values of the request fields `Vary` names, or undefined for `Vary: *`, which never matches (§4.1). */
export function varyValues(varyHeader: string | null, request: Headers): Record<string, string | null> | undefined {
  const vary: Record<string, string | null> = {}
  if (!varyHeader) return vary
  for (const raw of varyHeader.split(',')) {
    const name = raw.trim().toLowerCase()
    if (name === '*') return undefined
    if (name) vary[name] = normalize(request.get(name))
  }
  return vary
}

/** Field values compared after joining lines and trimming whitespace around commas (§4.1). */
function normalize(value: string | null): string | null {
  return value === null ? null : value.split(',').map((part) => part.trim()).join(',')
}

/** Whether `request` selects `entry`: every field `Vary` names has the same value (§4.1). */
export function varyMatches(entry: StoredResponse, request: Headers): boolean {
  for (const [name, value] of Object.entries(entry.vary)) if (normalize(request.get(name)) !== value) return false
  return true
}

/**
 * Whether a response may be stored at all (RFC 9111 §3): a final status the cache understands,
 * no `no-store` in the request or response, not `private` in a shared cache, not an authorized
 * request in a shared cache unless the response allows it (§3.5), and some reason to keep it:
 * explicit freshness, `public`, `private` in a private cache, or a heuristically cacheable
 * status. 206 and 304 are never stored (we do not
 * combine partial content, §3.3-3.4).
 */
export function isStorable(status: number, headers: Headers, requestCacheControl: ReadonlyMap<string, string>, authorized: boolean, shared: boolean): boolean {
  if (status < 200 || status === 206 || status === 304) return false
  const cc = parseCacheControl(headers.get('cache-control'))
  if (cc.has('no-store') || requestCacheControl.has('no-store')) return false
  if (shared && cc.has('private')) return false
  if (shared && authorized && !(cc.has('must-revalidate') || cc.has('public') || cc.has('s-maxage'))) return false
  if ((headers.get('vary') ?? '').split(',').some((name) => name.trim() === '*')) return false
  return (
    cc.has('max-age') ||
    (shared && cc.has('s-maxage')) ||
    cc.has('public') ||
    (!shared && cc.has('private')) ||
    headers.has('expires') ||
    HEURISTICALLY_CACHEABLE.has(status)
  )
}

/** Bytes an entry takes, roughly: its body plus its header text. */
export function entrySize(entry: StoredResponse): number {
  let size = entry.body.byteLength + entry.url.length + 64
  for (const [name, value] of entry.headers) size += name.length + value.length + 4
  return size
}

/**
 * The stored response as a Response to hand a caller (§4): with `Age` set to its current age in
 * seconds (§5.1), and no body for a HEAD request or a null-body status.
 */
export function toResponse(entry: StoredResponse, ageMs: number, head: boolean): Response {
  const headers = new Headers()
  for (const [name, value] of entry.headers) if (name !== 'age') headers.append(name, value)
  headers.set('age', String(Math.floor(ageMs / 1000)))
  const noBody = head || entry.status === 204 || entry.status === 205 || entry.status === 304
  const response = new Response(noBody ? null : (entry.body as BodyInit), { status: entry.status, statusText: entry.statusText, headers })
  Object.defineProperty(response, 'url', { value: entry.url })
  return response
}

/**
 * A stored response freshened by a 304 (§4.3.4): every field of the 304 replaces the stored one,
 * except those that describe the stored body (§3.2); the times are those of the validation.
 */
export function freshened(entry: StoredResponse, notModified: Headers, requestTime: number, responseTime: number, dropSetCookie: boolean): StoredResponse {
  const updates = storableHeaders(notModified, dropSetCookie).filter(([name]) => !NOT_UPDATED.has(name))
  const replaced = new Set(updates.map(([name]) => name))
  const headers = [...entry.headers.filter(([name]) => !replaced.has(name)), ...updates]
  return { ...entry, headers, requestTime, responseTime }
}

/** Whether a 304's validator selects this stored response (§4.3.4): same strong ETag, or same Last-Modified when it sent no ETag. */
export function validatorMatches(entry: StoredResponse, notModified: Headers): boolean {
  const etag = notModified.get('etag')
  if (etag !== null) return header(entry, 'etag')?.replace(/^W\//, '') === etag.replace(/^W\//, '')
  const lastModified = notModified.get('last-modified')
  if (lastModified !== null) return header(entry, 'last-modified') === lastModified
  return true
}
