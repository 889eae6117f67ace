/**
 * The composition matrix (docs/DESIGN.md#how-a-request-flows): every pair of policies in one
 * client, with the invariants measured at the chaos server, not inside volley.
 *
 * - What volley reports equals what the server saw: the attempts in `meta` and `error.attempts`,
 *   the `sent` events and the metrics all count the requests the server received, and a call that
 *   never sent anything reports 0 everywhere.
 * - While a breaker is open no request reaches its origin, however the calls were queued (a pool,
 *   a limiter); after the cooldown exactly `probes` requests go out before the breaker decides.
 * - A hedge never waits behind calls in a pool that have not started.
 */
import { describe, expect, it, vi } from 'vitest'
import {
  circuitBreaker,
  createClient,
  createMetrics,
  createPool,
  createRateLimiter,
  dedupe,
  hedge,
  isCircuitOpenError,
  isVolleyError,
  offlinePause,
  progress,
  retryBudget,
  validation,
  type CallOptions,
  type StandardSchemaV1,
  type VolleyEvent,
  type VolleyOptions,
} from '@volley/core'
import { uniqueKey, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

const server = useChaosServer()

/** A Standard Schema that accepts any object: validation runs, and never fails a call. */
const anyObject: StandardSchemaV1<unknown, unknown> = {
  '~standard': {
    version: 1,
    vendor: 'volley-test',
    validate: (value) => (typeof value === 'object' && value !== null ? { value } : { issues: [{ message: 'expected an object' }] }),
  },
}

interface Part {
  readonly client: () => VolleyOptions
  readonly call?: CallOptions
}

/** Each policy as a user would add it, tuned so the workload below exercises it. */
const PARTS: Record<string, Part> = {
  pool: { client: () => ({ pool: createPool({ concurrency: 2 }) }) },
  limiter: { client: () => ({ rateLimit: createRateLimiter({ limit: 20, interval: 50 }) }) },
  budget: { client: () => ({ use: [retryBudget({ ratio: 0.2, min: 2 })] }) },
  breaker: { client: () => ({ use: [circuitBreaker({ failures: 3, failureRate: false, cooldown: 60_000 })] }) },
  // Answers come in milliseconds: a hedge after 2 s fires only on a stalled machine, where it must still count right.
  hedge: { client: () => ({ use: [hedge({ after: 2_000 })] }) },
  dedupe: { client: () => ({ use: [dedupe()] }) },
  offline: { client: () => ({ use: [offlinePause()] }) },
  progress: { client: () => ({ use: [progress()], onDownloadProgress: () => {} }) },
  validation: { client: () => ({ use: [validation()] }), call: { schema: anyObject } },
}

function compose(a: Part, b: Part, extra: VolleyOptions): { options: VolleyOptions; call: CallOptions } {
  const one = a.client()
  const two = b.client()
  return {
    options: { ...one, ...two, ...extra, use: [...(one.use ?? []), ...(two.use ?? [])] },
    call: { ...a.call, ...b.call },
  }
}

const names = Object.keys(PARTS)
const pairs = names.flatMap((a, i) => names.slice(i + 1).map((b) => [a, b] as const))

/** What a call reported: attempts from its result or its error, and whether it failed. */
interface Report {
  attempts: number
  metaAttempts: number
  error: unknown
}

async function report(promise: Promise<{ meta: { attempts: number } }>): Promise<Report> {
  try {
    const { meta } = await promise
    return { attempts: meta.attempts, metaAttempts: meta.attempts, error: undefined }
  } catch (error) {
    if (!isVolleyError(error)) throw error
    const meta = (error as unknown as { meta: { attempts: number } }).meta
    return { attempts: error.attempts, metaAttempts: meta.attempts, error }
  }
}

describe('the composition matrix: attempts reported equal requests the server saw', () => {
  it.each(pairs)('%s + %s', async (a, b) => {
    const key = uniqueKey(`${a}-${b}`)
    const sent: VolleyEvent[] = []
    const metrics = createMetrics()
    const { options, call } = compose(PARTS[a]!, PARTS[b]!, {
      baseURL: server().url,
      retry: { limit: 2, delay: 1, jitter: 'none' },
      metrics,
      onEvent: (event) => void (event.type === 'sent' && sent.push(event)),
    })
    const api = createClient(options)
    // A flapping origin: 4 answers up, 4 down (503), round and round, over 24 calls with retries.
    const reports = await Promise.all(Array.from({ length: 24 }, () => report(api.raw.get(`/flap?key=${key}&up=4&down=4`, call))))
    const seen = server().stats.byRoute('flap').filter((hit) => hit.query.key === key).length
    const reported = reports.reduce((sum, r) => sum + r.attempts, 0)
    expect({ reported, sentEvents: sent.length, metrics: metrics.snapshot().attempts }).toEqual({ reported: seen, sentEvents: seen, metrics: seen })
    for (const r of reports) expect(r.attempts).toBe(r.metaAttempts)
    // A call refused before sending (an open breaker) reports 0.
    for (const r of reports.filter((r) => isCircuitOpenError(r.error) && r.metaAttempts === 0)) expect(r.attempts).toBe(0)
    // (With dedupe, identical calls share requests: too few reach the origin to open it.)
    if ((a === 'breaker' || b === 'breaker') && a !== 'dedupe' && b !== 'dedupe') expect(reports.some((r) => isCircuitOpenError(r.error))).toBe(true)
    await api.close()
  })
})

describe('an open breaker and calls waiting in line', () => {
  it.each([
    ['a pool', () => ({ pool: createPool({ concurrency: 1 }) })],
    ['a rate limiter', () => ({ rateLimit: createRateLimiter({ limit: 1, interval: 20 }) })],
  ] as const)('no queued call reaches the origin once the breaker opened (%s)', async (_name, queue) => {
    const key = uniqueKey('queued')
    const breaker = circuitBreaker({ failures: 2, failureRate: false, cooldown: 60_000 })
    const api = createClient({ baseURL: server().url, retry: 0, use: [breaker], ...queue() })
    // Every answer fails; ten calls queue behind one slot (or one token per 20 ms).
    const reports = await Promise.all(Array.from({ length: 10 }, () => report(api.raw.get(`/flap?key=${key}&up=0&down=100`))))
    expect(server().stats.byRoute('flap').filter((hit) => hit.query.key === key)).toHaveLength(2)
    expect(reports.filter((r) => isCircuitOpenError(r.error)).map((r) => r.attempts)).toEqual(Array(8).fill(0))
    await api.close()
  })

  it('after the cooldown, exactly `probes` requests go out before the breaker decides', async () => {
    const key = uniqueKey('probes')
    let now = 0
    const clock = { now: () => now, setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout } as never
    const breaker = circuitBreaker({ failures: 1, failureRate: false, cooldown: 1_000, probes: 2, clock })
    const api = createClient({ baseURL: server().url, retry: 0, use: [breaker], pool: createPool({ concurrency: 4 }) })
    await report(api.raw.get(`/flap?key=${key}&up=0&down=100`))
    expect(breaker.state(new URL(server().url).origin).state).toBe('open')
    now = 1_000
    // Twelve calls, four slots: the breaker lets two probes through before either answers; both
    // fail and it reopens. Every other call, admitted at once or queued, is refused unsent.
    const reports = await Promise.all(Array.from({ length: 12 }, () => report(api.raw.get(`/flap?key=${key}&up=0&down=100`))))
    expect(server().stats.byRoute('flap').filter((hit) => hit.query.key === key)).toHaveLength(1 + 2)
    expect(reports.filter((r) => r.attempts === 1)).toHaveLength(2)
    expect(reports.filter((r) => isCircuitOpenError(r.error) && r.attempts === 0)).toHaveLength(10)
    await api.close()
  })
})

describe('a hedge and a pool', () => {
  it('a hedge never waits behind calls in the pool that have not started: it rides on its call\'s slot', async () => {
    const key = uniqueKey('hedge-pool')
    const pool = createPool({ concurrency: 2 })
    const api = createClient({ baseURL: server().url, retry: 0, pool, use: [hedge({ after: 50 })] })
    // A's first request is held (every 2nd of the key is slow), B holds the other slot for 60 s,
    // C and D queue. A's hedge goes out on A's slot, at once: A answers while C and D still wait.
    await createClient({ baseURL: server().url }).get(`/tail?key=${key}&every=2&slow=60000`)
    const a = api.raw.get(`/tail?key=${key}&every=2&slow=60000`)
    const holder = new AbortController()
    const b = api.get(`/tail?key=${key}-b&every=1&slow=60000`, { signal: holder.signal }).catch((e: unknown) => e)
    const c = api.get(`/tail?key=${key}-c&every=1000&slow=0`)
    const d = api.get(`/tail?key=${key}-d&every=1000&slow=0`)
    const answered = await a
    expect(answered.meta).toMatchObject({ attempts: 2, hedges: 1 })
    expect(server().stats.byRoute('tail').filter((hit) => hit.query.key === `${key}-c`)).toHaveLength(0)
    // A's slot comes back once its loser let go: C starts; then B lets go and D starts.
    await c
    holder.abort()
    await Promise.all([b, d])
    expect(pool.stats).toMatchObject({ active: 0, queued: 0 })
    await api.close()
  })
})

describe('dedupe and admission', () => {
  it('identical GETs under a pool of 2 share one request: dedupe comes before admission', async () => {
    const key = uniqueKey('dedupe-pool')
    const pool = createPool({ concurrency: 2 })
    const sent: VolleyEvent[] = []
    const api = createClient({ baseURL: server().url, pool, use: [dedupe()], onEvent: (event) => void (event.type === 'sent' && sent.push(event)) })
    const reports = await Promise.all(Array.from({ length: 10 }, () => report(api.raw.get(`/flap?key=${key}&up=100&down=1`))))
    expect(reports.map((r) => r.error)).toEqual(Array(10).fill(undefined))
    const seen = server().stats.byRoute('flap').filter((hit) => hit.query.key === key).length
    expect({ seen, sent: sent.length, reported: reports.reduce((sum, r) => sum + r.attempts, 0), completed: pool.stats.completed }).toEqual({ seen: 1, sent: 1, reported: 1, completed: 1 })
    await api.close()
  })
})
