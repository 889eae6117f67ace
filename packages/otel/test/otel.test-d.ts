import type { MeterProvider, TracerProvider } from '@opentelemetry/api'
import { describe, expectTypeOf, it } from 'vitest'
import { createClient, createPool, type EventListener, type Policy, type VolleyOptions } from '@volley/core'
import { otel, type OtelOptions, type Telemetry } from '@volley/otel'

describe('@volley/otel types', () => {
  it('is a policy with the listener, wired into a client as two options', () => {
    const telemetry = otel()
    expectTypeOf(telemetry).toEqualTypeOf<Telemetry>()
    expectTypeOf(telemetry).toExtend<Policy>()
    expectTypeOf(telemetry.onEvent).toEqualTypeOf<EventListener>()
    const options: VolleyOptions = { use: [telemetry], onEvent: telemetry.onEvent }
    const api = createClient({ ...options, pool: createPool({ concurrency: 2 }) })
    expectTypeOf(telemetry.observe(api)).toEqualTypeOf<() => void>()
    expectTypeOf(telemetry.observe({ pool: createPool({ concurrency: 1 }) })).toEqualTypeOf<() => void>()
  })

  it('takes providers and the propagate switch, nothing else', () => {
    expectTypeOf<OtelOptions>().toEqualTypeOf<{ tracerProvider?: TracerProvider; meterProvider?: MeterProvider; propagate?: boolean }>()
    // @ts-expect-error an unknown option
    otel({ tracer: undefined })
  })
})
