import { VolleyError, isVolleyError, type VolleyErrorOptions } from '@volley/core'

/**
 * The server broke the protocol in a way that retrying the same request would only repeat: a 206
 * for a range that was not asked for (or for no range at all), again after `download()` restarted
 * from zero, or a resumed transfer whose total contradicts the one the server first announced.
 * Not retried. Its stable `code` is `ERR_PROTOCOL`; check with {@link isProtocolError}.
 *
 * @example
 * const error = await download(url, path).catch((e) => e)
 * if (isProtocolError(error)) console.error(error.message) // "... answered 206 bytes 5-9/100 to Range: none ..."
 */
export class ProtocolError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'ProtocolError'
  static override readonly code = 'ERR_PROTOCOL' as const

  constructor(message: string, options: VolleyErrorOptions) {
    super(message, options)
  }
}

/**
 * True for a {@link ProtocolError}.
 *
 * @example
 * try { await download(url, path) } catch (error) { if (isProtocolError(error)) report(error.message) }
 */
export function isProtocolError(value: unknown): value is ProtocolError {
  return isVolleyError(value) && value.code === ProtocolError.code
}
