import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/** The client was closed: queued calls are rejected and later calls fail with this error. */
export class ClientClosedError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'ClientClosedError'
  static override readonly code = 'ERR_CLIENT_CLOSED' as const

  constructor(options: VolleyErrorOptions = {}) {
    super('client is closed', options)
  }
}

/** True for a {@link ClientClosedError} from any installed copy of volley. */
export function isClientClosedError(value: unknown): value is ClientClosedError {
  return isVolleyError(value) && value.code === ClientClosedError.code
}
