/**
 * A given value as validation messages name it ("expected …, got <describe(value)>"): strings
 * quoted, numbers and booleans as they are, objects by kind. One place for every message in core
 * (options, pools, limiters, ofetch's names).
 *
 * @example
 * describe('soon') // '"soon"'
 * describe({}) // 'an object'
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? 'a function' : String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}
