/**
 * Every Redis call of a store or pool goes through one {@link RedisHealth}: it bounds the call by
 * `timeoutMs`, tracks whether Redis answers (`'ok'`) or not (`'degraded'`), and while degraded
 * sends calls straight to the fallback, letting one call at a time probe Redis again every
 * `recoverAfterMs`. No timer runs between calls: recovery is noticed by the next call. Both are
 * measured on the store's `clock` (docs/DESIGN.md#conventions: every timer goes through one clock).
 */
import type { Clock } from '@volley/core'

/**
 * `'ok'` while Redis answers; `'degraded'` after a failed call, until a probe succeeds.
 * @example
 * gauge.set(store.state === 'ok' ? 1 : 0)
 */
export type RedisState = 'ok' | 'degraded'

/**
 * What to do when Redis fails or times out (see the package README, "When Redis fails").
 * @default 'fail-closed'
 * @example
 * createRedisStore({ client, onStoreError: 'local' })
 */
export type StoreErrorPolicy = 'fail-closed' | 'fail-open' | 'local'

/**
 * Called on every change of {@link RedisState}, with the error that made it degraded.
 * @example
 * const onStateChange: StateChangeListener = (state, error) => logger.warn(`redis ${state}`, { error })
 */
export type StateChangeListener = (state: RedisState, error?: unknown) => void

export interface RedisHealth {
  readonly state: RedisState
  /** Runs `operation` within the timeout, or `fallback(error)` when Redis fails or is known to be down. */
  run<T>(operation: () => Promise<T>, fallback: (error: unknown) => T | Promise<T>): Promise<T>
}

export interface RedisHealthOptions {
  timeoutMs: number
  recoverAfterMs: number
  onStateChange: StateChangeListener | undefined
  clock: Clock
}

/**
 * A Redis call that took longer than `timeoutMs`; it is the `cause` of a `StoreUnavailableError`
 * and the error passed to `onStateChange('degraded', error)` in that case.
 * @example
 * createRedisStore({ client, onStateChange: (state, error) => log(state, error instanceof RedisTimeoutError ? 'timeout' : error) })
 */
export class RedisTimeoutError extends Error {
  override readonly name = 'RedisTimeoutError'
  constructor(readonly timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`)
  }
}

export function createRedisHealth({ timeoutMs, recoverAfterMs, onStateChange, clock }: RedisHealthOptions): RedisHealth {
  let state: RedisState = 'ok'
  let lastError: unknown
  let retryAt = 0
  let probing = false

  const change = (next: RedisState, error?: unknown): void => {
    if (next === state) return
    state = next
    try {
      onStateChange?.(next, error)
    } catch {
      // A listener's bug must not turn into a refused request.
    }
  }

  return {
    get state() {
      return state
    },
    async run(operation, fallback) {
      const probe = state === 'degraded'
      if (probe && (probing || clock.now() < retryAt)) return fallback(lastError)
      if (probe) probing = true
      try {
        const value = await withTimeout(operation(), timeoutMs, clock)
        change('ok')
        return value
      } catch (error) {
        lastError = error
        retryAt = clock.now() + recoverAfterMs
        change('degraded', error)
        return fallback(error)
      } finally {
        if (probe) probing = false
      }
    },
  }
}

/** Resolves like `promise`, or rejects with {@link RedisTimeoutError} after `ms` on `clock`; the timer never outlives it. */
export function withTimeout<T>(promise: Promise<T>, ms: number, clock: Clock): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(new RedisTimeoutError(ms)), ms)
    promise.then(
      (value) => {
        clock.clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clock.clearTimeout(timer)
        reject(error)
      },
    )
  })
}
