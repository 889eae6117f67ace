import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/** Which limit an {@link ItemTooLargeError} hit. */
export type StreamItem = 'line' | 'event'

/**
 * A line of a stream (`lines`, `ndjson`, `streamLines`, `streamNdjson`) grew past `maxLineLength`,
 * or an SSE event (`parseSSE`, `sse`, `streamSSE`) past `maxEventSize`, both counted in characters
 * (UTF-16 code units) while it was still unterminated. The stream was cancelled without buffering
 * more. Not retried, not reconnected: the server would send the same item again.
 */
export class ItemTooLargeError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'ItemTooLargeError'
  static override readonly code = 'ERR_ITEM_TOO_LARGE' as const
  /** `'line'` (maxLineLength) or `'event'` (maxEventSize). */
  readonly item: StreamItem
  /** The limit, in characters. */
  readonly limit: number

  constructor(options: VolleyErrorOptions & { item: StreamItem; limit: number }) {
    const option = options.item === 'line' ? 'maxLineLength' : 'maxEventSize'
    super(`a stream ${options.item} exceeds ${option} of ${options.limit} characters`, options)
    this.item = options.item
    this.limit = options.limit
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), item: this.item, limit: this.limit }
  }
}

/** True for an {@link ItemTooLargeError} from any installed copy of volley. */
export function isItemTooLargeError(value: unknown): value is ItemTooLargeError {
  return isVolleyError(value) && value.code === ItemTooLargeError.code
}
