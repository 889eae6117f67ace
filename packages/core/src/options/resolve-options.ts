import { didYouMean } from './option-check.js'
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
  readonly maxBodySize: number
  readonly transport: Transport
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

const PASS_THROUGH = [
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

const RESPONSE_TYPES: ReadonlySet<string> = new Set(['json', 'text', 'blob', 'arrayBuffer', 'stream'])


function invalid(option: string, expected: string, given: unknown): TypeError {
  return new TypeError(`volley: \`${option}\` must be ${expected}, got ${describe(given)}`)
}

/** Every option name a client or a call accepts (fetch pass-through names included). */
const KNOWN: ReadonlySet<string> = new Set([
  'baseURL', 'method', 'headers', 'query', 'body', 'responseType', 'parseResponse', 'signal', 'timeout', 'retry',
  'idempotencyKey', 'schema', 'pool', 'priority', 'rateLimit', 'cost', 'metrics', 'use', 'onDownloadProgress', 'onUploadProgress',
  'maxBodySize', 'transport', 'clock', 'onEvent', 'onRequest', 'onRequestError', 'onResponse', 'onResponseError',
  'cache', 'credentials', 'integrity', 'keepalive', 'mode', 'redirect', 'referrer', 'referrerPolicy',
  'ignoreResponseError', 'params', 'retryDelay', 'retryStatusCodes',
])

/** Options that moved in the lean client, with where they went (docs/MIGRATION.md). */
const MOVED: Readonly<Record<string, string>> = {
  concurrency: 'pass `pool: createPool({ concurrency })`',
  logger: 'pass `onEvent: logEvents(logger)`',
}

/** A TypeError for an option name volley does not know, naming the closest one it does. */
function unknownOption(name: string): TypeError {
  const moved = MOVED[name]
  if (moved) return new TypeError(`volley: \`${name}\` is no longer an option: ${moved}`)
  return new TypeError(`volley: unknown option \`${name}\`${didYouMean(name, KNOWN)}`)
}

function duration(option: string, value: unknown, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback
  if (value === false) return undefined
  if (typeof value !== 'number' || !(value > 0)) throw invalid(option, 'a positive number of milliseconds or false', value)
  return value === Infinity ? undefined : value
}

function count(option: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    throw invalid(option, `a number >= ${min}`, value)
  }
  return value
}

function fn<T>(option: string, value: T | undefined, fallback: T | undefined): T | undefined {
  if (value === undefined) return fallback
  if (typeof value !== 'function') throw invalid(option, 'a function', value)
  return value
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
  if (typeof value === 'number') return Object.freeze({ ...base, total: duration('timeout', value, undefined) })
  if (typeof value !== 'object' || value === null) throw invalid('timeout', 'a number, an object of phases or false', value)
  const phases = value as TimeoutOptions
  for (const key of Object.keys(phases)) {
    if (!(key in base)) throw invalid(`timeout.${key}`, 'one of total, attempt, idle, queue, connect', key)
  }
  return Object.freeze({
    total: duration('timeout.total', phases.total, base.total),
    attempt: duration('timeout.attempt', phases.attempt, base.attempt),
    idle: duration('timeout.idle', phases.idle, base.idle),
    queue: duration('timeout.queue', phases.queue, base.queue),
    connect: duration('timeout.connect', phases.connect, base.connect),
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

function list<T>(option: string, value: readonly T[] | undefined, base: ReadonlySet<T>, map?: (v: T) => T): ReadonlySet<T> {
  if (value === undefined) return base
  if (!Array.isArray(value)) throw invalid(option, 'an array', value)
  return new Set(map ? value.map(map) : value)
}

function resolveRetry(value: VolleyOptions['retry'], base: ResolvedRetry): ResolvedRetry {
  if (value === undefined) return base
  if (value === false) return Object.freeze({ ...base, limit: 0 })
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw invalid('retry', 'a non-negative integer, an object or false', value)
    return Object.freeze({ ...base, limit: value })
  }
  if (typeof value !== 'object' || value === null) throw invalid('retry', 'a number, an object or false', value)
  const jitter = value.jitter ?? base.jitter
  if (jitter !== 'full' && jitter !== 'equal' && jitter !== 'none') {
    throw invalid('retry.jitter', "'full', 'equal' or 'none'", jitter)
  }
  const limit = count('retry.limit', value.limit, base.limit)
  if (!Number.isInteger(limit)) throw invalid('retry.limit', 'a non-negative integer', limit)
  return Object.freeze({
    limit,
    methods: list('retry.methods', value.methods, base.methods, (m) => String(m).toUpperCase()),
    statusCodes: list('retry.statusCodes', value.statusCodes, base.statusCodes),
    afterStatusCodes: list('retry.afterStatusCodes', value.afterStatusCodes, base.afterStatusCodes),
    delay: count('retry.delay', value.delay, base.delay),
    factor: count('retry.factor', value.factor, base.factor, 1),
    maxDelay: count('retry.maxDelay', value.maxDelay, base.maxDelay),
    jitter,
    maxRetryAfter: count('retry.maxRetryAfter', value.maxRetryAfter, base.maxRetryAfter),
    shouldRetry: fn('retry.shouldRetry', value.shouldRetry, base.shouldRetry),
    onRetry: fn('retry.onRetry', value.onRetry, base.onRetry),
  })
}

function headerRecord(init: HeadersInit | undefined, base: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (init === undefined) return base
  const out: Record<string, string> = { ...base }
  if (typeof Headers !== 'undefined' && init instanceof Headers) {
    init.forEach((value, name) => (out[name] = value))
  } else if (Array.isArray(init)) {
    for (const pair of init) {
      if (!Array.isArray(pair) || pair.length !== 2) throw invalid('headers', 'pairs of [name, value]', pair)
      out[String(pair[0]).toLowerCase()] = String(pair[1])
    }
  } else if (typeof init === 'object' && init !== null) {
    for (const [name, value] of Object.entries(init)) {
      if (value !== undefined) out[name.toLowerCase()] = String(value)
    }
  } else {
    throw invalid('headers', 'a Headers object, an array of pairs or a plain object', init)
  }
  for (const name in out) checkHeader(name, out[name]!)
  return Object.freeze(out)
}

function isPool(value: unknown): value is Pool {
  return typeof (value as Pool | undefined)?.acquire === 'function'
}

function isRateLimiter(value: unknown): value is RateLimiter {
  return typeof (value as RateLimiter | undefined)?.take === 'function'
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

/** The root every client resolves from. */
function root(): ResolvedOptions {
  return {
    baseURL: undefined,
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
    maxBodySize: Infinity,
    transport: globalFetch,
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
  base: ResolvedOptions = root(),
  scope: 'client' | 'call' = 'client',
): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'an object', options)
  for (const key in options) if (!KNOWN.has(key)) throw unknownOption(key)
  // ofetch's names, mapped to volley's (ofetch-compat.ts).
  const o = options.params !== undefined || options.retryDelay !== undefined || options.retryStatusCodes !== undefined ? fromOfetchOptions(options) : options

  const pool = o.pool === undefined ? base.pool : o.pool
  if (pool !== undefined && !isPool(pool)) {
    throw invalid('pool', `a Pool from createPool()${scope === 'call' ? '' : ' (e.g. `pool: createPool({ concurrency: 8 })`)'}`, pool)
  }
  const rateLimiter = o.rateLimit === undefined ? base.rateLimiter : o.rateLimit
  if (rateLimiter !== undefined && !isRateLimiter(rateLimiter)) {
    throw invalid('rateLimit', 'a RateLimiter from createRateLimiter({ limit, interval })', rateLimiter)
  }
  const metrics = o.metrics === undefined ? base.metrics : o.metrics
  if (metrics !== undefined && typeof (metrics as Partial<Policy> | undefined)?.settled !== 'function') {
    throw invalid('metrics', 'Metrics from createMetrics()', metrics)
  }
  let use = base.use
  if (o.use !== undefined) {
    if (!Array.isArray(o.use) || o.use.some((p) => typeof (p as Partial<Policy> | null)?.name !== 'string')) {
      throw invalid('use', 'an array of policies (objects with a `name`)', o.use)
    }
    use = Object.freeze([...base.use, ...o.use])
  }
  const policies =
    pool === base.pool && rateLimiter === base.rateLimiter && metrics === base.metrics && use === base.use
      ? base.policies
      : Object.freeze([...use, pool && poolPolicy(pool), rateLimiter && limiterPolicy(rateLimiter), metrics as Policy | undefined].filter((p): p is Policy => p !== undefined))

  const onDownloadProgress = fn('onDownloadProgress', o.onDownloadProgress, base.onDownloadProgress)
  const onUploadProgress = fn('onUploadProgress', o.onUploadProgress, base.onUploadProgress)
  if ((onDownloadProgress || onUploadProgress) && !policies.some((p) => p.reportsProgress)) {
    throw new TypeError(
      `volley: \`${onDownloadProgress ? 'onDownloadProgress' : 'onUploadProgress'}\` needs the progress policy: pass \`use: [progress()]\` to createClient (or to the call)`,
    )
  }

  const responseType = o.responseType ?? base.responseType
  if (responseType !== undefined && !RESPONSE_TYPES.has(responseType)) {
    throw invalid('responseType', "'json', 'text', 'blob', 'arrayBuffer' or 'stream'", responseType)
  }
  const schema = o.schema === undefined ? base.schema : o.schema
  if (schema !== undefined) {
    if (typeof (schema as Partial<StandardSchemaV1> | null)?.['~standard']?.validate !== 'function') throw invalid('schema', 'a Standard Schema v1 validator (zod, valibot, arktype...)', schema)
    if (!policies.some((p) => p.validate)) throw new TypeError('volley: `schema` needs the validation policy: pass `use: [validation()]` to createClient (or to the call)')
    if (responseType === 'stream') throw new TypeError("volley: `schema` validates a parsed body, not a stream: use streamNdjson or streamSSE with `schema` for one value per item, or another responseType")
  }
  const method = o.method === undefined ? base.method : String(o.method).toUpperCase()
  if (!/^[A-Z!#$%&'*+.^_`|~0-9-]+$/.test(method)) throw invalid('method', 'an HTTP method token', o.method)
  if (o.baseURL !== undefined && typeof o.baseURL !== 'string') throw invalid('baseURL', 'a string', o.baseURL)
  if (o.query !== undefined && (typeof o.query !== 'object' || o.query === null)) throw invalid('query', 'an object', o.query)
  if (o.signal !== undefined && (typeof o.signal !== 'object' || o.signal === null || !('aborted' in o.signal))) {
    throw invalid('signal', 'an AbortSignal', o.signal)
  }
  if (o.idempotencyKey !== undefined && typeof o.idempotencyKey !== 'boolean' && typeof o.idempotencyKey !== 'string') {
    throw invalid('idempotencyKey', 'true, false or a string', o.idempotencyKey)
  }
  if (o.cost !== undefined && !(typeof o.cost === 'number' ? o.cost > 0 : typeof o.cost === 'object' && o.cost !== null && Object.values(o.cost).every((c) => typeof c === 'number' && c >= 0))) {
    throw invalid('cost', 'a positive number, or an object of non-negative numbers per named limit', o.cost)
  }
  if (o.priority !== undefined && (typeof o.priority !== 'number' || Number.isNaN(o.priority))) {
    throw invalid('priority', 'a number', o.priority)
  }
  if (o.maxBodySize !== undefined && !(typeof o.maxBodySize === 'number' && o.maxBodySize >= 0)) {
    throw invalid('maxBodySize', 'a non-negative number of bytes', o.maxBodySize)
  }
  if (o.clock !== undefined && (typeof o.clock?.setTimeout !== 'function' || typeof o.clock?.now !== 'function')) {
    throw invalid('clock', 'a Clock ({ now, setTimeout, clearTimeout })', o.clock)
  }

  let fetchInit = base.fetchInit
  for (const key of PASS_THROUGH) {
    if (o[key] !== undefined) {
      fetchInit = fetchInit === base.fetchInit ? { ...base.fetchInit } : fetchInit
      ;(fetchInit as Record<string, unknown>)[key] = o[key]
    }
  }

  return Object.freeze({
    baseURL: o.baseURL ?? base.baseURL,
    method,
    headers: headerRecord(o.headers, base.headers),
    query: o.query === undefined ? base.query : base.query ? { ...base.query, ...o.query } : o.query,
    body: o.body === undefined ? base.body : o.body,
    responseType,
    schema,
    parseResponse: fn('parseResponse', o.parseResponse, base.parseResponse),
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
    maxBodySize: o.maxBodySize ?? base.maxBodySize,
    transport: fn('transport', o.transport, base.transport)!,
    clock: o.clock ?? base.clock,
    fetchInit: fetchInit === base.fetchInit ? fetchInit : Object.freeze(fetchInit),
    onEvent: o.onEvent === undefined ? base.onEvent : Object.freeze([...base.onEvent, fn('onEvent', o.onEvent, undefined)!]),
    onRequest: mergeHooks(base.onRequest, o.onRequest),
    onRequestError: mergeHooks(base.onRequestError, o.onRequestError),
    onResponse: mergeHooks(base.onResponse, o.onResponse),
    onResponseError: mergeHooks(base.onResponseError, o.onResponseError),
  })
}

/** Client hooks run first, then the call's (ofetch runs arrays in order). */
function mergeHooks<H>(base: H | H[] | undefined, extra: H | H[] | undefined): H | H[] | undefined {
  if (extra === undefined) return base
  if (base === undefined) return extra
  return [...(Array.isArray(base) ? base : [base]), ...(Array.isArray(extra) ? extra : [extra])]
}
