/**
 * @volley/otel — OpenTelemetry for volley: a span per call and per attempt (retries, hedges),
 * queue and backoff waits as span events, W3C `traceparent` on every attempt, and the HTTP client
 * metrics, following the stable HTTP semantic conventions. Depends on `@opentelemetry/api` alone,
 * so it runs in Node and in browsers.
 */
export { otel, type OtelOptions, type Telemetry } from './telemetry.js'
export type { Observed } from './instruments.js'
