/** An inclusive byte range, as in `Content-Range: bytes start-end/size`. */
export interface ByteRange {
  readonly start: number
  readonly end: number
}

/**
 * Parses a single-range `Range` header against a resource of `size` bytes
 * (RFC 9110 §14.1.2): `bytes=a-`, `bytes=a-b` and the suffix form `bytes=-n`.
 *
 * Returns `undefined` for anything to ignore (no header, another unit,
 * several ranges, malformed): the server then sends the full 200, which the
 * RFC allows. Returns `'unsatisfiable'` when the range starts past the end (416).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match) return undefined
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return undefined
  if (first === '') {
    // Suffix: the last n bytes.
    const n = Number(last)
    if (n === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - n), end: size - 1 }
  }
  const start = Number(first)
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1)
  if (last !== '' && Number(last) < start) return undefined
  if (start >= size) return 'unsatisfiable'
  return { start, end }
}

/**
 * Whether an `If-Range` precondition holds (RFC 9110 §13.1.5): it must equal
 * the current strong ETag, or the exact Last-Modified date. A weak ETag never
 * matches. No header means the range applies unconditionally.
 */
export function ifRangeHolds(ifRange: string | undefined, etag: string, lastModified: string): boolean {
  if (ifRange === undefined) return true
  const value = ifRange.trim()
  if (value.startsWith('W/')) return false
  if (value.startsWith('"')) return value === etag && !etag.startsWith('W/')
  return value === lastModified
}
