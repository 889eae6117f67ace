import { AbortError, isAbortError } from '../errors/abort-error.js'
import { describe } from '../options/describe.js'
import { checkOptionNames } from '../options/option-check.js'
import type { MapOptions } from './fan-out-types.js'

// Validation and small utilities shared by map, settle and asCompleted.

/** Validates what map and settle share; returns the concurrency. */
export function check(name: string, items: unknown, fn: unknown, options: Omit<MapOptions, 'stopOnError'>): number {
  const iterable = items as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null
  if (typeof iterable?.[Symbol.iterator] !== 'function' && typeof iterable?.[Symbol.asyncIterator] !== 'function') {
    throw new TypeError(`${name}: items must be an iterable or an async iterable, got ${describe(items)}`)
  }
  if (typeof fn !== 'function') throw new TypeError(`${name}: fn must be a function, got ${describe(fn)}`)
  return checkOptions(name, options)
}

export function checkOptions(name: string, options: { concurrency?: number; signal?: AbortSignal }): number {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${name}: options must be an object, got ${describe(options)}`)
  }
  // map() alone stops on an error; settle() and asCompleted() report every outcome.
  checkOptionNames(`${name}()`, options, name === 'map' ? ['concurrency', 'signal', 'stopOnError'] : ['concurrency', 'signal'])
  const concurrency = options.concurrency ?? Infinity
  if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw new TypeError(`${name}: concurrency must be a positive integer or Infinity, got ${describe(concurrency)}`)
  }
  const signal = options.signal as Partial<AbortSignal> | undefined
  if (signal !== undefined && (typeof signal?.addEventListener !== 'function' || typeof signal.aborted !== 'boolean')) {
    throw new TypeError(`${name}: signal must be an AbortSignal, got ${describe(signal)}`)
  }
  return concurrency
}

export function toAbortError(reason: unknown): AbortError {
  return isAbortError(reason) ? reason : new AbortError({ reason })
}


/** Marks a promise as handled, so an ignored rejection is not reported as unhandled. */
export function silence(value: unknown): void {
  if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') Promise.resolve(value).then(undefined, noop)
}

/** Lets a generator run its `finally` blocks; errors from doing so are not the caller's concern. */
export function closeIterator(iterator: Iterator<unknown> | AsyncIterator<unknown>): void {
  try {
    silence(iterator.return?.())
  } catch {
    // A throwing return() cannot change the outcome.
  }
}

function noop(): void {}

