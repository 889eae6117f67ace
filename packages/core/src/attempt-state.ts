import type { Clock, TimerHandle } from './clock.js'
import { TimeoutError, type RequestInfo } from './errors/index.js'
import type { ResolvedOptions } from './resolve-options.js'
import { linkedController, type LinkedController } from './signals.js'

/** Key under which an attempt's state rides on the options object ofetch hands to `fetch`. */
export const ATTEMPT = Symbol.for('volley.attempt')

/**
 * The live state of one attempt: its signal and timers, what the transport observed (status,
 * first byte, bytes each way) and whether its response body is still open. One per attempt;
 * `finish()` clears every timer and listener exactly once.
 */
export class AttemptState {
  readonly signal: AbortSignal
  readonly startedAt: number
  /** ms from start to response headers. */
  ttfbMs: number | undefined = undefined
  /** ms from start to the end of the body (or the failure). */
  durationMs: number | undefined = undefined
  bytesIn = 0
  bytesOut = 0
  status: number | undefined = undefined
  /** An error thrown by the transport itself (as opposed to a hook or a parser). */
  transportError: unknown = undefined
  /** True while a response body exists that is not fully read, cancelled or errored. */
  bodyOpen = false
  /** Why the response body failed after the headers (a reset, a timeout, a size limit), if it did. */
  bodyError: unknown = undefined
  /** Connection setup of this attempt, as reported by transports that see sockets (PHASE_TIMINGS). */
  connectMs: number | undefined = undefined
  tlsMs: number | undefined = undefined
  reusedSocket: boolean | undefined = undefined

  private readonly controller: LinkedController
  private readonly clock: Clock
  private attemptTimer: TimerHandle | undefined
  private idleTimer: TimerHandle | undefined
  private finished = false
  private onFinish: (() => void)[] = []

  constructor(
    readonly number: number,
    readonly options: ResolvedOptions,
    readonly request: RequestInfo,
    callSignal: AbortSignal,
    /** Call id for lifecycle events (0 when nobody listens). */
    readonly callId = 0,
  ) {
    this.clock = options.clock
    this.controller = linkedController(callSignal)
    this.signal = this.controller.signal
    this.startedAt = this.clock.now()
    const limit = options.timeout.attempt
    if (limit !== undefined && !this.signal.aborted) {
      this.attemptTimer = this.clock.setTimeout(() => this.fail(new TimeoutError({ phase: 'attempt', limit, request })), limit)
    }
  }

  /** Aborts the attempt with `reason` (a timeout, a size limit); the first reason wins. */
  fail(reason: unknown): void {
    this.controller.abort(reason)
  }

  /** Starts the idle timer: we are waiting on the network (headers or the next chunk). */
  armIdle(): void {
    const limit = this.options.timeout.idle
    if (limit === undefined || this.finished) return
    if (this.idleTimer !== undefined) this.clock.clearTimeout(this.idleTimer)
    this.idleTimer = this.clock.setTimeout(() => this.fail(new TimeoutError({ phase: 'idle', limit, request: this.request })), limit)
  }

  /** Data arrived (or we stopped waiting). */
  disarmIdle(): void {
    if (this.idleTimer !== undefined) {
      this.clock.clearTimeout(this.idleTimer)
      this.idleTimer = undefined
    }
  }

  /** Runs `callback` when the attempt finishes (at once if it already has). */
  whenFinished(callback: () => void): void {
    if (this.finished) callback()
    else this.onFinish.push(callback)
  }

  get isFinished(): boolean {
    return this.finished
  }

  /** Ends the attempt: timers cleared, the call signal unlinked, listeners told. Idempotent. */
  finish(): void {
    if (this.finished) return
    this.finished = true
    this.bodyOpen = false
    this.durationMs = this.clock.now() - this.startedAt
    if (this.attemptTimer !== undefined) this.clock.clearTimeout(this.attemptTimer)
    this.disarmIdle()
    this.controller.dispose()
    const callbacks = this.onFinish
    this.onFinish = []
    for (const callback of callbacks) callback()
  }
}
