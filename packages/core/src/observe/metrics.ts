import { isHTTPError, isVolleyError } from '../errors/index.js'
import { createLatencySketch } from '../policies/latency-sketch.js'
import type { CacheStatus } from './cache-status.js'
import type { Meta } from '../call/meta.js'
import { systemClock, type Clock } from '../runtime/clock.js'
import type { Policy } from '../policies/policy.js'
import type { Pool, PoolStats } from '../limits/pool.js'
import type { RateLimiter, RateLimiterState } from '../limits/rate-limiter.js'
import { checkOptions, isClock, isObject, type Rules } from '../options/option-check.js'

/** How a call ended. */
export type Outcome = 'ok' | 'http' | 'timeout' | 'network' | 'aborted' | 'validation' | 'other'

/** A point-in-time view of a client's calls since it was created or last reset. */
export interface MetricsSnapshot {
  /** Epoch ms of the last reset (or creation). */
  readonly since: number
  /** Calls settled. */
  readonly calls: number
  /** Calls started and not yet settled. */
  readonly inFlight: number
  /** Settled calls by outcome. */
  readonly outcomes: Readonly<Record<Outcome, number>>
  /** Settled calls by final HTTP status class ('2xx', '4xx', ...). */
  readonly statuses: Readonly<Record<string, number>>
  readonly attempts: number
  readonly retries: number
  /** Hedges sent (docs/DESIGN.md#hedging). */
  readonly hedges: number
  /** Calls a policy refused a retry or a hedge (a spent retry budget), by policy name. */
  readonly refused: Readonly<Record<string, number>>
  /** Failed calls by error code (`ERR_HTTP`, `ERR_CIRCUIT_OPEN`, `ERR_VALIDATION`...). */
  readonly errors: Readonly<Record<string, number>>
  /** Retries per settled call. */
  readonly retryRate: number
  /** Failed calls per settled call. */
  readonly errorRate: number
  /** Call duration percentiles in ms (from a bounded-memory sketch, ±2%). */
  readonly latency: { readonly p50?: number; readonly p95?: number; readonly p99?: number; readonly max?: number }
  readonly bytesIn: number
  readonly bytesOut: number
  /**
   * How the HTTP cache served calls (`cache()`, docs/DESIGN.md#http-cache), once a call went
   * through one. `hitRatio` is the share answered without the origin sending a body: hits, stale
   * answers and 304 revalidations, over every call the cache saw.
   */
  readonly cache?: CacheCounts
  /** Live pool state, when the client has a pool. */
  readonly pool?: PoolStats
  /** Live limiter state for the most recent origin, when the client has a rate limiter. */
  readonly rateLimiter?: RateLimiterState
}

/** Calls by how the HTTP cache served them, and the hit ratio. */
export interface CacheCounts {
  readonly hit: number
  readonly stale: number
  readonly revalidated: number
  readonly miss: number
  readonly hitRatio: number
}

/**
 * A client's metrics: a policy the client composes (`metrics: createMetrics()`), read with
 * `client.metrics.snapshot()`. Share one among clients to count them together.
 */
export interface Metrics extends Policy {
  readonly name: 'metrics'
  snapshot(): MetricsSnapshot
  reset(): void
  /** Shows this pool and limiter in snapshots (a client calls it with its own when it has them). */
  attach(pool: Pool | undefined, rateLimiter: RateLimiter | undefined): void
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** A pool whose live stats snapshots include. @default the client's pool */
  pool?: Pool
  /** A limiter whose live state (for the most recent origin) snapshots include. @default the client's limiter */
  rateLimiter?: RateLimiter
  /** Time source for `since`. @default systemClock */
  clock?: Clock
}

const METRICS_OPTIONS: Rules = { pool: isObject, rateLimiter: isObject, clock: isClock }

/** Maps a volley error code (as lifecycle events carry it) to an outcome; undefined is 'ok'. */
export function outcomeOfCode(code: string | undefined): Outcome {
  switch (code) {
    case undefined:
      return 'ok'
    case 'ERR_HTTP':
      return 'http'
    case 'ERR_TIMEOUT':
      return 'timeout'
    case 'ERR_NETWORK':
      return 'network'
    case 'ERR_ABORTED':
    case 'ERR_CLIENT_CLOSED':
      return 'aborted'
    case 'ERR_VALIDATION':
      return 'validation'
    default:
      return 'other'
  }
}

/** Classifies a final error for metrics. */
export function outcomeOf(error: unknown): Outcome {
  if (error === undefined) return 'ok'
  return isVolleyError(error) ? outcomeOfCode(error.code) : 'other'
}

/**
 * Creates metrics: counts, outcomes, error and retry rates, latency percentiles (a bounded
 * sketch), bytes, and the live pool and limiter state. Recording is O(1) and allocation-free per
 * call.
 *
 * @example
 * const api = createClient({ metrics: createMetrics() })
 * await api.get('https://api.example.com/a')
 * console.log(api.metrics?.snapshot().latency.p95)
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  checkOptions('createMetrics()', options, METRICS_OPTIONS)
  const clock = options.clock ?? systemClock
  const now = () => clock.now()
  let pool = options.pool
  let rateLimiter = options.rateLimiter
  let lastOrigin = ''
  const latency = createLatencySketch()
  let since = now()
  let calls = 0
  let inFlight = 0
  let attempts = 0
  let retries = 0
  let hedges = 0
  let refused: Record<string, number> = {}
  let errors: Record<string, number> = {}
  let bytesIn = 0
  let bytesOut = 0
  let outcomes: Record<Outcome, number> = { ok: 0, http: 0, timeout: 0, network: 0, aborted: 0, validation: 0, other: 0 }
  let statuses: Record<string, number> = {}
  let cached: Record<CacheStatus, number> | undefined

  return {
    name: 'metrics',
    attach(clientPool, clientLimiter) {
      pool ??= clientPool
      rateLimiter ??= clientLimiter
    },
    start() {
      inFlight++
    },
    settled(meta, error, origin) {
      if (origin) lastOrigin = origin
      inFlight--
      calls++
      attempts += meta.attempts
      retries += meta.retries
      hedges += meta.hedges
      if (meta.cache) (cached ??= { hit: 0, stale: 0, revalidated: 0, miss: 0 })[meta.cache]++
      if (meta.refused) refused[meta.refused] = (refused[meta.refused] ?? 0) + 1
      if (error !== undefined) {
        const code = isVolleyError(error) ? error.code : 'ERR_UNKNOWN'
        errors[code] = (errors[code] ?? 0) + 1
      }
      bytesIn += meta.bytesIn
      bytesOut += meta.bytesOut
      outcomes[outcomeOf(error)]++
      const status = isHTTPError(error) ? error.status : meta.status
      if (status !== undefined) {
        const group = `${Math.floor(status / 100)}xx`
        statuses[group] = (statuses[group] ?? 0) + 1
      }
      latency.record(meta.durationMs)
    },
    snapshot() {
      const failed = calls - outcomes.ok
      return {
        since,
        calls,
        inFlight,
        outcomes: { ...outcomes },
        statuses: { ...statuses },
        attempts,
        retries,
        hedges,
        refused: { ...refused },
        errors: { ...errors },
        retryRate: calls ? retries / calls : 0,
        errorRate: calls ? failed / calls : 0,
        latency: { p50: latency.quantile(0.5), p95: latency.quantile(0.95), p99: latency.quantile(0.99), max: latency.count ? latency.max : undefined },
        bytesIn,
        bytesOut,
        ...(cached && { cache: { ...cached, hitRatio: (cached.hit + cached.stale + cached.revalidated) / (cached.hit + cached.stale + cached.revalidated + cached.miss) } }),
        ...(pool && { pool: pool.stats }),
        ...(rateLimiter && { rateLimiter: rateLimiter.state(lastOrigin || undefined) }),
      }
    },
    reset() {
      since = now()
      calls = attempts = retries = hedges = bytesIn = bytesOut = 0
      refused = {}
      errors = {}
      outcomes = { ok: 0, http: 0, timeout: 0, network: 0, aborted: 0, validation: 0, other: 0 }
      statuses = {}
      cached = undefined
      latency.reset()
    },
  }
}
