/**
 * The policy seam (docs/DESIGN.md#policies): the one small interface through which everything
 * optional plugs into a call: the pool and the rate limiter (admission), upload and download
 * progress (the exchange), and later the circuit breaker, retry budget, hedging and dedupe. A
 * client holds an ordered list of policies; a call with none pays nothing for the seam.
 */
import type { CallRequest } from './call-request.js'
import type { Clock } from '../runtime/clock.js'
import type { RequestInfo } from '../errors/volley-error.js'
import type { StandardSchemaV1 } from './standard-schema.js'
import type { PolicyEvent } from '../observe/events.js'
import type { Meta } from '../call/meta.js'
import type { ProgressCallback } from '../streaming/progress.js'
import type { AbortSignalLike, Transport } from '../runtime/transport.js'

/**
 * Gives a slot back. Idempotent: a second call is a no-op. `'failed'` counts toward a pool's
 * `stats.failed` instead of `stats.completed`; `'refused'` (the attempt was never sent: a policy
 * refused it, or a hook threw before the transport) counts toward neither.
 */
export type Release = (outcome?: 'completed' | 'failed' | 'refused') => void

/** What an admission policy sees of a call before each attempt. */
export interface Admission {
  /** The target's origin (`'https://api.example.com'`), the key of per-origin limits. */
  readonly origin: string
  /** The call's `priority`: higher first. */
  readonly priority: number
  /**
   * When the call first asked (epoch ms on the client's clock): a retry that waited out a 429
   * keeps its place in line ahead of calls that asked after it.
   */
  readonly since: number
  /** What the call costs a rate limiter (its `cost` option): a weight, or a cost per named limit. */
  readonly cost: number | Readonly<Record<string, number>> | undefined
  /** Aborts when the call stops waiting: the caller's abort, the total or the queue deadline. */
  readonly signal: AbortSignalLike
  /** The attempt's number: 1 for the first, then retries and hedges in the order they start. */
  readonly attempt: number
  /**
   * The attempt is a hedge: a parallel copy of an attempt still in flight. It rides on that
   * attempt's pool slot, so policies with `grantsSlot` are not asked (docs/DESIGN.md#hedging).
   */
  readonly hedge: boolean
  /** Reports a policy's event in the call's timeline (nothing happens when nobody listens). */
  emit(event: PolicyEvent): void
}

/** What a policy learns when an attempt has its outcome (docs/DESIGN.md#resilience). */
export interface AttemptOutcome {
  readonly origin: string
  readonly method: string
  readonly attempt: number
  readonly hedge: boolean
  /**
   * Why the attempt failed (an `HTTPError` for an error status, a `NetworkError`, a
   * `TimeoutError`...), undefined when it got a response the call accepts.
   */
  readonly error: unknown
  /**
   * The call stopped wanting this attempt: another attempt of the call won (a hedge), or the
   * caller aborted. Says nothing about the server's health.
   */
  readonly abandoned: boolean
  /** The response status, when headers arrived. */
  readonly status: number | undefined
  /** From send to this outcome, in ms (response parsed, or the failure). */
  readonly elapsedMs: number
  /** Reports a policy's event in the call's timeline. */
  emit(event: PolicyEvent): void
}

/** When a call's attempt in flight gets hedged (see `Policy.hedgeAfter`). */
export interface HedgePlan {
  /** ms after an attempt was sent before the next hedge goes out. */
  readonly delay: number
  /** Hedges at most per call (not counting the first attempt). */
  readonly max: number
  /**
   * Asked when a hedge is due, before any budget is spent: false skips this hedge (the origin has
   * as many attempts in flight as a browser has connections for it; see `hedge({ maxInFlight })`).
   */
  readonly ready?: () => boolean
}

/** What an exchange policy sees of one attempt before it is sent (progress, transports). */
export interface AttemptContext {
  /**
   * The call's id, as its lifecycle events carry it (0 when nobody listens to them): a policy that
   * also listens to the events (tracing, in @volley/otel) finds the attempt's span by it.
   */
  readonly callId: number
  /** The attempt's number: 1 for the first, then retries and hedges in the order they start. */
  readonly number: number
  /**
   * The same object for every attempt of one call, and for no other call: an opaque key for state
   * a shared policy keeps per call (in a WeakMap), such as what progress the caller was shown.
   */
  readonly call: object
  /** The target's origin, as admission saw it. */
  readonly origin: string
  /** The init handed to the transport; a policy may replace its body, headers or `duplex`. */
  readonly init: RequestInit
  /** The transport of this attempt; a policy may pick another one (the browser's XHR for uploads). */
  transport: Transport
  /** Set to receive the transport's upload reports (total bytes sent), when the transport reports them. */
  uploaded: ((loaded: number) => void) | undefined
  /** Body bytes sent; a policy that streams the body counts them here. */
  bytesOut: number
  readonly onUploadProgress: ProgressCallback | undefined
  readonly onDownloadProgress: ProgressCallback | undefined
  readonly clock: Clock
  /** The attempt is waiting on the network: (re)arms `timeout.idle`. */
  armIdle(): void
  /** Data moved: stops the idle timer until the next wait. */
  disarmIdle(): void
  /** Runs when the response headers arrive; may return a listener for each body chunk's size. */
  onResponse(listener: (response: Response) => ((bytes: number) => void) | void): void
  /** Runs once when the attempt ends: `completed` is true when the body was read to its end. */
  onEnd(listener: (completed: boolean) => void): void
  /** Reports a policy's event in the call's timeline. */
  emit(event: PolicyEvent): void
}

/**
 * A call's part in a request that identical calls share (`Policy.share`, dedupe). The call that
 * leads gets `lead` and sends the request through it; a call that joins gets `joined` and sends
 * nothing (docs/DESIGN.md#dedupe).
 */
export interface Ride {
  /**
   * A joiner's wait, without admission, for the leader to send: resolves with the transport that
   * answers the joiner's attempt with its own copy of the response (or fails as the request
   * failed), or with undefined when the leader left without sending (the call goes on alone).
   * Rejects with the call's abort reason. Undefined for the leader.
   */
  readonly joined?: Promise<Transport | undefined>
  /** The leader's: wraps its first attempt's transport, so that what it sends answers every joiner. */
  readonly lead?: (transport: Transport) => Transport
  /**
   * The call is done with this attempt (it had its outcome, or it never got to send): a leader that
   * did not send lets its joiners go on alone; a joiner that never took its copy leaves.
   */
  done(): void
}

/**
 * Something a client composes into its calls. Every hook is optional; what a policy can do is
 * declared by the hooks and fields it has, never by its `name` (docs/DESIGN.md#policies).
 */
export interface Policy {
  /** A short name for events, `meta.refused` and errors (`'pool'`, `'rate-limit'`, `'progress'`). Only reported, never compared. */
  readonly name: string
  /**
   * Waits until the attempt may start (a pool slot, a rate-limit token). Returns what to call when
   * the attempt ends, body included. Runs in list order, each within the `queue` deadline.
   */
  admit?(admission: Admission): Release | void | Promise<Release | void>
  /**
   * The last word before an attempt is sent: runs synchronously once every `admit` has resolved
   * (the attempt holds its slot and its token), so a state that changed while the call waited in
   * line is seen (an open breaker refuses a call queued while it was closed). Throw to refuse:
   * what admission took is released as `'refused'` and nothing is sent.
   */
  gate?(admission: Admission): Release | void
  /** Admission grants a concurrency slot: the call's timeline gets a `slot` event (a pool). */
  readonly grantsSlot?: boolean
  /** The policy reports upload and download progress (`progress()`): `onUploadProgress`/`onDownloadProgress` need one. */
  readonly reportsProgress?: boolean
  /**
   * Before the call is admitted: a response that answers it (a cache hit), so it takes no slot or
   * token and sends nothing; undefined to go on. The response is parsed like any other.
   * See docs/DESIGN.md#http-cache and call-request.ts.
   */
  answer?(request: CallRequest): Response | undefined | Promise<Response | undefined>
  /**
   * Admission refused the call with `error` (an open circuit breaker): a response that answers it
   * instead (a stale one that `stale-if-error` allows), or undefined to let the call fail.
   */
  rescue?(request: CallRequest, error: unknown): Response | undefined | Promise<Response | undefined>
  /**
   * Validates a parsed body against a Standard Schema (`validation()`): `schema` needs a policy
   * with this hook. Returns (or resolves with) the schema's output; throws a `ValidationError`.
   */
  validate?(value: unknown, schema: StandardSchemaV1, request?: RequestInfo): unknown
  /** Server backpressure: the server asked `origin` to wait until `until` (epoch ms on the client's clock). */
  backpressure?(origin: string, until: number): void
  /**
   * Before admission, for each attempt of a call without a body: identical calls in flight share
   * one request (dedupe). Undefined: this call is not shared. `signal` is the call's abort.
   */
  share?(request: CallRequest, attempt: number, signal: AbortSignalLike): Ride | undefined
  /** Before an attempt is sent: may wrap the body, pick the transport, watch the response. */
  prepare?(attempt: AttemptContext): void | Promise<void>
  /** An attempt had its outcome (breakers count failures, hedging learns the latency). */
  attempted?(outcome: AttemptOutcome): void
  /**
   * A retry (after a failed attempt) or a hedge is about to be spent on `origin`: return false to
   * refuse it (a retry budget). Asked only when the call would otherwise go ahead; a policy that
   * says yes counts it as spent.
   */
  allow?(origin: string, kind: 'retry' | 'hedge'): boolean
  /**
   * Whether (and when) calls of `method` to `origin` get hedged; undefined for not. Asked of
   * `hedge()`, which brings the race itself (a client without it never bundles that code).
   */
  hedgeAfter?(origin: string, method: string): HedgePlan | undefined
  /** A call started (metrics count the calls in flight; a retry budget counts calls per origin). */
  start?(origin: string): void
  /** A call settled, with `error` undefined on success (metrics, and later breakers and budgets). */
  settled?(meta: Meta, error: unknown, origin: string): void
}
