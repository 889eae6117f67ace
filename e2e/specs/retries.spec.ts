import { expect, test, type Hit } from './fixtures.js'

/** Milliseconds between consecutive hits, as the server's clock saw them. */
const gaps = (hits: Hit[]): number[] => hits.slice(1).map((hit, i) => hit.time - hits[i]!.time)

test.describe('retries', () => {
  test('a 429 with Retry-After: 1 (seconds) waits the server’s second, by the server’s clock', async ({ vanilla, chaos, key }) => {
    const result = await vanilla.run('retryAfterSeconds', { key })
    expect(result).toMatchObject({ data: { ok: true, attempt: 2 }, attempts: 2, retries: 1, attemptErrors: ['ERR_HTTP', undefined] })
    expect(result.retryDelaysMs[0]).toBe(1_000)
    const hits = await chaos.hits('retry-after', key)
    expect(hits).toHaveLength(2)
    // A loose lower bound: it proves the wait happened (the backoff alone would be 10 ms).
    expect(gaps(hits)[0]).toBeGreaterThanOrEqual(950)
  })

  test('a 503 with Retry-After as an HTTP-date waits until that date', async ({ vanilla, chaos, key }) => {
    const result = await vanilla.run('retryAfterDate', { key })
    expect(result).toMatchObject({ data: { ok: true, attempt: 2 }, attempts: 2 })
    const hits = await chaos.hits('retry-after', key)
    expect(hits).toHaveLength(2)
    // The date is at least one second ahead (rounded up to a whole second by the server).
    expect(gaps(hits)[0]).toBeGreaterThanOrEqual(950)
  })

  test('503s without a hint are retried with backoff until one succeeds', async ({ vanilla, chaos, key }) => {
    const result = await vanilla.run('retryBackoff', { key })
    expect(result).toMatchObject({ data: { ok: true, attempt: 3 }, attempts: 3, retries: 2, attemptErrors: ['ERR_HTTP', 'ERR_HTTP', undefined] })
    expect(await chaos.hits('flaky', key)).toHaveLength(3)
  })

  test('POST is retried only with an idempotency key, the same on every attempt', async ({ vanilla, chaos, key }) => {
    const { plain, keyed } = await vanilla.run('postRetries', { key })
    expect(plain).toMatchObject({ isHTTPError: true, status: 503, attempts: 1 })
    expect(await chaos.hits('flaky', `${key}-plain`)).toHaveLength(1)

    expect(keyed).toEqual({ data: { ok: true, attempt: 2 }, attempts: 2 })
    const hits = await chaos.hits('flaky', `${key}-keyed`)
    expect(hits).toHaveLength(2)
    const [first, second] = hits.map((hit) => hit.headers['idempotency-key'])
    expect(first).toMatch(/^[0-9a-f-]{36}$/)
    expect(second).toBe(first)
  })
})
