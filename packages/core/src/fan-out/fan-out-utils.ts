import { AbortError, isAbortError } from '../errors/abort-error.js'
import { describe } from '../options/describe.js'
import { checkOptionNames } from '../options/option-check.js'
import { inputError } from '../runtime/dev-text.js'
import type { MapOptions } from './fan-out-types.js'

/** What `process.env.NODE_ENV` reads (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

// Validation and small utilities shared by map, settle and asCompleted.

/** Validates what map and settle share; returns the concurrency. */
export function check(name: string, items: unknown, fn: unknown, options: Omit<MapOptions, 'stopOnError'>): number {
  const iterable = items as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null
  if (typeof iterable?.[Symbol.iterator] !== 'function' && typeof iterable?.[Symbol.asyncIterator] !== 'function') {
    throw inputError(`volley: ${name}(): invalid \`items\``, () => process.env.NODE_ENV !== 'production' && `${name}: items must be an iterable or an async iterable, got ${describe(items)}`)
  }
  if (typeof fn !== 'function') throw inputError(`volley: ${name}(): invalid \`fn\``, () => process.env.NODE_ENV !== 'production' && `${name}: fn must be a function, got ${describe(fn)}`)
  return checkOptions(name, options)
}

export function checkOptions(name: string, options: { concurrency?: number; signal?: AbortSignal }): number {
  if (typeof options !== 'object' || options === null) {
    throw inputError(`volley: ${name}(): invalid \`options\``, () => process.env.NODE_ENV !== 'production' && `${name}: options must be an object, got ${describe(options)}`)
  }
  // map() alone stops on an error; settle() and asCompleted() report every outcome.
  checkOptionNames(`${name}()`, options, name === 'map' ? ['concurrency', 'signal', 'stopOnError'] : ['concurrency', 'signal'])
  const concurrency = options.concurrency ?? Infinity
  if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw inputError(`volley: ${name}(): invalid option \`concurrency\``, () => process.env.NODE_ENV !== 'production' && `${name}: concurrency must be a positive integer or Infinity, got ${describe(concurrency)}`)
  }
  const signal = options.signal as Partial<AbortSignal> | undefined
  if (signal !== undefined && (typeof signal?.addEventListener !== 'function' || typeof signal.aborted !== 'boolean')) {
    throw inputError(`volley: ${name}(): invalid option \`signal\``, () => process.env.NODE_ENV !== 'production' && `${name}: signal must be an AbortSignal, got ${describe(signal)}`)
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

