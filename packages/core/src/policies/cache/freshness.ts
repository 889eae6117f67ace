/**
 * Freshness and reuse (RFC 9111 §4.2): how long a stored response is fresh, how old it is, and
 * whether a request may be answered with it as it is, while revalidating, or only after a
 * validation. Pure functions over a {@link StoredResponse} and the time now.
 */
import { deltaSeconds, parseCacheControl, type Directives } from './cache-control.js'
import { header, type StoredResponse } from './entry.js'

export { header }

/** Statuses a cache may give heuristic freshness to (RFC 9111 §4.2.2; RFC 9110 §15.1). */
export const HEURISTICALLY_CACHEABLE: ReadonlySet<number> = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501])

/** What a cache may do with a stored response for a request. */
export type Reuse =
  /** Fresh: answer without asking the origin (§4.2). */
  | 'fresh'
  /** Stale, within `stale-while-revalidate` (RFC 5861 §3): answer, and revalidate in the background. */
  | 'stale-while-revalidate'
  /** Must be validated first (stale, `no-cache`, or the request asked for it): send a conditional request (§4.3.1). */
  | 'validate'

/** The date of an HTTP-date field in ms, or undefined when absent or invalid (RFC 9110 §5.6.7). */
export function httpDate(value: string | null | undefined): number | undefined {
  if (!value) return undefined
  const time = Date.parse(value)
  return Number.isNaN(time) ? undefined : time
}

/** The parsed `Cache-Control` of a stored response, computed once per entry. */
const directivesCache = new WeakMap<StoredResponse, Directives>()
export function responseDirectives(entry: StoredResponse): Directives {
  let directives = directivesCache.get(entry)
  if (!directives) directivesCache.set(entry, (directives = parseCacheControl(header(entry, 'cache-control'))))
  return directives
}


/**
 * The freshness lifetime in ms (§4.2.1): `s-maxage` for a shared cache, then `max-age`, then
 * `Expires` minus `Date`, then a heuristic (§4.2.2) of `fraction` of the time since
 * `Last-Modified`, for heuristically cacheable statuses or a `public` response only, capped at
 * `heuristicCap`.
 */
export function freshnessLifetime(entry: StoredResponse, shared: boolean, fraction: number, heuristicCap: number): number {
  const cc = responseDirectives(entry)
  if (shared) {
    const sMaxAge = deltaSeconds(cc, 's-maxage')
    if (sMaxAge !== undefined) return sMaxAge
  }
  const maxAge = deltaSeconds(cc, 'max-age')
  if (maxAge !== undefined) return maxAge
  const expires = header(entry, 'expires')
  if (expires !== null) {
    // An invalid Expires (e.g. "0") means already expired (§5.3).
    const at = httpDate(expires)
    if (at === undefined) return 0
    return Math.max(0, at - dateOf(entry))
  }
  if (fraction > 0 && (HEURISTICALLY_CACHEABLE.has(entry.status) || cc.has('public'))) {
    const lastModified = httpDate(header(entry, 'last-modified'))
    if (lastModified !== undefined) return Math.min(heuristicCap, Math.max(0, (dateOf(entry) - lastModified) * fraction))
  }
  return 0
}

/** The origin's `Date`, or when the response arrived if it sent none or an invalid one (§4.2.3). */
function dateOf(entry: StoredResponse): number {
  return httpDate(header(entry, 'date')) ?? entry.responseTime
}

/**
 * The current age in ms (§4.2.3): `Age` plus the response delay (the corrected age value), plus
 * the time the entry has been resident. An `Age` that is not a non-negative integer is ignored
 * (cache-tests `age-parse-*`). Deviation: the apparent age (`response_time - Date`) is left out,
 * because it compares the origin's clock with ours, and ours is the client's injectable clock
 * (docs/DESIGN.md#http-cache); http-cache-semantics leaves it out for the same reason.
 */
export function currentAge(entry: StoredResponse, now: number): number {
  const ageHeader = header(entry, 'age')
  const ageValue = ageHeader !== null && /^\d+$/.test(ageHeader.trim()) ? Number(ageHeader.trim()) * 1000 : 0
  const responseDelay = Math.max(0, entry.responseTime - entry.requestTime)
  return ageValue + responseDelay + Math.max(0, now - entry.responseTime)
}

/** What the cache was told about reusing stale responses for this entry. */
interface StaleRules {
  /** Stale use is forbidden: must-revalidate, or proxy-revalidate / s-maxage in a shared cache (§4.2.4, §5.2.2.2, §5.2.2.8, §5.2.2.10). */
  readonly mustRevalidate: boolean
  /** ms past freshness during which a stale answer may be served while revalidating (RFC 5861 §3). */
  readonly whileRevalidate: number
  /** ms past freshness during which a stale answer may stand in for an error (RFC 5861 §4). */
  readonly ifError: number
}

export function staleRules(entry: StoredResponse, shared: boolean): StaleRules {
  const cc = responseDirectives(entry)
  const mustRevalidate = cc.has('must-revalidate') || cc.has('no-cache') || (shared && (cc.has('proxy-revalidate') || cc.has('s-maxage')))
  return {
    mustRevalidate,
    whileRevalidate: mustRevalidate ? 0 : (deltaSeconds(cc, 'stale-while-revalidate') ?? 0),
    ifError: mustRevalidate ? 0 : (deltaSeconds(cc, 'stale-if-error') ?? 0),
  }
}

/** The request's own directives (§5.2.1), with `Pragma: no-cache` read as `no-cache` when there is no Cache-Control (§5.4). */
export function requestDirectives(headers: Headers): Directives {
  const value = headers.get('cache-control')
  if (value !== null) return parseCacheControl(value)
  return /(^|,)\s*no-cache\s*(,|$)/i.test(headers.get('pragma') ?? '') ? new Map([['no-cache', '']]) : parseCacheControl(null)
}

/**
 * How a stored response may serve a request (§4, §4.2.4, §5.2.1, RFC 5861): fresh as it is, stale
 * while revalidating, or only after validation. `no-cache` in the response (§5.2.2.4) or the
 * request (§5.2.1.4) forces validation; the request's `max-age`, `min-fresh` and `max-stale`
 * (§5.2.1.1-3) narrow or widen what counts as fresh enough, but `max-stale` never overrides a
 * `must-revalidate`.
 */
export function reuseOf(entry: StoredResponse, request: Directives, now: number, shared: boolean, fraction: number, heuristicCap: number): Reuse {
  const response = responseDirectives(entry)
  if (response.has('no-cache') || request.has('no-cache')) return 'validate'
  const lifetime = freshnessLifetime(entry, shared, fraction, heuristicCap)
  const age = currentAge(entry, now)
  const maxAge = deltaSeconds(request, 'max-age')
  if (maxAge !== undefined && age > maxAge) return 'validate'
  const minFresh = deltaSeconds(request, 'min-fresh') ?? 0
  if (lifetime > age + minFresh) return 'fresh'
  const rules = staleRules(entry, shared)
  if (rules.mustRevalidate) return 'validate'
  const staleness = age - lifetime
  if (request.has('max-stale')) {
    // `max-stale` with no argument accepts any staleness (§5.2.1.2).
    const maxStale = deltaSeconds(request, 'max-stale')
    if (request.get('max-stale') === '' || (maxStale !== undefined && staleness <= maxStale)) return 'fresh'
  }
  // Not fresh enough for the request's min-fresh is not stale: that one is validated.
  if (staleness > 0 && staleness < rules.whileRevalidate) return 'stale-while-revalidate'
  return 'validate'
}

/** Whether a stale entry may stand in for an origin's error now (RFC 5861 §4; request `stale-if-error` too). */
export function mayServeOnError(entry: StoredResponse, request: Directives, now: number, shared: boolean, fraction: number, heuristicCap: number): boolean {
  const rules = staleRules(entry, shared)
  if (rules.mustRevalidate) return false
  const staleness = currentAge(entry, now) - freshnessLifetime(entry, shared, fraction, heuristicCap)
  if (staleness <= 0) return true
  const requested = deltaSeconds(request, 'stale-if-error') ?? 0
  return staleness < Math.max(rules.ifError, requested)
}
