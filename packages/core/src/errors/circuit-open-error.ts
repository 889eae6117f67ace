import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/**
 * The origin's circuit breaker is open (it kept failing): the call failed fast without reaching
 * it. Never retried; `retryAt` says when the breaker lets a probe through.
 */
export class CircuitOpenError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'CircuitOpenError'
  static override readonly code = 'ERR_CIRCUIT_OPEN' as const
  /** The origin whose breaker is open. */
  readonly origin: string
  /** When the breaker lets the next probe through (epoch ms on the client's clock). */
  readonly retryAt: number

  constructor(options: VolleyErrorOptions & { origin: string; retryAt: number }) {
    super(`circuit open for ${options.origin}: failing fast until ${new Date(options.retryAt).toISOString()}`, options)
    this.origin = options.origin
    this.retryAt = options.retryAt
  }
}

/** True for a {@link CircuitOpenError} from any installed copy of volley. */
export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return isVolleyError(value) && value.code === CircuitOpenError.code
}
