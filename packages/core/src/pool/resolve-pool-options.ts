import { systemClock, type Clock } from '../clock.js'
import type { PoolOptions } from '../pool.js'
import { checkOptions, isClock, rule, type Rules } from '../option-check.js'

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

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
