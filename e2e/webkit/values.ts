/**
 * Values crossing WebDriver as Playwright's `page.evaluate` carries them. WebDriver speaks JSON, so
 * `undefined` would arrive as null (`[undefined, 'x']` as `[null, 'x']`) and NaN, Infinity, -0 and
 * dates would be lost; the specs compare such values with `toEqual`. Both functions run on both
 * sides (Node and, sent as source text, the page): each is self-contained.
 */

/** A JSON value in which the non-JSON values above are tagged objects. */
export type Encoded = unknown

/** Tags what JSON cannot carry; plain objects and arrays are copied, other objects pass as they are. */
export function encode(value: unknown): Encoded {
  const tag = (type: string, data?: unknown): Encoded => ({ __volleyE2E: type, data })
  const walk = (item: unknown): Encoded => {
    if (item === undefined) return tag('undefined')
    if (typeof item === 'number') {
      if (Number.isNaN(item)) return tag('NaN')
      if (item === Infinity || item === -Infinity) return tag(item > 0 ? 'Infinity' : '-Infinity')
      if (Object.is(item, -0)) return tag('-0')
      return item
    }
    if (typeof item === 'bigint') return tag('bigint', String(item))
    if (item instanceof Date) return tag('Date', item.toISOString())
    if (item instanceof Error) return tag('Error', { name: item.name, message: item.message, stack: item.stack })
    if (Array.isArray(item)) return item.map(walk)
    if (item !== null && typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry)]))
    }
    return item
  }
  return walk(value)
}

/** The inverse of {@link encode}. */
export function decode(value: Encoded): unknown {
  const walk = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(walk)
    if (item === null || typeof item !== 'object') return item
    const record = item as Record<string, unknown>
    if (typeof record.__volleyE2E === 'string') {
      const data = record.data as never
      switch (record.__volleyE2E) {
        case 'undefined':
          return undefined
        case 'NaN':
          return NaN
        case 'Infinity':
          return Infinity
        case '-Infinity':
          return -Infinity
        case '-0':
          return -0
        case 'bigint':
          return BigInt(data)
        case 'Date':
          return new Date(data)
        case 'Error': {
          const { name, message, stack } = data as { name: string; message: string; stack?: string }
          return Object.assign(new Error(message), { name, stack })
        }
      }
    }
    if (Object.getPrototypeOf(item) !== Object.prototype) return item
    return Object.fromEntries(Object.entries(record).map(([key, entry]) => [key, walk(entry)]))
  }
  return walk(value)
}
