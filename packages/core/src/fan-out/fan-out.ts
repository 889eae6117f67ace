import { AbortError } from '../errors/abort-error.js'
import { check, closeIterator, toAbortError } from './fan-out-utils.js'
import { toVolleyError } from '../errors/to-volley-error.js'
import { describe } from '../options/describe.js'
import { inputError } from '../runtime/dev-text.js'
import type { FanOutFn, MapOptions, Settled } from './fan-out-types.js'

/** What `process.env.NODE_ENV` reads (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

export type { FanOutFn, MapOptions, Settled }

/**
 * Fan-out helpers (docs/DESIGN.md#fan-out-helpers): run a function over many items with a cap on how
 * many run at once, and one abort signal that cancels the lot and leaves nothing running. Items
 * are pulled lazily, never more than the cap ahead, so a crawl can pass a huge generator. The cap
 * is a counter here rather than a pool: nothing queues, the next item is simply not pulled yet.
 */

/** Why a fan-out stopped early: the first thing that aborted its internal signal. */
type Stop = { kind: 'failed' | 'aborted' | 'iterator'; error: unknown }

/**
 * Calls `fn` on every item, at most `concurrency` at a time, and resolves with the results in
 * input order.
 *
 * Rejections, each only once every call already started has settled: with the first error
 * (`stopOnError: true`, the others' signals aborted with an `AbortError` whose reason is that
 * error); with an `AggregateError` of all failures in input order (`stopOnError: false`); with an
 * `AbortError` whose `reason` is `signal.reason` when `signal` aborts (the reason itself if it
 * already is an `AbortError`); with the iterable's own error if iterating throws.
 *
 * @example
 * const users = await map(ids, (id, _, signal) => client.get<User>(`/users/${id}`, { signal }), {
 *   concurrency: 8,
 *   signal: AbortSignal.timeout(10_000),
 * })
 */
export async function map<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  fn: FanOutFn<T, R>,
  options: MapOptions = {},
): Promise<R[]> {
  const concurrency = check('map', items, fn, options)
  if (options.stopOnError !== undefined && typeof options.stopOnError !== 'boolean') {
    throw inputError('volley: map(): invalid option `stopOnError`', () => process.env.NODE_ENV !== 'production' && `map: stopOnError must be a boolean, got ${describe(options.stopOnError)}`)
  }
  const results: R[] = []
  const failures: Array<{ index: number; error: unknown }> = []
  const record = (index: number, ok: boolean, value: unknown): void => {
    if (ok) results[index] = value as R
    else failures.push({ index, error: value })
  }
  const { started, stop } = await drive(items, fn, concurrency, options.signal, options.stopOnError ?? true, record)
  if (stop !== undefined) throw stop.kind === 'aborted' ? toAbortError(stop.error) : stop.error
  if (failures.length > 0) {
    failures.sort((a, b) => a.index - b.index)
    const errors = failures.map((failure) => failure.error)
    throw new AggregateError(errors, `map: ${errors.length} of ${started} calls failed`)
  }
  return results
}

/**
 * Like {@link map}, but resolves with a {@link Settled} per item, in input order, instead of
 * rejecting for failures (each a volley error, see {@link Settled}). When `signal` aborts,
 * started calls settle (usually as failures) and nothing new starts; if `items` is an array, each item not started is reported as
 * `{ ok: false, error: AbortError }` (one shared error whose `reason` is `signal.reason`), other
 * iterables are not drained (they may be endless). It rejects only when iterating `items` throws.
 *
 * @example
 * const outcomes = await settle(urls, (url, _, signal) => client.get(url, { signal }), { concurrency: 4 })
 * const failed = outcomes.filter((outcome) => !outcome.ok)
 */
export async function settle<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  fn: FanOutFn<T, R>,
  options: Omit<MapOptions, 'stopOnError'> = {},
): Promise<Array<Settled<R>>> {
  const concurrency = check('settle', items, fn, options)
  const results: Array<Settled<R>> = []
  const record = (index: number, ok: boolean, value: unknown): void => {
    results[index] = ok ? { ok: true, value: value as R, index } : { ok: false, error: toVolleyError(value), index }
  }
  const { started, stop } = await drive(items, fn, concurrency, options.signal, false, record)
  if (stop?.kind === 'iterator') throw stop.error
  if (stop?.kind === 'aborted' && Array.isArray(items)) {
    const error = toAbortError(stop.error)
    for (let index = started; index < items.length; index++) results[index] = { ok: false, error, index }
  }
  return results
}

/**
 * The engine of map and settle: pulls items lazily, keeps at most `concurrency` calls running,
 * stops on abort (or the first failure with `stopOnError`), and resolves only once every started
 * call has settled.
 */
async function drive<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  fn: FanOutFn<T, R>,
  concurrency: number,
  outer: AbortSignal | undefined,
  stopOnError: boolean,
  record: (index: number, ok: boolean, value: unknown) => void,
): Promise<{ started: number; stop: Stop | undefined }> {
  const controller = new AbortController()
  const signal = controller.signal
  let stop: Stop | undefined
  const stopWith = (kind: Stop['kind'], error: unknown): void => {
    if (signal.aborted) return
    stop = { kind, error }
    controller.abort(kind === 'aborted' ? error : new AbortError({ reason: error }))
  }
  const onOuterAbort = (): void => stopWith('aborted', (outer as AbortSignal).reason)
  if (outer?.aborted) onOuterAbort()
  else outer?.addEventListener('abort', onOuterAbort, { once: true })

  let running = 0
  let wake: (() => void) | undefined
  const sleep = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve))
  const wakeUp = (): void => {
    const resume = wake
    wake = undefined
    resume?.()
  }
  const settled = (index: number, ok: boolean, value: unknown): void => {
    running--
    record(index, ok, value)
    if (!ok && stopOnError) stopWith('failed', value)
    wakeUp()
  }
  // Calls fn synchronously (an async function runs until its first await) and never rejects.
  const start = async (item: T, index: number): Promise<void> => {
    running++
    let ok = true
    let value: unknown
    try {
      value = await fn(item, index, signal)
    } catch (error) {
      ok = false
      value = error
    }
    settled(index, ok, value)
  }

  const isAsync = typeof (items as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function'
  const iterator = isAsync
    ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
    : (items as Iterable<T>)[Symbol.iterator]()
  // A pending next() of a slow generator must not hold up an abort.
  const aborted = isAsync ? new Promise<'aborted'>((resolve) => signal.addEventListener('abort', () => resolve('aborted'))) : undefined
  let index = 0
  let exhausted = false
  try {
    while (!signal.aborted) {
      if (running >= concurrency) {
        await sleep()
        continue
      }
      const next = iterator.next()
      const step = aborted === undefined ? (next as IteratorResult<T>) : await Promise.race([next, aborted])
      if (step === 'aborted' || signal.aborted) break
      if (step.done) {
        exhausted = true
        break
      }
      void start(step.value, index++)
    }
  } catch (error) {
    exhausted = true // an iterator that threw is finished
    stopWith('iterator', error)
  }
  if (!exhausted) closeIterator(iterator)
  while (running > 0) {
    await sleep()
  }
  outer?.removeEventListener('abort', onOuterAbort)
  return { started: index, stop }
}
