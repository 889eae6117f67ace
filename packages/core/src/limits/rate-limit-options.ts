/**
 * Validation of a rate limiter's options, and what one take costs in each of its limits. Apart
 * from rate-limiter.ts so the limiter's file stays about waiting in line.
 */
import type { RateLimitConfig, RateLimitTake } from './rate-limit-store.js'
import { describe } from '../options/describe.js'
import { checkOptions, invalidOption, isClock, isCount, isPositive, rule, type Rules } from '../options/option-check.js'
import { inputError, type DevText } from '../runtime/dev-text.js'

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

const OWNER = 'createRateLimiter()'

const isInterval = /* @__PURE__ */ rule(isPositive, () => process.env.NODE_ENV !== 'production' && 'a positive number of ms')

/** The options of one limit: the main one, or one of `limits`. */
export const LIMIT: Rules = { limit: isPositive, interval: isInterval, burst: isCount }

/**
 * Every option of createRateLimiter: {@link LIMIT}'s, written out (a spread at module level would
 * keep the table in bundles that never make a limiter).
 */
export const RATE_LIMIT_OPTIONS: Rules = {
  limit: isPositive,
  interval: isInterval,
  burst: isCount,
  limits: /* @__PURE__ */ rule((v) => typeof v === 'object' && v !== null && !Array.isArray(v), () => process.env.NODE_ENV !== 'production' && 'a record of { limit, interval?, burst? } by name'),
  store: /* @__PURE__ */ rule(
    (v) => ['take', 'pause', 'read'].every((name) => typeof (v as Record<string, unknown> | null)?.[name] === 'function'),
    () => process.env.NODE_ENV !== 'production' && 'an object with take, pause and read methods',
  ),
  clock: isClock,
}

/** One extra limit of a limiter (`createRateLimiter({ limits })`). */
export interface NamedLimitOptions {
  /** Tokens refilled per `interval`: a positive number. */
  limit: number
  /**
   * Interval length in ms: a positive number.
   * @default 1000
   */
  interval?: number
  /**
   * Extra tokens allowed back-to-back after an idle period: a non-negative integer.
   * @default 0
   */
  burst?: number
}

/** A limit with its resolved config; the main limit is named `''`. */
export interface NamedLimit {
  readonly name: string
  readonly config: RateLimitConfig
}

/**
 * Makes the function that turns `take({ cost })` into the buckets and costs to take: `undefined`
 * for one token of the main limit alone (the store's plain `take`), else one entry per limit.
 * `all` starts with the main limit.
 */
export function createCostResolver(all: readonly NamedLimit[]): (cost: number | Readonly<Record<string, number>> | undefined) => readonly RateLimitTake[] | undefined {
  const named = all.slice(1)
  /** What a take without `cost` takes. */
  const defaultTakes = named.length === 0 ? undefined : Object.freeze(all.map(({ name, config }) => ({ name, config, cost: 1 })))
  return (cost) => {
    if (cost === undefined || (cost === 1 && defaultTakes === undefined)) return defaultTakes
    if (typeof cost !== 'object' && typeof cost !== 'number') throw invalidTake('cost', cost, () => process.env.NODE_ENV !== 'production' && 'a number or a record of costs by limit name')
    if (typeof cost === 'object' && cost !== null) {
      for (const name of Object.keys(cost)) {
        if (!named.some((limit) => limit.name === name)) {
          throw invalidTake('cost', name, () => process.env.NODE_ENV !== 'production' && `a record whose names are limits of this limiter (${named.map((l) => JSON.stringify(l.name)).join(', ') || 'none'})`)
        }
      }
    }
    return all.map(({ name, config }) => {
      const value = typeof cost === 'number' ? cost : name === '' ? 1 : (cost?.[name] ?? 1)
      if (typeof value !== 'number' || !(value >= 0) || value > config.capacity) {
        throw invalidTake(`cost${name === '' ? '' : ` of limit ${JSON.stringify(name)}`}`, value, () => process.env.NODE_ENV !== 'production' && `a number from 0 to the limit's capacity ${config.capacity} (1 + burst)`)
      }
      return { name, config, cost: value }
    })
  }
}

/** Validates `options.limits` into named configs, in the record's order. */
export function resolveLimits(limits: Readonly<Record<string, NamedLimitOptions>> | undefined): NamedLimit[] {
  if (limits === undefined) return []
  return Object.entries(limits).map(([name, spec]) => {
    if (name === '') throw invalidOption(OWNER, 'limits', limits, () => process.env.NODE_ENV !== 'production' && 'a record with non-empty names')
    checkOptions(OWNER, spec ?? null, LIMIT, `limits.${name}.`)
    const { limit, interval = 1000, burst = 0 } = spec
    if (limit === undefined) throw invalidOption(OWNER, `limits.${name}.limit`, limit, LIMIT.limit!.expects)
    return { name, config: Object.freeze({ limit, interval, capacity: 1 + burst }) }
  })
}

/**
 * A TypeError for a bad argument of `take()`: what was expected in development builds, the
 * argument's name in production (docs/DESIGN.md#development-and-production-messages).
 */
export function invalidTake(option: string, value: unknown, expected: DevText): TypeError {
  return inputError(`volley: rateLimiter.take(): invalid \`${option}\``, () => process.env.NODE_ENV !== 'production' && `rateLimiter.take: ${option} must be ${expected()}, got ${describe(value)}`)
}



