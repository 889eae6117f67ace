/**
 * The URL a call targets, for its origin (pool and limiter keys) and for error messages. volley
 * joins the baseURL itself (`..` checks and secrets depend on it); the query is added by ufo's
 * `withQuery`, the function ofetch sends it with (ufo is ofetch's URL library, already bundled).
 */
import { withQuery as sentWithQuery } from 'ufo'

const ABSOLUTE = /^[a-z][a-z\d+\-.]*:/i
const PLAIN_HTTP = /^https?:\/\/[\w.-]+(?::\d{1,5})?(?:[/?#][^\s]*)?$/i

/** Joins `baseURL` and a relative `url` with exactly one slash; absolute URLs pass through. */
export function joinURL(baseURL: string | undefined, url: string): string {
  if (!baseURL || ABSOLUTE.test(url)) return url
  if (!url || url === '/') return baseURL
  return `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`
}

/**
 * `url` with the call's `query`, as ofetch sends it: built by the same function (ufo's
 * `withQuery`), so that what errors, events and the answer seam name is the URL that is sent.
 */
export function withQuery(url: string, query: Readonly<Record<string, unknown>> | undefined): string {
  return query ? sentWithQuery(url, query as Record<string, never>) : url
}

/** The origin of an absolute URL (`'https://api.example.com'`), or `''` for a relative one. */
export function originOf(url: string): string {
  if (!ABSOLUTE.test(url)) {
    const base = (globalThis as { location?: { origin?: string } }).location?.origin
    return base ?? ''
  }
  const schemeEnd = url.indexOf('//')
  if (schemeEnd === -1) return ''
  const pathStart = url.slice(schemeEnd + 2).search(/[/?#]/)
  const origin = pathStart === -1 ? url : url.slice(0, schemeEnd + 2 + pathStart)
  // Drop userinfo: it is not part of the origin and must never become a metrics or limiter key.
  const at = origin.lastIndexOf('@')
  return (at === -1 ? origin : origin.slice(0, schemeEnd + 2) + origin.slice(at + 1)).toLowerCase()
}

/**
 * Whether fetch can resolve `url`: an absolute URL that parses, or a relative one in a page
 * (which has a base to resolve it against).
 */
export function isValidTarget(url: string): boolean {
  // The common case, an http(s) URL with a plain host, needs no parser.
  if (PLAIN_HTTP.test(url)) return true
  if (!ABSOLUTE.test(url)) return typeof (globalThis as { location?: unknown }).location !== 'undefined'
  const canParse = (URL as { canParse?: (url: string) => boolean }).canParse
  if (canParse) return canParse(url)
  try {
    new URL(url)
    return true
  } catch {
    return false
  }
}
