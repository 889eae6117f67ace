import { describe, expect, it } from 'vitest'
import { progress, createRateLimiter, createPool, createClient } from '@volley/core'
import { defaultRetry, resolveOptions } from '@volley/core/internal'

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const o = resolveOptions()
    expect(o.method).toBe('GET')
    expect(o.timeout.total).toBe(30_000)
    expect(o.retry.limit).toBe(2)
    expect([...o.retry.methods]).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'])
    expect([...o.retry.statusCodes]).toEqual([408, 413, 425, 429, 500, 502, 503, 504])
    expect([...o.retry.afterStatusCodes]).toEqual([413, 429, 503])
    expect(o.retry.jitter).toBe('full')
    expect(o.maxBodySize).toBe(Infinity)
  })

  it('returns a frozen object', () => {
    const o = resolveOptions({ headers: { a: '1' } })
    expect(Object.isFrozen(o)).toBe(true)
    expect(Object.isFrozen(o.headers)).toBe(true)
    expect(Object.isFrozen(o.timeout)).toBe(true)
  })

  it('merges call options over client options', () => {
    const client = resolveOptions({ headers: { A: '1', b: '2' }, timeout: { total: 5000, idle: 100 }, retry: 4, query: { x: 1 } })
    const call = resolveOptions({ headers: { b: '3' }, timeout: { idle: 50 }, query: { y: 2 }, method: 'post' }, client, 'call')
    expect(call.headers).toEqual({ a: '1', b: '3' })
    expect(call.timeout).toMatchObject({ total: 5000, idle: 50 })
    expect(call.retry.limit).toBe(4)
    expect(call.query).toEqual({ x: 1, y: 2 })
    expect(call.method).toBe('POST')
  })

  it('turns retry: false into a zero limit and keeps the rest of the policy', () => {
    expect(resolveOptions({ retry: false }).retry).toMatchObject({ limit: 0, delay: defaultRetry.delay })
  })

  it.each([
    [{ timeout: -1 }, /`timeout` must be a positive number of milliseconds or false, got -1/],
    [{ timeout: { total: 'soon' } }, /`timeout.total` must be a positive number of milliseconds or false, got "soon"/],
    [{ timeout: { overall: 5 } }, /unknown option `timeout.overall`/],
    [{ retry: 1.5 }, /`retry` must be a non-negative integer/],
    [{ retry: { jitter: 'some' } }, /`retry.jitter` must be 'full', 'equal' or 'none', got "some"/],
    [{ retry: { methods: 'GET' } }, /`retry.methods` must be an array of strings, got "GET"/],
    [{ responseType: 'xml' }, /`responseType` must be 'json', 'text', 'blob', 'arrayBuffer' or 'stream', got "xml"/],
    [{ method: 'GET /' }, /`method` must be an HTTP method token/],
    [{ signal: {} }, /`signal` must be an AbortSignal, got an object/],
    [{ maxBodySize: -5 }, /`maxBodySize` must be a non-negative number of bytes, got -5/],
    [{ headers: 'x' }, /`headers` must be a Headers object, an array of pairs or a plain object, got "x"/],
    [{ transport: 'fetch' }, /`transport` must be a function, got "fetch"/],
    [{ idempotencyKey: 1 }, /`idempotencyKey` must be true, false or a string, got 1/],
  ])('rejects %j with a TypeError that says what was expected', (options, message) => {
    expect(() => resolveOptions(options as never)).toThrow(TypeError)
    expect(() => resolveOptions(options as never)).toThrow(message)
  })

  it.each([
    [{ concurrency: 3 }, /`concurrency` is no longer an option: pass `pool: createPool\(\{ concurrency \}\)`/],
    [{ logger: console }, /`logger` is no longer an option: pass `onEvent: logEvents\(logger\)`/],
    [{ pool: { concurrency: 2 } }, /`pool` must be a Pool from createPool\(\)/],
    [{ rateLimit: { limit: 5 } }, /`rateLimit` must be a RateLimiter from createRateLimiter/],
    [{ metrics: {} }, /`metrics` must be Metrics from createMetrics\(\)/],
    [{ use: [{}] }, /`use\[0\]` must be a policy \(an object with a `name`/],
  ])('rejects the old spelling %j with a TypeError naming the new one', async (options, message) => {
    expect(() => createClient(options as never)).toThrow(message)
    expect(() => createClient(options as never)).toThrow(TypeError)
    await expect(createClient().get('http://volley.test/', options as never)).rejects.toThrow(message)
    await expect(createClient().get('http://volley.test/', options as never)).rejects.toBeInstanceOf(TypeError)
  })

  it('rejects an unknown option name, suggesting the closest one, at creation and per call', async () => {
    expect(() => createClient({ qurey: { a: 1 } } as never)).toThrow(/unknown option `qurey`; did you mean `query`\?/)
    expect(() => createClient({ timout: 5 } as never)).toThrow(/did you mean `timeout`\?/)
    await expect(createClient().get('http://volley.test/', { idempotencykey: true } as never)).rejects.toThrow(/did you mean `idempotencyKey`\?/)
    expect(() => createClient({ zzzzzzzz: 1 } as never)).toThrow(/^volley: unknown option `zzzzzzzz`$/)
    expect(() => createClient({ qurey: { a: 1 } } as never)).toThrow(TypeError)
    await expect(createClient().get('http://volley.test/', { qurey: { a: 1 } } as never)).rejects.toThrow(/unknown option `qurey`; did you mean `query`\?/)
    await expect(createClient().get('http://volley.test/', { qurey: { a: 1 } } as never)).rejects.toBeInstanceOf(TypeError)
  })

  it('refuses progress callbacks without the progress policy, naming it, at creation and per call', async () => {
    expect(() => createClient({ onDownloadProgress: () => {} })).toThrow(/`onDownloadProgress` needs the progress policy: pass `use: \[progress\(\)\]`/)
    expect(() => createClient({ onDownloadProgress: () => {} })).toThrow(TypeError)
    expect(() => createClient({ onUploadProgress: () => {} })).toThrow(/`onUploadProgress` needs the progress policy: pass `use: \[progress\(\)\]`/)
    await expect(createClient().get('http://volley.test/', { onDownloadProgress: () => {} })).rejects.toThrow(/`onDownloadProgress` needs the progress policy: pass `use: \[progress\(\)\]`/)
    await expect(createClient().get('http://volley.test/', { onDownloadProgress: () => {} })).rejects.toBeInstanceOf(TypeError)
    expect(() => createClient({ onUploadProgress: () => {}, use: [progress()] })).not.toThrow()
    // The policy on the client covers a call's callbacks.
    expect(() => resolveOptions({ onDownloadProgress: () => {} }, createClient({ use: [progress()] }).defaults, 'call')).not.toThrow()
  })

  it('takes a pool and a rate limiter for a client, shared by extend()', () => {
    const client = createClient({ pool: createPool({ concurrency: 3 }), rateLimit: createRateLimiter({ limit: 5, interval: 1000 }) })
    expect(client.pool?.stats.concurrency).toBe(3)
    expect(client.rateLimiter?.options.limit).toBe(5)
    expect(client.extend({}).pool).toBe(client.pool)
    expect(client.extend({}).rateLimiter).toBe(client.rateLimiter)
  })
})
