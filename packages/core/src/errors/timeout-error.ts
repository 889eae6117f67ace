import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/**
 * Which deadline expired (docs/DESIGN.md#timeouts): the whole call (`total`), one attempt
 * (`attempt`), silence while waiting for headers or between body chunks (`idle`), waiting for a
 * rate-limit token or a pool slot (`queue`), or opening the connection (`connect`, Node only).
 */
export type TimeoutPhase = 'total' | 'attempt' | 'idle' | 'queue' | 'connect'

/** Constructor options of {@link TimeoutError}. */
export interface TimeoutErrorOptions extends VolleyErrorOptions {
  phase: TimeoutPhase
  /** The limit that expired, in milliseconds. */
  limit: number
}

/**
 * The platform's own timeout, as `AbortSignal.timeout()` and ofetch report one: a `DOMException`
 * named `TimeoutError` (code 23). A lower-level cause (undici's connect timeout) hangs below it.
 */
function timeoutCause(underlying: unknown): unknown {
  if (typeof DOMException !== 'function') return underlying
  const cause = new DOMException('The operation was aborted due to timeout', 'TimeoutError')
  if (underlying !== undefined) Object.defineProperty(cause, 'cause', { value: underlying, configurable: true })
  return cause
}

/** A deadline expired. `attempt`, `idle` and `connect` timeouts are retried; `total` and `queue` are not. */
export class TimeoutError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'TimeoutError'
  static override readonly code = 'ERR_TIMEOUT' as const
  /** Which deadline expired. */
  readonly phase: TimeoutPhase
  /** The limit that expired, in milliseconds. */
  readonly limit: number

  constructor(options: TimeoutErrorOptions) {
    super(`${options.phase} timeout of ${options.limit} ms exceeded`, { ...options, cause: timeoutCause(options.cause) })
    this.phase = options.phase
    this.limit = options.limit
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), phase: this.phase, limit: this.limit }
  }
}

/** True for a {@link TimeoutError} from any installed copy of volley. */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return isVolleyError(value) && value.code === TimeoutError.code
}
