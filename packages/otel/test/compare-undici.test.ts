import { SpanKind, context, propagation } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici'
import { MeterProvider } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createClient, createPool, hedge } from '@volley/node'
import { otel } from '@volley/otel'
import { uniqueKey, useChaosServer } from '../../core/test/helpers/chaos.js'

/**
 * What @opentelemetry/instrumentation-undici and @volley/otel each see of the same calls, made by
 * @volley/node (whose transport is undici): the README's comparison (packages/otel/README.md) is
 * what these tests assert, not a guess.
 */
const server = useChaosServer()
const exporter = new InMemorySpanExporter()
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
// Enabled when constructed (its `enabled: false` would also make every request ignored).
const undici = new UndiciInstrumentation()
const UNDICI = '@opentelemetry/instrumentation-undici'

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  undici.setTracerProvider(tracerProvider)
})
afterAll(async () => {
  undici.disable()
  context.disable()
  propagation.disable()
  await tracerProvider.shutdown()
})
beforeEach(() => exporter.reset())

function client(options: Parameters<typeof createClient>[0] = {}) {
  const telemetry = otel({ tracerProvider, meterProvider: new MeterProvider() })
  return createClient({ baseURL: server().url, retry: { limit: 2, delay: 50, jitter: 'none' }, ...options, use: [telemetry, ...(options.use ?? [])], onEvent: telemetry.onEvent })
}

/** Runs `work` under a caller's span, as an application would, and sorts what each instrumentation recorded. */
async function traced(work: () => Promise<unknown>) {
  const tracer = tracerProvider.getTracer('app')
  await tracer.startActiveSpan('caller', async (span) => {
    await work()
    span.end()
  })
  const spans = exporter.getFinishedSpans()
  const caller = spans.find((s) => s.name === 'caller') as ReadableSpan
  const byUndici = spans.filter((s) => s.instrumentationScope.name === UNDICI)
  const byVolley = spans.filter((s) => s.instrumentationScope.name === '@volley/otel')
  return {
    caller,
    undici: byUndici,
    calls: byVolley.filter((s) => s.kind === SpanKind.INTERNAL),
    attempts: byVolley.filter((s) => s.kind === SpanKind.CLIENT),
  }
}

describe('instrumentation-undici and @volley/otel on the same calls', () => {
  it('a call retried twice: undici sees three unrelated requests; volley one call, three numbered attempts and the two waits', async () => {
    const api = client()
    const { caller, undici: requests, calls, attempts } = await traced(() => api.get(`/flaky?key=${uniqueKey()}&fail=2`))
    expect(requests).toHaveLength(3)
    // Each undici span hangs off the caller directly, with no resend count: three separate requests.
    expect(requests.every((s) => s.parentSpanContext?.spanId === caller.spanContext().spanId)).toBe(true)
    expect(requests.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, undefined, undefined])
    expect(requests.map((s) => s.attributes['http.response.status_code'])).toEqual([503, 503, 200])
    expect(calls).toHaveLength(1)
    expect(attempts.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, 1, 2])
    expect(calls[0]?.events.filter((e) => e.name === 'volley.backoff_wait').map((e) => e.attributes?.['volley.wait_ms'])).toEqual([50, 100])
  })

  it('a call that waited for a pool slot: undici starts its span after the wait; volley records the wait', async () => {
    const api = client({ pool: createPool({ concurrency: 1 }) })
    const key = uniqueKey('queue')
    const { undici: requests, calls } = await traced(() => Promise.all([api.get(`/concurrency?ms=50&key=${key}`), api.get(`/concurrency?ms=50&key=${key}`)]))
    expect(requests).toHaveLength(2)
    expect(requests.flatMap((s) => s.events)).toEqual([])
    const waits = calls.flatMap((s) => s.events.filter((e) => e.name === 'volley.queue_wait'))
    expect(Math.max(...waits.map((e) => Number(e.attributes?.['volley.wait_ms'])))).toBeGreaterThanOrEqual(45)
  })

  it('a hedged call: undici sees two requests, one of them aborted; volley says which was the hedge and why the other ended', async () => {
    const key = uniqueKey('tail')
    await client().get(`/tail?every=2&slow=60000&key=${key}`) // request 1, fast
    exporter.reset()
    const api = client({ use: [hedge({ after: 20 })] })
    const { undici: requests, calls, attempts } = await traced(() => api.get(`/tail?every=2&slow=60000&key=${key}`))
    expect(requests).toHaveLength(2)
    expect(requests.some((s) => Object.keys(s.attributes).some((name) => name.includes('hedge')))).toBe(false)
    expect(calls[0]?.events.filter((e) => e.name === 'volley.hedge')).toHaveLength(1)
    expect(attempts.filter((s) => s.attributes['volley.hedge'] === true)).toHaveLength(1)
    expect(attempts.map((s) => s.attributes['error.type']).sort()).toEqual(['ERR_ABORTED', undefined])
  })

  it('traceparent: both inject one, so the server gets two values unless volley is told not to propagate', async () => {
    const { undici: requests, attempts } = await traced(() => client().get('/headers'))
    const [both] = server().stats.byRoute('headers')
    // volley sets it as the attempt is prepared, undici appends its own as the request leaves.
    expect(String(both?.headers.traceparent).split(', ').map((value) => value.split('-')[2])).toEqual([attempts[0]?.spanContext().spanId, requests[0]?.spanContext().spanId])
    server().reset()
    exporter.reset()
    const telemetry = otel({ tracerProvider, meterProvider: new MeterProvider(), propagate: false })
    const quiet = createClient({ baseURL: server().url, use: [telemetry], onEvent: telemetry.onEvent })
    const { undici: again } = await traced(() => quiet.get('/headers'))
    const [one] = server().stats.byRoute('headers')
    expect(String(one?.headers.traceparent).split('-')[2]).toBe(again[0]?.spanContext().spanId)
  })
})
