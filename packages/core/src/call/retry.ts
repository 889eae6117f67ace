import { isHTTPError, isTimeoutError, isVolleyError, type VolleyError } from '../errors/index.js'
import type { RetryContext } from '../options/options.js'
import type { Policy } from '../policies/policy.js'
import type { ResolvedRetry } from '../options/resolve-options.js'

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
 * Reads, in order: `Retry-After` (delta-seconds or HTTP-date, RFC 9110 §10.2.3), `RateLimit-Reset`
 * (delta-seconds, IETF RateLimit header draft) and `X-RateLimit-Reset` (epoch seconds when it looks
 * like a timestamp, as GitHub and others send it; otherwise delta-seconds).
 */
export function serverDelay(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after')
  if (retryAfter !== null) {
    const value = retryAfter.trim()
    if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value) * 1000
    const date = Date.parse(value)
    if (!Number.isNaN(date)) return Math.max(0, date - now)
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

/** What the retry decision knows of one failed attempt. */
export interface RetryInput {
  /** Why the attempt failed (an `HTTPError` carries the response's headers). */
  readonly error: VolleyError
  /** The attempt that failed, from 1. */
  readonly attempt: number
  readonly method: string
  /** The request carries an Idempotency-Key (POST and PATCH become retryable). */
  readonly keyed: boolean
  /** Retries this call may make (0 when its body can be sent only once). */
  readonly limit: number
  /** Now, on the client's clock (epoch ms). */
  readonly now: number
  /** When the call's total deadline passes (epoch ms; Infinity for none). */
  readonly deadline: number
  /** What the user's `shouldRetry` said, when it was asked: true or false overrides the rules. */
  readonly verdict?: boolean | undefined
  /** The delay the user's `shouldRetry` set (`context.delay`), overriding the planned one. */
  readonly delay?: number
}

/** Why a failed attempt is final. */
export type RetryStop = 'not retryable' | 'no retries left' | 'past the deadline'

/** The answer: retry after `delay` ms, or stop because of `reason`. */
export type RetryDecision =
  | { readonly retry: true; readonly delay: number; readonly plan: RetryPlan }
  | { readonly retry: false; readonly reason: RetryStop; readonly plan: RetryPlan }

/**
 * The retry decision (docs/DESIGN.md#retries), a pure function shared by every call and by
 * `download()`: the failed attempt's error, its number, the clock and the deadline in; "retry
 * after N ms" or "stop, because ..." out. A wait that would cross the total deadline stops now:
 * sleeping past it would only turn the real reason into a timeout.
 */
export function decideRetry(policy: ResolvedRetry, input: RetryInput, random?: () => number): RetryDecision {
  const plan = planRetry(policy, input.attempt, input.error, input.now, random)
  if (input.attempt > input.limit) return { retry: false, reason: 'no retries left', plan }
  const retrying = input.verdict ?? isRetryable(policy, input.method, input.error, input.keyed)
  if (!retrying) return { retry: false, reason: 'not retryable', plan }
  const delay = input.delay ?? plan.delay
  if (input.now + delay >= input.deadline) return { retry: false, reason: 'past the deadline', plan }
  return { retry: true, delay, plan }
}

/** What {@link askRetry} needs besides the attempt: the server's answer and the policies to tell. */
export interface RetryScope {
  readonly policy: ResolvedRetry
  /** The client's policies: backpressure pauses their origin, `allow` may veto the retry (a budget). */
  readonly policies: readonly Policy[]
  readonly origin: string
  /** The failed attempt's response, for the user's `shouldRetry`. */
  readonly response: Response | undefined
  /** A policy refused the retry (for `meta.refused` and a `refused` event). */
  refused?(policy: Policy): void
}

/**
 * The whole retry step around {@link decideRetry}: server backpressure pauses the origin for every
 * policy that shares it, the user's `shouldRetry` may override the rules and the delay, and the
 * policies may veto the retry (a retry budget counts the ones it allows). Resolves with the
 * decision and the context `onRetry` gets.
 */
export async function askRetry(scope: RetryScope, input: RetryInput): Promise<{ decision: RetryDecision; context: RetryContext }> {
  const { policy, policies, origin } = scope
  let decision = decideRetry(policy, input)
  const { plan } = decision
  const { error } = input
  if (plan.fromServer && isHTTPError(error) && (error.status === 429 || error.status === 503)) {
    for (const p of policies) p.backpressure?.(origin, input.now + plan.delay)
  }
  const context: RetryContext = { attempt: input.attempt, error, response: scope.response, delay: plan.delay, method: input.method }
  if (policy.shouldRetry && !(decision.retry === false && decision.reason === 'no retries left')) {
    const verdict = await policy.shouldRetry(context)
    decision = decideRetry(policy, { ...input, verdict: verdict ?? undefined, delay: context.delay })
  }
  if (decision.retry) {
    for (const p of policies) {
      if (p.allow && !p.allow(origin, 'retry')) {
        scope.refused?.(p)
        return { decision: { retry: false, reason: 'not retryable', plan }, context }
      }
    }
  }
  return { decision, context }
}
