import { VolleyError, isVolleyError, type VolleyErrorOptions } from './volley-error.js'

/** The pool's queue already held `maxQueue` waiting requests; this one was refused at once. */
export class QueueFullError extends VolleyError {
  /** The class name, as a literal: minifiers rename classes, so `constructor.name` is not reliable. */
  override readonly name: string = 'QueueFullError'
  static override readonly code = 'ERR_QUEUE_FULL' as const
  /** The pool's `maxQueue`. */
  readonly maxQueue: number

  constructor(options: VolleyErrorOptions & { maxQueue: number }) {
    super(`pool queue is full (maxQueue ${options.maxQueue})`, options)
    this.maxQueue = options.maxQueue
  }
}

/** True for a {@link QueueFullError} from any installed copy of volley. */
export function isQueueFullError(value: unknown): value is QueueFullError {
  return isVolleyError(value) && value.code === QueueFullError.code
}
