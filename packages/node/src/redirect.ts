import { SECRET_HEADERS } from '@volley/core'
import type { PreparedBody } from './request-body.js'

/** Statuses fetch follows (Fetch standard, "redirect status"). */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

/** The parts of a request that a redirect may change. */
export interface Hop {
  readonly url: URL
  readonly method: string
  /** Flat `[name, value, ...]` list with lower-case names. */
  readonly headers: string[]
  readonly body: PreparedBody
}

// Headers that describe the request body; dropped with the body (Fetch standard, "request-body-header name").
const BODY_HEADERS = new Set(['content-encoding', 'content-language', 'content-location', 'content-type', 'content-length'])
// Credentials must not follow a request to another origin. Fetch strips Authorization; undici and
// curl drop Cookie and Proxy-Authorization too. volley drops every header it treats as a secret
// (SECRET_HEADERS: x-api-key, x-auth-token, ...), the list it redacts and keeps on the client's
// origin for direct calls, so a redirect can never carry a key a direct call would not (README,
// "Safe against hostile URLs and servers").

const NO_BODY: PreparedBody = { make: () => null, replayable: true, contentType: undefined, contentLength: undefined }

function without(headers: string[], names: ReadonlySet<string>): string[] {
  const kept: string[] = []
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (!names.has(headers[i]!)) kept.push(headers[i]!, headers[i + 1]!)
  }
  return kept
}

/**
 * The next request after a redirect (Fetch standard, "HTTP-redirect fetch"): POST becomes GET on
 * 301/302, anything but GET/HEAD becomes GET on 303 (dropping the body and its headers), 307/308
 * keep the method and body (a stream body cannot be sent twice: that is an error, as in fetch),
 * and every secret header (`SECRET_HEADERS`) is dropped when the origin changes: another host, a
 * scheme downgrade or another port.
 *
 * @throws TypeError for an invalid or non-HTTP Location, or a body that cannot be replayed.
 */
export function redirectHop(hop: Hop, status: number, location: string): Hop {
  let url: URL
  try {
    url = new URL(location, hop.url)
  } catch {
    throw new TypeError(`volley: invalid redirect location ${JSON.stringify(location)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`volley: refusing to follow a redirect to ${url.protocol} (only http: and https:)`)
  }
  let { method, headers, body } = hop
  if (((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'GET' && method !== 'HEAD')) {
    method = 'GET'
    body = NO_BODY
    headers = without(headers, BODY_HEADERS)
  } else if (!body.replayable) {
    throw new TypeError(`volley: cannot follow a ${status} redirect with a stream body, which can only be sent once`)
  }
  if (url.origin !== hop.url.origin) headers = without(headers, SECRET_HEADERS)
  return { url, method, headers, body }
}
