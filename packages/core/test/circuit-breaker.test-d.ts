import { describe, expectTypeOf, it } from 'vitest'
import {
  circuitBreaker,
  createClient,
  isCircuitOpenError,
  isServerFailure,
  type AttemptOutcome,
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitBreakerState,
  type CircuitOpenError,
  type CircuitState,
  type Policy,
  type VolleyErrorCode,
} from '@volley/core'

describe('circuitBreaker() types', () => {
  it('is a policy for `use`, named, with a state view per origin', () => {
    const breaker = circuitBreaker({ failures: 3, failureRate: { threshold: 0.5, window: 10_000, minimum: 20 }, cooldown: 5_000, probes: 2 })
    expectTypeOf(breaker).toEqualTypeOf<CircuitBreaker>()
    expectTypeOf(breaker).toMatchTypeOf<Policy>()
    expectTypeOf(breaker.name).toEqualTypeOf<'circuit-breaker'>()
    expectTypeOf(breaker.state('https://a.example')).toEqualTypeOf<CircuitBreakerState>()
    expectTypeOf(breaker.state('https://a.example').state).toEqualTypeOf<CircuitState>()
    expectTypeOf(breaker.state('https://a.example').retryAt).toEqualTypeOf<number | undefined>()
    createClient({ use: [breaker] })
  })

  it('types its options', () => {
    expectTypeOf(isServerFailure).toEqualTypeOf<(outcome: AttemptOutcome) => boolean>()
    expectTypeOf<CircuitBreakerOptions['isFailure']>().toEqualTypeOf<((outcome: AttemptOutcome) => boolean) | undefined>()
    circuitBreaker({ failureRate: false, isFailure: (outcome) => outcome.status === 503, onStateChange: (origin, state, retryAt) => void [origin, state, retryAt] })
    // @ts-expect-error an unknown option
    circuitBreaker({ failure: 3 })
    // @ts-expect-error the threshold is required in a failure rate
    circuitBreaker({ failureRate: { window: 1_000 } })
    // @ts-expect-error a state that does not exist
    const state: CircuitState = 'ajar'
    void state
  })

  it('has its code among the stable codes', () => {
    expectTypeOf<'ERR_CIRCUIT_OPEN'>().toMatchTypeOf<VolleyErrorCode>()
  })

  it('narrows errors to CircuitOpenError', () => {
    const error: unknown = new Error('x')
    if (isCircuitOpenError(error)) {
      expectTypeOf(error).toEqualTypeOf<CircuitOpenError>()
      expectTypeOf(error.origin).toEqualTypeOf<string>()
      expectTypeOf(error.retryAt).toEqualTypeOf<number>()
      expectTypeOf(error.code).toEqualTypeOf<VolleyErrorCode>()
    }
  })
})
