import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/** The response body grew past `maxBodySize`; it was cancelled without being buffered. Not retried. */
export class BodyTooLargeError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'BodyTooLargeError'
  static override readonly code = 'ERR_BODY_TOO_LARGE' as const
  /** The configured `maxBodySize` in bytes. */
  readonly limit: number

  constructor(options: VolleyErrorOptions & { limit: number }) {
    super(`response body exceeds maxBodySize of ${options.limit} bytes`, options)
    this.limit = options.limit
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limit: this.limit }
  }
}

/** True for a {@link BodyTooLargeError} from any installed copy of volley. */
export function isBodyTooLargeError(value: unknown): value is BodyTooLargeError {
  return isVolleyError(value) && value.code === BodyTooLargeError.code
}
