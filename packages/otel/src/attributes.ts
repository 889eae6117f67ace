/**
 * The attributes of the stable HTTP client semantic conventions (semconv, "HTTP spans" and "HTTP
 * metrics"), from what volley's events say. Attribute names are written out rather than imported
 * from @opentelemetry/semantic-conventions, so that @opentelemetry/api stays the one dependency.
 */
import type { Attributes } from '@opentelemetry/api'

/** Methods the conventions know (RFC 9110 and PATCH); any other is reported as `_OTHER`. */
const KNOWN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'])

/** `http.request.method`, and `http.request.method_original` when the method is not a known one. */
export function methodAttributes(method: string): Attributes {
  return KNOWN_METHODS.has(method) ? { 'http.request.method': method } : { 'http.request.method': '_OTHER', 'http.request.method_original': method }
}

/** The span name: `{method}`, or `HTTP` for an unknown method (semconv, "Name"). */
export function spanName(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'HTTP'
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 }

/**
 * `url.full`, `url.scheme`, `server.address` and `server.port` of a URL volley has already redacted
 * (docs/DESIGN.md#observability), in the conventions' own spelling: userinfo as
 * `REDACTED:REDACTED@`, a secret query value as `REDACTED`; `AWSAccessKeyId`, which the
 * conventions list too, is redacted here as well.
 */
export function urlAttributes(redactedUrl: string): Attributes {
  const full = redactedUrl
    .replace(/\/\/\[REDACTED\]@/, '//REDACTED:REDACTED@')
    .replace(/=\[REDACTED\]/g, '=REDACTED')
    .replace(/([?&]AWSAccessKeyId=)[^&#]*/g, '$1REDACTED')
  let url: URL
  try {
    url = new URL(full, (globalThis as { location?: { href?: string } }).location?.href)
  } catch {
    return { 'url.full': full }
  }
  return {
    // A relative URL (in a page) is resolved against the page, as fetch resolves it.
    'url.full': /^[a-z][a-z\d+\-.]*:/i.test(full) ? full : url.href,
    'url.scheme': url.protocol.slice(0, -1),
    'server.address': url.hostname.replace(/^\[|\]$/g, ''),
    'server.port': url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0),
  }
}

/**
 * `error.type` (semconv, "HTTP client span" note 5): the status code as a string for an error
 * status, else volley's stable error code (`ERR_TIMEOUT`, `ERR_NETWORK`, `ERR_ABORTED`...), which
 * is low-cardinality and documented in docs/reference.md#errors.
 */
export function errorType(status: number | undefined, code: string | undefined): string | undefined {
  if (status !== undefined && status >= 400) return String(status)
  return code
}
