import type { StandardSchemaV1 } from '../policies/standard-schema.js'
import type { FetchContext, FetchHook } from 'ofetch'
import type { Clock } from '../runtime/clock.js'
import type { EventListener } from '../observe/events.js'
import type { VolleyError } from '../errors/index.js'
import type { Metrics } from '../observe/metrics.js'
import type { Policy } from '../policies/policy.js'
import type { Pool } from '../limits/pool.js'
import type { RateLimiter } from '../limits/rate-limiter.js'
import type { ProgressCallback } from '../streaming/progress.js'
import type { Transport } from '../runtime/transport.js'

export type { Transport }

/** How the response body is parsed. `'stream'` returns the body `ReadableStream` unread. */
export type ResponseType = 'json' | 'text' | 'blob' | 'arrayBuffer' | 'stream'


/** HTTP methods volley knows; any other upper-case token is accepted too. */
export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'TRACE' | (string & {})

/**
 * Deadlines per phase, in milliseconds; `false` disables one (docs/DESIGN.md#timeouts).
 * A plain number given as `timeout` sets `total` only.
 */
export interface TimeoutOptions {
  /** The whole call: queue waits, every attempt and every retry delay. Not retried. @default 30_000 */
  total?: number | false
  /** One attempt, from sending the request to the end of its body. Retried. @default false */
  attempt?: number | false
  /** Longest silence while waiting for headers or between body chunks (download and upload). Retried. @default false */
  idle?: number | false
  /** Longest wait for a rate-limit token plus a pool slot, per attempt. Not retried. @default false */
  queue?: number | false
  /** Opening the connection (Node entry only; ignored by transports that cannot observe it). Retried. @default false in core, 10_000 in @volley/node */
  connect?: number | false
}

/** What a retry decision sees. */
export interface RetryContext {
  /** The attempt that just failed, starting at 1. */
  attempt: number
  /** The error of the failed attempt (an `HTTPError` for an error status). */
  error: VolleyError
  /** The response of the failed attempt, when there was one. */
  response: Response | undefined
  /** The delay volley would wait before the next attempt, in ms (backoff or Retry-After). */
  delay: number
  /** Upper-case method of the request. */
  method: string
}

/** Retry policy (docs/DESIGN.md#retries). `retry: 3` is short for `{ limit: 3 }`; `false` disables retries. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  limit?: number
  /** Methods that may be retried. POST/PATCH also retry when the call has an `idempotencyKey`. @default ['GET','HEAD','OPTIONS','PUT','DELETE','TRACE'] */
  methods?: readonly string[]
  /** Response statuses that are retried. @default [408, 413, 425, 429, 500, 502, 503, 504] */
  statusCodes?: readonly number[]
  /** Statuses whose `Retry-After` / `RateLimit-Reset` / `X-RateLimit-Reset` header sets the delay. @default [413, 429, 503] */
  afterStatusCodes?: readonly number[]
  /** First backoff delay in ms (before jitter). @default 300 */
  delay?: number
  /** Backoff growth per attempt. @default 2 */
  factor?: number
  /** Largest backoff delay in ms (before jitter). @default 10_000 */
  maxDelay?: number
  /** `'full'`: uniform in [0, backoff]; `'equal'`: backoff/2 + uniform in [0, backoff/2]; `'none'`. @default 'full' */
  jitter?: 'full' | 'equal' | 'none'
  /** Longest server-requested wait honoured, in ms; longer ones are capped to it. @default 60_000 */
  maxRetryAfter?: number
  /** Overrides the decision: return true/false, or undefined to keep volley's. */
  shouldRetry?: (context: RetryContext) => boolean | undefined | Promise<boolean | undefined>
  /** Called before each retry wait (after the decision). */
  onRetry?: (context: RetryContext) => void | Promise<void>
}

/** ofetch-style hooks, called once per attempt (volley owns retries, so they see every attempt). */
export interface Hooks {
  /** Before the request is sent; may change `context.options` (headers, query, body). */
  onRequest?: FetchHook<FetchContext> | FetchHook<FetchContext>[]
  /** The request failed without a response (network error, timeout, abort). */
  onRequestError?: FetchHook<FetchContext & { error: Error }> | FetchHook<FetchContext & { error: Error }>[]
  /** A response arrived and its body was parsed. */
  onResponse?: FetchHook<FetchContext & { response: Response }> | FetchHook<FetchContext & { response: Response }>[]
  /** A 4xx/5xx response arrived and its body was parsed. */
  onResponseError?: FetchHook<FetchContext & { response: Response }> | FetchHook<FetchContext & { response: Response }>[]
}

/**
 * Request options that fetch itself understands, passed through to the transport. (fetch's own
 * `priority` hint is not among them: in volley `priority` orders the pool's queue.)
 */
export type FetchPassThrough = Pick<
  RequestInit,
  'cache' | 'credentials' | 'integrity' | 'keepalive' | 'mode' | 'redirect' | 'referrer' | 'referrerPolicy'
>

/** What an ofetch `retryDelay` function receives: ofetch's hook context, as far as volley has it. */
export interface OfetchRetryDelayContext {
  /** The (redacted) URL of the request that failed. */
  request: string
  /** The options of the call. */
  options: VolleyOptions
  /** The failed attempt's response, when there was one. */
  response: Response | undefined
  /** The failed attempt's error. */
  error: VolleyError
}

/**
 * ofetch's option names whose meaning volley shares, accepted as they are so ofetch code moves
 * over unchanged (README, "Coming from ofetch"). `timeout` keeps volley's meaning (the whole call,
 * retries included; ofetch's is per attempt: use `timeout: { attempt }`).
 */
export interface OfetchAliases {
  /** ofetch's alias of `query`; merged with it. The same key in both with different values is a TypeError. */
  params?: Record<string, unknown>
  /**
   * Delay before each retry in ms (a constant, as in ofetch: no backoff, no jitter), or a
   * function of ofetch's context returning it. Replaces volley's backoff, never `Retry-After`.
   */
  retryDelay?: number | ((context: OfetchRetryDelayContext) => number)
  /** Statuses that are retried: volley's `retry.statusCodes`. */
  retryStatusCodes?: readonly number[]
}

/** Options of a client (`createClient`) and of a single call; call options win. */
export interface VolleyOptions extends Hooks, FetchPassThrough, OfetchAliases {
  /** Prefix for relative URLs. */
  baseURL?: string
  /** HTTP method. @default 'GET' */
  method?: HttpMethod
  /** Request headers, merged over the client's. */
  headers?: HeadersInit
  /** Query parameters appended to the URL (`undefined` values are dropped). */
  query?: Record<string, unknown>
  /**
   * Request body: a plain object or array is sent as JSON; string, Blob, ArrayBuffer, typed
   * arrays, URLSearchParams, FormData and ReadableStream are sent as they are.
   */
  body?: unknown
  /** How the body is parsed; by default from the Content-Type (JSON, text, or Blob). */
  responseType?: ResponseType
  /** Custom parser for text bodies (replaces strict JSON parsing). */
  parseResponse?: (text: string) => unknown
  /**
   * Validates the parsed body with a Standard Schema v1 validator (zod, valibot, arktype...); the
   * call resolves with the schema's output, or fails with a `ValidationError` (never retried).
   * Needs `use: [validation()]`.
   */
  schema?: StandardSchemaV1
  /** The caller's abort signal: aborting settles the call at once with an `AbortError`, never retried. */
  signal?: AbortSignal
  /** Per-phase deadlines, or a number for the total deadline, or `false` for none. @default { total: 30_000 } */
  timeout?: number | TimeoutOptions | false
  /** Retry policy, or a number for the retry limit, or `false`. @default { limit: 2 } */
  retry?: number | RetryOptions | false
  /**
   * Sends an `Idempotency-Key` header, the same on every attempt: `true` generates a UUID per
   * call, a string is used as given. A call with a key may be retried even for POST/PATCH.
   */
  idempotencyKey?: boolean | string
  /**
   * A concurrency pool from `createPool()`, shareable among clients: at most `concurrency` calls
   * hold a slot, each from before its first byte is sent until its body is read.
   * @example createClient({ pool: createPool({ concurrency: 8, perOrigin: 2 }) })
   */
  pool?: Pool
  /** Priority in the pool's queue: higher first, FIFO within one priority. @default 0 */
  priority?: number
  /**
   * A token-bucket rate limiter from `createRateLimiter()`, shareable among clients; a 429 or
   * 503 with `Retry-After` pauses the origin for every call sharing it.
   * @example createClient({ rateLimit: createRateLimiter({ limit: 10, interval: 1_000 }) })
   */
  rateLimit?: RateLimiter
  /**
   * What the call costs the rate limiter: a weight taken from every limit, or a cost per named
   * limit (`{ tokens: 1200 }` with `createRateLimiter({ ..., limits: { tokens: ... } })`), the
   * main limit then costing 1. A call refused by one limit takes nothing from the others.
   * @default 1
   * @example api.post('/v1/chat', { body, cost: { tokens: promptTokens + maxTokens } })
   */
  cost?: number | Readonly<Record<string, number>>
  /**
   * Counts, rates and latency percentiles of the client's calls, from `createMetrics()`; read
   * them with `client.metrics.snapshot()`.
   */
  metrics?: Metrics
  /**
   * More policies (docs/DESIGN.md#policies), in order: `progress()` for upload and download
   * progress, or your own. A call's `use` adds to its client's.
   * @default []
   */
  use?: readonly Policy[]
  /** Download progress, for every response type. Needs `use: [progress()]`. */
  onDownloadProgress?: ProgressCallback
  /**
   * Upload progress (streamed bodies where the runtime supports request streams; XHR in browsers
   * with the browser entry's `progress()`). Needs `use: [progress()]`.
   */
  onUploadProgress?: ProgressCallback
  /** Largest response body accepted, in bytes; a larger one fails with `BodyTooLargeError` without being buffered. @default Infinity */
  maxBodySize?: number
  /**
   * Return 4xx/5xx responses as data instead of throwing `HTTPError` (ofetch's option of the same
   * name): no `HTTPError`, no `onResponseError` hook and no retry for an error status.
   * @default false
   * @example
   * const problem = await api.get<Problem>('/maybe-missing', { ignoreResponseError: true })
   */
  ignoreResponseError?: boolean
  /** The fetch implementation to use. @default globalThis.fetch */
  transport?: Transport
  /** Time source for every timer. @default systemClock */
  clock?: Clock
  /**
   * Receives every lifecycle event of the calls (start, queued, slot, sent, headers,
   * attempt-end, retry, settle): for timelines, tracing and custom metrics. A client's and a
   * call's listeners both run.
   */
  onEvent?: EventListener
}
