/**
 * Validation of a rate limiter's options, and what one take costs in each of its limits. Apart
 * from rate-limiter.ts so the limiter's file stays about waiting in line.
 */
import type { RateLimitConfig, RateLimitTake } from './rate-limit-store.js'
import { describe } from '../options/describe.js'

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
    if (typeof cost !== 'object' && typeof cost !== 'number') throw invalidTake('cost', 'a number or a record of costs by limit name', cost)
    if (typeof cost === 'object' && cost !== null) {
      for (const name of Object.keys(cost)) {
        if (!named.some((limit) => limit.name === name)) {
          throw invalidTake('cost', `a record whose names are limits of this limiter (${named.map((l) => JSON.stringify(l.name)).join(', ') || 'none'})`, name)
        }
      }
    }
    return all.map(({ name, config }) => {
      const value = typeof cost === 'number' ? cost : name === '' ? 1 : (cost?.[name] ?? 1)
      if (typeof value !== 'number' || !(value >= 0) || value > config.capacity) {
        throw invalidTake(`cost${name === '' ? '' : ` of limit ${JSON.stringify(name)}`}`, `a number from 0 to the limit's capacity ${config.capacity} (1 + burst)`, value)
      }
      return { name, config, cost: value }
    })
  }
}

export function isPositive(value: unknown): value is number {
  return typeof value === 'number' && value > 0 && value < Infinity
}

/** Validates `options.limits` into named configs, in the record's order. */
export function resolveLimits(limits: Readonly<Record<string, NamedLimitOptions>> | undefined): NamedLimit[] {
  if (limits === undefined) return []
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) throw invalid('limits', 'a record of { limit, interval?, burst? } by name', limits)
  return Object.entries(limits).map(([name, spec]) => {
    const at = `limits.${name}`
    if (name === '') throw invalid('limits', 'a record with non-empty names', limits)
    if (typeof spec !== 'object' || spec === null) throw invalid(at, 'an object { limit, interval?, burst? }', spec)
    for (const option of Object.keys(spec)) {
      if (option !== 'limit' && option !== 'interval' && option !== 'burst') throw invalid(at, 'an object with only limit, interval and burst', option)
    }
    const interval = spec.interval ?? 1000
    const burst = spec.burst ?? 0
    if (!isPositive(spec.limit)) throw invalid(`${at}.limit`, 'a positive number', spec.limit)
    if (!isPositive(interval)) throw invalid(`${at}.interval`, 'a positive number of ms', interval)
    if (!(Number.isInteger(burst) && burst >= 0)) throw invalid(`${at}.burst`, 'a non-negative integer', burst)
    return { name, config: Object.freeze({ limit: spec.limit, interval, capacity: 1 + burst }) }
  })
}

export function invalidTake(option: string, expected: string, value: unknown): TypeError {
  return new TypeError(`rateLimiter.take: ${option} must be ${expected}, got ${describe(value)}`)
}

export function invalid(option: string, expected: string, value: unknown): TypeError {
  return new TypeError(`createRateLimiter: ${option} must be ${expected}, got ${describe(value)}`)
}


