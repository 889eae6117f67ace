import { sanitizeError } from '../observe/redact.js'
import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/** Finds the first low-level code (ECONNRESET, UND_ERR_SOCKET, ...) along a cause chain. */
function findCauseCode(cause: unknown): string | undefined {
  for (let current = cause, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'ERR_NETWORK') return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * The request never got a complete response: connection refused or reset, DNS failure, TLS
 * failure, a body cut off mid-way. Retried for retryable methods.
 */
export class NetworkError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'NetworkError'
  static override readonly code = 'ERR_NETWORK' as const
  /** The platform's code for the failure when it gives one, e.g. `ECONNRESET` or `UND_ERR_SOCKET`. */
  readonly causeCode: string | undefined

  constructor(options: VolleyErrorOptions & { message?: string }) {
    const cause = sanitizeError(options.cause)
    const causeCode = findCauseCode(cause)
    // "fetch failed" says nothing: prefer the innermost message that does.
    let detail = options.message ?? 'network error'
    for (let current = cause, depth = 0; !options.message && current instanceof Error && depth < 5; depth++) {
      detail = current.message
      if (detail && detail !== 'fetch failed') break
      current = (current as { cause?: unknown }).cause
    }
    super(causeCode && !detail.includes(causeCode) ? `${detail} (${causeCode})` : detail, { ...options, cause })
    this.causeCode = causeCode
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), causeCode: this.causeCode }
  }
}

/** True for a {@link NetworkError} from any installed copy of volley. */
export function isNetworkError(value: unknown): value is NetworkError {
  return isVolleyError(value) && value.code === NetworkError.code
}
