import type { CacheStatus } from '../observe/cache-status.js'

/** What happened in one attempt. Times in ms; `startedAt` is relative to the call's start. */
export interface AttemptMeta {
  /** 1 for the first attempt. */
  readonly attempt: number
  /** Wait for a rate-limit token and a pool slot before this attempt. */
  queuedMs: number
  /** When the attempt was sent, relative to the call's start. */
  startedAt: number
  /** From send to response headers. */
  ttfbMs: number | undefined
  /** From send to the end of the body (or the failure). */
  durationMs: number | undefined
  bytesIn: number
  bytesOut: number
  status: number | undefined
  /** The error code when the attempt failed (e.g. 'ERR_TIMEOUT'). */
  error: string | undefined
  /** The wait after this attempt before the next one, when it was retried. */
  retryDelayMs: number | undefined
  /**
   * Opening the connection this attempt was sent on (DNS lookup and TCP connect), when the
   * attempt opened one. Only transports that see sockets report it (@volley/node).
   */
  connectMs?: number
  /** The TLS handshake of the connection this attempt opened (HTTPS only; @volley/node). */
  tlsMs?: number
  /**
   * `true` when the attempt went out on a kept-alive connection, `false` when it opened one;
   * `undefined` when the transport cannot tell (browsers, a proxy, a dispatcher of your own).
   */
  reusedSocket?: boolean
  /**
   * `true` when the attempt was answered by a request another call sent (dedupe): it sent none of
   * its own, and `Meta.attempts` does not count it.
   */
  shared?: boolean
}

/**
 * What happened in a call (docs/DESIGN.md#observability). For `stream` responses, `durationMs` and
 * `bytesIn` become final when the body has been read to the end or cancelled.
 */
export interface Meta {
  readonly method: string
  /** The URL with credentials redacted. */
  readonly url: string
  /** Epoch ms at which the call started. */
  readonly startedAt: number
  /** Requests this call sent (an attempt answered by another call's request is not one: see `AttemptMeta.shared`). */
  attempts: number
  retries: number
  /** Hedges sent (parallel attempts racing one in flight; docs/DESIGN.md#hedging). */
  hedges: number
  /**
   * How the HTTP cache served the call (`cache()`, docs/DESIGN.md#http-cache): `'hit'` (fresh,
   * nothing sent), `'stale'`, `'revalidated'` (a 304) or `'miss'`; undefined without a cache or
   * for a method it does not cache.
   */
  cache?: CacheStatus
  /** The policy that refused this call a retry or a hedge (`'retry-budget'`), if one did. */
  refused?: string
  status: number | undefined
  /** Total wait for tokens and slots over all attempts. */
  queuedMs: number
  /** Time to first byte of the last attempt. */
  ttfbMs: number | undefined
  /** The whole call. */
  durationMs: number
  /** Body bytes received over all attempts. */
  bytesIn: number
  /** Body bytes sent over all attempts. */
  bytesOut: number
  /** One entry per attempt, in order. */
  timings: AttemptMeta[]
}
