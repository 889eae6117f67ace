import { AbortToken } from './abort-token.js'
import type { TimerHandle } from '../runtime/clock.js'
import { BodyTooLargeError, NetworkError, TimeoutError, isVolleyError, type RequestInfo } from '../errors/index.js'
import { announcedLength } from './announced-length.js'
import { classifyFailure } from '../errors/classify-failure.js'
import type { PolicyEvent, VolleyEvent } from '../observe/events.js'
import type { AttemptContext, Release } from '../policies/policy.js'
import type { ResolvedOptions } from '../options/resolve-options.js'
import type { BodyObserver, PhaseTimings, Transport, TransportAttempt } from '../runtime/transport.js'

/** What an attempt needs from its call. */
export interface CallScope {
  readonly options: ResolvedOptions
  /** The request as errors and events name it (method, redacted URL), built on first use. */
  request(): RequestInfo
  /** Call id for lifecycle events; 0 when nobody listens. */
  readonly id: number
  /** The URL must be checked when it is sent (the hooks could rewrite it). */
  readonly deferValidation: boolean
  /** The target's origin ('' when the call has no policy). */
  readonly origin: string
  /** Reports a policy's event in the call's timeline. */
  readonly emitPolicy: (event: PolicyEvent) => void
  emit(event: VolleyEvent): void
  /** The attempt is handed to its transport now: from here on it counts as a request sent. */
  sending(attempt: Attempt): void
}

/**
 * One attempt: its abort token and timers, what the transport observed (status, first byte, bytes
 * each way, connection timings) and whether its response body is still open. It is the
 * {@link TransportAttempt} a transport receives, the {@link AttemptContext} policies see, and the
 * {@link BodyObserver} its body reports to. `finish()` clears every timer and listener exactly once.
 */
export class Attempt implements TransportAttempt, AttemptContext, BodyObserver {
  /** Aborts the attempt: a timeout, the call's abort, a size limit. */
  readonly signal = new AbortToken()
  readonly startedAt: number
  /** ms from start to response headers. */
  ttfbMs: number | undefined
  /** ms from start to the end of the body (or the failure). */
  durationMs: number | undefined
  bytesIn = 0
  bytesOut = 0
  status: number | undefined
  /** An error thrown by the transport itself (as opposed to a hook or a parser). */
  transportError: unknown
  /** Why the response body failed after the headers (a reset, a timeout, a size limit), if it did. */
  bodyError: unknown
  connectMs: number | undefined
  tlsMs: number | undefined
  reusedSocket: boolean | undefined
  /** The transport reads the body itself and reports here (it called `observe()`). */
  observed = false
  /**
   * How the attempt went out: `'sent'` once its transport had it (only then does it count in meta,
   * events, metrics and policies' outcomes; one refused before, by a hook or a policy, was never a
   * request), `'shared'` when it rides on a request another call sent (dedupe: answered, but no
   * request of its own), `'none'` before either.
   */
  route: 'none' | 'sent' | 'shared' = 'none'
  transport: Transport
  uploaded: ((loaded: number) => void) | undefined
  init: RequestInit = {}
  /** Per-chunk listener a policy returned from `onResponse` (download progress). */
  #onChunk: ((bytes: number) => void) | undefined
  #onResponse: ((response: Response) => ((bytes: number) => void) | void)[] | undefined
  #onEnd: ((completed: boolean) => void)[] | undefined
  #attemptTimer: TimerHandle | undefined
  #idleTimer: TimerHandle | undefined
  /** When the current wait on the network began; undefined while not waiting. */
  #waitingSince: number | undefined
  /**
   * The attempt's life, in one field: `'live'` until a response body is open, `'body'` while it
   * is, then `'ended'` (the body was read to its end, or there was none) or `'done'` (failed,
   * cancelled or abandoned). Only {@link finish} leaves `'live'` or `'body'` for the last two.
   */
  #state: 'live' | 'body' | 'ended' | 'done' = 'live'
  /** The response was handed to volley (`responded`): body reports take effect from then on. */
  #open = false
  /** The body ended or failed while the transport still held the response (a small body, read in full before it resolved). */
  #early: 'end' | 'error' | undefined
  /** The fewest bytes a complete body can have, by its `Content-Length` (announced-length.ts). */
  #announced: number | undefined
  /** What admission took, until it is given back; undefined once it was. */
  #release: Release | undefined
  /** The call's verdict on the attempt ({@link close}): how admission gets it back. */
  #verdict: 'completed' | 'failed' | undefined
  /** Attempts holding this one's admission: itself, and the hedges riding on its pool slot ({@link lend}). */
  #holders = 1

  constructor(
    readonly scope: CallScope,
    readonly number: number,
    /** Gives back what admission took (pool slot, limiter): called once, by {@link close}. */
    release: Release,
    /** ms spent in line for admission before it was sent. */
    readonly queuedMs: number,
    /** A hedge: a parallel copy of an attempt in flight. */
    readonly hedge: boolean,
  ) {
    const { options } = scope
    this.#release = release
    this.transport = options.transport
    this.startedAt = options.clock.now()
    const limit = options.timeout.attempt
    if (limit !== undefined) {
      this.#attemptTimer = options.clock.setTimeout(() => this.fail(new TimeoutError({ phase: 'attempt', limit, request: scope.request() })), limit)
    }
  }

  get origin(): string {
    return this.scope.origin
  }

  /** The call this attempt belongs to, as an opaque per-call key (AttemptContext.call). */
  get call(): object {
    return this.scope
  }

  get callId(): number {
    return this.scope.id
  }

  get connectTimeout(): number | undefined {
    return this.scope.options.timeout.connect
  }
  get onUploadProgress() {
    return this.scope.options.onUploadProgress
  }
  get onDownloadProgress() {
    return this.scope.options.onDownloadProgress
  }
  get clock() {
    return this.scope.options.clock
  }
  get isFinished(): boolean {
    return this.#state === 'ended' || this.#state === 'done'
  }

  /** True while a response body exists that is not fully read, cancelled or errored. */
  get bodyOpen(): boolean {
    return this.#state === 'body'
  }

  /** A response body is open now (the transport or volley reads it); no-op once the attempt finished. */
  openBody(): void {
    if (this.#state === 'live') this.#state = 'body'
  }

  timings(timings: PhaseTimings): void {
    if (timings.connectMs !== undefined) this.connectMs = timings.connectMs
    if (timings.tlsMs !== undefined) this.tlsMs = timings.tlsMs
    if (timings.reusedSocket !== undefined) this.reusedSocket = timings.reusedSocket
  }

  observe(): BodyObserver {
    this.observed = true
    return this
  }

  /** The transport has the attempt: it counts as a request sent, unless it rides on another call's ({@link shared}). */
  handed(): void {
    if (this.route === 'shared') return
    this.route = 'sent'
    this.scope.sending(this)
  }

  /** The transport had the attempt, as a request of its own or riding on another's. */
  get handedOver(): boolean {
    return this.route !== 'none'
  }

  /** Aborts the attempt with `reason`; the first reason wins. */
  fail(reason: unknown): void {
    this.signal.abort(reason)
  }

  /**
   * Starts (or continues) a wait on the network: headers, the next chunk, the next upload pull.
   * One timer serves many waits: it is re-armed for the time left instead of being cleared and
   * set again per chunk (timer churn cost more than the rest of a download's bookkeeping).
   */
  armIdle(): void {
    const limit = this.scope.options.timeout.idle
    if (limit === undefined || this.isFinished) return
    this.#waitingSince = this.clock.now()
    if (this.#idleTimer === undefined) this.#idleTimer = this.clock.setTimeout(this.#onIdle, limit)
  }

  disarmIdle(): void {
    this.#waitingSince = undefined
  }

  readonly #onIdle = (): void => {
    this.#idleTimer = undefined
    const since = this.#waitingSince
    if (since === undefined || this.isFinished) return
    const limit = this.scope.options.timeout.idle as number
    const left = since + limit - this.clock.now()
    if (left > 0) this.#idleTimer = this.clock.setTimeout(this.#onIdle, left)
    else this.fail(new TimeoutError({ phase: 'idle', limit, request: this.scope.request() }))
  }

  onResponse(listener: (response: Response) => ((bytes: number) => void) | void): void {
    ;(this.#onResponse ??= []).push(listener)
  }

  emit(event: PolicyEvent): void {
    this.scope.emitPolicy(event)
  }

  onEnd(listener: (completed: boolean) => void): void {
    if (this.isFinished) listener(this.#state === 'ended')
    else (this.#onEnd ??= []).push(listener)
  }

  /** A policy watches the body's chunks (download progress). */
  get watched(): boolean {
    return this.#onChunk !== undefined
  }

  /** The response headers arrived: policies watching responses get to see it. */
  responded(response: Response): void {
    this.#open = true
    this.#announced = announcedLength(response, this.scope.options.method)
    const listeners = this.#onResponse
    if (listeners) this.#notify(response, listeners)
    // What the body did before we had the response takes effect now, after the watchers.
    if (this.#early === 'end') this.end()
    else if (this.#early === 'error') this.finish()
  }

  #notify(response: Response, listeners: ((response: Response) => ((bytes: number) => void) | void)[]): void {
    for (const listener of listeners) {
      const onChunk = listener(response)
      if (onChunk) {
        // Bytes a transport reported before the headers were handed over (it observes its own body).
        if (this.bytesIn > 0) onChunk(this.bytesIn)
        const previous = this.#onChunk
        this.#onChunk = previous ? (bytes) => (previous(bytes), onChunk(bytes)) : onChunk
      }
    }
  }

  // BodyObserver: what the body reports as it is read (by volley's wrapper or by the transport).
  waiting(): void {
    this.armIdle()
  }

  chunk(bytes: number): unknown {
    this.#waitingSince = undefined
    this.bytesIn += bytes
    const limit = this.scope.options.maxBodySize
    if (this.bytesIn > limit) {
      const reason = new BodyTooLargeError({ limit, request: this.scope.request() })
      this.fail(reason)
      this.bodyError = reason
      this.finish()
      return reason
    }
    this.#onChunk?.(bytes)
    return undefined
  }

  end(): unknown {
    if (!this.#open) {
      this.#early = 'end'
      return undefined
    }
    const announced = this.#announced
    if (announced !== undefined && this.bytesIn < announced) {
      // A cut connection that the engine reported as a clean end (docs/DESIGN.md#failures-after-the-headers).
      const message = `the body ended after ${this.bytesIn} bytes, short of its Content-Length: the connection was cut`
      return this.error(new NetworkError({ message, request: this.scope.request() }))
    }
    this.finish(true)
    return undefined
  }

  error(cause: unknown): unknown {
    let reason: unknown
    if (this.signal.aborted) reason = this.signal.reason
    else if (isVolleyError(cause)) reason = cause
    else {
      this.transportError = cause
      reason = classifyFailure(cause, this.scope.request(), this.scope.options.networkFailures)
    }
    this.bodyError = reason
    if (this.#open) this.finish()
    else this.#early = 'error'
    return reason
  }

  cancel(): void {
    this.finish()
  }

  /**
   * The call is done with this attempt, with `outcome` (the first verdict wins). What admission
   * took (pool slot, limiter) is given back here and nowhere else, exactly once, when the attempt
   * has ended, body included: `'refused'` when it never reached its transport, `outcome` otherwise.
   */
  close(outcome: 'completed' | 'failed'): void {
    this.#verdict ??= outcome
    if (this.isFinished) this.#giveBack()
  }

  #giveBack(): void {
    if (this.#release === undefined || this.#verdict === undefined || this.#returned) return
    this.#returned = true
    this.#drop(this.handedOver ? this.#verdict : 'refused')
  }

  /** This attempt gave back its own hold ({@link close}). */
  #returned = false

  /**
   * A hedge rides on this attempt's admission (its pool slot) instead of waiting for one of its own
   * (docs/DESIGN.md#hedging): the slot is given back when the last of them is done, with that
   * one's outcome. Returns the hedge's release.
   */
  lend(): Release {
    if (this.#release === undefined) return () => {}
    this.#holders++
    let held = true
    return (outcome) => {
      if (!held) return
      held = false
      this.#drop(outcome ?? 'completed')
    }
  }

  /** The outcome the slot goes back with: the last holder's that was sent, else `'refused'`. */
  #outcome: 'completed' | 'failed' | 'refused' = 'refused'

  #drop(outcome: 'completed' | 'failed' | 'refused'): void {
    if (outcome !== 'refused') this.#outcome = outcome
    const release = this.#release
    if (release === undefined || --this.#holders > 0) return
    this.#release = undefined
    release(this.#outcome)
  }

  /** Ends the attempt: timers cleared, listeners told, admission given back if the call closed it. Idempotent. */
  finish(ended = false): void {
    if (this.isFinished) return
    this.#state = ended ? 'ended' : 'done'
    this.#waitingSince = undefined
    const { clock } = this.scope.options
    this.durationMs = clock.now() - this.startedAt
    if (this.#attemptTimer !== undefined) clock.clearTimeout(this.#attemptTimer)
    if (this.#idleTimer !== undefined) clock.clearTimeout(this.#idleTimer)
    this.signal.clear()
    const listeners = this.#onEnd
    this.#onEnd = undefined
    if (listeners) for (const listener of listeners) listener(ended)
    this.#giveBack()
  }
}
