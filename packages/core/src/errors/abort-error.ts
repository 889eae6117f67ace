import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/** The caller aborted the call (its `signal`, `pool.clear()`, `client.close()`). Never retried. */
export class AbortError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'AbortError'
  static override readonly code = 'ERR_ABORTED' as const
  /** The abort reason given by the caller (`signal.reason`, the `clear(reason)` argument). */
  readonly reason: unknown

  constructor(options: VolleyErrorOptions & { reason?: unknown }) {
    const reason = options.reason
    const detail = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason)
    super(detail && detail !== 'This operation was aborted' ? `aborted: ${detail}` : 'aborted', {
      ...options,
      cause: options.cause ?? reason,
    })
    this.reason = reason
  }
}

/** True for an {@link AbortError} from any installed copy of volley. */
export function isAbortError(value: unknown): value is AbortError {
  return isVolleyError(value) && value.code === AbortError.code
}
