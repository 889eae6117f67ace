/**
 * `Cache-Control` as RFC 9111 §5.2 defines it: a comma-separated list of directives, each a token
 * with an optional `=token` or `=quoted-string` argument. Names are case-insensitive; a comma or
 * a directive name inside a quoted string is not a separator (cache-tests
 * `freshness-max-age-ignore-quoted`).
 */

/** Parsed directives: name (lower case) to argument (`''` for none). The first of duplicates wins (§4.2.1). */
export type Directives = ReadonlyMap<string, string>

const EMPTY: Directives = new Map()

/** Parses one `Cache-Control` field value (several field lines already joined with commas). */
export function parseCacheControl(value: string | null | undefined): Directives {
  if (!value) return EMPTY
  const directives = new Map<string, string>()
  let i = 0
  const n = value.length
  while (i < n) {
    // Skip separators and whitespace before a directive name.
    while (i < n && (value[i] === ',' || value[i] === ' ' || value[i] === '\t')) i++
    const start = i
    while (i < n && value[i] !== '=' && value[i] !== ',') i++
    const name = value.slice(start, i).trim().toLowerCase()
    let argument = ''
    if (value[i] === '=') {
      i++
      while (value[i] === ' ' || value[i] === '\t') i++
      if (value[i] === '"') {
        i++
        while (i < n && value[i] !== '"') {
          if (value[i] === '\\') i++
          argument += value[i] ?? ''
          i++
        }
        i++ // the closing quote
        while (i < n && value[i] !== ',') i++
      } else {
        const from = i
        while (i < n && value[i] !== ',') i++
        argument = value.slice(from, i).trim()
      }
    }
    if (name && !directives.has(name)) directives.set(name, argument)
  }
  return directives
}

/**
 * A delta-seconds argument (RFC 9111 §1.2.2): a non-negative integer, in ms. Anything else is
 * invalid and reads as 0, so a response with `max-age=abc` is stale rather than fresh forever
 * (cache-tests `freshness-max-age-single-quoted`). Values past 2^31 seconds are capped there.
 */
export function deltaSeconds(directives: Directives, name: string): number | undefined {
  const raw = directives.get(name)
  if (raw === undefined) return undefined
  if (!/^\d+$/.test(raw)) return 0
  return Math.min(Number(raw), 2_147_483_648) * 1000
}
