import { admit, type AdmissionScope } from './admission.js'
import { answer, callRequest } from './answer.js'
import { Attempt, type CallScope } from './attempt.js'
import { Deadline } from './deadline.js'
import { AbortError, isHTTPError, isTimeoutError, isVolleyError, type RequestInfo, type VolleyError } from '../errors/index.js'
import { emitTo, listening, nextCallId, type PolicyEvent, type VolleyEvent } from '../observe/events.js'
import { invalidUrl } from '../errors/invalid-url.js'
import { isReadableStream } from '../runtime/is-stream.js'
import type { AttemptMeta, Meta } from './meta.js'
import { runAttempt, type AttemptResult, type ParsedResponse } from './one-attempt.js'
import type { AttemptOutcome, HedgePlan, Policy, Release } from '../policies/policy.js'
import type { Transport } from '../runtime/transport.js'
import type { Racer } from './race.js'
import type { RaceScope } from './race-scope.js'
import { redactUrl } from '../observe/redact.js'
import { attemptEndEvent, codeOf, finishAttempt, recordAttempt, settleEvent, totalBytesIn } from './report.js'
import type { StandardSchemaV1 } from '../policies/standard-schema.js'
import type { ResolvedOptions } from '../options/resolve-options.js'
import { askRetry } from './retry.js'
import { isValidTarget, joinURL, originOf, withQuery } from '../options/url.js'

/** A Response with its parsed body and what happened on the way. */
export type VolleyResponse<T = unknown> = Response & {
  /** The parsed body (`responseType`), or the body stream for `'stream'`. */
  readonly data: T
  /** Timings, attempts and byte counts of the call. */
  readonly meta: Meta
}

/** One attempt and its outcome. */
type Exchange = { attempt: Attempt; result: AttemptResult }

/** A live call as its client sees it, so `client.close()` can reach it. */
export interface LiveCall {
  /**
   * True once the call is no longer only queued: an attempt was sent, or the call rides on a
   * request another call sent (dedupe). `client.close()` drains these and refuses the rest.
   */
  sent: boolean
  abort(reason: unknown): void
  /** Resolves when the call has settled (body included). */
  readonly settled: Promise<void>
}

/** What a client lends each of its calls. */
export interface CallContext {
  /** Registers a live call; returns the function that unregisters it. */
  readonly track?: (call: LiveCall) => () => void
}

const noRelease: Release = () => {}

function isStreamBody(body: unknown): boolean {
  return isReadableStream(body) || typeof (body as { pipe?: unknown } | undefined)?.pipe === 'function'
}

/** A random UUID for `idempotencyKey: true` (crypto.randomUUID where available). */
function uuid(): string {
  const c = globalThis.crypto as Crypto | undefined
  if (c?.randomUUID) return c.randomUUID()
  const bytes = new Uint8Array(16)
  if (c?.getRandomValues) c.getRandomValues(bytes)
  else bytes.forEach((_, i) => (bytes[i] = Math.floor(Math.random() * 256)))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * One call, start to settle (docs/DESIGN.md#how-a-request-flows). `execute` only composes: the deadline
 * (deadline.ts), admission by the policies (admission.ts), one ofetch attempt (one-attempt.ts),
 * the retry decision (retry.ts), and the report (report.ts). Settles exactly once, with the
 * response (`data`, `meta`) or one typed error.
 */
export async function execute<T>(options: ResolvedOptions, url: string | Request, context: CallContext = {}): Promise<VolleyResponse<T>> {
  const call = new Call(options, url, context)
  try {
    return await run<T>(call)
  } catch (error) {
    // Anything not settled on the way (a bug, an exotic throw) still settles the call once.
    throw call.fail(error)
  }
}

async function run<T>(call: Call): Promise<VolleyResponse<T>> {
  const { options } = call
  if (call.answering) {
    const answered = await call.answer<T>(undefined)
    if (answered) return answered
  }
  for (;;) {
    const queuedAt = call.queue()
    const number = call.started
    let attempt: Attempt
    let result: AttemptResult
    if (options.policies.length === 0) {
      // Nothing to share, admit or race: the attempt goes out at once (a bare client's whole path).
      attempt = call.attempt(number, noRelease, options.clock.now() - queuedAt, false)
      call.watch(attempt)
      result = await runAttempt(attempt, call.input(), call.headers)
    } else {
      const sent = await call.exchange(number, queuedAt)
      // A policy answered instead of the refused admission (a stale response over an open breaker).
      if (!('result' in sent)) return sent as VolleyResponse<T>
      attempt = sent.attempt
      result = sent.result
    }
    if (result.ok) {
      // A response means the transport had the attempt: it is recorded.
      const entry = call.record(attempt, result, false)!
      if (options.schema !== undefined) await call.validate(result.response, attempt, entry)
      return call.succeed<T>(result.response, attempt, entry)
    }

    const entry = call.failed(attempt, result, 'failed')
    const delay = await call.retryDelay(result.error, attempt.number, result.response)
    if (entry) entry.retryDelayMs = delay
    await call.wait(delay)
  }
}

/** The state of one call; the steps above are its methods. */
export class Call implements CallScope, AdmissionScope, RaceScope, LiveCall {
  readonly startedAt: number
  readonly target: string
  /** A Request given as input; each attempt sends a clone of it. */
  readonly #request0: Request | undefined
  /** The URL is checked after the hooks (which may rewrite it) rather than before. */
  readonly deferValidation: boolean
  readonly origin: string
  readonly headers: Record<string, string>
  readonly keyed: boolean
  readonly retryLimit: number
  readonly id: number
  readonly deadline: Deadline
  readonly meta: Meta
  readonly previous: VolleyError[] = []
  /** A policy may answer this call itself (the answer seam, answer.ts). */
  readonly answering: boolean
  /** The policy that shares identical calls' requests (dedupe), when this call may be shared. */
  readonly #sharer: Policy | undefined
  sent = false
  /** Attempts started so far (retries and hedges included): the next one's number is this + 1. */
  started = 0
  #emitPolicy: ((event: PolicyEvent) => void) | undefined
  #request: RequestInfo | undefined
  #done = false
  #untrack: (() => void) | undefined
  #settled: Promise<void> | undefined
  #markSettled: (() => void) | undefined

  constructor(
    readonly options: ResolvedOptions,
    url: string | Request,
    context: CallContext,
  ) {
    const { clock, policies } = options
    this.startedAt = clock.now()
    this.#request0 = typeof url === 'string' ? undefined : url
    this.target = typeof url === 'string' ? joinURL(options.baseURL, url) : url.url
    // Hooks run before the URL is checked, as in ofetch: `onRequest` may make a relative URL
    // absolute, and `onRequestError` sees a URL that is still invalid (send.ts checks it then).
    this.deferValidation = options.onRequest !== undefined || options.onRequestError !== undefined
    if (!this.deferValidation && !isValidTarget(this.target)) throw invalidUrl(this.target)
    this.origin = policies.length ? originOf(this.target) : ''
    this.answering = policies.length > 0 && this.#request0 === undefined && policies.some((policy) => policy.answer || policy.rescue)
    this.#sharer = policies.length > 0 && this.#request0 === undefined ? policies.find((policy) => policy.share) : undefined
    const listeners = options.onEvent
    this.id = listeners.length && listening(listeners) ? nextCallId() : 0
    this.keyed = options.idempotencyKey !== false
    this.headers = this.keyed && !options.headers['idempotency-key']
      ? { ...options.headers, 'idempotency-key': typeof options.idempotencyKey === 'string' ? options.idempotencyKey : uuid() }
      : (options.headers as Record<string, string>)
    // A stream body is consumed by the first attempt; it cannot be sent again. (A Request's body
    // is cloned per attempt.)
    this.retryLimit = isStreamBody(options.body) ? 0 : options.retry.limit
    this.meta = { method: options.method, url: this.request().url, startedAt: this.startedAt, attempts: 0, retries: 0, hedges: 0, status: undefined, queuedMs: 0, ttfbMs: undefined, durationMs: 0, bytesIn: 0, bytesOut: 0, timings: [] }
    this.deadline = new Deadline(options, this.startedAt, () => this.request())
    this.#untrack = context.track?.(this)
    for (const policy of policies) policy.start?.(this.origin)
    if (this.id) this.emit({ type: 'start', id: this.id, time: this.startedAt, method: options.method, url: this.request().url })
  }

  /** What one attempt sends: the URL, or a fresh clone of the Request given as input. */
  input(): string | Request {
    return this.#request0 ? this.#request0.clone() : this.target
  }

  /** The request as errors, events and logs name it: method and redacted URL, built on first use. */
  request(): RequestInfo {
    return (this.#request ??= { method: this.options.method, url: redactUrl(withQuery(this.target, this.options.query)) })
  }

  emit(event: VolleyEvent): void {
    emitTo(this.options.onEvent, event)
  }

  get token() {
    return this.deadline.token
  }

  get settled(): Promise<void> {
    return (this.#settled ??= this.#done ? Promise.resolve() : new Promise<void>((resolve) => (this.#markSettled = resolve)))
  }

  abort(reason: unknown): void {
    this.deadline.abort(reason)
  }

  admitted(policy: Policy, attempt: number): void {
    if (this.id && policy.grantsSlot) this.emit({ type: 'slot', id: this.id, time: this.options.clock.now(), attempt })
  }

  /** Policies report their events (a breaker's state, an offline wait) in this call's timeline. */
  get emitPolicy(): (event: PolicyEvent) => void {
    return (this.#emitPolicy ??= (event) => {
      if (event.type === 'cache') this.meta.cache = event.status
      if (this.id) this.emit({ ...event, id: this.id, time: this.options.clock.now() } as VolleyEvent)
    })
  }

  /**
   * Attempt `number`, from its place in line to its outcome. Identical calls share one request
   * before admission (`Policy.share`, dedupe): a joiner waits for the leader's request and takes
   * no slot or token. Otherwise the policies admit the attempt (or answer the call instead), and it
   * is sent, raced against hedges when a policy hedges.
   */
  async exchange(number: number, queuedAt: number): Promise<Exchange | VolleyResponse<unknown>> {
    const { options } = this
    let ride = this.#sharer?.share!(callRequest(this), number, this.token)
    try {
      while (ride?.joined) {
        const transport = await this.join(ride.joined)
        if (transport) {
          // Riding on a request in flight: close() drains this call like one it sent.
          this.sent = true
          const attempt = this.attempt(number, noRelease, options.clock.now() - queuedAt, false)
          attempt.route = 'shared'
          attempt.transport = transport
          this.watch(attempt)
          return { attempt, result: await runAttempt(attempt, this.input(), this.headers) }
        }
        // The leader left without sending: ask again, and one of the calls left leads.
        ride.done()
        ride = this.#sharer!.share!(callRequest(this), number, this.token)
      }
      const admitted = await this.admit(number)
      if (typeof admitted !== 'function') return admitted
      const first = this.attempt(number, admitted, options.clock.now() - queuedAt, false)
      if (ride?.lead) first.transport = ride.lead(first.transport)
      this.watch(first)
      const hedging = this.racer()
      if (hedging) return await hedging.racer.race(this, first, hedging.plan)
      return { attempt: first, result: await runAttempt(first, this.input(), this.headers) }
    } finally {
      ride?.done()
    }
  }

  /** A joiner's wait for the request it shares; the call's abort ends it. */
  async join(joined: Promise<Transport | undefined>): Promise<Transport | undefined> {
    try {
      return await joined
    } catch {
      throw this.fail(this.abortError())
    }
  }

  /** Waits for the policies' admission; a failure there ends the call, unless a policy answers it instead. */
  async admit(number: number): Promise<Release | VolleyResponse<unknown>> {
    try {
      return await admit(this, number, false)
    } catch (error) {
      if (this.token.aborted) throw this.fail(this.abortError())
      const answered = this.answering ? await this.answer(error) : undefined
      if (answered) return answered
      throw this.fail(error)
    }
  }

  /**
   * A policy's answer to the call (answer.ts): before admission, or in place of a refusal. The
   * answer is parsed like a response and ends the call when its body does.
   */
  async answer<T>(refusal: unknown): Promise<VolleyResponse<T> | undefined> {
    const answered = await answer(this, refusal === undefined ? undefined : { error: refusal })
    if (!answered) return undefined
    if (!answered.ok) throw this.fail(answered.error)
    this.meta.status = answered.response.status
    return this.succeed<T>(answered.response, answered.attempt, undefined)
  }

  /** A new attempt, admitted with `release` after `queuedMs` in line: it is sent now. */
  attempt(number: number, release: Release, queuedMs: number, hedge: boolean): Attempt {
    const attempt = new Attempt(this, number, release, queuedMs, hedge)
    if (this.token.aborted) attempt.fail(this.token.reason)
    return attempt
  }

  sending(attempt: Attempt): void {
    this.sent = true
    if (this.id) this.emit({ type: 'sent', id: this.id, time: this.options.clock.now(), attempt: attempt.number, queuedMs: attempt.queuedMs })
  }

  /** The policy that races hedges against this call's attempt in flight, and its plan, if one wants to. */
  racer(): { racer: Racer; plan: HedgePlan } | undefined {
    // A stream body can be sent only once.
    if (this.retryLimit === 0 && isStreamBody(this.options.body)) return undefined
    for (const policy of this.options.policies as readonly (Policy & Partial<Racer>)[]) {
      const plan = policy.race && policy.hedgeAfter?.(this.origin, this.options.method)
      if (plan && plan.max > 0) return { racer: policy as Racer, plan }
    }
    return undefined
  }

  /** What the call's deadline and abort reach now: the attempt in flight (or a race's attempts). */
  watch(target: { fail(reason: unknown): void }): void {
    this.deadline.current = target
  }

  /** The next attempt (a retry, a hedge) takes its number (`started`) and its place in line now: returns when. */
  queue(): number {
    const number = ++this.started
    const queuedAt = this.options.clock.now()
    if (this.id) this.emit({ type: 'queued', id: this.id, time: queuedAt, attempt: number })
    return queuedAt
  }

  /** A hedge goes out, `after` ms after the attempt it hedges (race.ts). */
  hedged(attempt: Attempt, after: number): void {
    this.meta.hedges++
    if (this.id) this.emit({ type: 'hedge', id: this.id, time: attempt.startedAt, attempt: attempt.number, after })
  }

  /**
   * Asks the policies whether a retry or a hedge may be spent (a retry budget); the first that
   * refuses is named in `meta.refused` and a `refused` event.
   */
  allow(kind: 'retry' | 'hedge', number: number): boolean {
    for (const policy of this.options.policies) {
      if (policy.allow && !policy.allow(this.origin, kind)) {
        this.refused(policy, kind, number)
        return false
      }
    }
    return true
  }

  /** `policy` refused this call a retry or a hedge: `meta.refused` and a `refused` event name it. */
  refused(policy: Policy, kind: 'retry' | 'hedge', number: number): void {
    this.meta.refused = policy.name
    if (this.id) this.emit({ type: 'refused', id: this.id, time: this.options.clock.now(), attempt: number, policy: policy.name, kind })
  }

  /**
   * Records an attempt's outcome in `meta` and tells the policies that listen for outcomes. An
   * attempt never handed to its transport was no request: it is not recorded (undefined).
   */
  record(attempt: Attempt, result: AttemptResult, abandoned: boolean): AttemptMeta | undefined {
    if (!attempt.handedOver) return undefined
    const error = result.ok ? undefined : result.error
    const entry = recordAttempt(this.meta, attempt, attempt.queuedMs, attempt.startedAt, error)
    const { policies } = this.options
    // A shared attempt's request is the sender's: its outcome reaches the policies once, there.
    if (policies.length === 0 || attempt.route === 'shared') return entry
    let outcome: AttemptOutcome | undefined
    for (const policy of policies) {
      if (!policy.attempted) continue
      outcome ??= {
        origin: this.origin,
        method: this.options.method,
        attempt: attempt.number,
        hedge: attempt.hedge,
        error,
        // The caller's abort (not a timeout) says nothing about the server.
        abandoned: abandoned || (this.token.aborted && !isTimeoutError(this.token.reason)),
        status: attempt.status,
        elapsedMs: this.options.clock.now() - attempt.startedAt,
        emit: this.emitPolicy,
      }
      policy.attempted(outcome)
    }
    return entry
  }

  /**
   * An attempt that failed, or that the call stopped wanting, is recorded and reported
   * (`attempt-end`): `'failed'` goes on to the retry decision; `'dropped'` failed while a hedged
   * race goes on, its error kept for `previous`; `'abandoned'` lost the race (aborted, its outcome
   * says nothing about the server), and its entry is completed when its transport lets go.
   */
  failed(attempt: Attempt, result: AttemptResult, how: 'failed' | 'dropped' | 'abandoned'): AttemptMeta | undefined {
    const error = result.ok ? undefined : result.error
    const entry = this.record(attempt, result, how === 'abandoned')
    if (how !== 'abandoned') attempt.close('failed')
    if (how === 'dropped' && isVolleyError(error)) this.previous.push(error)
    if (this.id && entry) this.emit(attemptEndEvent(this.id, this.options.clock.now(), entry, error))
    if (how === 'abandoned' && entry) attempt.onEnd(() => finishAttempt(entry, attempt))
    return entry
  }

  /** The parsed body through the call's schema (`validation()`); a mismatch fails the call, never retried. */
  async validate(response: ParsedResponse, attempt: Attempt, entry: AttemptMeta): Promise<void> {
    const validator = this.options.policies.find((policy) => policy.validate) as Required<Pick<Policy, 'validate'>>
    try {
      response._data = await validator.validate(response._data, this.options.schema as StandardSchemaV1, this.request())
    } catch (error) {
      entry.error = codeOf(error)
      attempt.close('failed')
      if (this.id) this.emit(attemptEndEvent(this.id, this.options.clock.now(), entry, error))
      throw this.fail(error)
    }
  }

  /**
   * The attempt got a response. The pool slot is held until the body is fully read, cancelled or
   * errored (stream responses included), and the deadline keeps running until then too. A
   * policy's answer (answer.ts) has no `entry`: it was no request, and it reports no attempt.
   */
  succeed<T>(response: ParsedResponse, attempt: Attempt, entry: AttemptMeta | undefined): VolleyResponse<T> {
    attempt.onEnd(() => {
      // A stream body that breaks after the headers fails the call (the reader sees the error
      // too); a body read to the end, or cancelled by the reader, completes it.
      const bodyError = attempt.bodyError
      if (entry) finishAttempt(entry, attempt)
      attempt.close(bodyError === undefined ? 'completed' : 'failed')
      if (this.id && entry) this.emit(attemptEndEvent(this.id, this.options.clock.now(), entry, bodyError))
      if (bodyError === undefined) this.settle(undefined)
      else this.fail(bodyError)
    })
    const result = response as VolleyResponse<T> & { data: T; meta: Meta }
    result.data = response._data as T
    result.meta = this.meta
    if (!this.#done) {
      this.meta.durationMs = this.options.clock.now() - this.startedAt
      this.meta.bytesIn = totalBytesIn(this.meta)
    }
    return result
  }

  /**
   * The retry step for a failed attempt (retry.ts, docs/DESIGN.md#retries): the delay before the
   * next attempt, or a throw of the final error.
   */
  async retryDelay(error: unknown, number: number, response: Response | undefined): Promise<number> {
    const { options } = this
    const { retry, clock } = options
    if (!isVolleyError(error)) throw this.fail(error)
    if (this.token.aborted) throw this.fail(this.abortError())
    const input = { error, attempt: number, method: options.method, keyed: this.keyed, limit: this.retryLimit, now: clock.now(), deadline: this.deadline.at }
    const { decision, context } = await askRetry({ policy: retry, policies: options.policies, origin: this.origin, response, refused: (policy) => this.refused(policy, 'retry', number) }, input)
    if (!decision.retry) throw this.fail(error)
    this.meta.retries++
    if (this.id) {
      const { id } = this
      const { plan } = decision
      this.emit({ type: 'retry', id, time: clock.now(), attempt: number, delay: decision.delay, requested: plan.requested, error: error.code, message: error.message, fromServer: plan.fromServer })
    }
    try {
      await retry.onRetry?.(context)
    } catch (thrown) {
      throw this.fail(thrown)
    }
    this.previous.push(error)
    return decision.delay
  }

  /** The wait before the next attempt, outside any slot; the call's abort ends it. */
  async wait(delay: number): Promise<void> {
    try {
      await this.deadline.wait(delay)
    } catch {
      throw this.fail(this.abortError())
    }
  }

  /** Why the call ended when its own signal aborted: a total timeout, a close, or the caller's abort. */
  abortError(): VolleyError {
    const reason = this.token.reason
    return isVolleyError(reason) ? reason : new AbortError({ reason, request: this.request() })
  }

  /** Settles the call with `error` and returns it, to be thrown. */
  fail(error: unknown): unknown {
    if (this.#done) return error
    if (isVolleyError(error)) {
      // A policy's refusal (an open breaker, a full queue) names no request: the call adds it.
      error.request ??= this.request()
      // Requests sent, as the server saw them: 0 for a call refused or failed before sending.
      error.attempts = this.meta.attempts
      error.previous = this.previous.filter((e) => e !== error)
    }
    if (typeof error === 'object' && error !== null && !('meta' in error)) {
      // Errors carry the call's meta (non-enumerable, so logging an error stays short).
      Object.defineProperty(error, 'meta', { value: this.meta, configurable: true })
    }
    this.settle(error)
    return error
  }

  /** The one place a call ends: timers cleared, policies and listeners told. */
  settle(error: unknown): void {
    if (this.#done) return
    this.#done = true
    this.deadline.dispose()
    const { meta, options } = this
    meta.durationMs = options.clock.now() - this.startedAt
    meta.bytesIn = totalBytesIn(meta)
    for (const policy of options.policies) policy.settled?.(meta, error, this.origin)
    this.#untrack?.()
    if (this.id) this.emit(settleEvent(this.id, options.clock.now(), meta, error))
    this.#markSettled?.()
  }
}
