import type { VolleyError } from '../errors/volley-error.js'

/** The types the fan-out helpers share (fan-out.ts, as-completed.ts, fan-out-utils.ts): imported, never importing them. */

/** Options of {@link map}. */
export interface MapOptions {
  /**
   * Most `fn` calls running at once: a positive integer or `Infinity`.
   * @default Infinity
   */
  concurrency?: number
  /**
   * Aborts everything: no new `fn` call starts and running ones see their signal abort.
   * @default undefined
   */
  signal?: AbortSignal
  /**
   * `true`: the first rejection aborts the rest and `map` rejects with it. `false`: everything
   * runs and `map` rejects at the end with an `AggregateError` of every failure, in input order.
   * @default true
   */
  stopOnError?: boolean
}

/**
 * The outcome of one item: its value or its error, and its position in the input. The error is
 * always a volley error: one a call threw as it is, anything else wrapped in a `VolleyError` whose
 * `cause` is what was thrown.
 */
export type Settled<T> = { ok: true; value: T; index: number } | { ok: false; error: VolleyError; index: number }

/** The function applied to each item; `signal` aborts when the whole fan-out is cancelled. */
export type FanOutFn<T, R> = (item: T, index: number, signal: AbortSignal) => Promise<R> | R
