// runtimes: node
/**
 * Tracing and metrics with @volley/otel, printed by the OpenTelemetry SDK's console exporters: a
 * call retried twice (one call span, three attempt spans, two backoff waits), a call that waits for
 * a pool slot (a queue wait), and a hedged call (the hedge's span, the loser aborted).
 * The server receives each attempt's own `traceparent`. In an app, register your SDK (an OTLP
 * exporter, a context manager) once and call `otel()` without providers.
 * Run: npm run example -- examples/opentelemetry.ts
 */
import { propagation } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { startChaosServer } from '@volley/chaos-server'
import { otel } from '@volley/otel'
import { createClient, createPool, hedge } from 'volley'

propagation.setGlobalPropagator(new W3CTraceContextPropagator())
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] })
const reader = new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis: 60_000 })
const meterProvider = new MeterProvider({ readers: [reader] })

const server = await startChaosServer()
const telemetry = otel({ tracerProvider, meterProvider })
const api = createClient({
  baseURL: server.url,
  pool: createPool({ concurrency: 2 }),
  retry: { limit: 2, delay: 20 },
  use: [telemetry],
  onEvent: telemetry.onEvent,
})
const stop = telemetry.observe(api)

await api.get('/flaky?fail=2') // 503, 503, then 200
await Promise.all([api.get('/delay/30'), api.get('/delay/30'), api.get('/delay/30')]) // the third waits for a slot
await api.get('/tail?every=2&slow=2000&key=hedged') // the 1st answer of /tail is fast...
await api.get('/tail?every=2&slow=2000&key=hedged', { use: [hedge({ after: 100 })] }) // ...the 2nd slow: a hedge goes out, and wins

const seen = await api.get<{ headers: Record<string, string> }>('/headers')
console.log(`the server saw traceparent ${seen.headers.traceparent}`)
await reader.forceFlush() // the duration histogram and the pool gauges
stop()
await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()])
await server.close()
