/**
 * @volley/core — the isomorphic core of volley: fetch with per-phase timeouts, retries that honour
 * Retry-After, a concurrency pool, rate limiting, progress, typed errors and metrics.
 * Runs unchanged in browsers, Node, Deno, Bun and workers on the standard fetch, AbortSignal and
 * streams.
 */
import { createClient, type Client } from './client.js'

export { createClient } from './client.js'
export type { CallOptions, Client, Fetcher, Input, RawFetcher, SafeClient, SafeFetcher, SafeResult, Verbs } from './client.js'
export type { VolleyResponse } from './call.js'
export { streamLines, streamNdjson, streamSSE, type SSECallOptions, type SSEItem, type ValidatedSSEMessage } from './client-streams.js'
export type { ResponseData, ResponseTypeData } from './response-data.js'
export type { EventListener, PolicyEvent, VolleyEvent } from './events.js'
export { createLatencySketch, type LatencySketch } from './latency-sketch.js'
export { createMetrics, outcomeOf, outcomeOfCode, type CacheCounts, type Metrics, type MetricsOptions, type MetricsSnapshot, type Outcome } from './metrics.js'
export { lines, ndjson, parseSSE, sse, type SSEMessage, type SSEOptions, type SSEConnectContext, type SSEReconnectContext } from './streaming/index.js'
export type {
  FetchPassThrough,
  Hooks,
  HttpMethod,
  ResponseType,
  RetryContext,
  RetryOptions,
  TimeoutOptions,
  VolleyOptions,
} from './options.js'
export { globalFetch, type AbortSignalLike, type BodyObserver, type PhaseTimings, type Transport, type TransportAttempt, type TransportFlags } from './transport.js'
export type { Admission, AttemptContext, AttemptOutcome, HedgePlan, Policy, Release } from './policy.js'
export { progress } from './progress-policy.js'
export { hedge, type HedgeOptions, type HedgePolicy } from './hedge-policy.js'
export { retryBudget, type RetryBudget, type RetryBudgetOptions, type RetryBudgetState } from './retry-budget.js'
export { validation, type Validation } from './validation.js'
export type { StandardSchemaV1 } from './standard-schema.js'
export { offlinePause, type OfflinePause } from './offline-pause.js'
export { cache, type Cache } from './cache/cache.js'
export type { CacheOptions } from './cache/cache-options.js'
export { createMemoryCacheStore, type CacheStore, type MemoryCacheStore, type MemoryCacheStoreOptions } from './cache/cache-store.js'
export type { StoredResponse } from './cache/stored-response.js'
export type { CacheStatus, CallRequest } from './call-request.js'
export { dedupe, type Dedupe, type DedupeOptions, type DedupeRequest } from './dedupe.js'
export { circuitBreaker, isServerFailure, type CircuitBreaker, type CircuitBreakerOptions, type CircuitBreakerState, type CircuitState } from './circuit-breaker.js'
export { fromOfetchOptions, type OfetchCompatOptions, type OfetchRetryDelayContext } from './ofetch-compat.js'
export { resolveOptions, defaultRetry, defaultTimeouts } from './resolve-options.js'
export type { ResolvedOptions, ResolvedRetry, ResolvedTimeouts } from './resolve-options.js'
export type { AttemptMeta, Meta } from './meta.js'
export * from './errors/index.js'
export { systemClock, sleep, type Clock, type TimerHandle } from './clock.js'
export { createManualClock, type ManualClock } from './manual-clock.js'
export { consoleLogger, logEvents, silentLogger, type Logger } from './logger.js'
export { redactHeaders, redactText, redactUrl, sanitizeError, REDACTED, SECRET_HEADERS } from './redact.js'
export { backoffDelay, isRetryable, serverDelay } from './retry.js'
export { isBrowserLike, supportsRequestStreams } from './features.js'
export { isReadableStream } from './is-stream.js'
export { createPool, type AcquireOptions, type Pool, type PoolOptions, type PoolPolicy, type PoolStats } from './pool.js'
export {
  createMemoryStore,
  type MemoryRateLimitStore,
  type RateLimitConfig,
  type RateLimitStoreState,
  createRateLimiter,
  type NamedLimitOptions,
  type RateLimitTake,
  type RateLimiter,
  type RateLimiterPolicy,
  type RateLimiterState,
  type RateLimitOptions,
  type RateLimitStore,
  type TakeOptions,
} from './rate-limiter.js'
export { asCompleted, map, settle, type FanOutFn, type MapOptions, type Settled } from './fan-out.js'
export { createProgressTracker, bodySize, type Progress, type ProgressCallback, type ProgressTracker } from './streaming/progress.js'

/**
 * A ready-made client with volley's defaults.
 *
 * @example
 * import { volley } from '@volley/core'
 * const todo = await volley.get<Todo>('https://api.example.com/todos/1')
 */
export const volley: Client = /* @__PURE__ */ createClient()
