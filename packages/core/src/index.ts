/**
 * @volley/core — the isomorphic core of volley: fetch with per-phase timeouts, retries that honour
 * Retry-After, a concurrency pool, rate limiting, progress, typed errors and metrics.
 * Runs unchanged in browsers, Node, Deno, Bun and workers on the standard fetch, AbortSignal and
 * streams.
 */
import { createClient, type Client } from './client.js'

export { clientFactory, createClient } from './client.js'
export type { StandardFetch } from './client-fetch.js'
export type { CallOptions, Client, ClientPlatform, Fetcher, Input, RawFetcher, SafeClient, SafeFetcher, SafeResult, Verbs } from './client.js'
export type { VolleyResponse } from './call/call.js'
export { streamLines, streamNdjson, streamSSE, type SSECallOptions, type SSEItem, type ValidatedSSEMessage } from './streaming/client-streams.js'
export type { ResponseData, ResponseTypeData } from './options/response-data.js'
export type { EventListener, PolicyEvent, VolleyEvent } from './observe/events.js'
export { createMetrics, outcomeOf, outcomeOfCode, type CacheCounts, type Metrics, type MetricsOptions, type MetricsSnapshot, type Outcome } from './observe/metrics.js'
export { lines, ndjson, parseSSE, sse, type SSEMessage, type SSEOptions, type SSEConnectContext, type SSEReconnectContext } from './streaming/index.js'
export { DEFAULT_MAX_BODY_SIZE } from './call/body-limit.js'
export { DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_LINE_LENGTH, type LineOptions, type NdjsonOptions, type ParseSSEOptions, type StreamIteratorOptions } from './streaming/index.js'
export type {
  FetchPassThrough,
  Hooks,
  HttpMethod,
  ResponseType,
  RetryContext,
  RetryOptions,
  TimeoutOptions,
  VolleyOptions,
} from './options/options.js'
export { globalFetch, type AbortSignalLike, type BodyObserver, type PhaseTimings, type Transport, type TransportAttempt, type TransportFlags } from './runtime/transport.js'
export type { Admission, AttemptContext, AttemptOutcome, HedgePlan, Policy, Release, Ride } from './policies/policy.js'
export { progress } from './policies/progress-policy.js'
export { hedge, type HedgeOptions, type HedgePolicy } from './policies/hedge-policy.js'
export { retryBudget, type RetryBudget, type RetryBudgetOptions, type RetryBudgetState } from './policies/retry-budget.js'
export { validation, type Validation } from './policies/validation.js'
export type { StandardSchemaV1 } from './policies/standard-schema.js'
export { offlinePause, type OfflinePause } from './policies/offline-pause.js'
export { cache, type Cache } from './policies/cache/cache.js'
export type { CacheOptions } from './policies/cache/cache-options.js'
export { createMemoryCacheStore, type CacheStore, type MemoryCacheStore, type MemoryCacheStoreOptions } from './policies/cache/cache-store.js'
export type { StoredResponse } from './policies/cache/stored-response.js'
export type { CacheStatus, CallRequest } from './policies/call-request.js'
export { dedupe, type Dedupe, type DedupeOptions, type DedupeRequest } from './policies/dedupe.js'
export { circuitBreaker, isServerFailure, type CircuitBreaker, type CircuitBreakerOptions, type CircuitBreakerState, type CircuitState } from './policies/circuit-breaker.js'
export { fromOfetchOptions, type OfetchCompatOptions, type OfetchRetryDelayContext } from './options/ofetch-compat.js'
export type { ResolvedOptions, ResolvedRetry, ResolvedTimeouts } from './options/resolve-options.js'
export type { AttemptMeta, Meta } from './call/meta.js'
export { checkOptionNames } from './options/option-check.js'
export * from './errors/index.js'
export { systemClock, sleep, type Clock, type TimerHandle } from './runtime/clock.js'
export { createManualClock, type ManualClock } from './runtime/manual-clock.js'
export { consoleLogger, logEvents, silentLogger, type Logger } from './observe/logger.js'
export { redactHeaders, redactText, redactUrl, sanitizeError, REDACTED, SECRET_HEADERS } from './observe/redact.js'
export { createPool, type AcquireOptions, type Pool, type PoolOptions, type PoolPolicy, type PoolStats } from './limits/pool.js'
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
} from './limits/rate-limiter.js'
export { map, settle, type FanOutFn, type MapOptions, type Settled } from './fan-out/fan-out.js'
export { asCompleted } from './fan-out/as-completed.js'
export { createProgressTracker, type Progress, type ProgressCallback, type ProgressTracker } from './streaming/progress.js'

/**
 * A ready-made client with volley's defaults.
 *
 * @example
 * import { volley } from '@volley/core'
 * const todo = await volley.get<Todo>('https://api.example.com/todos/1')
 */
export const volley: Client = /* @__PURE__ */ createClient()
