/**
 * Secrets never reach logs, errors or metrics (docs/DESIGN.md#observability). Everything volley prints
 * or attaches to an error goes through these two functions.
 */

/** Header names whose values are always replaced by {@link REDACTED}. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-auth-token',
  'x-csrf-token',
])

/** Query parameters that commonly carry credentials (API keys, OAuth tokens, signed-URL signatures). */
const SECRET_PARAM =
  /^(?:access[-_]?token|refresh[-_]?token|id[-_]?token|token|auth|authorization|api[-_]?key|apikey|key|secret|client[-_]?secret|password|passwd|pwd|session(?:[-_]?id)?|sig|signature|jwt|code|x-amz-(?:signature|credential|security-token)|x-goog-(?:signature|credential))$/i

/** What a secret is replaced with. */
export const REDACTED = '[REDACTED]'

/**
 * Returns `url` with userinfo and token-like query parameters replaced by {@link REDACTED}.
 * Relative or unparsable URLs are returned with the same rules applied textually.
 *
 * @example
 * redactUrl('https://user:pw@api.test/v1?api_key=abc&q=1') // 'https://[REDACTED]@api.test/v1?api_key=[REDACTED]&q=1'
 */
export function redactUrl(url: string): string {
  const hashAt = url.indexOf('#')
  const withoutHash = hashAt === -1 ? url : url.slice(0, hashAt)
  const queryAt = withoutHash.indexOf('?')
  let head = queryAt === -1 ? withoutHash : withoutHash.slice(0, queryAt)
  // userinfo sits between "//" and the first "@" before the path.
  const authorityStart = head.indexOf('//')
  if (authorityStart !== -1) {
    const pathStart = head.indexOf('/', authorityStart + 2)
    const authority = head.slice(authorityStart + 2, pathStart === -1 ? undefined : pathStart)
    const at = authority.lastIndexOf('@')
    if (at !== -1) {
      head = head.slice(0, authorityStart + 2) + REDACTED + head.slice(authorityStart + 2 + at)
    }
  }
  if (queryAt === -1) return head
  const query = withoutHash
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      const name = eq === -1 ? pair : pair.slice(0, eq)
      let decoded = name
      try {
        decoded = decodeURIComponent(name)
      } catch {
        // keep the raw name
      }
      return eq !== -1 && SECRET_PARAM.test(decoded) ? `${name}=${REDACTED}` : pair
    })
    .join('&')
  return `${head}?${query}`
}

/**
 * Returns a plain object of headers with secret values replaced by {@link REDACTED}.
 * Header names are lower-cased.
 */
export function redactHeaders(headers: HeadersInit | Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (!headers) return out
  const entries: Iterable<[string, string]> =
    headers instanceof Headers || Array.isArray(headers)
      ? (headers as Iterable<[string, string]>)
      : Object.entries(headers as Record<string, string>)
  for (const [name, value] of entries) {
    const key = name.toLowerCase()
    out[key] = SECRET_HEADERS.has(key) ? REDACTED : String(value)
  }
  return out
}

// A URL ends before trailing punctuation of the sentence around it ("GET https://x/y?token=1: ...").
const URL_IN_TEXT = /\b[a-z][a-z\d+.-]*:\/\/[^\s"'<>]*[^\s"'<>:,.;)]/gi

/** Redacts every URL found in free text (error messages from runtimes quote the URL they got). */
export function redactText(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url))
}

/**
 * Returns `error` unchanged when its message chain holds nothing to redact; otherwise an Error
 * with the same name, code and (sanitized) cause and a redacted message. Runtimes put the raw
 * URL, credentials included, into their messages (Node: "Request cannot be constructed from a
 * URL that includes credentials: ..."), and causes travel with volley's errors.
 */
export function sanitizeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 4) return error
  const message = redactText(error.message)
  const cause = sanitizeError((error as { cause?: unknown }).cause, depth + 1)
  if (message === error.message && cause === (error as { cause?: unknown }).cause) return error
  const copy = new Error(message, cause === undefined ? undefined : { cause })
  copy.name = error.name
  const code = (error as { code?: unknown }).code
  if (code !== undefined) Object.assign(copy, { code })
  // volley's own TypeErrors name their (already redacted) request.
  const request = (error as { request?: unknown }).request
  if (request !== undefined) Object.assign(copy, { request })
  return copy
}
