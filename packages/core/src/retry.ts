import { isHTTPError, isTimeoutError, isVolleyError, type VolleyError } from './errors/index.js'
import { retryAfterDelay } from './http-date.js'
import type { ResolvedRetry } from './resolve-options.js'

/**
 * Whether a failed attempt may be retried at all (before the limit and the user's `shouldRetry`).
 * docs/DESIGN.md#retries: retryable statuses, network errors and attempt/idle/connect timeouts, for
 * idempotent methods (or any method carrying an Idempotency-Key). A user abort, a total or queue
 * timeout, a parse error or an oversized body are final.
 */
export function isRetryable(policy: ResolvedRetry, method: string, error: unknown, hasIdempotencyKey: boolean): boolean {
  if (!isVolleyError(error)) return false
  if (!policy.methods.has(method) && !(hasIdempotencyKey && (method === 'POST' || method === 'PATCH'))) return false
  switch (error.code) {
    case 'ERR_HTTP':
      return isHTTPError(error) && policy.statusCodes.has(error.status)
    case 'ERR_NETWORK':
      return true
    case 'ERR_TIMEOUT':
      return isTimeoutError(error) && (error.phase === 'attempt' || error.phase === 'idle' || error.phase === 'connect')
    default:
      return false
  }
}

/** Exponential backoff with jitter for the retry after `attempt` (1-based). */
export function backoffDelay(policy: ResolvedRetry, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelay, policy.delay * policy.factor ** (attempt - 1))
  switch (policy.jitter) {
    case 'full':
      return Math.round(random() * ceiling)
    case 'equal':
      return Math.round(ceiling / 2 + (random() * ceiling) / 2)
    default:
      return Math.round(ceiling)
  }
}

/**
 * The wait a server asked for, in ms from `now`, or undefined when it asked for none.
 * Reads, in order: `Retry-After` (non-negative delta-seconds or a strict HTTP-date, RFC 9110
 * §10.2.3; anything else is ignored, see http-date.ts), `RateLimit-Reset`
 * (delta-seconds, IETF RateLimit header draft) and `X-RateLimit-Reset` (epoch seconds when it looks
 * like a timestamp, as GitHub and others send it; otherwise delta-seconds).
 */
export function serverDelay(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after')
  if (retryAfter !== null) {
    const wait = retryAfterDelay(retryAfter, now)
    if (wait !== undefined) return wait
  }
  const reset = headers.get('ratelimit-reset')
  if (reset !== null && /^\d+(?:\.\d+)?$/.test(reset.trim())) return Number(reset) * 1000
  const xReset = headers.get('x-ratelimit-reset')
  if (xReset !== null && /^\d+(?:\.\d+)?$/.test(xReset.trim())) {
    const seconds = Number(xReset)
    // A value past 2001-09-09 (1e9 s) is an epoch timestamp, not a delta.
    return seconds > 1e9 ? Math.max(0, seconds * 1000 - now) : seconds * 1000
  }
  return undefined
}

/** What the retry loop decided for one failed attempt. */
export interface RetryPlan {
  /** Delay before the next attempt, in ms. */
  delay: number
  /** The delay came from the server (Retry-After and friends), already capped by maxRetryAfter. */
  fromServer: boolean
  /** The server's requested wait before capping, when it sent one. */
  requested: number | undefined
}

/** Chooses the delay before the next attempt: the server's wish for 413/429/503, else backoff. */
export function planRetry(policy: ResolvedRetry, attempt: number, error: VolleyError, now: number, random?: () => number): RetryPlan {
  if (isHTTPError(error) && policy.afterStatusCodes.has(error.status)) {
    const requested = serverDelay(error.headers, now)
    if (requested !== undefined) {
      return { delay: Math.min(requested, policy.maxRetryAfter), fromServer: true, requested }
    }
  }
  return { delay: backoffDelay(policy, attempt, random), fromServer: false, requested: undefined }
}
