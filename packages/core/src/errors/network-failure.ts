import { redactText, sanitizeError } from '../observe/redact.js'
import { NetworkError } from './network-error.js'
import type { RequestInfo } from './volley-error.js'

/**
 * Classifies narrowly (docs/DESIGN.md#retries: only recognised network failures are
 * retryable). A transport failure becomes a retryable {@link NetworkError} only when something on
 * its cause chain is listed here; anything else (an unsupported scheme, a malformed header, a
 * redirect loop, a blocked port, a bug) fails at once with a `TypeError` that says what was
 * expected.
 */

/**
 * Platform error codes that mean "the network failed", each decided on its own.
 * Listed: the connection could not be made, or broke, and a later attempt may well succeed.
 */
export const NETWORK_FAILURE_CODES: ReadonlySet<string> = new Set([
  // POSIX socket errors surfaced by Node's net/dns/tls (and by Bun with the same names).
  'ECONNRESET', // the peer reset the connection
  'ECONNREFUSED', // nothing listening (yet): a restarting server
  'ECONNABORTED', // the connection was aborted by the network stack
  'EPIPE', // wrote to a connection the peer had closed
  'ETIMEDOUT', // the OS gave up on a TCP connect or keep-alive probe
  'ENOTFOUND', // DNS has no answer: also what a flapping resolver or split-horizon DNS returns
  'EAI_AGAIN', // temporary DNS failure
  'ENETUNREACH', // no route to the network (Wi-Fi switching, VPN reconnecting)
  'EHOSTUNREACH', // no route to the host
  'ENETDOWN', // the local interface went down
  'EHOSTDOWN', // the host is down
  'EADDRNOTAVAIL', // no local ephemeral port free right now
  // undici (Node's fetch and @volley/node), lib/core/errors.js.
  'UND_ERR_SOCKET', // the other side closed the socket mid-exchange
  'UND_ERR_CONNECT_TIMEOUT', // connect timeout of a dispatcher volley does not own (its own is mapped to TimeoutError 'connect')
  'UND_ERR_HEADERS_TIMEOUT', // a user-supplied dispatcher's headers timeout: the server stalled (volley's own agent sets it to 0)
  'UND_ERR_BODY_TIMEOUT', // the same for the body
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', // the body ended before its Content-Length: a cut connection
  // Not listed, on purpose:
  // UND_ERR_CLOSED, UND_ERR_DESTROYED: the dispatcher was closed by its owner; retrying cannot help.
  // UND_ERR_ABORTED: an abort, which volley reports from the signal (AbortError or TimeoutError).
  // UND_ERR_INVALID_ARG, UND_ERR_NOT_SUPPORTED, UND_ERR_REQ_CONTENT_LENGTH_MISMATCH, UND_ERR_INFO:
  //   the request itself is wrong (a bad header, a body shorter than its Content-Length).
  // UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE: a limit, not a failure.
  // HPE_* (llhttp): the server sent something that is not HTTP; sending it again gets the same.
  // ERR_TOO_MANY_REDIRECTS (@volley/node), ERR_TLS_CERT_ALTNAME_INVALID, CERT_HAS_EXPIRED,
  //   UNABLE_TO_VERIFY_LEAF_SIGNATURE, ...: the same answer every time (a TLS certificate that
  //   fails verification is a configuration problem, not a flaky network).
  // Bun's own names for the same failures (Bun's fetch errors carry them as `code`).
  'ConnectionRefused',
  'ConnectionClosed',
  'FailedToOpenSocket',
])

/**
 * The `TypeError` messages fetch implementations use for a network failure, where the error has
 * no code to go by (browsers hide the reason from pages on purpose).
 */
export const NETWORK_FAILURE_MESSAGES: ReadonlySet<string> = new Set([
  'Failed to fetch', // Chromium
  'NetworkError when attempting to fetch resource.', // Firefox
  'Load failed', // Safari
  'The Internet connection appears to be offline.', // Safari (older)
  'Network request failed', // React Native, whatwg-fetch
  'Network connection lost', // Cloudflare Workers
])

/** Deno: `TypeError: error sending request for url (…): client error (Connect): …`. */
const DENO_PREFIX = /^error sending request (?:for|from) /

function isRecognised(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && NETWORK_FAILURE_CODES.has(code)) return true
  if (error instanceof TypeError && (NETWORK_FAILURE_MESSAGES.has(error.message) || DENO_PREFIX.test(error.message))) return true
  // Node's happy-eyeballs connect reports every address it tried in an AggregateError.
  const errors = (error as { errors?: unknown }).errors
  return Array.isArray(errors) && errors.length > 0 && errors.every(isRecognised)
}

/**
 * True when `error`, or something on its cause chain (5 deep), is a recognised network failure.
 * undici's `TypeError('fetch failed')` and `TypeError('terminated')` count only through their
 * cause: the same wrapper also carries "unknown scheme" and "redirect count exceeded".
 *
 * @example
 * isNetworkFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })) // true
 * isNetworkFailure(new TypeError('fetch failed', { cause: new Error('unknown scheme') })) // false
 */
export function isNetworkFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (isRecognised(current)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/** The innermost message on the chain that says something ("fetch failed" does not). */
function innermostDetail(error: unknown): { message: string; code: string | undefined } {
  let message = error instanceof Error ? error.message : String(error)
  let code: string | undefined
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const own = (current as { code?: unknown }).code
    if (code === undefined && typeof own === 'string') code = own
    if (current.message && current.message !== 'fetch failed') message = current.message
    current = (current as { cause?: unknown }).cause
  }
  return { message: redactText(message), code }
}

/** What the caller should have done instead, for the failures we can name. */
function expectation(detail: { message: string; code: string | undefined }, url: string): string {
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(url)?.[1]?.toLowerCase()
  if (scheme && scheme !== 'http' && scheme !== 'https' && scheme !== 'data' && scheme !== 'blob') {
    return `unsupported URL scheme "${scheme}:": expected an http: or https: URL`
  }
  const { message, code } = detail
  if (code === 'ERR_TOO_MANY_REDIRECTS' || /redirect count exceeded/i.test(message)) {
    return `too many redirects (${message}): expected a redirect chain that ends; the server may be redirecting in a loop`
  }
  if (/header/i.test(message) && (/invalid/i.test(message) || code === 'UND_ERR_INVALID_ARG')) {
    return `invalid request header (${message}): expected header names that are HTTP tokens and values without CR, LF or NUL`
  }
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_|^ERR_TLS|^ERR_SSL|HOSTNAME_MISMATCH/.test(code)) {
    return `the server's TLS certificate was rejected (${message}, ${code}): expected a certificate that the trusted CAs verify for this host (a private CA goes in @volley/node's \`tls.ca\`)`
  }
  if (/bad port/i.test(message)) return 'the port is blocked by fetch ("bad port" in the Fetch standard): expected a port browsers and fetch allow'
  if (/includes credentials/i.test(message)) {
    return 'fetch refuses URLs with credentials (user:password@): expected the credentials in an Authorization header'
  }
  return `${message}${code && !message.includes(code) ? ` (${code})` : ''}: not a recognised network failure, so it is not retried`
}

/**
 * Maps an error thrown by the transport (before or while reading the body) to what volley
 * reports: a retryable {@link NetworkError} for a recognised network failure, otherwise a
 * `TypeError` (never retried) whose message names the request and says what was expected. Both
 * carry the failure as `cause`, with URLs in its messages redacted. A `code` on the original
 * (e.g. `ERR_TOO_MANY_REDIRECTS`) is kept on the TypeError so callers can branch on it.
 */
export function transportFailure(cause: unknown, request: RequestInfo): NetworkError | TypeError {
  if (isNetworkFailure(cause)) return new NetworkError({ cause, request })
  const detail = innermostDetail(cause)
  const error = new TypeError(`volley: ${request.method} ${request.url}: ${expectation(detail, request.url)}`, { cause: sanitizeError(cause) })
  if (detail.code !== undefined) Object.defineProperty(error, 'code', { value: detail.code, enumerable: true })
  Object.defineProperty(error, 'request', { value: request, enumerable: true })
  return error
}
