import { SpanKind, propagation } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { otel } from '@volley/otel'
import { createClient, createPool } from 'volley'
import { chaosUrl } from '../../../shared/chaos.js'

/** A span as the spec sees it. */
export interface SpanReport {
  name: string
  kind: 'client' | 'internal'
  spanId: string
  traceId: string
  parentSpanId: string | undefined
  attributes: Record<string, unknown>
  status: number
  events: { name: string; attributes: Record<string, unknown> }[]
}

/** What @volley/otel recorded in the page. */
export interface OtelReport {
  spans: SpanReport[]
  /** `http.client.request.duration` data points: status code and count. */
  durations: { status: unknown; count: number; unit: string }[]
  /** The `volley.pool.limit` gauge. */
  poolLimit: unknown
}

/**
 * A call retried twice (503, 503, 200) through @volley/otel, in the browser: the SDK's in-memory
 * exporters, the W3C propagator, the built `@volley/otel` and `volley` packages.
 */
export async function otelRetried(args: { key: string }): Promise<OtelReport> {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  const spans = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] })
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 })
  const meterProvider = new MeterProvider({ readers: [reader] })
  const telemetry = otel({ tracerProvider, meterProvider })
  const api = createClient({ baseURL: chaosUrl(), pool: createPool({ concurrency: 2 }), retry: { limit: 2, delay: 10, jitter: 'none' }, use: [telemetry], onEvent: telemetry.onEvent })
  const stop = telemetry.observe(api)
  try {
    await api.get(`/flaky?key=${args.key}&fail=2`)
    await reader.forceFlush()
    const scopes = metrics.getMetrics().at(-1)?.scopeMetrics ?? []
    const all = scopes.flatMap((scope) => scope.metrics)
    const histogram = all.find((m) => m.descriptor.name === 'http.client.request.duration')
    const limit = all.find((m) => m.descriptor.name === 'volley.pool.limit')
    return {
      spans: spans.getFinishedSpans().map((span) => ({
        name: span.name,
        kind: span.kind === SpanKind.CLIENT ? 'client' : 'internal',
        spanId: span.spanContext().spanId,
        traceId: span.spanContext().traceId,
        parentSpanId: span.parentSpanContext?.spanId,
        attributes: { ...span.attributes },
        status: span.status.code,
        events: span.events.map((event) => ({ name: event.name, attributes: { ...event.attributes } })),
      })),
      durations: (histogram?.dataPoints ?? []).map((point) => ({
        status: point.attributes['http.response.status_code'],
        count: (point.value as { count: number }).count,
        unit: histogram?.descriptor.unit ?? '',
      })),
      poolLimit: limit?.dataPoints[0]?.value,
    }
  } finally {
    stop()
    propagation.disable()
    await tracerProvider.shutdown()
    await meterProvider.shutdown()
  }
}
