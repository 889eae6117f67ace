import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/** Constructor options of {@link HTTPError}. */
export interface HTTPErrorOptions<T> extends VolleyErrorOptions {
  response: Response
  data: T
}

/**
 * The server answered with a 4xx or 5xx status (after any retries).
 * `data` is the parsed body, typed by the caller: `client.get<User, ApiProblem>(...)`.
 */
export class HTTPError<T = unknown> extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'HTTPError'
  static override readonly code = 'ERR_HTTP' as const
  /** HTTP status code, e.g. 503. */
  readonly status: number
  /** HTTP status text, e.g. 'Service Unavailable' (may be empty over HTTP/2). */
  readonly statusText: string
  /** Response headers. */
  readonly headers: Headers
  /** The parsed response body (JSON, text, ...), as the response type says. */
  readonly data: T
  /** The response itself (its body is already consumed into `data`). */
  readonly response: Response

  constructor(options: HTTPErrorOptions<T>) {
    const { status, statusText } = options.response
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''}`, options)
    this.status = status
    this.statusText = statusText
    this.headers = options.response.headers
    this.data = options.data
    this.response = options.response
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status }
  }
}

/** True for an {@link HTTPError} from any installed copy of volley. */
export function isHTTPError<T = unknown>(value: unknown): value is HTTPError<T> {
  return isVolleyError(value) && value.code === HTTPError.code
}
