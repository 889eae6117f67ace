import { redactHeaders, redactUrl } from '../observe/redact.js'
import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/** Constructor options of {@link HTTPError}. */
export interface HTTPErrorOptions<T> extends VolleyErrorOptions {
  response: Response
  data: T
}

/**
 * The response an error keeps, with its `url` shadowed by the redacted URL: a `?token=` or
 * `user:pw@` in it must not surface from `err.response.url`, whatever prints it.
 */
function redactedResponse(response: Response): Response {
  const url = response.url
  const safe = url ? redactUrl(url) : url
  if (safe !== url) {
    try {
      Object.defineProperty(response, 'url', { value: safe, configurable: true })
    } catch {
      // A frozen response keeps its own url; printing still goes through toJSON and inspect.
    }
  }
  return response
}

/**
 * The server answered with a 4xx or 5xx status (after any retries).
 * `data` is the parsed body, typed by the caller: `client.get<User, ApiProblem>(...)`.
 *
 * Also carries ofetch's `FetchError` field names (`statusCode`, `statusMessage`, `data`,
 * `response`), so code written for ofetch reads it unchanged. `data`, `headers` and `response`
 * are getters (not enumerable): printing or spreading the error never walks the raw response.
 */
export class HTTPError<T = unknown> extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'HTTPError'
  static override readonly code = 'ERR_HTTP' as const
  /** HTTP status code, e.g. 503. */
  readonly status: number
  /** HTTP status text, e.g. 'Service Unavailable' (may be empty over HTTP/2). */
  readonly statusText: string
  readonly #data: T
  readonly #response: Response

  constructor(options: HTTPErrorOptions<T>) {
    const { status, statusText } = options.response
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''}`, options)
    this.status = status
    this.statusText = statusText
    this.#data = options.data
    this.#response = redactedResponse(options.response)
  }

  /** The parsed response body (JSON, text, ...), as the response type says. */
  get data(): T {
    return this.#data
  }

  /** The response itself (its body is already consumed into `data`; its `url` is redacted). */
  get response(): Response {
    return this.#response
  }

  /** Response headers. */
  get headers(): Headers {
    return this.#response.headers
  }

  /** ofetch's name for {@link status}. */
  get statusCode(): number {
    return this.status
  }

  /** ofetch's name for {@link statusText}. */
  get statusMessage(): string {
    return this.statusText
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      statusText: this.statusText,
      response: { status: this.status, statusText: this.statusText, url: this.#response.url, headers: redactHeaders(this.#response.headers) },
    }
  }
}

/** True for an {@link HTTPError} from any installed copy of volley. */
export function isHTTPError<T = unknown>(value: unknown): value is HTTPError<T> {
  return isVolleyError(value) && value.code === HTTPError.code
}
