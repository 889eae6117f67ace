import { isAbortError, isHTTPError, isTimeoutError, isVolleyError } from 'volley'

/**
 * A thrown value as plain data, so a page can hand it to a spec through `page.evaluate` (which
 * only carries JSON-like values) and a spec can assert on its class, code and fields.
 */
export interface ErrorReport {
  /** `error.name`, e.g. 'TimeoutError'. */
  name: string
  /** volley's stable code, e.g. 'ERR_TIMEOUT'; undefined for a foreign error. */
  code: string | undefined
  message: string
  isVolleyError: boolean
  isAbortError: boolean
  isTimeoutError: boolean
  isHTTPError: boolean
  /** TimeoutError: which deadline expired, and its limit in ms. */
  phase?: string
  limit?: number
  /** HTTPError: the status and the parsed body. */
  status?: number
  data?: unknown
  /** volley errors: attempts made, and the codes of the earlier attempts' errors. */
  attempts?: number
  previous?: string[]
  /** The `cause` (or an AbortError's `reason`) as a message, when there is one. */
  cause?: string
}

function describe(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (value instanceof Error) return `${value.name}: ${value.message}`
  return String(value)
}

/**
 * Turns any thrown value into an {@link ErrorReport}.
 *
 * @example
 * try { await api.get('/status/418') } catch (error) { return { error: reportError(error) } }
 */
export function reportError(error: unknown): ErrorReport {
  const report: ErrorReport = {
    name: error instanceof Error ? error.name : typeof error,
    code: isVolleyError(error) ? error.code : undefined,
    message: error instanceof Error ? error.message : String(error),
    isVolleyError: isVolleyError(error),
    isAbortError: isAbortError(error),
    isTimeoutError: isTimeoutError(error),
    isHTTPError: isHTTPError(error),
  }
  if (isTimeoutError(error)) {
    report.phase = error.phase
    report.limit = error.limit
  }
  if (isHTTPError(error)) {
    report.status = error.status
    report.data = error.data
  }
  if (isVolleyError(error)) {
    report.attempts = error.attempts
    report.previous = error.previous.map((e) => e.code)
  }
  const cause = describe(isAbortError(error) ? (error.reason ?? error.cause) : error instanceof Error ? error.cause : undefined)
  if (cause !== undefined) report.cause = cause
  return report
}
