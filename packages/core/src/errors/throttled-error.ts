import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/**
 * The retry budget's adaptive throttling refused the call locally: the origin has been rejecting
 * most requests lately, so this one was not sent (Google SRE book, "Handling Overload"). Never
 * retried.
 */
export class ThrottledError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'ThrottledError'
  static override readonly code = 'ERR_THROTTLED' as const
  /** The origin that was spared the request. */
  readonly origin: string
  /** The probability with which calls to the origin were being refused. */
  readonly probability: number

  constructor(options: VolleyErrorOptions & { origin: string; probability: number }) {
    super(`throttled locally: ${options.origin} rejected most recent requests (refusing ${Math.round(options.probability * 100)}% of calls)`, options)
    this.origin = options.origin
    this.probability = options.probability
  }
}

/** True for a {@link ThrottledError} from any installed copy of volley. */
export function isThrottledError(value: unknown): value is ThrottledError {
  return isVolleyError(value) && value.code === ThrottledError.code
}
