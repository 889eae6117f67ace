import { redactText, sanitizeError } from '../observe/redact.js'
import type { NetworkFailureTable } from './failure-table.js'
import { NetworkError } from './network-error.js'
import { devText } from '../runtime/dev-text.js'
import type { RequestInfo } from './volley-error.js'

/**
 * The classifier itself, apart from the tables (network-failure.ts, browser-failures.ts): the
 * attempt hands it its platform's table, so a bundle carries only the table its entry injects
 * (docs/DESIGN.md#classification-per-platform).
 */

function isRecognised(error: unknown, table: NetworkFailureTable, unrequested: boolean): boolean {
  if (typeof error !== 'object' || error === null) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && table.codes.has(code)) return true
  const { message, name } = error as { message?: unknown; name?: unknown }
  if (typeof message !== 'string') return false
  if (error instanceof TypeError && (table.messages.has(message) || table.patterns.some((pattern) => pattern.test(message)))) return true
  if (unrequested && name === 'AbortError' && table.aborts.has(message)) return true
  // Node's happy-eyeballs connect reports every address it tried in an AggregateError.
  const errors = (error as { errors?: unknown }).errors
  return Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isRecognised(inner, table, unrequested))
}

/**
 * True when `error` or something on its cause chain (5 deep) is in `table`. `unrequested`: the
 * attempt was not aborted by volley, so an engine's own `AbortError` counts too.
 */
export function matchesFailure(error: unknown, table: NetworkFailureTable, unrequested: boolean): boolean {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (isRecognised(current, table, unrequested)) return true
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

/** What `process.env.NODE_ENV` reads (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

/**
 * What went wrong: in development builds, with what the caller should have done instead for the
 * failures we can name (docs/DESIGN.md#development-and-production-messages); in production, the
 * innermost message and its code.
 */
function explain(detail: { message: string; code: string | undefined }, url: string): string {
  const { message, code } = detail
  return devText(() => process.env.NODE_ENV !== 'production' && expectation(detail, url)) || `${message}${code && !message.includes(code) ? ` (${code})` : ''}`
}

/** What the caller should have done instead, for the failures we can name (development builds). */
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
 * What the attempt reports for a failure of its transport or body, classified with its platform's
 * `table` (no default: a browser bundle must not pull in every platform's). Only for an attempt
 * volley did not abort: an engine's own `AbortError` for a broken connection counts as a network
 * failure here. See `transportFailure` for the rest of the contract.
 */
export function classifyFailure(cause: unknown, request: RequestInfo, table: NetworkFailureTable): NetworkError | TypeError {
  if (matchesFailure(cause, table, true)) return new NetworkError({ cause, request })
  const detail = innermostDetail(cause)
  const error = new TypeError(`volley: ${request.method} ${request.url}: ${explain(detail, request.url)}`, { cause: sanitizeError(cause) })
  if (detail.code !== undefined) Object.defineProperty(error, 'code', { value: detail.code, enumerable: true })
  Object.defineProperty(error, 'request', { value: request, enumerable: true })
  return error
}
