import { describe, expect, it } from 'vitest'
import { createClient, fromOfetchOptions, isHTTPError, isTimeoutError, type HTTPError, type RetryOptions, type TimeoutError } from '@volley/core'
import { useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()

describe('fromOfetchOptions (pure)', () => {
  it('maps params to query, merged with it', () => {
    expect(fromOfetchOptions({ params: { a: 1 } })).toEqual({ query: { a: 1 } })
    expect(fromOfetchOptions({ params: { a: 1 }, query: { b: 2 } })).toEqual({ query: { a: 1, b: 2 } })
    expect(fromOfetchOptions({ params: { a: 1 }, query: { a: 1 } })).toEqual({ query: { a: 1 } })
  })

  it('refuses the same key in params and query with different values', () => {
    expect(() => fromOfetchOptions({ params: { a: 1 }, query: { a: 2 } })).toThrow(new TypeError('volley: `params` and `query` both given with different values for "a": they mean the same thing, pass one'))
  })

  it('maps a numeric retryDelay to a constant delay without jitter', () => {
    expect(fromOfetchOptions({ retry: 3, retryDelay: 50 })).toEqual({ retry: { limit: 3, delay: 50, factor: 1, jitter: 'none' } })
  })

  it('maps retryStatusCodes to retry.statusCodes', () => {
    expect(fromOfetchOptions({ retryStatusCodes: [418] })).toEqual({ retry: { statusCodes: [418] } })
    expect(fromOfetchOptions({ retry: false, retryStatusCodes: [418] })).toEqual({ retry: false })
  })

  it('refuses an ofetch name and its volley twin given together', () => {
    expect(() => fromOfetchOptions({ retry: { delay: 10 }, retryDelay: 5 })).toThrow(/`retryDelay` and `retry.delay` both given/)
    expect(() => fromOfetchOptions({ retry: { statusCodes: [500] }, retryStatusCodes: [503] })).toThrow(/`retryStatusCodes` and `retry.statusCodes` both given/)
  })

  it('rejects values of the wrong type with what was expected', () => {
    expect(() => fromOfetchOptions({ params: 'a=1' as never })).toThrow(/`params` must be an object, got "a=1"/)
    expect(() => fromOfetchOptions({ retryDelay: '5' as never })).toThrow(/`retryDelay` must be a number of ms >= 0 or a function, got "5"/)
    expect(() => fromOfetchOptions({ retryStatusCodes: 503 as never })).toThrow(/`retryStatusCodes` must be an array/)
  })

  it('passes everything else through, keeps timeout as volley means it and never mutates its input', () => {
    const input = { baseURL: 'https://x.test', timeout: 500, ignoreResponseError: true, params: { q: 1 } }
    const frozen = Object.freeze({ ...input, params: Object.freeze({ ...input.params }) })
    expect(fromOfetchOptions(frozen)).toEqual({ baseURL: 'https://x.test', timeout: 500, ignoreResponseError: true, query: { q: 1 } })
    expect(frozen).toEqual(input)
  })

  it('wraps a retryDelay function into the retry decision, keeping a given shouldRetry', async () => {
    const seen: unknown[] = []
    const mapped = fromOfetchOptions({ retry: { shouldRetry: () => false }, retryDelay: (ctx) => (seen.push(ctx.request), 7) })
    const context = { attempt: 1, error: { request: { url: 'https://x.test/a' } }, response: undefined, delay: 300, method: 'GET' }
    expect(await (mapped.retry as RetryOptions).shouldRetry!(context as never)).toBe(false)
    expect(context.delay).toBe(7)
    expect(seen).toEqual(['https://x.test/a'])
  })
})

describe('ofetch-compatible behaviour through a client', () => {
  it('retries with a retryDelay function and retryStatusCodes', async () => {
    const delays: number[] = []
    const api = createClient(fromOfetchOptions({ baseURL: server().url, retry: 2, retryStatusCodes: [418], retryDelay: ({ error }) => (delays.push((error as HTTPError).status), 1) }))
    const error = (await api.get('/status/418').catch((e: unknown) => e)) as HTTPError
    expect(isHTTPError(error)).toBe(true)
    expect(error.attempts).toBe(3)
    expect(delays).toEqual([418, 418])
  })

  it('returns an error response as data with ignoreResponseError, without retrying', async () => {
    const api = createClient({ baseURL: server().url, retry: { limit: 2, delay: 1 } })
    const response = await api.raw.get<{ status: number }>('/status/503', { ignoreResponseError: true })
    expect(response.status).toBe(503)
    expect(response.data).toEqual({ status: 503, message: 'Service Unavailable' })
    expect(response.meta.attempts).toBe(1)
  })
})

describe("errors with ofetch's field names", () => {
  it('gives an HTTPError statusCode, statusMessage, data and response, as getters that are not enumerable', async () => {
    const error = (await createClient({ baseURL: server().url, retry: 0 }).get('/status/404').catch((e: unknown) => e)) as HTTPError<{ status: number }>
    expect(error.statusCode).toBe(404)
    expect(error.statusMessage).toBe('Not Found')
    expect(error.data).toEqual({ status: 404, message: 'Not Found' })
    expect(error.response.status).toBe(404)
    expect(Object.keys(error)).not.toContain('response')
    expect(Object.keys(error)).not.toContain('data')
  })

  it("gives a timeout a DOMException 'TimeoutError' as cause, keeping volley's TimeoutError, phase and limit", async () => {
    const error = (await createClient({ baseURL: server().url, retry: 0, timeout: 100 }).get('/stall').catch((e: unknown) => e)) as TimeoutError
    expect(isTimeoutError(error)).toBe(true)
    expect(error.phase).toBe('total')
    expect(error.limit).toBe(100)
    const cause = error.cause as DOMException
    expect(cause).toBeInstanceOf(DOMException)
    expect(cause.name).toBe('TimeoutError')
    expect(cause.code).toBe(DOMException.TIMEOUT_ERR)
    expect(cause.message).toContain('The operation was aborted due to timeout')
  })
})
