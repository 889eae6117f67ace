import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  circuitBreaker,
  createClient,
  createManualClock,
  createMetrics,
  isCircuitOpenError,
  isHTTPError,
  type CircuitState,
  type VolleyEvent,
} from '@volley/core'
import { uniqueKey, useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()

/** A breaker and a client on one manual clock (cooldowns pass when the test says so). */
function setup(options: Parameters<typeof circuitBreaker>[0] = {}) {
  const clock = createManualClock(Date.now())
  const events: VolleyEvent[] = []
  const changes: [string, CircuitState][] = []
  const breaker = circuitBreaker({ clock, onStateChange: (origin, state) => changes.push([origin, state]), ...options })
  const metrics = createMetrics()
  const api = createClient({ baseURL: server().url, retry: 0, clock, metrics, use: [breaker], onEvent: (e) => events.push(e) })
  const origin = new URL(server().url).origin
  return { clock, events, changes, breaker, api, origin, metrics }
}

describe('circuitBreaker()', () => {
  it('opens after `failures` consecutive failures; then calls fail fast and the origin sees nothing', async () => {
    const { api, breaker, origin, changes, metrics } = setup({ failures: 3, failureRate: false })
    for (let i = 0; i < 3; i++) expect(isHTTPError(await api.get('/status/503').catch((e: unknown) => e))).toBe(true)
    expect(breaker.state(origin).state).toBe('open')
    const error = await api.get('/json').catch((e: unknown) => e)
    expect(isCircuitOpenError(error)).toBe(true)
    expect(isCircuitOpenError(error) && [error.origin, error.retryAt > Date.now(), error.attempts]).toEqual([origin, true, 1])
    expect(server().stats.count()).toBe(3)
    expect(changes).toEqual([[origin, 'open']])
    expect(metrics.snapshot().errors).toEqual({ ERR_HTTP: 3, ERR_CIRCUIT_OPEN: 1 })
  })

  it('a success resets the consecutive count; 4xx and 429 are answers, not failures', async () => {
    const { api, breaker, origin } = setup({ failures: 2, failureRate: false })
    await api.get('/status/503').catch(() => {})
    await api.get('/json')
    await api.get('/status/503').catch(() => {})
    expect(breaker.state(origin)).toMatchObject({ state: 'closed', failures: 1 })
    await api.get('/status/404').catch(() => {})
    await api.get('/status/503').catch(() => {})
    await api.get('/status/429').catch(() => {})
    await api.get('/status/503').catch(() => {})
    expect(breaker.state(origin)).toMatchObject({ state: 'closed', failures: 1 })
  })

  it('opens on the failure rate once the window holds `minimum` attempts', async () => {
    const { api, breaker, origin } = setup({ failures: 100, failureRate: { threshold: 0.5, minimum: 6 } })
    const key = uniqueKey('flap')
    // /flap with up=1, down=1 alternates: 200, 503, 200, 503...: 50% failures, never 2 in a row.
    for (let i = 0; i < 5; i++) await api.get(`/flap?key=${key}&up=1&down=1`).catch(() => {})
    expect(breaker.state(origin).state).toBe('closed')
    await api.get(`/flap?key=${key}&up=1&down=1`).catch(() => {})
    expect(breaker.state(origin).state).toBe('open')
  })

  it('half-open after the cooldown lets exactly `probes` through; a success closes it', async () => {
    const { api, breaker, origin, clock, changes, events } = setup({ failures: 1, cooldown: 5_000, probes: 1, failureRate: false })
    await api.get('/status/500').catch(() => {})
    expect(isCircuitOpenError(await api.get('/json').catch((e: unknown) => e))).toBe(true)
    await clock.advance(5_000)
    const key = uniqueKey('probe')
    const probe = api.get(`/concurrency?ms=100&key=${key}`)
    const others = await Promise.all([api.get('/json').catch((e: unknown) => e), api.get('/json').catch((e: unknown) => e)])
    expect(others.every(isCircuitOpenError)).toBe(true)
    expect(breaker.state(origin).state).toBe('half-open')
    await probe
    expect(breaker.state(origin).state).toBe('closed')
    expect(server().stats.count('concurrency')).toBe(1)
    expect(server().stats.count('json')).toBe(0)
    await api.get('/json')
    expect(changes.map(([, state]) => state)).toEqual(['open', 'half-open', 'closed'])
    expect(events.filter((e) => e.type === 'circuit').map((e) => (e as { state: string }).state)).toEqual(['open', 'half-open', 'closed'])
  })

  it('a failed probe reopens it for another cooldown', async () => {
    const { api, breaker, origin, clock } = setup({ failures: 1, cooldown: 1_000, failureRate: false })
    await api.get('/status/502').catch(() => {})
    await clock.advance(1_000)
    await api.get('/status/502').catch(() => {})
    const state = breaker.state(origin)
    expect(state.state).toBe('open')
    expect(state.retryAt).toBe(clock.now() + 1_000)
    expect(server().stats.count('status')).toBe(2)
  })

  it("never counts the caller's aborts", async () => {
    const { api, breaker, origin } = setup({ failures: 1, failureRate: false })
    const controller = new AbortController()
    const call = api.get(`/delay/5000`, { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await call.catch(() => {})
    expect(breaker.state(origin).state).toBe('closed')
  })

  it('is shared by the clients that share it, and keeps origins apart', async () => {
    const breaker = circuitBreaker({ failures: 2, failureRate: false })
    const a = createClient({ baseURL: server().url, retry: 0, use: [breaker] })
    const b = createClient({ baseURL: server().url, retry: 0, use: [breaker] })
    await a.get('/status/503').catch(() => {})
    await b.get('/status/503').catch(() => {})
    expect(isCircuitOpenError(await a.get('/json').catch((e: unknown) => e))).toBe(true)
    expect(breaker.state('http://other.invalid').state).toBe('closed')
  })

  it('stops retries: the retry after the opening failure fails fast', async () => {
    const breaker = circuitBreaker({ failures: 1, failureRate: false })
    const api = createClient({ baseURL: server().url, retry: { limit: 3, delay: 1 }, use: [breaker] })
    const error = await api.get('/status/503').catch((e: unknown) => e)
    expect(isCircuitOpenError(error)).toBe(true)
    expect(isCircuitOpenError(error) && error.previous.map((e) => e.code)).toEqual(['ERR_HTTP'])
    expect(server().stats.count('status')).toBe(1)
  })

  it('never shows secrets of the request in its error', async () => {
    const { api } = setup({ failures: 1, failureRate: false })
    await api.get('/status/503').catch(() => {})
    const error = await api.get('/json?token=s3cret&api_key=k3y').catch((e: unknown) => e)
    expect(isCircuitOpenError(error)).toBe(true)
    const shown = `${String(error)} ${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`
    expect(shown).not.toContain('s3cret')
    expect(shown).not.toContain('k3y')
  })

  it('rejects bad options with a clear TypeError', () => {
    expect(() => circuitBreaker({ failure: 3 } as never)).toThrow(/circuitBreaker\(\) has no option `failure`; did you mean `failures`\?/)
    expect(() => circuitBreaker({ cooldown: -1 })).toThrow(/`cooldown` must be a positive number/)
    expect(() => circuitBreaker({ probes: 0 })).toThrow(/`probes` must be a positive integer/)
    expect(() => circuitBreaker({ failureRate: { threshold: 2 } })).toThrow(/must be in \(0, 1\]/)
    expect(() => circuitBreaker({ failureRate: { treshold: 0.5 } as never })).toThrow(/has no option `treshold`/)
  })
})
