import {
  SpanKind,
  SpanStatusCode,
  context,
  metrics,
  propagation,
  trace,
  type Attributes,
  type Context,
  type MeterProvider,
  type Span,
  type TracerProvider,
} from '@opentelemetry/api'
import type { AttemptContext, EventListener, Policy, VolleyEvent } from '@volley/core'
import { errorType, methodAttributes, spanName, urlAttributes } from './attributes.js'
import { createInstruments, type Observed } from './instruments.js'

const NAME = '@volley/otel'
const VERSION = '0.1.0'

/** Options of {@link otel}. */
export interface OtelOptions {
  /** Where spans go. @default the global provider (`trace.getTracerProvider()`) */
  tracerProvider?: TracerProvider
  /** Where metrics go. @default the global provider (`metrics.getMeterProvider()`) */
  meterProvider?: MeterProvider
  /**
   * Inject the trace context (W3C `traceparent` with the registered propagator) into each attempt.
   * Turn it off when another instrumentation injects it too (`@opentelemetry/instrumentation-undici`
   * appends its own: the server would get two values).
   * @default true
   */
  propagate?: boolean
}

/**
 * volley's telemetry for a client: a policy (it injects `traceparent` into each attempt) that also
 * carries the event listener making the spans and metrics. Pass both to the client:
 * `use: [telemetry], onEvent: telemetry.onEvent`.
 */
export interface Telemetry extends Policy {
  readonly name: 'otel'
  /** The client's `onEvent`: turns the calls' lifecycle into spans and metrics. */
  readonly onEvent: EventListener
  /**
   * Reports a pool's and a rate limiter's state as gauges (`volley.pool.*`,
   * `volley.rate_limit.*`); pass a client (its `pool` and `rateLimiter`) or either. Returns the
   * function that stops observing them.
   */
  observe(target: Observed): () => void
}

interface AttemptState {
  readonly span: Span
  readonly sentAt: number
  readonly attributes: Attributes
}

interface CallState {
  readonly span: Span
  readonly context: Context
  readonly method: string
  readonly attributes: Attributes
  readonly attempts: Map<number, AttemptState>
  hedges: Set<number> | undefined
}

const setter = {
  set(carrier: unknown, key: string, value: string): void {
    if (carrier instanceof Headers) carrier.set(key, value)
    else (carrier as Record<string, string>)[key] = value
  },
}

/**
 * OpenTelemetry for volley, following the stable HTTP client semantic conventions (semconv "HTTP
 * spans", "HTTP metrics"): an INTERNAL span per call, a CLIENT span per attempt (retries and
 * hedges each their own, with `http.request.resend_count`), queue waits, backoff waits, hedges,
 * refusals and breaker changes as events of the call's span, W3C `traceparent` on every attempt
 * through the propagation API, the `http.client.request.duration` histogram, and gauges for pools
 * and rate limiters. Depends on `@opentelemetry/api` alone: it works wherever volley does.
 *
 * @example
 * import { otel } from '@volley/otel'
 * const telemetry = otel()
 * const api = createClient({ baseURL, pool: createPool({ concurrency: 8 }), use: [telemetry], onEvent: telemetry.onEvent })
 * telemetry.observe(api)
 */
export function otel(options: OtelOptions = {}): Telemetry {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(NAME, VERSION)
  const instruments = createInstruments((options.meterProvider ?? metrics.getMeterProvider()).getMeter(NAME, VERSION))
  const calls = new Map<number, CallState>()
  const propagate = options.propagate ?? true

  const event = (call: CallState, name: string, time: number, attributes: Attributes): void => {
    call.span.addEvent(name, attributes, time)
  }

  const endAttempt = (call: CallState, number: number, time: number, status: number | undefined, code: string | undefined): void => {
    const attempt = call.attempts.get(number)
    if (!attempt) return
    call.attempts.delete(number)
    const { span } = attempt
    const type = errorType(status, code)
    const attributes: Attributes = { ...attempt.attributes }
    if (status !== undefined) {
      span.setAttribute('http.response.status_code', status)
      attributes['http.response.status_code'] = status
    }
    if (type !== undefined) {
      // semconv "Status": a 4xx or 5xx, or a failure, is an error on a CLIENT span.
      span.setAttribute('error.type', type)
      span.setStatus({ code: SpanStatusCode.ERROR })
      attributes['error.type'] = type
    }
    span.end(time)
    // semconv: reported alongside the span, the metric's value is the span's duration.
    instruments.duration.record(Math.max(0, time - attempt.sentAt) / 1000, attributes)
  }

  /**
   * The CLIENT span of attempt `number`, started when the attempt is prepared (so that its
   * `traceparent` names it) or, for a transport that skips `prepare`, when it is sent.
   */
  const attemptSpan = (call: CallState, number: number, time: number): Span => {
    const known = call.attempts.get(number)
    if (known) return known.span
    const hedge = call.hedges?.has(number) ?? false
    const spanAttributes: Attributes = { ...call.attributes }
    // The metric's attributes stay low-cardinality: no URL.
    const { 'url.full': _url, 'http.request.method_original': _original, ...attributes } = call.attributes
    // semconv: set "if and only if the request was retried", to the ordinal of the resend.
    if (number > 1) spanAttributes['http.request.resend_count'] = number - 1
    if (hedge) spanAttributes['volley.hedge'] = true
    const span = tracer.startSpan(spanName(call.method), { kind: SpanKind.CLIENT, startTime: time, attributes: spanAttributes }, call.context)
    call.attempts.set(number, { span, sentAt: time, attributes })
    return span
  }

  const onEvent: EventListener = (e: VolleyEvent): void => {
    if (e.type === 'start') {
      const parent = context.active()
      const attributes = { ...methodAttributes(e.method), ...urlAttributes(e.url) }
      const span = tracer.startSpan(`volley ${spanName(e.method)}`, { kind: SpanKind.INTERNAL, startTime: e.time, attributes }, parent)
      calls.set(e.id, { span, context: trace.setSpan(parent, span), method: e.method, attributes, attempts: new Map(), hedges: undefined })
      instruments.origin(attributes)
      return
    }
    const call = calls.get(e.id)
    if (!call) return
    switch (e.type) {
      case 'sent': {
        attemptSpan(call, e.attempt, e.time)
        // A wait under a millisecond is admission's own bookkeeping, not a queue.
        if (e.queuedMs >= 1) event(call, 'volley.queue_wait', e.time, { 'volley.attempt': e.attempt, 'volley.wait_ms': e.queuedMs })
        return
      }
      case 'attempt-end':
        return endAttempt(call, e.attempt, e.time, e.status, e.error)
      case 'retry':
        return event(call, 'volley.backoff_wait', e.time, {
          'volley.attempt': e.attempt,
          'volley.wait_ms': e.delay,
          'volley.retry_after': e.fromServer,
          'error.type': e.error,
        })
      case 'hedge':
        ;(call.hedges ??= new Set()).add(e.attempt)
        return event(call, 'volley.hedge', e.time, { 'volley.attempt': e.attempt, 'volley.hedge_after_ms': e.after })
      case 'refused':
        return event(call, 'volley.refused', e.time, { 'volley.attempt': e.attempt, 'volley.policy': e.policy, 'volley.refused_kind': e.kind })
      case 'circuit':
        return event(call, 'volley.circuit', e.time, { 'volley.circuit_state': e.state })
      case 'offline':
        return event(call, 'volley.offline', e.time, { 'volley.attempt': e.attempt, 'volley.waiting': e.waiting })
      case 'shared':
        return event(call, 'volley.shared', e.time, { 'volley.attempt': e.attempt, 'volley.callers': e.callers })
      case 'settle': {
        calls.delete(e.id)
        // Every attempt ends before its call settles; one that did not is closed as abandoned.
        for (const number of [...call.attempts.keys()]) endAttempt(call, number, e.time, undefined, 'ERR_ABORTED')
        const { span } = call
        const { meta } = e
        span.setAttributes({ 'volley.attempts': meta.attempts, 'volley.retries': meta.retries, 'volley.hedges': meta.hedges })
        if (e.status !== undefined) span.setAttribute('http.response.status_code', e.status)
        if (!e.ok) {
          span.setAttribute('error.type', errorType(e.status, e.error) ?? '_OTHER')
          span.setStatus({ code: SpanStatusCode.ERROR, message: e.message })
        }
        span.end(e.time)
        return
      }
    }
  }

  const telemetry: Telemetry = {
    name: 'otel',
    onEvent,
    observe: instruments.observe,
    /** W3C `traceparent` (or whatever propagator is registered) of the attempt's own span. */
    prepare(attempt: AttemptContext): void {
      if (!propagate) return
      const call = calls.get(attempt.callId)
      const span = call && attemptSpan(call, attempt.number, attempt.clock.now())
      const carrier = (attempt.init.headers ??= new Headers())
      // The server's spans become children of this attempt's span; a client without the listener
      // (no span) still passes on the caller's context.
      propagation.inject(call && span ? trace.setSpan(call.context, span) : context.active(), carrier, setter)
    },
  }
  return telemetry
}
