import { BROWSER_ABORTS, BROWSER_FAILURE_MESSAGES, BROWSER_FAILURE_PATTERNS } from './browser-failures.js'
import { classifyFailure, matchesFailure } from './classify-failure.js'
import type { NetworkFailureTable } from './failure-table.js'
import type { NetworkError } from './network-error.js'
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
export const NETWORK_FAILURE_CODES: ReadonlySet<string> = /* @__PURE__ */ new Set([
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
 * no code to go by: the browser engines' ({@link BROWSER_NETWORK_FAILURES}) and the other runtimes'.
 */
export const NETWORK_FAILURE_MESSAGES: ReadonlySet<string> = /* @__PURE__ */ new Set(
  /* @__PURE__ */ BROWSER_FAILURE_MESSAGES.concat([
    'Network connection lost', // Cloudflare Workers
  ]),
)

/**
 * Every platform's failures: the table of `@volley/core` (which runs anywhere: Node, Deno, Bun,
 * workers, browsers) and of `@volley/node`. `@volley/browser` uses {@link BROWSER_NETWORK_FAILURES}.
 */
export const NETWORK_FAILURES: NetworkFailureTable = {
  codes: NETWORK_FAILURE_CODES,
  messages: NETWORK_FAILURE_MESSAGES,
  patterns: /* @__PURE__ */ BROWSER_FAILURE_PATTERNS.concat([
    /^error sending request (?:for|from) /, // Deno: `error sending request for url (…): client error (Connect): …`
  ]),
  aborts: BROWSER_ABORTS,
}

/**
 * True when `error`, or something on its cause chain (5 deep), is a recognised network failure
 * of `table` (by default every platform's). undici's `TypeError('fetch failed')` and
 * `TypeError('terminated')` count only through their cause: the same wrapper also carries
 * "unknown scheme" and "redirect count exceeded". An `AbortError` never counts here: only volley
 * knows whether it aborted an attempt itself.
 *
 * @example
 * isNetworkFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })) // true
 * isNetworkFailure(new TypeError('Load failed (api.example.com)')) // true: Safari
 * isNetworkFailure(new TypeError('fetch failed', { cause: new Error('unknown scheme') })) // false
 */
export function isNetworkFailure(error: unknown, table: NetworkFailureTable = NETWORK_FAILURES): boolean {
  return matchesFailure(error, table, false)
}

/**
 * Maps an error thrown by the transport (before or while reading the body) to what volley
 * reports: a retryable {@link NetworkError} for a recognised network failure, otherwise a
 * `TypeError` (never retried) whose message names the request and says what was expected. Both
 * carry the failure as `cause`, with URLs in its messages redacted. A `code` on the original
 * (e.g. `ERR_TOO_MANY_REDIRECTS`) is kept on the TypeError so callers can branch on it.
 *
 * Call it only for an attempt you did not abort: an engine's own `AbortError` for a broken
 * connection (Firefox) counts as a network failure here. `table` defaults to every platform's.
 *
 * @example
 * transportFailure(new TypeError('network error'), { method: 'GET', url: 'https://api.test/x' }) // NetworkError: Chromium, a body cut mid-way
 */
export function transportFailure(cause: unknown, request: RequestInfo, table: NetworkFailureTable = NETWORK_FAILURES): NetworkError | TypeError {
  return classifyFailure(cause, request, table)
}

