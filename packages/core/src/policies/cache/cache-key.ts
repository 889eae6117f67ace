/** What the cache keys an answer by, and which requests it answers at all (RFC 9111 §2, §4). */

/** Methods a cache may answer or store (§2: GET; HEAD from a stored GET, §4.3.5). */
const CACHED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD'])
/** A request that is already conditional or partial is the caller's business: passed through as is. */
const CALLER_CONDITIONS = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range', 'range']
const PLAIN_URL = /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?\/[^#\s]*$/

/**
 * The cache key of a URL (§2): absolute, without its fragment.
 * Relative URLs resolve against the page, as fetch does.
 */
export function keyOf(url: string): string {
  // The common case needs no parser: an http(s) URL with a lower-case host and no fragment.
  if (PLAIN_URL.test(url)) return url
  try {
    const parsed = new URL(url, (globalThis as { location?: { href?: string } }).location?.href)
    parsed.hash = ''
    return parsed.href
  } catch {
    return url
  }
}

/** Whether the cache may answer (or store the answer to) a request: GET or HEAD, no body, not already conditional. */
export function isCacheable(method: string, headers: Headers, hasBody: boolean): boolean {
  return CACHED_METHODS.has(method) && !hasBody && !CALLER_CONDITIONS.some((name) => headers.has(name))
}
