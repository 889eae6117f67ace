import { systemClock, type Clock } from '../../runtime/clock.js'
import { checkOptions, isClock, rule, type Rules } from '../../options/option-check.js'

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

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

const isSlotCount = /* @__PURE__ */ rule(
  (v) => v === Infinity || (Number.isInteger(v) && (v as number) >= 1),
  () => process.env.NODE_ENV !== 'production' && 'a positive integer or Infinity',
)

const OPTIONS: Rules = {
  concurrency: isSlotCount,
  perOrigin: isSlotCount,
  maxQueue: /* @__PURE__ */ rule(
    (v) => v === Infinity || (Number.isInteger(v) && (v as number) >= 0),
    () => process.env.NODE_ENV !== 'production' && 'a non-negative integer or Infinity',
  ),
  clock: isClock,
}

/**
 * Applies the defaults of {@link PoolOptions} and validates them once, at creation, with
 * `TypeError`s that name the option, and in development builds say what was expected and what
 * was given (docs/DESIGN.md#option-checks).
 */
export function resolvePoolOptions(options: PoolOptions): ResolvedPoolOptions {
  checkOptions('createPool()', options ?? null, OPTIONS)
  const { concurrency = 10, perOrigin = Infinity, maxQueue = Infinity, clock = systemClock } = options
  return { concurrency, perOrigin, maxQueue, clock }
}
