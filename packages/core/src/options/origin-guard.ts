/**
 * Secrets stay with their origin (README "Safe against hostile URLs and servers"): a client's own
 * secret headers (every header in {@link SECRET_HEADERS}: authorization, proxy-authorization,
 * cookie, x-api-key, ...) reach only its `baseURL`'s origin and the origins it lists in
 * `trustedOrigins`. A call to an absolute URL elsewhere (a `next` link or a signed URL taken from
 * a response) is sent without them, the rule fetch applies to a cross-origin redirect (Fetch
 * standard, "HTTP-redirect fetch"), so a direct call and a redirect to the same place behave
 * alike. Headers given on the call itself are always sent: the caller named the target and the
 * header together.
 *
 * Also: a relative URL whose dot segments climb above the baseURL's path (`users/../../admin`)
 * is refused, since a path built from input must not reach another API of the same origin with
 * the client's credentials.
 */
import { redactUrl, SECRET_HEADERS } from '../observe/redact.js'
import type { ResolvedOptions } from './resolve-options.js'
import { joinURL } from './url.js'
import { devText } from '../runtime/dev-text.js'

/** What `process.env.NODE_ENV` reads (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

const ABSOLUTE = /^[a-z][a-z\d+\-.]*:/i
// A `..` segment, also percent-encoded or ended by a backslash, which WHATWG URL parsing treats
// as `..` and `/` in http(s) URLs (URL standard, "double-dot URL path segment").
const DOUBLE_DOT = /(?:^|[/\\])(?:\.|%2e)(?:\.|%2e)(?:[/\\?#]|$)/i
// Resolves relative baseURLs (browser pages) for path arithmetic only; nothing is sent there.
const PLACEHOLDER = 'http://volley.invalid'

/** What a client's options say about trust, computed once per resolved client options. */
interface Trust {
  /** The client's own secret headers, lower-cased; empty: nothing to guard. */
  readonly secrets: readonly string[]
  /** The baseURL's origin, or undefined without a baseURL. */
  readonly base: string | undefined
  /** The client's options without its secret headers, built on first need. */
  stripped?: ResolvedOptions
}

const trustOf = new WeakMap<ResolvedOptions, Trust>()

/** The origin of `url` (relative ones against the page, in browsers), or undefined. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url, (globalThis as { location?: { href?: string } }).location?.href).origin
  } catch {
    return undefined
  }
}

function trust(client: ResolvedOptions): Trust {
  let known = trustOf.get(client)
  if (!known) {
    const secrets = Object.keys(client.headers).filter((name) => SECRET_HEADERS.has(name))
    known = { secrets, base: client.baseURL === undefined ? undefined : originOf(client.baseURL) }
    trustOf.set(client, known)
  }
  return known
}

/**
 * Whether a call of `client` to `url` may carry the client's secret headers: always when the
 * client has none, or neither a baseURL nor `trustedOrigins` (nothing says where they belong);
 * otherwise only on the baseURL's origin and the trusted ones (`'*'` trusts every origin).
 */
function mayCarrySecrets(client: ResolvedOptions, call: ResolvedOptions, target: string | Request): boolean {
  const { secrets, base } = trust(client)
  if (secrets.length === 0) return true
  const trusted = call.trustedOrigins
  if (base === undefined && trusted.size === 0) return true
  if (trusted.has('*')) return true
  // A relative URL on the client's own baseURL stays on its origin (`//host/x` and `/\host/y`
  // included: joinURL keeps them under the base path).
  if (typeof target === 'string' && !ABSOLUTE.test(target) && call.baseURL === client.baseURL) return true
  const origin = originOf(typeof target === 'string' ? joinURL(call.baseURL, target) : target.url)
  return origin !== undefined && (origin === base || trusted.has(origin))
}

/**
 * The options a client's call to `target` resolves over: the client's own, or, when the target is
 * on an origin the client does not trust, the client's without its secret headers (the call's own
 * headers are merged over them as usual, so a header given on the call is still sent).
 */
export function defaultsFor(client: ResolvedOptions, call: ResolvedOptions, target: string | Request): ResolvedOptions {
  if (mayCarrySecrets(client, call, target)) return client
  const known = trust(client)
  if (!known.stripped) {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(client.headers)) if (!SECRET_HEADERS.has(name)) headers[name] = value
    known.stripped = Object.freeze({ ...client, headers: Object.freeze(headers) })
    // The stripped options have no secrets to guard: resolving over them again is a no-op.
    trustOf.set(known.stripped, { secrets: [], base: known.base })
  }
  return known.stripped
}

/**
 * Refuses a relative `url` whose dot segments (`..`, `%2e%2e`, with `/` or `\`) climb above the
 * path of `baseURL`: `users/../../admin` on `https://api.test/v1/` would be `https://api.test/admin`.
 * Dot segments that stay under the base path are left to the URL parser.
 *
 * @throws TypeError that names the URL, where it resolves, and how to mean it (an absolute URL).
 */
export function checkBasePath(baseURL: string | undefined, url: string): void {
  if (baseURL === undefined || ABSOLUTE.test(url) || !DOUBLE_DOT.test(url)) return
  let basePath: string
  let resolved: URL
  try {
    const base = new URL(baseURL, PLACEHOLDER)
    basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`
    resolved = new URL(joinURL(baseURL, url), PLACEHOLDER)
  } catch {
    return // not a URL the parser takes: the call fails later with volley's invalid-URL TypeError
  }
  if (resolved.pathname.startsWith(basePath) || `${resolved.pathname}/` === basePath) return
  const pathname = resolved.pathname
  throw new TypeError(
    `volley: the URL ${JSON.stringify(redactUrl(url))} climbs above the baseURL's path ${JSON.stringify(basePath)}${devText(
      () =>
        process.env.NODE_ENV !== 'production' &&
        ` (it resolves to ${JSON.stringify(pathname)}); dot segments may not leave the base path: pass an absolute URL if you mean that path`,
    )}`,
  )
}
