import { sanitizeError } from '../observe/redact.js'
import { INSPECT, inspectError } from './inspect.js'

/**
 * A brand shared by every copy of volley in a process (`Symbol.for`), so `isVolleyError()` and
 * `instanceof` keep working when two versions are installed side by side (as undici does).
 */
const BRAND = Symbol.for('volley.error')

/** The stable `code` of each volley error class. */
export type VolleyErrorCode =
  | 'ERR_VOLLEY'
  | 'ERR_HTTP'
  | 'ERR_TIMEOUT'
  | 'ERR_NETWORK'
  | 'ERR_ABORTED'
  | 'ERR_QUEUE_FULL'
  | 'ERR_PARSE'
  | 'ERR_BODY_TOO_LARGE'
  | 'ERR_CLIENT_CLOSED'
  /** A downloaded file did not match its expected checksum (@volley/node `download`). */
  | 'ERR_CHECKSUM'
  /** A shared store (Redis) could not be reached and the policy is to fail closed (@volley/redis). */
  | 'ERR_STORE_UNAVAILABLE'
  /** The origin's circuit breaker is open: the call failed fast (`circuitBreaker()`). */
  | 'ERR_CIRCUIT_OPEN'
  /** Adaptive throttling refused the call locally (`retryBudget({ adaptive: true })`). */
  | 'ERR_THROTTLED'
  /** The response body did not match the call's `schema` (`validation()`). */
  | 'ERR_VALIDATION'

/** The request an error belongs to, safe to log: the URL has its credentials redacted. */
export interface RequestInfo {
  /** Upper-case HTTP method. */
  readonly method: string
  /** Absolute URL with userinfo and token-like query parameters redacted. */
  readonly url: string
}

/** Options shared by every volley error constructor. */
export interface VolleyErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown
  /** The request this error belongs to (already redacted). */
  request?: RequestInfo
}

/**
 * The base of every error volley throws. Check with {@link isVolleyError} or `instanceof`
 * (both survive duplicate installs); branch on the stable {@link VolleyError.code}.
 */
export class VolleyError extends Error {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'VolleyError'
  /** Stable, machine-readable error code. */
  static readonly code: VolleyErrorCode = 'ERR_VOLLEY'
  /** Stable, machine-readable error code. */
  readonly code: VolleyErrorCode
  /** Method and redacted URL of the request, when the error belongs to one. */
  request: RequestInfo | undefined
  /** How many attempts were made before this error was final (1 when it was not retried). */
  attempts = 1
  /** The errors of earlier attempts, oldest first, when the call was retried. */
  previous: readonly VolleyError[] = []

  constructor(message: string, options: VolleyErrorOptions = {}, code?: VolleyErrorCode) {
    // The cause travels with the error into logs: URLs in its messages are redacted too.
    super(options.request ? `${options.request.method} ${options.request.url}: ${message}` : message, {
      cause: sanitizeError(options.cause),
    })
    this.code = code ?? (new.target as typeof VolleyError).code
    this.request = options.request
    Object.defineProperty(this, BRAND, { value: true })
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!isVolleyError(value)) return false
    return this === VolleyError || value.code === this.code
  }

  /** A plain, log-safe representation (no response body beyond what the subclass chooses). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      request: this.request,
      attempts: this.attempts,
    }
  }

  /**
   * `util.inspect` / `console.log` in Node print the redacted stack and {@link toJSON}'s view,
   * never raw fields such as an HTTP error's response (its URL may carry a token).
   */
  [INSPECT](_depth: number, options: { depth?: number | null }, inspect?: (value: unknown, options?: object) => string): string {
    return inspectError(this, options, inspect)
  }
}

/** True for any error thrown by volley, including from another installed copy of volley. */
export function isVolleyError(value: unknown): value is VolleyError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
}
