import { AbortToken } from './abort-token.js'
import { sleep, type TimerHandle } from '../runtime/clock.js'
import { TimeoutError, type RequestInfo } from '../errors/index.js'
import type { ResolvedOptions } from '../options/resolve-options.js'

/** The calls listening to one caller signal, through a single listener of theirs. */
interface Watch {
  readonly deadlines: Set<Deadline>
  readonly listener: () => void
}

/**
 * One abort listener per caller signal, however many calls share it: a fan-out of hundreds of
 * calls on one AbortController would otherwise add hundreds of listeners (and Node warns past
 * ten). The listener goes when the signal's last call settles.
 */
const watches = new WeakMap<AbortSignal, Watch>()

function watch(signal: AbortSignal, deadline: Deadline): void {
  let entry = watches.get(signal)
  if (!entry) {
    const deadlines = new Set<Deadline>()
    const listener = (): void => {
      watches.delete(signal)
      for (const each of deadlines) each.abort(signal.reason)
    }
    entry = { deadlines, listener }
    watches.set(signal, entry)
    signal.addEventListener('abort', listener, { once: true })
  }
  entry.deadlines.add(deadline)
}

function unwatch(signal: AbortSignal, deadline: Deadline): void {
  const entry = watches.get(signal)
  if (!entry || !entry.deadlines.delete(deadline) || entry.deadlines.size > 0) return
  watches.delete(signal)
  signal.removeEventListener('abort', entry.listener)
}

/**
 * The call's deadline (docs/DESIGN.md#timeouts): the total timeout, the caller's signal and
 * `client.close()` joined into one abort, set up once per call. Aborting reaches the attempt in
 * flight and any retry wait; `dispose()` leaves no timer and no listener behind.
 */
export class Deadline {
  readonly token = new AbortToken()
  /** Epoch ms on the client's clock when the call times out; Infinity without a total timeout. */
  readonly at: number
  /** The attempt in flight, aborted with the call. */
  current: { fail(reason: unknown): void } | undefined
  readonly #options: ResolvedOptions
  #timer: TimerHandle | undefined
  #watching = false

  constructor(options: ResolvedOptions, startedAt: number, request: () => RequestInfo) {
    this.#options = options
    const { signal, timeout, clock } = options
    const limit = timeout.total
    this.at = limit === undefined ? Infinity : startedAt + limit
    if (signal) {
      if (signal.aborted) {
        this.token.abort(signal.reason)
        return
      }
      watch(signal, this)
      this.#watching = true
    }
    if (limit !== undefined) this.#timer = clock.setTimeout(() => this.abort(new TimeoutError({ phase: 'total', limit, request: request() })), limit)
  }

  /** Ends the call with `reason` (the first reason wins): the attempt in flight and any wait see it. */
  abort(reason: unknown): void {
    if (this.token.aborted) return
    this.token.abort(reason)
    this.current?.fail(reason)
  }

  /** Resolves after `ms`, or rejects with the abort's reason as soon as the call aborts. */
  wait(ms: number): Promise<void> {
    return sleep(ms, this.token, this.#options.clock)
  }

  /** The call settled: timers cleared, the caller's signal let go. Idempotent. */
  dispose(): void {
    if (this.#timer !== undefined) {
      this.#options.clock.clearTimeout(this.#timer)
      this.#timer = undefined
    }
    if (this.#watching) {
      this.#watching = false
      unwatch(this.#options.signal as AbortSignal, this)
    }
    this.token.clear()
    this.current = undefined
  }
}
