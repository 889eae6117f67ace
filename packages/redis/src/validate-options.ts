import { checkOptionNames, systemClock, type Clock } from '@volley/core'
import { missingClockMethod } from '@volley/core/internal'
import { describe } from './redis-client.js'

/** Rejects option names outside `known`, naming the first stray one and the closest known name (core's check). */
export function rejectUnknown(fn: string, options: object, known: readonly string[]): void {
  checkOptionNames(`${fn}()`, options, known)
}

/** A `TypeError` stating the option, what was expected and what was given. */
export function invalid(fn: string, option: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${fn}: ${option} must be ${expected}, got ${describe(value)}`)
}

export function isPositive(value: unknown): value is number {
  return typeof value === 'number' && value > 0 && value < Infinity
}

/** Checks `options` is an object; returns it typed. */
export function requireObject<T extends object>(fn: string, options: unknown): T {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${fn}: options must be an object with a client, got ${describe(options)}`)
  return options as T
}

/** A key prefix: a string without `{` or `}`, which would change the Cluster hash tag. */
export function checkPrefix(fn: string, prefix: unknown): string {
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) throw invalid(fn, 'prefix', 'a string without { or }', prefix)
  return prefix
}

export const POLICIES = ['fail-closed', 'fail-open', 'local'] as const

export function checkPolicy(fn: string, policy: unknown): (typeof POLICIES)[number] {
  if (!POLICIES.includes(policy as never)) throw invalid(fn, 'onStoreError', `one of ${POLICIES.map((p) => `'${p}'`).join(', ')}`, policy)
  return policy as (typeof POLICIES)[number]
}

/** The `clock` option: core's `systemClock` when not given, else a `Clock` whose three methods are functions. */
export function checkClock(fn: string, clock: unknown): Clock {
  if (clock === undefined) return systemClock
  if (typeof clock !== 'object' || clock === null) throw invalid(fn, 'clock', 'a Clock ({ now, setTimeout, clearTimeout })', clock)
  const missing = missingClockMethod(clock)
  if (missing) throw invalid(fn, `clock.${missing}`, 'a function', (clock as Record<string, unknown>)[missing])
  return clock as Clock
}
