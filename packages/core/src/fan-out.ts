import { AbortError, isAbortError } from './errors/abort-error.js'

/**
 * Fan-out helpers (DESIGN.md, Fan-out helpers): run a function over many items with a cap on how
 * many run at once, and one abort signal that cancels the lot and leaves nothing running. Items
 * are pulled lazily, never more than the cap ahead, so a crawl can pass a huge generator. The cap
 * is a counter here rather than a pool: nothing queues, the next item is simply not pulled yet.
 */

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

/** The outcome of one item: its value or its error, and its position in the input. */
export type Settled<T> = { ok: true; value: T; index: number } | { ok: false; error: unknown; index: number }

/** The function applied to each item; `signal` aborts when the whole fan-out is cancelled. */
export type FanOutFn<T, R> = (item: T, index: number, signal: AbortSignal) => Promise<R> | R

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
    throw new TypeError(`map: stopOnError must be a boolean, got ${describe(options.stopOnError)}`)
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
 * rejecting for failures. When `signal` aborts, started calls settle (usually as failures) and
 * nothing new starts; if `items` is an array, each item not started is reported as
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
    results[index] = ok ? { ok: true, value: value as R, index } : { ok: false, error: value, index }
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
 * Yields a {@link Settled} per task in completion order. A task is a promise (in flight from the
 * moment it is pulled) or a function that gets an abort signal and returns one; at most
 * `concurrency` tasks are in flight, and the iterable is pulled no further ahead than that.
 *
 * Leaving the loop early (`break`, `return()`, a throw in the loop body) aborts the signal of every
 * running function task, starts nothing new, and waits for those tasks to settle (not for plain
 * promises, which no signal can stop). When `options.signal` aborts, function tasks are yielded as
 * they settle, then the iterator throws an `AbortError` with the signal's reason.
 *
 * @example
 * for await (const outcome of asCompleted(mirrors.map((url) => (signal) => client.get(url, { signal })))) {
 *   if (outcome.ok) return outcome.value // the fastest mirror wins; the others are aborted
 * }
 */
export function asCompleted<T>(
  tasks: Iterable<Promise<T> | ((signal: AbortSignal) => Promise<T>)>,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): AsyncIterableIterator<Settled<T>> {
  if (typeof (tasks as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== 'function') {
    throw new TypeError(`asCompleted: tasks must be an iterable, got ${describe(tasks)}`)
  }
  return completions(tasks, checkOptions('asCompleted', options), options.signal)
}

async function* completions<T>(
  tasks: Iterable<Promise<T> | ((signal: AbortSignal) => Promise<T>)>,
  concurrency: number,
  outer: AbortSignal | undefined,
): AsyncGenerator<Settled<T>, void, undefined> {
  const controller = new AbortController()
  const signal = controller.signal
  let outerAborted = false
  const onOuterAbort = (): void => {
    if (signal.aborted) return
    outerAborted = true
    controller.abort((outer as AbortSignal).reason)
  }
  if (outer?.aborted) onOuterAbort()
  else outer?.addEventListener('abort', onOuterAbort, { once: true })

  const iterator = tasks[Symbol.iterator]()
  const ready: Array<Settled<T>> = []
  let readHead = 0
  let running = 0
  /** Function tasks running: the ones an abort reaches, and so the only ones worth waiting for. */
  let signalled = 0
  let pulled = 0
  let exhausted = false
  let wake: (() => void) | undefined
  const settled = (outcome: Settled<T>, isFunction: boolean): void => {
    running--
    if (isFunction) signalled--
    ready.push(outcome)
    wakeUp()
  }
  const track = async (task: Promise<T> | ((signal: AbortSignal) => Promise<T>), index: number): Promise<void> => {
    const isFunction = typeof task === 'function'
    running++
    if (isFunction) signalled++
    let outcome: Settled<T>
    try {
      outcome = { ok: true, value: await (isFunction ? task(signal) : task), index }
    } catch (error) {
      outcome = { ok: false, error, index }
    }
    settled(outcome, isFunction)
  }
  // Once aborted, a plain promise cannot be stopped, so it is no longer waited for.
  const busy = (): boolean => (signal.aborted ? signalled : running) > 0
  const sleep = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve))
  const wakeUp = (): void => {
    const resume = wake
    wake = undefined
    resume?.()
  }

  try {
    for (;;) {
      while (!exhausted && running < concurrency && !signal.aborted) {
        const step = iterator.next()
        if (step.done) {
          exhausted = true
          break
        }
        void track(step.value, pulled++)
      }
      if (readHead < ready.length) {
        const outcome = ready[readHead] as Settled<T>
        // Read from a moving head instead of shift() (O(n)); reset once everything was read.
        if (++readHead === ready.length) ready.length = readHead = 0
        yield outcome
      } else if (!busy()) {
        break
      } else {
        await sleep()
      }
    }
    if (outerAborted) throw toAbortError((outer as AbortSignal).reason)
  } finally {
    outer?.removeEventListener('abort', onOuterAbort)
    if ((running > 0 || !exhausted) && !signal.aborted) {
      controller.abort(new AbortError({ reason: 'asCompleted: iteration stopped early' }))
    }
    if (!exhausted) {
      closeIterator(iterator)
      // Promises never pulled must not surface later as unhandled rejections.
      if (Array.isArray(tasks)) for (let index = pulled; index < tasks.length; index++) silence(tasks[index])
    }
    while (busy()) {
      await sleep()
    }
  }
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

/** Validates what map and settle share; returns the concurrency. */
function check(name: string, items: unknown, fn: unknown, options: Omit<MapOptions, 'stopOnError'>): number {
  const iterable = items as Partial<Iterable<unknown> & AsyncIterable<unknown>> | null
  if (typeof iterable?.[Symbol.iterator] !== 'function' && typeof iterable?.[Symbol.asyncIterator] !== 'function') {
    throw new TypeError(`${name}: items must be an iterable or an async iterable, got ${describe(items)}`)
  }
  if (typeof fn !== 'function') throw new TypeError(`${name}: fn must be a function, got ${describe(fn)}`)
  return checkOptions(name, options)
}

function checkOptions(name: string, options: { concurrency?: number; signal?: AbortSignal }): number {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${name}: options must be an object, got ${describe(options)}`)
  }
  const concurrency = options.concurrency ?? Infinity
  if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw new TypeError(`${name}: concurrency must be a positive integer or Infinity, got ${describe(concurrency)}`)
  }
  const signal = options.signal as Partial<AbortSignal> | undefined
  if (signal !== undefined && (typeof signal?.addEventListener !== 'function' || typeof signal.aborted !== 'boolean')) {
    throw new TypeError(`${name}: signal must be an AbortSignal, got ${describe(signal)}`)
  }
  return concurrency
}

function toAbortError(reason: unknown): AbortError {
  return isAbortError(reason) ? reason : new AbortError({ reason })
}

/** Marks a promise as handled, so an ignored rejection is not reported as unhandled. */
function silence(value: unknown): void {
  if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') Promise.resolve(value).then(undefined, noop)
}

/** Lets a generator run its `finally` blocks; errors from doing so are not the caller's concern. */
function closeIterator(iterator: Iterator<unknown> | AsyncIterator<unknown>): void {
  try {
    silence(iterator.return?.())
  } catch {
    // A throwing return() cannot change the outcome.
  }
}

function noop(): void {}

/** Renders a rejected value for a `TypeError` message. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? 'a function' : String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}
