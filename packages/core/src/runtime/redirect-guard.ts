/**
 * Redirects drop every secret header when they change origin (README "Safe against hostile URLs
 * and servers"), on core over the runtime's fetch too. Fetch drops only `Authorization` on a
 * cross-origin redirect (Fetch standard, "HTTP-redirect fetch"; undici also `Cookie` and
 * `Proxy-Authorization`), so a 307 to another origin would carry `x-api-key` with the body. A
 * request that carries a secret header is therefore sent with `redirect: 'manual'` and its
 * redirects are followed here by the same rules as the Node entry's (packages/node/src/redirect.ts).
 *
 * Not in browsers: there a manual redirect is opaque (no status, no Location), and the browser's
 * CORS preflight decides which headers reach another origin.
 */
import { isBrowserLike } from './features.js'
import { isReadableStream } from './is-stream.js'
import { SECRET_HEADERS } from '../observe/redact.js'

/** Statuses fetch follows (Fetch standard, "redirect status"). */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])
// Fetch's own limit (Fetch standard, "HTTP-redirect fetch", step 5).
const MAX_REDIRECTS = 20
// Headers that describe the request body; dropped with it (Fetch standard, "request-body-header name").
const BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type', 'content-length']

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

function hasSecret(headers: HeadersInit | undefined): boolean {
  if (headers === undefined) return false
  if (headers instanceof Headers) {
    for (const name of SECRET_HEADERS) if (headers.has(name)) return true
    return false
  }
  const names = Array.isArray(headers) ? headers.map(([name]) => name) : Object.keys(headers)
  return names.some((name) => SECRET_HEADERS.has(name.toLowerCase()))
}

/**
 * Calls `fetch(input, init)`, following redirects itself when the request carries a secret
 * header (and the runtime shows redirects): a hop to another origin (host, scheme or port) drops
 * every header in `SECRET_HEADERS`; 301/302 turn a POST into a GET and 303 anything but GET/HEAD,
 * without the body; a stream body cannot be sent twice (a `TypeError`, as in fetch).
 */
export function fetchKeepingSecrets(fetch: Fetch, input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
  if (typeof input !== 'string' && !(input instanceof URL)) return fetch(input, init)
  if (init?.redirect !== undefined || !hasSecret(init?.headers) || isBrowserLike()) return fetch(input, init)
  return follow(fetch, input, init!)
}

async function follow(fetch: Fetch, input: string | URL, init: RequestInit): Promise<Response> {
  let url = new URL(input)
  let method = (init.method ?? 'GET').toUpperCase()
  const headers = new Headers(init.headers)
  let body = init.body
  for (let hops = 0; ; hops++) {
    const response = await fetch(url.href, { ...init, method, headers, body, redirect: 'manual' })
    const location = response.headers.get('location')
    if (!REDIRECT_STATUSES.has(response.status) || location === null || response.type === 'opaqueredirect') {
      if (hops > 0) {
        Object.defineProperty(response, 'redirected', { value: true })
        if (!response.url) Object.defineProperty(response, 'url', { value: url.href })
      }
      return response
    }
    await response.body?.cancel().catch(() => {})
    if (hops >= MAX_REDIRECTS) throw new TypeError(`volley: redirect count exceeded (${MAX_REDIRECTS})`)
    let next: URL
    try {
      next = new URL(location, url)
    } catch {
      throw new TypeError(`volley: invalid redirect location ${JSON.stringify(location)}`)
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new TypeError(`volley: refusing to follow a redirect to ${next.protocol} (only http: and https:)`)
    }
    const status = response.status
    if (((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'GET' && method !== 'HEAD')) {
      method = 'GET'
      body = undefined
      for (const name of BODY_HEADERS) headers.delete(name)
    } else if (isReadableStream(body)) {
      throw new TypeError(`volley: cannot follow a ${status} redirect with a stream body, which can only be sent once`)
    }
    if (next.origin !== url.origin) for (const name of SECRET_HEADERS) headers.delete(name)
    url = next
  }
}
