import type { AbortSignalLike } from './transport.js'
/**
 * Every timer in volley goes through a {@link Clock}, so the pool, the rate limiter, retries and
 * timeouts can be tested exactly with {@link createManualClock} instead of sleeping
 * (docs/DESIGN.md#conventions: every timer goes through one clock).
 */

/** An opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown

/** The source of time and timers used by a client, a pool or a rate limiter. */
export interface Clock {
  /** Milliseconds since the Unix epoch, with sub-millisecond precision where the runtime has it. */
  now(): number
  /** Calls `callback` once after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle
  /** Cancels a timer; a no-op for a timer that already fired or was cleared. */
  clearTimeout(handle: TimerHandle): void
}

const origin = typeof performance !== 'undefined' && performance.timeOrigin ? performance.timeOrigin : 0

/** The runtime's own clock: `performance` for precision, the global timers for scheduling. */
export const systemClock: Clock = {
  now: origin ? () => origin + performance.now() : () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/**
 * Resolves after `ms` on `clock`, or rejects with `signal.reason` as soon as `signal` (an
 * `AbortSignal`, or volley's abort token) aborts. Leaves no timer and no listener behind either way.
 */
export function sleep(ms: number, signal?: AbortSignalLike, clock: Clock = systemClock): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = (): void => {
      clock.clearTimeout(timer)
      reject(signal!.reason)
    }
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, Math.max(0, ms))
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
