import { describe, expectTypeOf, it } from 'vitest'
import {
  createClient,
  createMetrics,
  createPool,
  createRateLimiter,
  HTTPError,
  isHTTPError,
  isThrottledError,
  isTimeoutError,
  retryBudget,
  type Policy,
  type RetryBudget,
  type RetryBudgetState,
  type ThrottledError,
  type Meta,
  type Metrics,
  type Pool,
  type RateLimiter,
  type SafeResult,
  type StandardFetch,
  type TimeoutPhase,
  type VolleyError,
  type VolleyResponse,
} from '@volley/core'

interface User {
  id: number
  name: string
}
interface Problem {
  title: string
}

const api = createClient({ baseURL: 'https://api.example.test' })

describe('public types', () => {
  it('types JSON results by the generic', () => {
    expectTypeOf(api.get<User>('/u/1')).toEqualTypeOf<Promise<User>>()
    expectTypeOf(api<User[]>('/u')).toEqualTypeOf<Promise<User[]>>()
    expectTypeOf(api.get('/u/1')).toEqualTypeOf<Promise<unknown>>()
  })

  it('gives raw responses data and meta', () => {
    expectTypeOf(api.raw.get<User>('/u/1')).toEqualTypeOf<Promise<VolleyResponse<User>>>()
    expectTypeOf<VolleyResponse<User>['data']>().toEqualTypeOf<User>()
    expectTypeOf<VolleyResponse<User>['meta']>().toEqualTypeOf<Meta>()
    expectTypeOf<VolleyResponse<User>>().toMatchTypeOf<Response>()
  })

  it('narrows safe results on ok', async () => {
    const result = await api.safe.get<User, Problem>('/u/1')
    expectTypeOf(result).toEqualTypeOf<SafeResult<User, Problem>>()
    if (result.ok) {
      expectTypeOf(result.data).toEqualTypeOf<User>()
      expectTypeOf(result.error).toEqualTypeOf<undefined>()
    } else {
      expectTypeOf(result.data).toEqualTypeOf<undefined>()
      expectTypeOf(result.error).toEqualTypeOf<HTTPError<Problem> | VolleyError>()
      if (isHTTPError<Problem>(result.error)) expectTypeOf(result.error.data).toEqualTypeOf<Problem>()
    }
  })

  it('narrows errors with the guards', () => {
    const error: unknown = new Error('x')
    if (isTimeoutError(error)) expectTypeOf(error.phase).toEqualTypeOf<TimeoutPhase>()
    if (isHTTPError<Problem>(error)) {
      expectTypeOf(error.status).toEqualTypeOf<number>()
      expectTypeOf(error.data).toEqualTypeOf<Problem>()
    }
  })

  it('rejects options of the wrong type at compile time', () => {
    // @ts-expect-error timeout phases are numbers
    createClient({ timeout: { total: '5s' } })
    // @ts-expect-error unknown response type
    api.get('/x', { responseType: 'xml' })
    // @ts-expect-error concurrency is no longer an option: pools are values from createPool()
    api.get('/x', { concurrency: 4 })
    // @ts-expect-error nor on a client
    createClient({ concurrency: 4 })
    // @ts-expect-error pool options are not a Pool
    createClient({ pool: { concurrency: 4 } })
    // @ts-expect-error rate-limit options are not a RateLimiter
    createClient({ rateLimit: { limit: 5, interval: 1000 } })
    // @ts-expect-error logger is no longer an option: onEvent: logEvents(logger)
    createClient({ logger: console })
  })

  it('types the lean client: pool, limiter and metrics are opt-in values, fan-out and streams are standalone', () => {
    expectTypeOf(api.metrics).toEqualTypeOf<Metrics | undefined>()
    expectTypeOf(api.pool).toEqualTypeOf<Pool | undefined>()
    expectTypeOf(api.rateLimiter).toEqualTypeOf<RateLimiter | undefined>()
    const full = createClient({ pool: createPool({ concurrency: 2 }), rateLimit: createRateLimiter({ limit: 5, interval: 1000 }), metrics: createMetrics() })
    expectTypeOf(full.metrics?.snapshot().calls).toEqualTypeOf<number | undefined>()
    // @ts-expect-error metrics may be undefined: a client without createMetrics() has none
    api.metrics.snapshot()
    // @ts-expect-error map is standalone: map(items, fn, { concurrency })
    void api.map
    // @ts-expect-error settle is standalone
    void api.settle
    // @ts-expect-error asCompleted is standalone
    void api.asCompleted
    // @ts-expect-error sse is streamSSE(client, url)
    void api.sse
    // @ts-expect-error ndjson is streamNdjson(client, url)
    void api.ndjson
    // @ts-expect-error lines is streamLines(client, url)
    void api.lines
  })
})

describe('retryBudget types', () => {
  it('is a Policy named retry-budget, with a typed state view', () => {
    const budget = retryBudget({ ratio: 0.1, min: 10, window: 10_000, adaptive: { k: 2 } })
    expectTypeOf(budget).toEqualTypeOf<RetryBudget>()
    expectTypeOf(budget).toMatchTypeOf<Policy>()
    expectTypeOf(budget.name).toEqualTypeOf<'retry-budget'>()
    expectTypeOf(budget.state('https://a.test')).toEqualTypeOf<RetryBudgetState>()
    expectTypeOf(budget.state('https://a.test').available).toEqualTypeOf<number>()
    createClient({ use: [budget] })
    // @ts-expect-error adaptive is a boolean or { k }
    retryBudget({ adaptive: 2 })
    // @ts-expect-error ratio is a number
    retryBudget({ ratio: '10%' })
  })

  it('narrows a ThrottledError', () => {
    const error: unknown = undefined
    if (isThrottledError(error)) {
      expectTypeOf(error).toEqualTypeOf<ThrottledError>()
      expectTypeOf(error.probability).toEqualTypeOf<number>()
      expectTypeOf(error.origin).toEqualTypeOf<string>()
    }
  })
})

describe('client.fetch types', () => {
  it('is a standard fetch, assignable wherever a fetch option is', () => {
    const api = createClient()
    expectTypeOf(api.fetch).toEqualTypeOf<StandardFetch>()
    expectTypeOf(api.fetch).parameters.toEqualTypeOf<[input: string | URL | Request, init?: RequestInit]>()
    expectTypeOf(api.fetch).returns.toEqualTypeOf<Promise<Response>>()
    const options: { fetch?: typeof globalThis.fetch } = { fetch: api.fetch }
    const openapiFetch: { fetch?: (input: Request) => Promise<Response> } = { fetch: api.fetch }
    expectTypeOf(options).not.toBeAny()
    expectTypeOf(openapiFetch).not.toBeAny()
  })
})
