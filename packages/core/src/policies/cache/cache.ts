/**
 * `cache()`: an HTTP cache that follows RFC 9111 (docs/DESIGN.md#http-cache), as a policy for
 * `use`. It answers fresh hits before admission through the answer seam (call-request.ts): no
 * pool slot, no rate-limit token, nothing sent. Everything that goes to the network goes through
 * the transport it wraps in `prepare`: a stale entry becomes a conditional request and a 304
 * refreshes it (§4.3), a storable response is kept as the caller reads its body (§3), an error
 * falls back to a stale answer where `stale-if-error` allows (RFC 5861 §4), and an unsafe method
 * invalidates what it touched (§4.4).
 */
import { AbortToken } from '../../call/abort-token.js'
import type { CacheStatus, CallRequest } from '../call-request.js'
import type { Clock } from '../../runtime/clock.js'
import { isCircuitOpenError, isThrottledError } from '../../errors/index.js'
import type { PolicyEvent } from '../../observe/events.js'
import type { AttemptContext, Policy } from '../policy.js'
import type { BodyObserver, Transport, TransportAttempt } from '../../runtime/transport.js'
import type { Directives } from './cache-control.js'
import type { CacheStore } from './cache-store.js'
import { isCacheable, keyOf } from './cache-key.js'
import { resolveCacheOptions, type CacheOptions } from './cache-options.js'
import { captureBody, readBody } from './capture.js'
import { currentAge, freshnessLifetime, header, mayServeOnError, requestDirectives, reuseOf, staleRules } from './freshness.js'
import { freshened, isStorable, storableHeaders, toResponse, validatorMatches, varyMatches, varyValues, type StoredResponse } from './stored-response.js'

/** The HTTP cache: a policy for `use`. */
export interface Cache extends Policy {
  readonly name: 'cache'
  /** Where it keeps responses. */
  readonly store: CacheStore
  /**
   * Resolves when no background work is left: revalidations (`stale-while-revalidate`) and writes
   * of bodies read to their end (a store on the network takes a moment to have them).
   */
  idle(): Promise<void>
}

/** Heuristic freshness is capped at a day, as common caches do; RFC 9111 §4.2.2 sets no cap. */
const HEURISTIC_CAP = 86_400_000
/** Statuses for which a stale answer may stand in (RFC 5861 §4). */
const ERROR_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504])
/** Safe methods never invalidate (RFC 9110 §9.2.1). */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])
/** At most this many lookups are remembered between the answer seam and the transport. */
const RECENT = 256

/**
 * Whether the caller reads the body whole (json, text, blob, arrayBuffer) rather than as a stream:
 * ofetch hands the transport its options, `responseType` included (send.ts treats an event stream
 * as a stream too).
 */
function readsWhole(init: RequestInit, response: Response): boolean {
  return (init as { responseType?: string }).responseType !== 'stream' && !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')
}

/** A body observer for requests the cache sends on its own (background revalidation). */
const SINK: BodyObserver = { waiting() {}, chunk: () => undefined, end() {}, error: (cause) => cause, cancel() {} }

/**
 * An HTTP cache following RFC 9111: freshness (`max-age`, `s-maxage` when shared, `Expires`,
 * `Age`, heuristics), validation (ETag, Last-Modified; a 304 refreshes the stored headers),
 * `Vary`, `no-store`, `no-cache`, `private`, `must-revalidate`, `stale-while-revalidate` (one
 * background revalidation per entry) and `stale-if-error` (also over an open circuit breaker),
 * and invalidation by unsafe methods. GET and HEAD only. `meta.cache` and a `cache` event say how
 * each call was served.
 *
 * @example
 * const api = createClient({ use: [cache()] })
 * const a = await api.raw('https://api.example.com/config') // a.meta.cache === 'miss'
 * const b = await api.raw('https://api.example.com/config') // 'hit' while fresh
 */
export function cache(options: CacheOptions = {}): Cache {
  const { store, shared, maxEntryBytes, fraction, keepStale, revalidateTimeout } = resolveCacheOptions(options)
  const revalidating = new Map<string, Promise<void>>()
  /** Writes of bodies read to their end, still on their way to the store. */
  const writing = new Set<Promise<void>>()
  const recent = new Map<string, StoredResponse | undefined>()

  const lookup = async (key: string, headers: Headers): Promise<StoredResponse | undefined> => {
    let entry: StoredResponse | undefined
    try {
      entry = await store.get(key)
    } catch {
      // A store that fails is a miss: the cache never fails a call.
      return undefined
    }
    // One variant per URL: a request that Vary does not match is a miss (§4.1).
    return entry && varyMatches(entry, headers) ? entry : undefined
  }

  /** How long an entry is of any use to the store: fresh time left, plus what stale use allows. */
  const ttlOf = (entry: StoredResponse, now: number): number => {
    const fresh = freshnessLifetime(entry, shared, fraction, HEURISTIC_CAP) - currentAge(entry, now)
    const rules = staleRules(entry, shared)
    const validator = header(entry, 'etag') !== null || header(entry, 'last-modified') !== null
    return Math.max(0, fresh) + Math.max(rules.whileRevalidate, rules.ifError, validator ? keepStale : 0)
  }

  const save = async (key: string, entry: StoredResponse, clock: Clock): Promise<void> => {
    const ttl = ttlOf(entry, clock.now())
    try {
      if (ttl > 0) await store.set(key, entry, ttl)
      else await store.delete(key)
    } catch {
      // A store that fails only costs the next call a request.
    }
  }

  const forget = async (key: string): Promise<void> => {
    recent.delete(key)
    try {
      await store.delete(key)
    } catch {
      // As above.
    }
  }

  const emit = (to: (event: PolicyEvent) => void, status: CacheStatus): void => to({ type: 'cache', status })

  /** The request with the stored entry's validators (§4.3.1). */
  const conditional = (headers: Headers, entry: StoredResponse): Headers => {
    const out = new Headers(headers)
    const etag = header(entry, 'etag')
    const lastModified = header(entry, 'last-modified')
    if (etag !== null) out.set('if-none-match', etag)
    if (lastModified !== null) out.set('if-modified-since', lastModified)
    return out
  }

  /** One background revalidation per entry (RFC 5861 §3), sent through `transport` with its own abort and timer. */
  const revalidate = (key: string, entry: StoredResponse, headers: Headers, transport: Transport, clock: Clock): void => {
    if (revalidating.has(key)) return
    const run = async (): Promise<void> => {
      const token = new AbortToken()
      const timer = clock.setTimeout(() => token.abort(new Error('volley: background revalidation timed out')), revalidateTimeout)
      try {
        const attempt: TransportAttempt = { signal: token, connectTimeout: undefined, timings() {}, uploaded: undefined, observe: () => SINK }
        const init: RequestInit = { method: 'GET', headers: conditional(headers, entry) }
        if (!transport.usesAttemptSignal) init.signal = token.signal
        const requestTime = clock.now()
        const response = await transport(entry.url, init, attempt)
        await settleResponse(key, entry, headers, response, requestTime, clock, true)
      } catch {
        // The entry stays as it was; the next call past its allowance validates in the foreground.
      } finally {
        clock.clearTimeout(timer)
        token.clear()
        revalidating.delete(key)
      }
    }
    const pending = run()
    revalidating.set(key, pending)
  }

  /**
   * What the origin's answer to a (possibly conditional) GET does to the store: a matching 304
   * freshens the entry (§4.3.4); a storable answer replaces it as its body is read (§3, §4.3.3).
   * Returns what the caller gets and how it was served.
   */
  const settleResponse = async (key: string, entry: StoredResponse | undefined, headers: Headers, response: Response, requestTime: number, clock: Clock, readWhole: boolean, whole = false): Promise<{ response: Response; status: CacheStatus }> => {
    const responseTime = clock.now()
    if (response.status === 304 && entry) {
      await response.body?.cancel().catch(() => {})
      if (validatorMatches(entry, response.headers)) {
        const updated = freshened(entry, response.headers, requestTime, responseTime, shared)
        await save(key, updated, clock)
        return { response: toResponse(updated, currentAge(updated, clock.now()), false), status: 'revalidated' }
      }
      // A 304 for a representation we do not hold: ask again, unconditionally (§4.3.3).
      throw new Error('volley: the 304 does not match the stored response')
    }
    const requestCC = requestDirectives(headers)
    if (!isStorable(response.status, response.headers, requestCC, headers.has('authorization'), shared)) {
      // A newer answer that may not be stored makes the old one obsolete.
      if (entry && response.status < 500) await forget(key)
      return { response, status: 'miss' }
    }
    const vary = varyValues(response.headers.get('vary'), headers)
    const length = Number(response.headers.get('content-length') ?? 0)
    if (!vary || length > maxEntryBytes) return { response, status: 'miss' }
    const url = response.url || key
    const build = (body: Uint8Array): StoredResponse => ({
      url: keyOf(url),
      status: response.status,
      statusText: response.statusText,
      headers: storableHeaders(response.headers, shared),
      body,
      vary,
      requestTime,
      responseTime,
    })
    if (readWhole) {
      const body = await readBody(response, maxEntryBytes)
      if (body) await save(key, build(body), clock)
      return { response, status: 'miss' }
    }
    const keep = (body: Uint8Array): void => {
      const write = save(key, build(body), clock).finally(() => writing.delete(write))
      writing.add(write)
    }
    return { response: captureBody(response, maxEntryBytes, keep, whole), status: 'miss' }
  }

  /** The entry a request would be answered with, and how; remembered for the transport that follows. */
  const consult = async (key: string, headers: Headers, now: number, remembered: boolean): Promise<{ entry: StoredResponse | undefined; reuse: ReturnType<typeof reuseOf> | undefined; request: Directives }> => {
    const request = requestDirectives(headers)
    let entry: StoredResponse | undefined
    if (remembered && recent.has(key)) {
      entry = recent.get(key)
      recent.delete(key)
    } else entry = await lookup(key, headers)
    return { entry, reuse: entry ? reuseOf(entry, request, now, shared, fraction, HEURISTIC_CAP) : undefined, request }
  }

  const remember = (key: string, entry: StoredResponse | undefined): void => {
    recent.delete(key)
    recent.set(key, entry)
    if (recent.size > RECENT) recent.delete(recent.keys().next().value as string)
  }

  /** Invalidation by an unsafe method (§4.4): the target, and its Location and Content-Location on the same origin. */
  const invalidate = async (target: string, response: Response): Promise<void> => {
    const key = keyOf(target)
    const origin = new URL(key).origin
    const keys = new Set([key])
    for (const name of ['location', 'content-location']) {
      const value = response.headers.get(name)
      if (value === null) continue
      try {
        const related = new URL(value, key)
        related.hash = ''
        if (related.origin === origin) keys.add(related.href)
      } catch {
        // An invalid URL names nothing to invalidate.
      }
    }
    await Promise.all([...keys].map(forget))
  }

  const wrap = (transport: Transport, attempt: AttemptContext): Transport =>
    Object.assign(
      async (input: string | URL | Request, init: RequestInit = {}, own?: TransportAttempt): Promise<Response> => {
        if (input instanceof Request) return transport(input, init, own)
        const report = (event: PolicyEvent): void => attempt.emit(event)
        const method = (init.method ?? 'GET').toUpperCase()
        const target = String(input)
        const headers = new Headers(init.headers)
        const hasBody = init.body !== undefined && init.body !== null
        if (!SAFE_METHODS.has(method)) {
          const response = await transport(input, init, own)
          if (response.status < 400) await invalidate(target, response)
          return response
        }
        if (!isCacheable(method, headers, hasBody)) return transport(input, init, own)
        const { clock } = attempt
        const key = keyOf(target)
        const now = clock.now()
        const { entry, reuse, request } = await consult(key, headers, now, true)
        const head = method === 'HEAD'
        if (entry && (reuse === 'fresh' || reuse === 'stale-while-revalidate')) {
          if (reuse === 'stale-while-revalidate') revalidate(key, entry, headers, transport, clock)
          emit(report, reuse === 'fresh' ? 'hit' : 'stale')
          return toResponse(entry, currentAge(entry, now), head)
        }
        if (request.has('only-if-cached')) {
          // §5.2.1.7: nothing usable is stored, so the answer is a 504.
          emit(report, 'miss')
          return new Response(null, { status: 504, statusText: 'Gateway Timeout' })
        }
        // A HEAD is validated with a GET's validators only when it could freshen a GET entry; kept simple: HEAD goes as it is.
        const validating = entry !== undefined && !head && (header(entry, 'etag') !== null || header(entry, 'last-modified') !== null)
        const sent: RequestInit = validating ? { ...init, headers: conditional(headers, entry) } : init
        const requestTime = clock.now()
        let response: Response
        try {
          response = await transport(input, sent, own)
        } catch (error) {
          if (entry && !own?.signal.aborted && mayServeOnError(entry, request, clock.now(), shared, fraction, HEURISTIC_CAP)) {
            emit(report, 'stale')
            return toResponse(entry, currentAge(entry, clock.now()), head)
          }
          throw error
        }
        if (entry && ERROR_STATUSES.has(response.status) && mayServeOnError(entry, request, clock.now(), shared, fraction, HEURISTIC_CAP)) {
          await response.body?.cancel().catch(() => {})
          emit(report, 'stale')
          return toResponse(entry, currentAge(entry, clock.now()), head)
        }
        if (head) {
          emit(report, 'miss')
          return response
        }
        let settled: { response: Response; status: CacheStatus }
        try {
          settled = await settleResponse(key, validating ? entry : undefined, headers, response, requestTime, clock, false, readsWhole(init, response))
        } catch {
          // A 304 that matches nothing we hold: ask once more without conditions.
          await forget(key)
          const again = await transport(input, init, own)
          settled = await settleResponse(key, undefined, headers, again, clock.now(), clock, false, readsWhole(init, again))
        }
        emit(report, settled.status)
        return settled.response
      },
      { usesAttemptSignal: transport.usesAttemptSignal === true, reportsUpload: transport.reportsUpload === true },
    )

  return {
    name: 'cache',
    store,
    idle: async () => {
      while (revalidating.size > 0 || writing.size > 0) await Promise.all([...revalidating.values(), ...writing])
    },
    async answer(request: CallRequest): Promise<Response | undefined> {
      if (!isCacheable(request.method, request.headers, request.hasBody)) return undefined
      const key = keyOf(request.url)
      const now = request.clock.now()
      const { entry, reuse } = await consult(key, request.headers, now, false)
      if (!entry || (reuse !== 'fresh' && reuse !== 'stale-while-revalidate')) {
        // The transport will validate or fetch: spare it a second read of the store.
        remember(key, entry)
        return undefined
      }
      if (reuse === 'stale-while-revalidate') revalidate(key, entry, request.headers, request.transport, request.clock)
      emit(request.emit, reuse === 'fresh' ? 'hit' : 'stale')
      return toResponse(entry, currentAge(entry, now), request.method === 'HEAD')
    },
    async rescue(request: CallRequest, error: unknown): Promise<Response | undefined> {
      // An open breaker or adaptive throttling stands for an origin that fails (RFC 5861 §4).
      if (!(isCircuitOpenError(error) || isThrottledError(error)) || !isCacheable(request.method, request.headers, request.hasBody)) return undefined
      const key = keyOf(request.url)
      const entry = await lookup(key, request.headers)
      const now = request.clock.now()
      if (!entry || !mayServeOnError(entry, requestDirectives(request.headers), now, shared, fraction, HEURISTIC_CAP)) return undefined
      emit(request.emit, 'stale')
      return toResponse(entry, currentAge(entry, now), request.method === 'HEAD')
    },
    prepare(attempt: AttemptContext): void {
      attempt.transport = wrap(attempt.transport, attempt)
    },
  }
}
