import type { AttemptOutcome, ParsedResponse } from './attempt.js'
import { runAttempt } from './attempt.js'
import type { TimerHandle } from './clock.js'
import { sleep } from './clock.js'
import { AbortError, TimeoutError, isHTTPError, isVolleyError, type RequestInfo, type VolleyError } from './errors/index.js'
import { emitTo, listening, nextCallId, type VolleyEvent } from './events.js'
import { silentLogger } from './logger.js'
import type { AttemptMeta, Meta } from './meta.js'
import type { MetricsRecorder } from './metrics.js'
import type { RetryContext } from './options.js'
import type { Release } from './pool.js'
import { redactUrl } from './redact.js'
import type { ResolvedOptions } from './resolve-options.js'
import { isRetryable, planRetry } from './retry.js'
import { linkedController, type LinkedController } from './signals.js'
import { isValidTarget, joinURL, originOf, withQuery } from './url.js'

/** A Response with its parsed body and what happened on the way. */
export type VolleyResponse<T = unknown> = Response & {
  /** The parsed body (`responseType`), or the body stream for `'stream'`. */
  readonly data: T
  /** Timings, attempts and byte counts of the call. */
  readonly meta: Meta
}

/** A live call as its client sees it, so `client.close()` can reach it. */
export interface LiveCall {
  /** True once the first attempt was sent (the call is no longer only queued). */
  sent: boolean
  abort(reason: unknown): void
  /** Resolves when the call has settled (body included). */
  readonly settled: Promise<void>
}

/** What a client lends each of its calls. */
export interface CallContext {
  readonly metrics?: MetricsRecorder
  /** Registers a live call; returns the function that unregisters it. */
  readonly track?: (call: LiveCall) => () => void
}

const noRelease: Release = () => {}

function isStreamBody(body: unknown): boolean {
  return typeof (body as ReadableStream | undefined)?.getReader === 'function' || typeof (body as { pipe?: unknown } | undefined)?.pipe === 'function'
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
 * Waits for a pool slot, then a rate-limit token, within the `queue` timeout.
 *
 * The slot comes first on purpose: the token is taken right before sending, so the limiter
 * spaces real starts. Taken the other way round, tokens granted while every slot is busy would
 * all start together when slots free, and the server would see bursts above the limit.
 */
async function admit(options: ResolvedOptions, origin: string, signal: AbortSignal, request: RequestInfo, onSlot?: () => void): Promise<Release> {
  const { pool, rateLimiter } = options
  if (!pool && !rateLimiter) return noRelease
  const limit = options.timeout.queue
  let queue: LinkedController | undefined
  let timer: TimerHandle | undefined
  if (limit !== undefined) {
    queue = linkedController(signal)
    const q = queue
    timer = options.clock.setTimeout(() => q.abort(new TimeoutError({ phase: 'queue', limit, request })), limit)
    signal = queue.signal
  }
  let release = noRelease
  try {
    if (pool) {
      release = await pool.acquire({ origin, priority: options.priority, signal })
      onSlot?.()
    }
    if (rateLimiter) await rateLimiter.take({ key: origin, signal })
    return release
  } catch (error) {
    release('failed')
    throw signal.aborted ? signal.reason : error
  } finally {
    if (timer !== undefined) options.clock.clearTimeout(timer)
    queue?.dispose()
  }
}

/** Why the call ended when its own signal aborted: a total timeout, a close, or the caller's abort. */
function abortError(signal: AbortSignal, request: RequestInfo): VolleyError {
  const reason = signal.reason
  return isVolleyError(reason) ? reason : new AbortError({ reason, request })
}

function sumBytesIn(meta: Meta): number {
  let total = 0
  for (const timing of meta.timings) total += timing.bytesIn
  return total
}

/**
 * One call, start to settle (DESIGN.md, "How a request flows"): deadline, then per attempt the
 * pool and the limiter, one ofetch attempt, classification and the retry decision; the result
 * carries `data` and `meta`, or the promise rejects with one typed error. Settles exactly once.
 */
export async function execute<T>(options: ResolvedOptions, url: string, context: CallContext = {}): Promise<VolleyResponse<T>> {
  const { clock, retry, logger, timeout } = options
  const startedAt = clock.now()
  const target = joinURL(options.baseURL, url)
  if (!isValidTarget(target)) {
    // Bad input fails at once with what was expected, instead of as a retried "network error".
    throw new TypeError(`volley: invalid URL ${JSON.stringify(redactUrl(target))}: expected an absolute URL, or a path with a baseURL (or a page to resolve it against)`)
  }
  const request: RequestInfo = { method: options.method, url: redactUrl(withQuery(target, options.query)) }
  const origin = options.pool || options.rateLimiter ? originOf(target) : ''
  const log = logger !== silentLogger
  const listeners = options.onEvent
  const id = listeners.length && listening(listeners) ? nextCallId() : 0
  const emit = (event: VolleyEvent): void => emitTo(listeners, event)

  // The call's deadline: the caller's signal and the total timeout, joined once.
  const call = linkedController(options.signal)
  let totalTimer: TimerHandle | undefined
  const deadlineAt = timeout.total === undefined ? Infinity : startedAt + timeout.total
  if (timeout.total !== undefined) {
    const limit = timeout.total
    totalTimer = clock.setTimeout(() => call.abort(new TimeoutError({ phase: 'total', limit, request })), limit)
  }

  let markSettled!: () => void
  const live: LiveCall = { sent: false, abort: (reason) => call.abort(reason), settled: new Promise<void>((resolve) => (markSettled = resolve)) }
  const untrack = context.track?.(live)
  const metrics = context.metrics
  metrics?.started()
  if (metrics && options.rateLimiter) metrics.lastOrigin = origin
  if (id) emit({ type: 'start', id, time: startedAt, method: request.method, url: request.url })

  const headers: Record<string, string> = { ...options.headers }
  const keyed = options.idempotencyKey !== false
  if (keyed && !headers['idempotency-key']) {
    headers['idempotency-key'] = typeof options.idempotencyKey === 'string' ? options.idempotencyKey : uuid()
  }
  // A stream body is consumed by the first attempt; it cannot be sent again.
  const retryLimit = isStreamBody(options.body) ? 0 : retry.limit

  const meta: Meta = {
    method: request.method,
    url: request.url,
    startedAt,
    attempts: 0,
    retries: 0,
    status: undefined,
    queuedMs: 0,
    ttfbMs: undefined,
    durationMs: 0,
    bytesIn: 0,
    bytesOut: 0,
    timings: [],
  }
  const previous: VolleyError[] = []

  /** The one place a call ends: timers cleared, listeners told, metrics recorded. */
  let done = false
  const settle = (error: unknown): void => {
    if (done) return
    done = true
    if (totalTimer !== undefined) clock.clearTimeout(totalTimer)
    call.dispose()
    meta.durationMs = clock.now() - startedAt
    meta.bytesIn = sumBytesIn(meta)
    metrics?.settled(meta, error)
    untrack?.()
    if (id) {
      const failure = error === undefined ? undefined : isVolleyError(error) ? error : undefined
      emit({
        type: 'settle',
        id,
        time: clock.now(),
        ok: error === undefined,
        status: isHTTPError(error) ? error.status : meta.status,
        error: error === undefined ? undefined : (failure?.code ?? 'ERR_UNKNOWN'),
        message: error === undefined ? undefined : (failure?.message ?? String(error)),
        meta,
      })
    }
    markSettled()
  }

  const record = (outcome: AttemptOutcome, queuedMs: number, queueStart: number): AttemptMeta => {
    const { state } = outcome
    const entry: AttemptMeta = {
      attempt: state.number,
      queuedMs,
      startedAt: queueStart + queuedMs - startedAt,
      ttfbMs: state.ttfbMs,
      durationMs: state.durationMs,
      bytesIn: state.bytesIn,
      bytesOut: state.bytesOut,
      status: state.status,
      error: outcome.ok ? undefined : isVolleyError(outcome.error) ? outcome.error.code : 'ERR_UNKNOWN',
      retryDelayMs: undefined,
      connectMs: state.connectMs,
      tlsMs: state.tlsMs,
      reusedSocket: state.reusedSocket,
    }
    meta.timings.push(entry)
    meta.attempts = state.number
    meta.retries = state.number - 1
    meta.status = state.status
    meta.queuedMs += queuedMs
    meta.ttfbMs = state.ttfbMs
    meta.bytesOut += state.bytesOut
    return entry
  }

  const endAttempt = (entry: AttemptMeta, error: unknown): void => {
    if (!id) return
    emit({
      type: 'attempt-end',
      id,
      time: clock.now(),
      attempt: entry.attempt,
      status: entry.status,
      error: entry.error,
      message: error === undefined ? undefined : isVolleyError(error) ? error.message : String(error),
      durationMs: entry.durationMs ?? 0,
      bytesIn: entry.bytesIn,
      bytesOut: entry.bytesOut,
    })
  }

  const fail = (error: unknown, attempts: number): unknown => {
    if (isVolleyError(error)) {
      error.attempts = Math.max(1, attempts)
      error.previous = previous.filter((e) => e !== error)
    }
    if (typeof error === 'object' && error !== null && !('meta' in error)) {
      // Errors carry the call's meta (non-enumerable, so logging an error stays short).
      Object.defineProperty(error, 'meta', { value: meta, configurable: true })
    }
    settle(error)
    return error
  }

  let attempt = 0
  try {
    for (;;) {
      attempt++
      const queueStart = clock.now()
      if (id) emit({ type: 'queued', id, time: queueStart, attempt })
      let release: Release
      try {
        // No pool and no limiter: nothing to wait for, and no promise to wait on.
        release =
          options.pool || options.rateLimiter
            ? await admit(options, origin, call.signal, request, id ? () => emit({ type: 'slot', id, time: clock.now(), attempt }) : undefined)
            : noRelease
      } catch (error) {
        throw fail(call.signal.aborted ? abortError(call.signal, request) : error, attempt - 1)
      }
      const queuedMs = clock.now() - queueStart
      live.sent = true
      if (id) emit({ type: 'sent', id, time: clock.now(), attempt, queuedMs })
      const outcome = await runAttempt(options, url, attempt, request, call.signal, headers, id)
      const entry = record(outcome, queuedMs, queueStart)
      const { state } = outcome

      if (outcome.ok) {
        const response = outcome.response as ParsedResponse
        // The slot is held until the body is fully read, cancelled or errored (stream responses
        // included), and the deadline keeps running until then too.
        state.whenFinished(() => {
          entry.durationMs = state.durationMs
          entry.bytesIn = state.bytesIn
          // A stream body that breaks after the headers fails the call (the reader sees the
          // error too); a body read to the end, or cancelled by the reader, completes it.
          const bodyError = state.bodyError
          if (bodyError !== undefined) entry.error = isVolleyError(bodyError) ? bodyError.code : 'ERR_UNKNOWN'
          release(bodyError === undefined ? 'completed' : 'failed')
          endAttempt(entry, bodyError)
          if (bodyError === undefined) settle(undefined)
          else fail(bodyError, attempt)
        })
        if (log) logger.debug(`${request.method} ${request.url} attempt ${attempt}: ${response.status}`, { ttfbMs: state.ttfbMs, bytesIn: state.bytesIn })
        Object.defineProperty(response, 'data', { value: response._data, enumerable: true })
        Object.defineProperty(response, 'meta', { value: meta, enumerable: true })
        if (!done) {
          meta.durationMs = clock.now() - startedAt
          meta.bytesIn = sumBytesIn(meta)
        }
        return response as VolleyResponse<T>
      }

      release('failed')
      const error = outcome.error
      endAttempt(entry, error)
      if (!isVolleyError(error)) throw fail(error, attempt)
      if (log) logger.debug(`${request.method} ${request.url} attempt ${attempt} failed: ${error.message}`, { code: error.code })
      if (call.signal.aborted) throw fail(abortError(call.signal, request), attempt)

      const plan = planRetry(retry, attempt, error, clock.now())
      if (plan.fromServer && isHTTPError(error) && options.rateLimiter && (error.status === 429 || error.status === 503)) {
        // Server backpressure: pause this origin for every request sharing the limiter.
        options.rateLimiter.pauseUntil(origin, clock.now() + plan.delay)
      }
      let retrying = attempt <= retryLimit && isRetryable(retry, request.method, error, keyed)
      const retryContext: RetryContext = { attempt, error, response: outcome.response, delay: plan.delay, method: request.method }
      if (attempt <= retryLimit && retry.shouldRetry) {
        const verdict = await retry.shouldRetry(retryContext)
        if (verdict !== undefined) retrying = verdict
      }
      if (!retrying) {
        if (log) logger.warn(`${request.method} ${request.url}: giving up after ${attempt} attempt${attempt > 1 ? 's' : ''}: ${error.message}`, { code: error.code })
        throw fail(error, attempt)
      }
      if (clock.now() + retryContext.delay >= deadlineAt) {
        // Sleeping would cross the total deadline: fail now with the real reason, not a timeout.
        if (log) logger.info(`${request.method} ${request.url}: not retrying, a ${Math.round(retryContext.delay)} ms wait would pass the total deadline`)
        throw fail(error, attempt)
      }
      entry.retryDelayMs = retryContext.delay
      if (log) logger.info(`${request.method} ${request.url}: retry ${attempt} in ${Math.round(retryContext.delay)} ms after ${error.code}${plan.fromServer ? ' (server asked)' : ''}`)
      if (id) emit({ type: 'retry', id, time: clock.now(), attempt, delay: retryContext.delay, requested: plan.requested, error: error.code, message: error.message, fromServer: plan.fromServer })
      await retry.onRetry?.(retryContext)
      previous.push(error)
      try {
        await sleep(retryContext.delay, call.signal, clock)
      } catch {
        throw fail(abortError(call.signal, request), attempt)
      }
    }
  } catch (error) {
    // Anything not settled above (a throwing shouldRetry/onRetry hook) still settles once.
    throw done ? error : fail(error, attempt)
  }
}
