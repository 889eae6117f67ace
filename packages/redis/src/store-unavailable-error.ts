import { VolleyError, isVolleyError, type VolleyErrorOptions } from '@volley/core'

/**
 * The stable code of {@link StoreUnavailableError}.
 * @example
 * if ((error as VolleyError).code === STORE_UNAVAILABLE) retryLater()
 */
export const STORE_UNAVAILABLE = 'ERR_STORE_UNAVAILABLE' as const

/**
 * Redis did not answer (error or `timeoutMs`) and the policy is `'fail-closed'`: the call is
 * refused rather than let through past a budget nobody can check. `cause` holds the Redis error.
 *
 * @example
 * try {
 *   await api.get('/report')
 * } catch (error) {
 *   if (error instanceof StoreUnavailableError) return serveFromCache() // Redis is down, budget unknown
 *   throw error
 * }
 */
export class StoreUnavailableError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'StoreUnavailableError'
  // Listed in core's VolleyErrorCode.
  static override readonly code = STORE_UNAVAILABLE
  /** What was refused: `'rate-limit'` (a token) or `'pool'` (a lease). */
  readonly operation: 'rate-limit' | 'pool'

  constructor(options: VolleyErrorOptions & { operation: 'rate-limit' | 'pool' }) {
    const cause = options.cause instanceof Error ? `: ${options.cause.message}` : ''
    super(`Redis is unavailable, refusing the ${options.operation === 'pool' ? 'pool slot' : 'rate-limit token'} (onStoreError: 'fail-closed')${cause}`, options, STORE_UNAVAILABLE)
    this.operation = options.operation
  }
}

/**
 * True for a {@link StoreUnavailableError}, from any installed copy of `@volley/redis`.
 * @example
 * if (isStoreUnavailableError(error)) metrics.increment('redis_refused')
 */
export function isStoreUnavailableError(value: unknown): value is StoreUnavailableError {
  return isVolleyError(value) && (value.code as string) === STORE_UNAVAILABLE
}
