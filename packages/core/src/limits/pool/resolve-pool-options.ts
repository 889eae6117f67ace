import { systemClock, type Clock } from '../../runtime/clock.js'
import { describe } from '../../options/describe.js'

/** Options of {@link createPool}. */
export interface PoolOptions {
  /**
   * Most tasks holding a slot at once: a positive integer, or `Infinity` for no cap.
   * @default 10
   */
  concurrency?: number
  /**
   * Most slots held at once by one origin (e.g. `'https://api.a.com'`): a positive integer or
   * `Infinity`. Applies to acquires that pass an `origin`; the others only count toward
   * `concurrency`.
   * @default Infinity (no per-origin cap)
   */
  perOrigin?: number
  /**
   * Most waiting tasks: a non-negative integer or `Infinity`. An acquire that would have to wait
   * while this many already do rejects at once with `QueueFullError`.
   * @default Infinity
   */
  maxQueue?: number
  /**
   * Time source. The pool itself sets no timers; it is accepted (and validated) so that a pool,
   * a limiter and a client can be handed the same clock.
   * @default systemClock
   */
  clock?: Clock
}

/** {@link PoolOptions} with defaults applied and every value checked. */
export interface ResolvedPoolOptions {
  readonly concurrency: number
  /** `Infinity` when there is no per-origin cap. */
  readonly perOrigin: number
  readonly maxQueue: number
  readonly clock: Clock
}

/**
 * Applies the defaults of {@link PoolOptions} and validates them once, at creation, with
 * `TypeError`s that say what was expected and what was given (docs/DESIGN.md#conventions).
 */
export function resolvePoolOptions(options: PoolOptions): ResolvedPoolOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createPool: options must be an object, got ${describe(options)}`)
  }
  const { concurrency = 10, perOrigin = Infinity, maxQueue = Infinity, clock = systemClock } = options
  if (!isSlotCount(concurrency)) throw invalid('concurrency', 'a positive integer or Infinity', concurrency)
  if (!isSlotCount(perOrigin)) throw invalid('perOrigin', 'a positive integer or Infinity', perOrigin)
  if (!(maxQueue === Infinity || (Number.isInteger(maxQueue) && maxQueue >= 0))) {
    throw invalid('maxQueue', 'a non-negative integer or Infinity', maxQueue)
  }
  const { now, setTimeout, clearTimeout } = (clock ?? {}) as Partial<Clock>
  if (typeof now !== 'function' || typeof setTimeout !== 'function' || typeof clearTimeout !== 'function') {
    throw invalid('clock', 'a Clock with now, setTimeout and clearTimeout methods', clock)
  }
  return { concurrency, perOrigin, maxQueue, clock }
}

function isSlotCount(value: unknown): value is number {
  return value === Infinity || (Number.isInteger(value) && (value as number) >= 1)
}

function invalid(option: string, expected: string, value: unknown): TypeError {
  return new TypeError(`createPool: ${option} must be ${expected}, got ${describe(value)}`)
}


