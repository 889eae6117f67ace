/**
 * Tracing with OpenTelemetry, without depending on it: one CLIENT span per attempt (a retried call
 * gets one span per try), timed by volley's own lifecycle events, plus W3C `traceparent`
 * propagation in `onRequest`. `attemptTracing()` takes anything shaped like an
 * `@opentelemetry/api` Tracer, so in an app it is `attemptTracing(trace.getTracer('volley'), inject)`;
 * here a tiny console tracer stands in, so the example runs with no dependency.
 * Run: npm run example -- examples/opentelemetry.ts
 */
import { startChaosServer } from '@volley/chaos-server'
import { createClient, type VolleyEvent, type VolleyOptions } from 'volley'

/** The part of `@opentelemetry/api`'s `Span` the recipe uses (a real Span fits it). */
export interface SpanLike {
  setAttribute(key: string, value: string | number | boolean): unknown
  setStatus(status: { code: number; message?: string }): unknown
  /** End time in epoch ms, as volley's events carry it (OpenTelemetry's `TimeInput` accepts that). */
  end(endTime?: number): void
}

/** The part of `@opentelemetry/api`'s `Tracer` the recipe uses: `trace.getTracer('volley')` fits it. */
export interface TracerLike {
  startSpan(name: string, options?: { kind?: number; startTime?: number; attributes?: Record<string, string | number | boolean> }): SpanLike
}

/** `SpanKind.CLIENT` and `SpanStatusCode.ERROR` of `@opentelemetry/api`, without importing it. */
const SPAN_KIND_CLIENT = 2
const SPAN_STATUS_ERROR = 2

/**
 * Client options that trace every attempt: a span from `sent` to `attempt-end`, named after the
 * method, with OpenTelemetry's HTTP attributes; `inject` (e.g. `propagation.inject`) adds the
 * caller's trace context to each attempt's headers. Spread them into `createClient()`.
 *
 * Events rather than `onResponse`/`onRequestError` hooks end the spans because `attempt-end`
 * comes for every attempt, including one whose body fails after the headers, and only once the
 * body is done, so every span ends exactly once and covers the whole exchange.
 */
export function attemptTracing(tracer: TracerLike, inject?: (headers: Headers) => void): Pick<VolleyOptions, 'onEvent' | 'onRequest'> {
  // Per live call: what `start` said, and the span of the attempt in flight (attempts are sequential).
  const calls = new Map<number, { method: string; url: string; span?: SpanLike }>()
  const onEvent = (event: VolleyEvent): void => {
    if (event.type === 'start') calls.set(event.id, { method: event.method, url: event.url })
    const call = calls.get(event.id)
    if (!call) return
    if (event.type === 'sent') {
      const attributes = { 'http.request.method': call.method, 'url.full': call.url, 'http.request.resend_count': event.attempt - 1 }
      call.span = tracer.startSpan(call.method, { kind: SPAN_KIND_CLIENT, startTime: event.time, attributes })
    } else if (event.type === 'attempt-end' && call.span) {
      if (event.status !== undefined) call.span.setAttribute('http.response.status_code', event.status)
      if (event.error !== undefined) {
        call.span.setAttribute('error.type', event.error)
        call.span.setStatus({ code: SPAN_STATUS_ERROR, message: event.message })
      }
      call.span.end(event.time)
      call.span = undefined
    } else if (event.type === 'settle') calls.delete(event.id)
  }
  return inject ? { onEvent, onRequest: ({ options }) => inject(options.headers) } : { onEvent }
}

// ---------------------------------------------------------------------------------------------
// A stand-in tracer that prints each span when it ends.

function hex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('')
}

class ConsoleSpan implements SpanLike {
  readonly attributes: Record<string, string | number | boolean>
  status = 'ok'
  constructor(readonly name: string, readonly startTime: number, attributes: Record<string, string | number | boolean> = {}) {
    this.attributes = { ...attributes }
  }
  setAttribute(key: string, value: string | number | boolean): this {
    this.attributes[key] = value
    return this
  }
  setStatus(status: { code: number; message?: string }): this {
    this.status = status.code === SPAN_STATUS_ERROR ? 'ERROR' : 'ok'
    return this
  }
  end(endTime: number = Date.now()): void {
    const { 'url.full': url, 'http.request.resend_count': resend, 'http.response.status_code': status, 'error.type': error } = this.attributes
    const { pathname, search } = new URL(String(url))
    const outcome = `${status ?? '---'} ${error ?? ''}`
    const duration = `${(endTime - this.startTime).toFixed(1)} ms`
    console.log(`span ${this.name} ${(pathname + search).padEnd(14)} attempt ${Number(resend) + 1}  ${outcome.padEnd(16)}${duration.padStart(9)}  ${this.status}`)
  }
}

const consoleTracer: TracerLike = {
  startSpan: (name, options) => new ConsoleSpan(name, options?.startTime ?? Date.now(), options?.attributes),
}

// ---------------------------------------------------------------------------------------------

const server = await startChaosServer()
// What `propagation.inject(context.active(), headers, setter)` does for the caller's span.
const parent = { traceId: hex(16), spanId: hex(8) }
const inject = (headers: Headers): void => headers.set('traceparent', `00-${parent.traceId}-${parent.spanId}-01`)

const api = createClient({
  baseURL: server.url,
  retry: { limit: 2, delay: 20 },
  timeout: { attempt: 300 },
  ...attemptTracing(consoleTracer, inject),
})

await api.get('/json')
await api.get('/flaky?fail=2') // 503, 503, then 200: three spans
await api.get('/delay/2000').catch(() => {}) // every attempt times out: ERR_TIMEOUT spans
const seen = await api.get<{ headers: Record<string, string> }>('/headers')
console.log(`server saw traceparent ${seen.headers.traceparent} (trace ${parent.traceId})`)
await server.close()
