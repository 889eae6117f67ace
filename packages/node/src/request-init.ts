import { ACCEPT_ENCODING } from './decode.js'
import type { Hop } from './redirect.js'
import { prepareBody, withUploadProgress } from './request-body.js'

/** A fetch-style request, normalised once for the dispatcher. */
export interface NormalizedRequest extends Hop {
  readonly redirect: RequestRedirect
  readonly signal: AbortSignal | undefined
}

// Methods fetch upper-cases (Fetch standard, "normalize a method"); others are sent as given.
const NORMALIZED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])

/** `[name, value, ...]` with lower-case names, from any HeadersInit (ofetch hands over `Headers`). */
function headerList(init: HeadersInit | undefined): string[] {
  const list: string[] = []
  if (!init) return list
  if (init instanceof Headers) init.forEach((value, name) => list.push(name, value))
  else if (Array.isArray(init)) for (const [name, value] of init as [string, string][]) list.push(name.toLowerCase(), String(value))
  else {
    for (const name of Object.keys(init)) {
      const value = (init as Record<string, string | undefined>)[name]
      if (value !== undefined) list.push(name.toLowerCase(), String(value))
    }
  }
  return list
}

function has(list: readonly string[], name: string): boolean {
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return true
  return false
}

function toURL(input: string | URL): URL {
  try {
    return input instanceof URL ? new URL(input.href) : new URL(input)
  } catch (cause) {
    throw new TypeError(`volley: invalid URL ${JSON.stringify(String(input))}`, { cause })
  }
}

/**
 * Turns fetch's `(input, init)` into what the dispatcher sends. Adds what fetch adds when the
 * caller did not: an `accept` for any type, `accept-encoding: gzip, deflate, br` (decoded transparently),
 * the body's implied `content-type`, and a `user-agent`. Credentials in the URL become a Basic
 * `authorization` header (fetch refuses such URLs; got, axios and node:http send them this way),
 * and never travel in the request line. With `reportUpload`, the body reports the bytes sent.
 */
export function normalizeRequest(input: string | URL | Request, init: RequestInit, reportUpload?: (loaded: number) => void): NormalizedRequest {
  let request: Request | undefined
  if (typeof input === 'object' && !(input instanceof URL)) request = input
  const url = toURL(request ? request.url : input as string | URL)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`volley: only http: and https: URLs are supported, got ${url.protocol}`)
  }
  const rawMethod = init.method ?? request?.method ?? 'GET'
  const upper = rawMethod.toUpperCase()
  const method = NORMALIZED.has(upper) ? upper : rawMethod
  const headers = headerList(init.headers ?? request?.headers)
  const prepared = prepareBody(init.body !== undefined ? init.body : request?.body)
  const body = reportUpload ? withUploadProgress(prepared, reportUpload) : prepared

  if (!has(headers, 'accept')) headers.push('accept', '*/*')
  if (!has(headers, 'accept-encoding')) headers.push('accept-encoding', ACCEPT_ENCODING)
  if (!has(headers, 'user-agent')) headers.push('user-agent', 'volley')
  if (body.contentType && !has(headers, 'content-type')) headers.push('content-type', body.contentType)
  if (body.contentLength !== undefined && !has(headers, 'content-length')) headers.push('content-length', String(body.contentLength))
  if (url.username || url.password) {
    if (!has(headers, 'authorization')) {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
      headers.push('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`)
    }
    url.username = ''
    url.password = ''
  }
  return {
    url,
    method,
    headers,
    body,
    redirect: init.redirect ?? request?.redirect ?? 'follow',
    signal: init.signal ?? request?.signal ?? undefined,
  }
}
