import { ValueType, type Attributes, type Histogram, type Meter, type ObservableResult } from '@opentelemetry/api'
import type { Pool, RateLimiter } from '@volley/core'

/** What {@link Instruments.observe} reports: a client (its `pool` and `rateLimiter`), or either. */
export interface Observed {
  readonly pool?: Pool | undefined
  readonly rateLimiter?: RateLimiter | undefined
}

/** The metrics of a telemetry: the conventions' histogram, and gauges over what it observes. */
export interface Instruments {
  readonly duration: Histogram
  /** An origin the calls went to: the rate-limit gauges report its bucket (at most 64 origins). */
  origin(attributes: Attributes): void
  observe(target: Observed): () => void
}

/**
 * semconv "HTTP metrics": `http.client.request.duration` in seconds with the advised bucket
 * boundaries. The gauges are volley's own (the conventions have none for a client-side pool or
 * rate limiter): `volley.pool.active`, `volley.pool.queued`, `volley.pool.limit`,
 * `volley.rate_limit.tokens` and `volley.rate_limit.waiting` (per origin, with `server.address`
 * and `server.port`).
 */
export function createInstruments(meter: Meter): Instruments {
  const duration = meter.createHistogram('http.client.request.duration', {
    description: 'Duration of HTTP client requests.',
    unit: 's',
    valueType: ValueType.DOUBLE,
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  })
  const gauge = (name: string, description: string, unit: string) => meter.createObservableGauge(name, { description, unit, valueType: ValueType.INT })
  const poolActive = gauge('volley.pool.active', 'Pool slots held.', '{request}')
  const poolQueued = gauge('volley.pool.queued', 'Calls waiting for a pool slot.', '{request}')
  const poolLimit = gauge('volley.pool.limit', "The pool's concurrency.", '{request}')
  const tokens = meter.createObservableGauge('volley.rate_limit.tokens', { description: 'Rate-limit tokens available per origin.', unit: '{token}', valueType: ValueType.DOUBLE })
  const waiting = gauge('volley.rate_limit.waiting', 'Calls waiting for a rate-limit token per origin.', '{request}')
  // Origins by URL origin, with their attributes; insertion order, the oldest dropped past 64.
  const origins = new Map<string, Attributes>()

  return {
    duration,
    origin(attributes) {
      const { 'url.scheme': scheme, 'server.address': address, 'server.port': port } = attributes
      if (address === undefined) return
      const key = `${String(scheme)}://${String(address)}:${String(port)}`
      if (origins.has(key)) return
      if (origins.size >= 64) origins.delete(origins.keys().next().value as string)
      origins.set(key, { 'server.address': address, 'server.port': port, origin: `${String(scheme)}://${String(address)}${port === 80 || port === 443 ? '' : `:${String(port)}`}` })
    },
    observe({ pool, rateLimiter }) {
      const onPool = (result: ObservableResult, read: (stats: Pool['stats']) => number) => pool && result.observe(read(pool.stats))
      const active = (result: ObservableResult) => onPool(result, (stats) => stats.active)
      const queued = (result: ObservableResult) => onPool(result, (stats) => stats.queued)
      const limit = (result: ObservableResult) => onPool(result, (stats) => stats.concurrency)
      const perOrigin = (read: (state: ReturnType<RateLimiter['state']>) => number) => (result: ObservableResult) => {
        if (!rateLimiter) return
        for (const { origin, ...attributes } of origins.values()) {
          const value = read(rateLimiter.state(String(origin)))
          if (!Number.isNaN(value)) result.observe(value, attributes)
        }
      }
      const available = perOrigin((state) => state.tokens)
      const inLine = perOrigin((state) => state.waiting)
      poolActive.addCallback(active)
      poolQueued.addCallback(queued)
      poolLimit.addCallback(limit)
      tokens.addCallback(available)
      waiting.addCallback(inLine)
      return () => {
        poolActive.removeCallback(active)
        poolQueued.removeCallback(queued)
        poolLimit.removeCallback(limit)
        tokens.removeCallback(available)
        waiting.removeCallback(inLine)
      }
    },
  }
}
