import { DEFAULT_MAX_BODY_SIZE, effectiveBodyLimit } from '../call/body-limit.js'
import { checkOptions, invalidOption, isCount, isObject, optionError, type DevText } from './option-check.js'
import { isDuration, MOVED, movedOption, OPTIONS, RETRY_OPTIONS, TIMEOUT_OPTIONS } from './options-table.js'
import type { StandardSchemaV1 } from '../policies/standard-schema.js'
import { systemClock, type Clock } from '../runtime/clock.js'
import { checkHeader } from './header-check.js'
import type { EventListener } from '../observe/events.js'
import type { Metrics } from '../observe/metrics.js'
import type { Hooks, ResponseType, RetryOptions, TimeoutOptions, VolleyOptions } from './options.js'
import { fromOfetchOptions } from './ofetch-compat.js'
import type { Policy } from '../policies/policy.js'
import type { Pool } from '../limits/pool.js'
import type { RateLimiter } from '../limits/rate-limiter.js'
import type { ProgressCallback } from '../streaming/progress.js'
import { globalFetch, type Transport } from '../runtime/transport.js'
import { describe } from './describe.js'
import type { NetworkFailureTable } from '../errors/failure-table.js'
import { NETWORK_FAILURES } from '../errors/network-failure.js'

/** Every timeout phase in ms; `undefined` means the phase has no deadline. */
export interface ResolvedTimeouts {
  readonly total: number | undefined
  readonly attempt: number | undefined
  readonly idle: number | undefined
  readonly queue: number | undefined
  readonly connect: number | undefined
}

/** The retry policy with every default filled in. */
export interface ResolvedRetry {
  readonly limit: number
  readonly methods: ReadonlySet<string>
  readonly statusCodes: ReadonlySet<number>
  readonly afterStatusCodes: ReadonlySet<number>
  readonly delay: number
  readonly factor: number
  readonly maxDelay: number
  readonly jitter: 'full' | 'equal' | 'none'
  readonly maxRetryAfter: number
  readonly shouldRetry: RetryOptions['shouldRetry']
  readonly onRetry: RetryOptions['onRetry']
}

/**
 * Options after defaults, client options and call options were merged and validated, once per
 * call (docs/DESIGN.md#conventions: "resolve options once"). Frozen; nothing downstream reads raw options.
 */
export interface ResolvedOptions extends Readonly<Hooks> {
  readonly baseURL: string | undefined
  /** Origins besides the baseURL's that receive the client's secret headers (`'*'`: all), client's and call's. */
  readonly trustedOrigins: ReadonlySet<string>
  readonly method: string
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>
  readonly query: Readonly<Record<string, unknown>> | undefined
  readonly body: unknown
  readonly responseType: ResponseType | undefined
  /** The Standard Schema the parsed body is validated with (`validation()` does it). */
  readonly schema: StandardSchemaV1 | undefined
  readonly parseResponse: ((text: string) => unknown) | undefined
  readonly signal: AbortSignal | undefined
  readonly timeout: ResolvedTimeouts
  readonly retry: ResolvedRetry
  readonly idempotencyKey: boolean | string
  readonly pool: Pool | undefined
  readonly priority: number
  readonly rateLimiter: RateLimiter | undefined
  /** What a call costs the rate limiter; undefined for 1 in every limit. */
  readonly cost: number | Readonly<Record<string, number>> | undefined
  /** The client's metrics, when it was given `metrics: createMetrics()`. */
  readonly metrics: Metrics | undefined
  /** Extra policies from `use`, client's then call's. */
  readonly use: readonly Policy[]
  /**
   * Every policy of the call, in order: `use` (gates such as a breaker or an offline pause refuse
   * or wait before a slot is taken), then pool, rate limiter and metrics.
   */
  readonly policies: readonly Policy[]
  readonly onDownloadProgress: ProgressCallback | undefined
  readonly onUploadProgress: ProgressCallback | undefined
  /** The body limit this call applies: `maxBodySize` when set, else volley's default for its responseType (body-limit.ts). */
  readonly maxBodySize: number
  /** `maxBodySize` as a client or call set it; undefined: volley's default per response type. */
  readonly maxBodySizeOption: number | undefined
  readonly transport: Transport
  /**
   * What counts as a network failure (retried) on this platform: every platform's in
   * `@volley/core` and `@volley/node`, the browser engines' in `@volley/browser`
   * (docs/DESIGN.md#classification-per-platform). Set by the entry, not by an option.
   */
  readonly networkFailures: NetworkFailureTable
  readonly clock: Clock
  /** fetch options passed through untouched (credentials, mode, redirect, ...). */
  readonly fetchInit: Readonly<Record<string, unknown>>
  /** Lifecycle listeners: the client's, then the call's. */
  readonly onEvent: readonly EventListener[]
}

/** Retry defaults (docs/DESIGN.md#retries). */
const RETRY_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']
const RETRY_STATUS_CODES = [
  408, // Request Timeout
  413, // Content Too Large: retried only with Retry-After guidance in practice
  425, // Too Early
  429, // Too Many Requests
  500, // Internal Server Error
  502, // Bad Gateway
  503, // Service Unavailable
  504, // Gateway Timeout
]
const RETRY_AFTER_STATUS_CODES = [413, 429, 503]

/** Options handed to the transport as they are: fetch's own request options (and ofetch's `ignoreResponseError`). */
export const PASS_THROUGH = [
  'cache',
  'credentials',
  'integrity',
  'keepalive',
  'mode',
  'redirect',
  'referrer',
  'referrerPolicy',
  // Not a fetch option but ofetch's, which reads it from the same init: see VolleyOptions.
  'ignoreResponseError',
] as const

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

/** A TypeError for a value of a client's or call's option, saying what was expected (development builds). */
function invalid(option: string, given: unknown, expects: DevText): TypeError {
  return invalidOption('', option, given, expects)
}

/** A phase timeout in ms, `undefined` for none (false or Infinity); checked by `isDuration`. */
function duration(value: unknown, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback
  return value === false || value === Infinity ? undefined : (value as number)
}

/** Defaults every client starts from. */
export const defaultTimeouts: ResolvedTimeouts = Object.freeze({
  total: 30_000,
  attempt: undefined,
  idle: undefined,
  queue: undefined,
  connect: undefined,
})

function resolveTimeouts(value: VolleyOptions['timeout'], base: ResolvedTimeouts): ResolvedTimeouts {
  if (value === undefined) return base
  if (value === false) {
    return Object.freeze({ total: undefined, attempt: undefined, idle: undefined, queue: undefined, connect: undefined })
  }
  if (typeof value === 'number') {
    if (!isDuration(value)) throw invalid('timeout', value, isDuration.expects!)
    return Object.freeze({ ...base, total: duration(value, undefined) })
  }
  if (typeof value !== 'object' || value === null) {
    throw invalid('timeout', value, () => process.env.NODE_ENV !== 'production' && 'a number, an object of phases or false')
  }
  checkOptions('', value, TIMEOUT_OPTIONS, 'timeout.')
  const phases = value as TimeoutOptions
  return Object.freeze({
    total: duration(phases.total, base.total),
    attempt: duration(phases.attempt, base.attempt),
    idle: duration(phases.idle, base.idle),
    queue: duration(phases.queue, base.queue),
    connect: duration(phases.connect, base.connect),
  })
}

/** Retry defaults (docs/DESIGN.md#retries). */
export const defaultRetry: ResolvedRetry = Object.freeze({
  limit: 2,
  methods: new Set(RETRY_METHODS),
  statusCodes: new Set(RETRY_STATUS_CODES),
  afterStatusCodes: new Set(RETRY_AFTER_STATUS_CODES),
  delay: 300,
  factor: 2,
  maxDelay: 10_000,
  jitter: 'full' as const,
  maxRetryAfter: 60_000,
  shouldRetry: undefined,
  onRetry: undefined,
})

function resolveRetry(value: VolleyOptions['retry'], base: ResolvedRetry): ResolvedRetry {
  if (value === undefined) return base
  if (value === false) return Object.freeze({ ...base, limit: 0 })
  if (typeof value === 'number') {
    if (!isCount(value)) throw invalid('retry', value, () => process.env.NODE_ENV !== 'production' && 'a non-negative integer, an object or false')
    return Object.freeze({ ...base, limit: value })
  }
  if (value === null || typeof value !== 'object') throw invalid('retry', value, () => process.env.NODE_ENV !== 'production' && 'a number, an object or false')
  checkOptions('', value, RETRY_OPTIONS, 'retry.')
  return Object.freeze({
    limit: value.limit ?? base.limit,
    methods: value.methods ? new Set(value.methods.map((m) => m.toUpperCase())) : base.methods,
    statusCodes: value.statusCodes ? new Set(value.statusCodes) : base.statusCodes,
    afterStatusCodes: value.afterStatusCodes ? new Set(value.afterStatusCodes) : base.afterStatusCodes,
    delay: value.delay ?? base.delay,
    factor: value.factor ?? base.factor,
    maxDelay: value.maxDelay ?? base.maxDelay,
    jitter: value.jitter ?? base.jitter,
    maxRetryAfter: value.maxRetryAfter ?? base.maxRetryAfter,
    shouldRetry: value.shouldRetry ?? base.shouldRetry,
    onRetry: value.onRetry ?? base.onRetry,
  })
}

function headerRecord(init: HeadersInit | undefined, base: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (init === undefined) return base
  const out: Record<string, string> = { ...base }
  if (typeof Headers !== 'undefined' && init instanceof Headers) {
    init.forEach((value, name) => (out[name] = value))
  } else if (Array.isArray(init)) {
    for (const pair of init) {
      if (!Array.isArray(pair) || pair.length !== 2) throw invalid('headers', pair, () => process.env.NODE_ENV !== 'production' && 'pairs of [name, value]')
      out[String(pair[0]).toLowerCase()] = String(pair[1])
    }
  } else if (typeof init === 'object' && init !== null) {
    for (const [name, value] of Object.entries(init)) {
      if (value !== undefined) out[name.toLowerCase()] = String(value)
    }
  } else {
    throw invalid('headers', init, () => process.env.NODE_ENV !== 'production' && 'a Headers object, an array of pairs or a plain object')
  }
  for (const name in out) checkHeader(name, out[name]!)
  return Object.freeze(out)
}

/** A pool as a policy: its own fast `admit` when it has one (createPool's), else through `acquire` (any Pool). */
function poolPolicy(pool: Pool): Policy {
  const own = pool as Pool & Partial<Policy>
  if (typeof own.admit === 'function') return own as Policy
  return { name: 'pool', grantsSlot: true, admit: (a) => pool.acquire({ origin: a.origin, priority: a.hedge ? Infinity : a.priority, signal: a.signal }) }
}

/** A rate limiter as a policy: a token per attempt, and server backpressure pauses its origin. */
function limiterPolicy(limiter: RateLimiter): Policy {
  const own = limiter as RateLimiter & Partial<Policy>
  if (typeof own.admit === 'function') return own as Policy
  return {
    name: 'rate-limit',
    admit: (a) => limiter.take({ key: a.origin, signal: a.signal, since: a.since, ...(a.cost !== undefined && { cost: a.cost }) }),
    backpressure: (origin, until) => limiter.pauseUntil(origin, until),
  }
}

/**
 * The root every client resolves from, with its platform's table of network failures
 * (docs/DESIGN.md#classification-per-platform).
 */
export function rootOptions(networkFailures: NetworkFailureTable): ResolvedOptions {
  return {
    baseURL: undefined,
    trustedOrigins: new Set(),
    method: 'GET',
    headers: Object.freeze({}),
    query: undefined,
    body: undefined,
    responseType: undefined,
    schema: undefined,
    parseResponse: undefined,
    signal: undefined,
    timeout: defaultTimeouts,
    retry: defaultRetry,
    idempotencyKey: false,
    pool: undefined,
    priority: 0,
    rateLimiter: undefined,
    cost: undefined,
    metrics: undefined,
    use: Object.freeze([]),
    policies: Object.freeze([]),
    onDownloadProgress: undefined,
    onUploadProgress: undefined,
    maxBodySize: DEFAULT_MAX_BODY_SIZE,
    maxBodySizeOption: undefined,
    transport: globalFetch,
    networkFailures,
    clock: systemClock,
    fetchInit: Object.freeze({}),
    onEvent: Object.freeze([]),
  }
}

/**
 * Merges `options` over `base` (or over volley's defaults), validates every field and returns one
 * frozen {@link ResolvedOptions}. `scope` says where the options came from, for messages.
 *
 * @throws TypeError naming the option, what was expected and what was given; for an unknown
 * option name, the closest known one.
 */
export function resolveOptions(
  options: VolleyOptions = {},
  base: ResolvedOptions = rootOptions(NETWORK_FAILURES),
  scope: 'client' | 'call' = 'client',
): ResolvedOptions {
  return mergeOptions(options, base, scope)
}

/** {@link resolveOptions} without a default `base`, so that a platform's bundle holds only the table of network failures its entry injects. */
export function mergeOptions(options: VolleyOptions, base: ResolvedOptions, scope: 'client' | 'call'): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options', options, isObject.expects!)
  for (const name of MOVED) if (Object.hasOwn(options, name)) throw movedOption(name)
  checkOptions('', options, OPTIONS)
  // ofetch's names, mapped to volley's (ofetch-compat.ts).
  const o = options.params !== undefined || options.retryDelay !== undefined || options.retryStatusCodes !== undefined ? fromOfetchOptions(options) : options

  const pool = o.pool ?? base.pool
  const rateLimiter = o.rateLimit ?? base.rateLimiter
  const metrics = o.metrics ?? base.metrics
  const use = o.use === undefined ? base.use : Object.freeze([...base.use, ...checkUse(o.use)])
  const policies =
    pool === base.pool && rateLimiter === base.rateLimiter && metrics === base.metrics && use === base.use
      ? base.policies
      : Object.freeze([...use, pool && poolPolicy(pool), rateLimiter && limiterPolicy(rateLimiter), metrics as Policy | undefined].filter((p): p is Policy => p !== undefined))

  const onDownloadProgress = o.onDownloadProgress ?? base.onDownloadProgress
  const onUploadProgress = o.onUploadProgress ?? base.onUploadProgress
  if ((onDownloadProgress || onUploadProgress) && !policies.some((p) => p.reportsProgress)) {
    const name = onDownloadProgress ? 'onDownloadProgress' : 'onUploadProgress'
    throw optionError('', `\`${name}\` needs progress()`, () => process.env.NODE_ENV !== 'production' && `\`${name}\` needs the progress policy: pass \`use: [progress()]\` to createClient (or to the call)`)
  }

  const responseType = o.responseType ?? base.responseType
  const schema = o.schema ?? base.schema
  if (schema !== undefined) {
    if (!policies.some((p) => p.validate)) {
      throw optionError('', '`schema` needs validation()', () => process.env.NODE_ENV !== 'production' && '`schema` needs the validation policy: pass `use: [validation()]` to createClient (or to the call)')
    }
    if (responseType === 'stream') {
      throw optionError('', '`schema` with a stream', () => process.env.NODE_ENV !== 'production' && '`schema` validates a parsed body, not a stream: use streamNdjson or streamSSE with `schema` for one value per item, or another responseType')
    }
  }
  const method = o.method === undefined ? base.method : String(o.method).toUpperCase()
  if (!/^[A-Z!#$%&'*+.^_`|~0-9-]+$/.test(method)) throw invalid('method', o.method, () => process.env.NODE_ENV !== 'production' && 'an HTTP method token')

  let fetchInit = base.fetchInit
  for (const key of PASS_THROUGH) {
    if (o[key] !== undefined) {
      fetchInit = fetchInit === base.fetchInit ? { ...base.fetchInit } : fetchInit
      ;(fetchInit as Record<string, unknown>)[key] = o[key]
    }
  }

  return Object.freeze({
    baseURL: o.baseURL ?? base.baseURL,
    trustedOrigins: resolveTrustedOrigins(o.trustedOrigins, base.trustedOrigins),
    method,
    headers: headerRecord(o.headers, base.headers),
    query: o.query === undefined ? base.query : base.query ? { ...base.query, ...o.query } : o.query,
    body: o.body === undefined ? base.body : o.body,
    responseType,
    schema,
    parseResponse: o.parseResponse ?? base.parseResponse,
    signal: o.signal ?? base.signal,
    timeout: resolveTimeouts(o.timeout, base.timeout),
    retry: resolveRetry(o.retry, base.retry),
    idempotencyKey: o.idempotencyKey ?? base.idempotencyKey,
    pool,
    priority: o.priority ?? base.priority,
    rateLimiter,
    cost: o.cost === undefined ? base.cost : o.cost,
    metrics,
    use,
    policies,
    onDownloadProgress,
    onUploadProgress,
    maxBodySize: effectiveBodyLimit(o.maxBodySize ?? base.maxBodySizeOption, responseType),
    maxBodySizeOption: o.maxBodySize ?? base.maxBodySizeOption,
    transport: o.transport ?? base.transport,
    networkFailures: base.networkFailures,
    clock: o.clock ?? base.clock,
    fetchInit: fetchInit === base.fetchInit ? fetchInit : Object.freeze(fetchInit),
    onEvent: o.onEvent === undefined ? base.onEvent : Object.freeze([...base.onEvent, o.onEvent]),
    onRequest: mergeHooks(base.onRequest, o.onRequest),
    onRequestError: mergeHooks(base.onRequestError, o.onRequestError),
    onResponse: mergeHooks(base.onResponse, o.onResponse),
    onResponseError: mergeHooks(base.onResponseError, o.onResponseError),
  })
}

/**
 * The policies of `use`, each checked: an object with a `name`. A factory passed uncalled
 * (`use: [progress]`) would otherwise be taken for a policy that does nothing.
 */
function checkUse(use: unknown): readonly Policy[] {
  if (!Array.isArray(use)) throw invalid('use', use, () => process.env.NODE_ENV !== 'production' && 'an array of policies, such as `[progress()]`')
  use.forEach((policy: unknown, i) => {
    if (typeof policy === 'object' && typeof (policy as Partial<Policy> | null)?.name === 'string') return
    throw optionError('', `invalid option \`use[${i}]\``, () =>
      process.env.NODE_ENV !== 'production' &&
      (typeof policy === 'function'
        ? `\`use[${i}]\` is the function \`${policy.name}\`, not a policy: call it (\`use: [${policy.name}()]\`)`
        : `\`use[${i}]\` must be a policy (an object with a \`name\`, such as \`progress()\`), got ${describe(policy)}`),
    )
  })
  return use as Policy[]
}

/** `trustedOrigins` as origins (`new URL(x).origin`), added to the client's. */
function resolveTrustedOrigins(value: readonly string[] | undefined, base: ReadonlySet<string>): ReadonlySet<string> {
  if (value === undefined) return base
  if (!Array.isArray(value)) throw invalid('trustedOrigins', value, () => process.env.NODE_ENV !== 'production' && "an array of origins such as 'https://files.example.com'")
  const out = new Set(base)
  for (const entry of value) {
    if (entry === '*') {
      out.add('*')
      continue
    }
    let origin: string | undefined
    try {
      origin = typeof entry === 'string' ? new URL(entry).origin : undefined
    } catch {
      origin = undefined
    }
    // An origin is scheme, host and port: a path would suggest a finer rule than the one applied.
    if (origin === undefined || origin === 'null' || entry.replace(/\/$/, '').toLowerCase() !== origin) {
      throw invalid('trustedOrigins', entry, () => process.env.NODE_ENV !== 'production' && "origins such as 'https://files.example.com' (scheme, host and optional port, no path), or '*'")
    }
    out.add(origin)
  }
  return out
}

/** Client hooks run first, then the call's (ofetch runs arrays in order). */
function mergeHooks<H>(base: H | H[] | undefined, extra: H | H[] | undefined): H | H[] | undefined {
  if (extra === undefined) return base
  if (base === undefined) return extra
  return [...(Array.isArray(base) ? base : [base]), ...(Array.isArray(extra) ? extra : [extra])]
}
