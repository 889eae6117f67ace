import { AbortError } from '../errors/abort-error.js'
import type { Settled } from './fan-out-types.js'
import { checkOptions, closeIterator, silence, toAbortError } from './fan-out-utils.js'
import { toVolleyError } from '../errors/to-volley-error.js'
import { describe } from '../options/describe.js'
import { inputError } from '../runtime/dev-text.js'

/** What `process.env.NODE_ENV` reads (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

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
    throw inputError('volley: asCompleted(): invalid `tasks`', () => process.env.NODE_ENV !== 'production' && `asCompleted: tasks must be an iterable, got ${describe(tasks)}`)
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
      outcome = { ok: false, error: toVolleyError(error), index }
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

