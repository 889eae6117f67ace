import { inspect } from 'node:util'
import { startChaosServer } from '@volley/chaos-server'
import { describe, expect, it, vi } from 'vitest'
import {
  circuitBreaker,
  isAbortError,
  createClient,
  createManualClock,
  createMetrics,
  createPool,
  hedge,
  isCircuitOpenError,
  isHTTPError,
  type CircuitState,
  type VolleyEvent,
} from '@volley/core'
import { holdAtServer, uniqueKey, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

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
    expect(isCircuitOpenError(error) && [error.origin, error.retryAt > Date.now(), error.attempts, (error as unknown as { meta: { attempts: number } }).meta.attempts]).toEqual([origin, true, 0, 0]) // never sent: 0 everywhere
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
    // A classifier that counts every outcome: only the abort being the caller's keeps it out.
    const { api, breaker, origin } = setup({ failures: 1, failureRate: false, isFailure: () => true })
    const controller = new AbortController()
    const call = api.get(`/delay/60000`, { signal: controller.signal }).catch((e: unknown) => e)
    // Aborted once the attempt has reached the server, so the breaker sees an attempt end.
    await vi.waitFor(() => expect(server().stats.count('delay')).toBe(1), handshake)
    controller.abort()
    expect(isAbortError(await call)).toBe(true)
    expect(breaker.state(origin).state).toBe('closed')
  })

  it('forgets failures that slid out of the window', async () => {
    const { api, breaker, origin, clock } = setup({ failures: 100, failureRate: { threshold: 0.5, minimum: 4, window: 1_000 } })
    for (let i = 0; i < 3; i++) await api.get('/status/503').catch(() => {})
    await clock.advance(1_000)
    // Three failures a window ago no longer count: 1 failure in 4 attempts is under the threshold.
    await api.get('/status/503').catch(() => {})
    for (let i = 0; i < 3; i++) await api.get('/json')
    expect(breaker.state(origin).state).toBe('closed')
    // Within one window, 4 failures of 7 attempts reach it.
    for (let i = 0; i < 3; i++) await api.get('/status/503').catch(() => {})
    expect(breaker.state(origin).state).toBe('open')
  })

  it('never counts a hedge that lost (its abort says nothing about the server)', async () => {
    const breaker = circuitBreaker({ failures: 1, failureRate: false, isFailure: (outcome) => outcome.error !== undefined })
    const api = createClient({ baseURL: server().url, retry: 0, use: [breaker, hedge({ after: 20 })] })
    const key = uniqueKey('tail')
    // The key's 1st request, without hedging (a loaded machine could take longer than 20 ms).
    await createClient({ baseURL: server().url, retry: 0 }).get(`/tail?key=${key}&every=2&slow=0`)
    // The 2nd request of the key is slow (the original), the 3rd fast (the hedge, which wins).
    const { meta } = await api.raw.get(`/tail?key=${key}&every=2&slow=60000`)
    expect(meta.hedges).toBe(1)
    expect(server().stats.count('tail')).toBe(3)
    expect(breaker.state(new URL(server().url).origin)).toEqual({ state: 'closed', failures: 0, retryAt: undefined })
  })

  it('is shared by the clients that share it: one opens it for both', async () => {
    const breaker = circuitBreaker({ failures: 2, failureRate: false })
    const a = createClient({ baseURL: server().url, retry: 0, use: [breaker] })
    const b = createClient({ baseURL: server().url, retry: 0, use: [breaker] })
    await a.get('/status/503').catch(() => {})
    await b.get('/status/503').catch(() => {})
    expect(isCircuitOpenError(await a.get('/json').catch((e: unknown) => e))).toBe(true)
    expect(isCircuitOpenError(await b.get('/json').catch((e: unknown) => e))).toBe(true)
    // A client with its own breaker is not affected.
    await createClient({ baseURL: server().url, retry: 0, use: [circuitBreaker()] }).get('/json')
    expect(server().stats.count('status')).toBe(2)
    expect(server().stats.count('json')).toBe(1)
  })

  it('keeps origins apart: one failing origin leaves another closed', async () => {
    const other = await startChaosServer({ port: 0 })
    try {
      const breaker = circuitBreaker({ failures: 2, failureRate: false })
      const api = createClient({ retry: 0, use: [breaker] })
      for (let i = 0; i < 2; i++) await api.get(`${server().url}/status/503`).catch(() => {})
      expect(isCircuitOpenError(await api.get(`${server().url}/json`).catch((e: unknown) => e))).toBe(true)
      for (let i = 0; i < 3; i++) await api.get(`${other.url}/json`)
      expect(other.stats.count('json')).toBe(3)
      expect(breaker.state(new URL(other.url).origin)).toEqual({ state: 'closed', failures: 0, retryAt: undefined })
      expect(breaker.state(new URL(server().url).origin).state).toBe('open')
    } finally {
      await other.close()
    }
  })

  it('half-open with `probes: 2` lets exactly two concurrent attempts through; two successes close it', async () => {
    const { api, breaker, origin, clock, changes } = setup({ failures: 1, cooldown: 1_000, probes: 2, failureRate: false })
    await api.get('/status/500').catch(() => {})
    await clock.advance(1_000)
    const key = uniqueKey('probes')
    const probes = [api.get(`/concurrency?ms=100&key=${key}`), api.get(`/concurrency?ms=100&key=${key}`)]
    const others = await Promise.all([1, 2, 3].map(() => api.get('/json').catch((e: unknown) => e)))
    expect(others.every(isCircuitOpenError)).toBe(true)
    await Promise.all(probes)
    expect(server().stats.count('concurrency')).toBe(2)
    expect(server().stats.count('json')).toBe(0)
    expect(breaker.state(origin).state).toBe('closed')
    expect(changes.map(([, state]) => state)).toEqual(['open', 'half-open', 'closed'])
  })

  it('an aborted probe gives its slot back and counts for nothing: the next call probes', async () => {
    const { api, breaker, origin, clock } = setup({ failures: 1, cooldown: 1_000, failureRate: false })
    await api.get('/status/500').catch(() => {})
    await clock.advance(1_000)
    const controller = new AbortController()
    const probe = api.get('/delay/60000', { signal: controller.signal }).catch((e: unknown) => e)
    expect(isCircuitOpenError(await api.get('/json').catch((e: unknown) => e))).toBe(true)
    controller.abort()
    expect(isAbortError(await probe)).toBe(true)
    expect(breaker.state(origin).state).toBe('half-open')
    await api.get('/json')
    expect(breaker.state(origin).state).toBe('closed')
    expect(server().stats.count('json')).toBe(1)
  })

  it("a probe from an earlier half-open that ends late frees no slot of the next one", async () => {
    const { api, breaker, origin, clock } = setup({ failures: 1, cooldown: 1_000, failureRate: false })
    // Sent while closed; it times out (a failure) while the breaker is half-open and reopens it.
    const stale = api.get('/delay/60000', { timeout: { attempt: 1_500 } }).catch((e: unknown) => e)
    await api.get('/status/500').catch(() => {})
    await clock.advance(1_000)
    const controller = new AbortController()
    const first = api.get('/delay/60000', { signal: controller.signal }).catch((e: unknown) => e)
    await clock.advance(500)
    await stale
    expect(breaker.state(origin).state).toBe('open')
    await clock.advance(1_000)
    // The second probe is held at the server until the test has seen the breaker refuse a call.
    const held = holdAtServer(server)
    const second = api.get(held.path)
    controller.abort()
    await first
    // The first probe's slot was of the earlier half-open: the second probe still holds the only one.
    expect(isCircuitOpenError(await api.get('/json').catch((e: unknown) => e))).toBe(true)
    await held.release()
    await second
    expect(breaker.state(origin).state).toBe('closed')
    expect(server().stats.count('json')).toBe(0)
  })

  it('reports every change in order, in the timeline and to onStateChange, with retryAt', async () => {
    const { api, origin, clock, changes, events } = setup({ failures: 1, cooldown: 2_000, failureRate: false })
    const openedAt = clock.now()
    await api.get('/status/503').catch(() => {})
    await clock.advance(2_000)
    await api.get('/status/503').catch(() => {})
    const reopenedAt = clock.now()
    await clock.advance(2_000)
    await api.get('/json')
    const circuit = events.filter((e) => e.type === 'circuit').map((e) => {
      const { origin: o, state, retryAt } = e as unknown as { origin: string; state: string; retryAt: number | undefined }
      return [o, state, retryAt]
    })
    expect(circuit).toEqual([
      [origin, 'open', openedAt + 2_000],
      [origin, 'half-open', undefined],
      [origin, 'open', reopenedAt + 2_000],
      [origin, 'half-open', undefined],
      [origin, 'closed', undefined],
    ])
    expect(changes).toEqual(circuit.map(([o, state]) => [o, state]))
    expect(server().stats.count()).toBe(3)
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
    expect(isCircuitOpenError(error) && error.request?.url).toContain('/json')
  })

  it('never shows the credentials of a URL with userinfo', async () => {
    const { api } = setup({ failures: 1, failureRate: false })
    await api.get('/status/503').catch(() => {})
    const url = new URL('/json?access_token=t0ken', server().url)
    url.username = 'alice'
    url.password = 'pa55word'
    const error = await api.get(url.href).catch((e: unknown) => e)
    expect(isCircuitOpenError(error)).toBe(true)
    const shown = `${String(error)} ${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`
    for (const secret of ['pa55word', 't0ken', 'alice']) expect(shown).not.toContain(secret)
  })

  it('sets no timer: an open breaker waits for its cooldown on the clock, not on a timer', async () => {
    const { api, clock, breaker, origin } = setup({ failures: 1, cooldown: 1_000, failureRate: false })
    await api.get('/status/503').catch(() => {})
    expect(breaker.state(origin).state).toBe('open')
    expect(clock.pending).toBe(0)
  })

  it('treats a throwing isFailure as a success, and the call goes on', async () => {
    const { api, breaker, origin } = setup({ failures: 1, failureRate: false, isFailure: () => { throw new Error('bug') } })
    expect(isHTTPError(await api.get('/status/503').catch((e: unknown) => e))).toBe(true)
    expect(breaker.state(origin).state).toBe('closed')
  })

  it('rejects bad options with a clear TypeError', () => {
    expect(() => circuitBreaker({ failure: 3 } as never)).toThrow(/circuitBreaker\(\): unknown option `failure`; did you mean `failures`\?/)
    expect(() => circuitBreaker({ cooldown: -1 })).toThrow(/`cooldown` must be a positive number/)
    expect(() => circuitBreaker({ probes: 0 })).toThrow(/`probes` must be a positive integer/)
    expect(() => circuitBreaker({ failureRate: { threshold: 2 } })).toThrow(/`failureRate.threshold` must be a number in \(0, 1\], got 2/)
    expect(() => circuitBreaker({ failureRate: { treshold: 0.5 } as never })).toThrow(/unknown option `failureRate.treshold`; did you mean `failureRate.threshold`\?/)
  })

  it('calls queued behind a pool fail fast once the breaker opens (checked again before sending)', async () => {
    const breaker = circuitBreaker({ failures: 3, failureRate: false })
    const api = createClient({ baseURL: server().url, retry: 0, pool: createPool({ concurrency: 1 }), use: [breaker] })
    const key = uniqueKey('queued')
    const results = await Promise.all(Array.from({ length: 8 }, () => api.get(`/flap?key=${key}&up=0&down=100`).catch((e: unknown) => e)))
    expect(results.filter(isCircuitOpenError)).toHaveLength(5)
    expect(server().stats.count('flap')).toBe(3)
    const fast = results.find(isCircuitOpenError)
    expect(isCircuitOpenError(fast) && fast.request?.url).toContain('/flap')
  })
})

