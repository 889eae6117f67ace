import { TimeoutError, type AbortSignalLike, type Clock, type PhaseTimings, type RequestInfo, type TimerHandle } from '@volley/core'
import type { Dispatcher } from 'undici'
import { BodySource } from './body-source.js'
import { REUSED_SOCKET, type ConnectionTimer } from './connection-timer.js'
import { DecodingSink, decodersFor, type BodySink } from './decode.js'
import { rawHeader, type RawHeaders } from './raw-headers.js'

/** One request/response exchange: the status line, the raw headers and the body (null when there is none). */
export interface Exchange {
  readonly status: number
  readonly statusText: string
  readonly rawHeaders: RawHeaders
  readonly body: BodySource | null
}

/** What {@link exchange} needs for one hop. */
export interface ExchangeOptions {
  readonly dispatcher: Dispatcher
  readonly dispatch: Dispatcher.DispatchOptions
  readonly signal: AbortSignalLike | undefined
  /**
   * A deadline from dispatch until a connected socket takes the request, for a call whose
   * `timeout.connect` is shorter than what the connector enforces (see transport.ts).
   */
  readonly connectLimit: number | undefined
  /** The transport's clock, which runs the `connectLimit` timer. */
  readonly clock: Clock
  /** The request as errors name it (method, redacted URL); built only when an error needs it. */
  readonly describe: () => RequestInfo
  /** Maps undici's errors to what volley classifies (connect timeout, closed transport). */
  readonly mapError: (error: unknown) => unknown
  /** Times the dispatcher's connections; undefined when the transport cannot see them (a proxy, a dispatcher of the caller's). */
  readonly timer?: ConnectionTimer | undefined
  /** Where the request's connection phases go: core's `PHASE_TIMINGS` callback, when volley sent it. */
  readonly reportPhases?: ((timings: PhaseTimings) => void) | undefined
}

// Statuses whose responses never have a body (Fetch standard, "null body status"), plus HEAD.
const NULL_BODY = new Set([204, 205, 304])

/**
 * A handler on undici's native callback API (`onConnect`/`onHeaders`/`onData`/...), which undici
 * calls without wrapping: no Readable, no WHATWG stream, no header object per response.
 */
class ExchangeHandler implements Dispatcher.DispatchHandler {
  #resolve: (exchange: Exchange) => void
  #reject: (reason: unknown) => void
  #settled = false
  #abort: ((reason: Error) => void) | undefined = undefined
  /** An abort that came before undici handed us `abort` (the request was still queued or connecting). */
  #pendingAbort: unknown = undefined
  #timer: TimerHandle | undefined = undefined
  #sink: BodySink | undefined = undefined
  #body: BodySource | null = null
  #closed = false
  readonly #options: ExchangeOptions
  readonly #onAbort: () => void

  constructor(options: ExchangeOptions, resolve: (exchange: Exchange) => void, reject: (reason: unknown) => void) {
    this.#options = options
    this.#resolve = resolve
    this.#reject = reject
    this.#onAbort = () => this.#abortWith(options.signal!.reason)
    options.signal?.addEventListener('abort', this.#onAbort)
    const limit = options.connectLimit
    if (limit !== undefined) {
      this.#timer = options.clock.setTimeout(() => {
        this.#timer = undefined
        this.#abortWith(new TimeoutError({ phase: 'connect', limit, request: options.describe() }))
      }, limit)
    }
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.#clearTimer()
    // undici calls this as it writes the request to a socket: inside the connector's callback
    // for a connection opened just now, at any other time for a kept-alive one (connection-timer.ts).
    const { timer, reportPhases } = this.#options
    if (timer && reportPhases) reportPhases(timer.current ?? REUSED_SOCKET)
    if (this.#pendingAbort !== undefined) abort(this.#pendingAbort as Error)
    else this.#abort = abort
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    // 1xx informational responses (100 Continue, 103 Early Hints) precede the real one.
    if (status < 200 || this.#settled) return true
    this.#settled = true
    let body: BodySource | null = null
    if (this.#options.dispatch.method !== 'HEAD' && !NULL_BODY.has(status)) {
      let decoder: DecodingSink | undefined
      body = new BodySource(
        {
          resume: () => (decoder ? decoder.resume() : resume()),
          abort: (reason) => {
            decoder?.destroy()
            this.#abortNetwork(reason)
          },
        },
        () => this.#close(),
      )
      const factories = decodersFor(rawHeader(rawHeaders, 'content-encoding'))
      if (factories) decoder = new DecodingSink(factories, body, resume)
      this.#sink = decoder ?? body
      this.#body = body
    }
    this.#resolve({ status, statusText: statusText ?? '', rawHeaders, body })
    return true
  }

  onData(chunk: Buffer): boolean {
    return this.#sink ? this.#sink.write(chunk) : true
  }

  onComplete(): void {
    if (this.#sink) this.#sink.end()
    else this.#close()
  }

  onError(error: Error): void {
    this.#clearTimer()
    if (!this.#settled) {
      this.#settled = true
      this.#close()
      this.#reject(this.#options.mapError(error))
    } else if (this.#sink) this.#sink.error(error)
    else this.#close()
  }

  onUpgrade(): void {
    this.onError(new TypeError('volley: unexpected protocol upgrade'))
  }

  #abortWith(reason: unknown): void {
    this.#clearTimer()
    if (!this.#settled) {
      this.#settled = true
      this.#close()
      this.#abortNetwork(reason)
      this.#reject(reason)
    } else if (this.#body) {
      // After the headers the body owns the failure: it destroys the socket, and its observer
      // turns the reason into volley's error.
      this.#body.abort(reason)
    } else {
      this.#abortNetwork(reason)
    }
  }

  #abortNetwork(reason: unknown): void {
    if (this.#abort) this.#abort(reason as Error)
    else this.#pendingAbort = reason ?? new DOMException('This operation was aborted', 'AbortError')
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      this.#options.clock.clearTimeout(this.#timer)
      this.#timer = undefined
    }
  }

  /** Once the exchange is over: no listener or timer outlives it (docs/DESIGN.md#timeouts). */
  #close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#clearTimer()
    this.#options.signal?.removeEventListener('abort', this.#onAbort)
  }
}

/**
 * Sends one request (no redirects) and resolves at the response headers. The body then flows into
 * the returned {@link BodySource}; the request's signal keeps governing it until it ends.
 */
export function exchange(options: ExchangeOptions): Promise<Exchange> {
  const signal = options.signal
  if (signal?.aborted) return Promise.reject(signal.reason)
  return new Promise<Exchange>((resolve, reject) => {
    const handler = new ExchangeHandler(options, resolve, reject)
    try {
      options.dispatcher.dispatch(options.dispatch, handler)
    } catch (error) {
      handler.onError(error as Error)
    }
  })
}
