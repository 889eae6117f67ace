import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createClient, createPool, createRateLimiter, hedge, redactUrl, type VolleyOptions } from '@volley/core'
import { otel } from '@volley/otel'
import { urlAttributes } from '../src/attributes.js'
import { closedPort, uniqueKey, useChaosServer } from '../../core/test/helpers/chaos.js'

const server = useChaosServer()
const spans = new InMemorySpanExporter()
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })
// Delta: a gauge nobody observes any more reports nothing, rather than its last value.
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA)
let meterProvider: MeterProvider
let reader: PeriodicExportingMetricReader

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
})
afterAll(async () => {
  context.disable()
  propagation.disable()
  await tracerProvider.shutdown()
})
beforeEach(() => {
  spans.reset()
  metricExporter.reset()
  // A reader that exports only when asked (the interval is never reached in a test).
  reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 })
  meterProvider = new MeterProvider({ readers: [reader] })
})

function client(options: VolleyOptions = {}) {
  const telemetry = otel({ tracerProvider, meterProvider })
  const api = createClient({ baseURL: server().url, retry: { limit: 2, delay: 1, jitter: 'none' }, ...options, use: [telemetry, ...(options.use ?? [])], onEvent: telemetry.onEvent })
  return { api, telemetry }
}

const finished = (): ReadableSpan[] => spans.getFinishedSpans()
const callSpans = () => finished().filter((s) => s.kind === SpanKind.INTERNAL)
const attemptSpans = () => finished().filter((s) => s.kind === SpanKind.CLIENT)

async function collect(): Promise<ResourceMetrics | undefined> {
  await reader.forceFlush()
  return metricExporter.getMetrics().at(-1)
}

function metric(resource: ResourceMetrics | undefined, name: string) {
  return resource?.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === name)
}

describe('@volley/otel traces', () => {
  it('gives a retried call one INTERNAL span and a CLIENT span per attempt, with the HTTP client conventions', async () => {
    const { api } = client()
    await api.get(`/flaky?key=${uniqueKey()}&fail=2`)
    const [call] = callSpans()
    const attempts = attemptSpans()
    expect(call?.name).toBe('volley GET')
    expect(attempts.map((s) => s.name)).toEqual(['GET', 'GET', 'GET'])
    expect(attempts.every((s) => s.parentSpanContext?.spanId === call?.spanContext().spanId)).toBe(true)
    const port = Number(new URL(server().url).port)
    for (const span of attempts) {
      expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'server.port': port, 'url.scheme': 'http' })
      expect(span.attributes['url.full']).toMatch(new RegExp(`^${server().url}/flaky\\?key=`))
    }
    expect(attempts.map((s) => s.attributes['http.response.status_code'])).toEqual([503, 503, 200])
    expect(attempts.map((s) => s.attributes['error.type'])).toEqual(['503', '503', undefined])
    expect(attempts.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR, SpanStatusCode.UNSET])
    // Set "if and only if the request was retried".
    expect(attempts.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, 1, 2])
    expect(call?.attributes).toMatchObject({ 'volley.attempts': 3, 'volley.retries': 2, 'http.response.status_code': 200 })
    expect(call?.status.code).toBe(SpanStatusCode.UNSET)
    // The backoff waits are events of the call's span, between the attempts.
    const waits = call?.events.filter((e) => e.name === 'volley.backoff_wait') ?? []
    expect(waits.map((e) => e.attributes)).toEqual([
      { 'volley.attempt': 1, 'volley.wait_ms': 1, 'volley.retry_after': false, 'error.type': 'ERR_HTTP' },
      { 'volley.attempt': 2, 'volley.wait_ms': 2, 'volley.retry_after': false, 'error.type': 'ERR_HTTP' },
    ])
  })

  it("injects a W3C traceparent naming each attempt's own span, under the caller's active span", async () => {
    const { api } = client()
    const key = uniqueKey()
    const tracer = tracerProvider.getTracer('test')
    const parent = await tracer.startActiveSpan('caller', async (span) => {
      await api.get(`/flaky?key=${key}&fail=1&status=429&retryAfter=0`)
      span.end()
      return span
    })
    const [call] = callSpans()
    expect(call?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId)
    const traceId = parent.spanContext().traceId
    const sent = server().stats.byRoute('flaky').map((hit) => hit.headers.traceparent)
    expect(sent).toEqual(attemptSpans().map((s) => `00-${traceId}-${s.spanContext().spanId}-01`))
    expect(call?.events.find((e) => e.name === 'volley.backoff_wait')?.attributes).toMatchObject({ 'volley.retry_after': true })
  })

  it('records a queue wait and a hedge as events, and the hedge as its own CLIENT span', async () => {
    const { api } = client({ pool: createPool({ concurrency: 1 }) })
    const key = uniqueKey('queue')
    await Promise.all([api.get(`/concurrency?ms=30&key=${key}`), api.get(`/concurrency?ms=30&key=${key}`)])
    // The second call waited for the slot while the server held the first for 30 ms.
    const waits = callSpans().flatMap((s) => s.events.filter((e) => e.name === 'volley.queue_wait'))
    expect(Math.max(...waits.map((e) => Number(e.attributes?.['volley.wait_ms'])))).toBeGreaterThanOrEqual(25)

    spans.reset()
    const { api: hedged } = client({ use: [hedge({ after: 20 })] })
    const tail = uniqueKey('tail')
    await api.get(`/tail?every=2&slow=60000&key=${tail}`) // request 1, fast (and never hedged)
    spans.reset()
    await hedged.get(`/tail?every=2&slow=60000&key=${tail}`) // request 2 is slow, the hedge (3) fast
    const [call] = callSpans()
    expect(call?.events.filter((e) => e.name === 'volley.hedge').map((e) => e.attributes?.['volley.attempt'])).toEqual([2])
    const [original, hedge2] = attemptSpans().sort((a, b) => Number(a.attributes['http.request.resend_count'] ?? 0) - Number(b.attributes['http.request.resend_count'] ?? 0))
    expect(original?.attributes['error.type']).toBe('ERR_ABORTED')
    expect(hedge2?.attributes).toMatchObject({ 'volley.hedge': true, 'http.request.resend_count': 1, 'http.response.status_code': 200 })
    expect(call?.attributes).toMatchObject({ 'volley.hedges': 1 })
  })

  it("reports failures before any status with volley's error code, and a failed call as an error", async () => {
    const { api } = client({ retry: false })
    await api.get(`http://127.0.0.1:${await closedPort()}/json`).catch(() => {})
    await api.get('/slow-headers/60000', { timeout: { total: 50 } }).catch(() => {})
    expect(attemptSpans().map((s) => s.attributes['error.type'])).toEqual(['ERR_NETWORK', 'ERR_TIMEOUT'])
    expect(callSpans().map((s) => [s.status.code, s.attributes['error.type']])).toEqual([
      [SpanStatusCode.ERROR, 'ERR_NETWORK'],
      [SpanStatusCode.ERROR, 'ERR_TIMEOUT'],
    ])
    expect(attemptSpans().every((s) => s.attributes['http.response.status_code'] === undefined)).toBe(true)
  })

  it('keeps secrets out of url.full, in the conventions’ spelling, and names an unknown method _OTHER', async () => {
    const { api } = client()
    await api.get('/echo?token=abc&AWSAccessKeyId=AKIA&q=1')
    await api(`/echo`, { method: 'PURGE' })
    const [withSecrets, purge] = attemptSpans()
    expect(withSecrets?.attributes['url.full']).toBe(`${server().url}/echo?token=REDACTED&AWSAccessKeyId=REDACTED&q=1`)
    // fetch refuses credentials in a URL, so they never get this far; volley's redaction, respelled:
    expect(urlAttributes(redactUrl('https://ada:pw@api.example.com/v1?sig=x'))).toEqual({
      'url.full': 'https://REDACTED:REDACTED@api.example.com/v1?sig=REDACTED',
      'url.scheme': 'https',
      'server.address': 'api.example.com',
      'server.port': 443,
    })
    expect(purge?.name).toBe('HTTP')
    expect(purge?.attributes).toMatchObject({ 'http.request.method': '_OTHER', 'http.request.method_original': 'PURGE' })
  })
})

describe('@volley/otel metrics', () => {
  it('records http.client.request.duration per attempt, in seconds, with the advised buckets', async () => {
    const { api } = client()
    await api.get(`/flaky?key=${uniqueKey()}&fail=1`)
    const histogram = metric(await collect(), 'http.client.request.duration')
    expect(histogram?.descriptor.unit).toBe('s')
    const points = (histogram?.dataPoints ?? []) as { attributes: Record<string, unknown>; value: { count: number; buckets: { boundaries: number[] } } }[]
    expect(points.map((p) => [p.attributes['http.response.status_code'], p.attributes['error.type'], p.value.count]).sort()).toEqual([
      [200, undefined, 1],
      [503, '503', 1],
    ])
    expect(points[0]?.value.buckets.boundaries).toEqual([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10])
    expect(points[0]?.attributes).toMatchObject({ 'http.request.method': 'GET', 'server.address': '127.0.0.1' })
    // Attributes of the metric stay low-cardinality: no URL.
    expect(points.every((p) => p.attributes['url.full'] === undefined)).toBe(true)
  })

  it("reports the pool's and the rate limiter's state as gauges, until told to stop", async () => {
    const pool = createPool({ concurrency: 3 })
    const rateLimit = createRateLimiter({ limit: 5, interval: 60_000 })
    const { api, telemetry } = client({ pool, rateLimit })
    await api.get('/json')
    const stop = telemetry.observe(api)
    let resource = await collect()
    expect(metric(resource, 'volley.pool.limit')?.dataPoints[0]?.value).toBe(3)
    expect(metric(resource, 'volley.pool.active')?.dataPoints[0]?.value).toBe(0)
    const tokens = metric(resource, 'volley.rate_limit.tokens')?.dataPoints[0]
    expect(tokens?.attributes).toMatchObject({ 'server.address': '127.0.0.1' })
    // The one token of the bucket was taken; it refills at 5 a minute.
    expect(tokens?.value).toBeGreaterThanOrEqual(0)
    expect(tokens?.value).toBeLessThan(1)
    expect(metric(resource, 'volley.rate_limit.waiting')?.dataPoints[0]?.value).toBe(0)
    stop()
    metricExporter.reset()
    resource = await collect()
    expect(metric(resource, 'volley.pool.limit')?.dataPoints ?? []).toEqual([])
  })
})
