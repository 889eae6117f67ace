/**
 * download() retries through the client's retry decision (retry.ts, docs/DESIGN.md#retries), as
 * every call does: on the client's clock, within `timeout.total` for the whole download, pausing
 * the origin for the client's limiter when the server asks, and under the client's retry budget.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createClient, createManualClock, createRateLimiter, download, isHTTPError, retryBudget } from '@volley/node'
import { uniqueKey, useChaosServer } from './helpers/servers.js'
import { handshake } from '../../core/test/helpers/handshake.js'

const server = useChaosServer()
const dir = mkdtempSync(join(tmpdir(), 'volley-download-retries-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const hits = (key: string): number => server().stats.byRoute('retry-after').filter((hit) => hit.query.key === key).length

describe('download() and the retry decision', () => {
  it("waits out its backoff on the client's clock", async () => {
    const clock = createManualClock()
    let retrying = false
    const client = createClient({ clock, retry: { limit: 1, delay: 60_000, maxDelay: 60_000, jitter: 'none', onRetry: () => void (retrying = true) } })
    const key = uniqueKey('dl-clock')
    const done = download(`${server().url}/retry-after?key=${key}&status=500&fail=1&value=0`, join(dir, 'clock.json'), { client, checksum: false })
    await vi.waitFor(() => expect(retrying).toBe(true), handshake)
    // The retry waits on the manual clock (its one timer) until the test moves it.
    await vi.waitFor(() => expect(clock.pending).toBe(1), handshake)
    expect(hits(key)).toBe(1)
    await clock.advance(60_000)
    const result = await done
    expect(hits(key)).toBe(2)
    expect(result.meta.status).toBe(200)
    await client.close()
  })

  it('stops when the next wait would cross `timeout.total`, with the server error', async () => {
    const client = createClient({ retry: { limit: 3, delay: 10_000, jitter: 'none' } })
    const key = uniqueKey('dl-total')
    const error = await download(`${server().url}/retry-after?key=${key}&status=503&fail=5&value=10`, join(dir, 'total.json'), { client, checksum: false, timeout: { total: 2_000 } }).catch((e: unknown) => e)
    expect(isHTTPError(error) && error.status).toBe(503)
    expect(hits(key)).toBe(1)
    await client.close()
  })

  it("pauses the origin for the client's rate limiter when the server says Retry-After", async () => {
    const clock = createManualClock()
    const limiter = createRateLimiter({ limit: 100, interval: 1000, clock })
    let retrying = false
    const client = createClient({ clock, rateLimit: limiter, retry: { limit: 1, onRetry: () => void (retrying = true) } })
    const key = uniqueKey('dl-backpressure')
    const url = `${server().url}/retry-after?key=${key}&status=429&fail=1&mode=seconds&value=60`
    const done = download(url, join(dir, 'backpressure.json'), { client, checksum: false })
    await vi.waitFor(() => expect(retrying).toBe(true), handshake)
    expect(limiter.state(new URL(url).origin).pausedUntil).toBe(clock.now() + 60_000)
    await clock.advance(60_000)
    await done
    expect(hits(key)).toBe(2)
    await client.close()
  })

  it("spends the client's retry budget, which may refuse the retry", async () => {
    const client = createClient({ retry: { limit: 3, delay: 1 }, use: [retryBudget({ ratio: 0.1, min: 0 })] })
    const key = uniqueKey('dl-budget')
    const error = await download(`${server().url}/retry-after?key=${key}&status=503&fail=5&value=0`, join(dir, 'budget.json'), { client, checksum: false }).catch((e: unknown) => e)
    expect(isHTTPError(error) && error.status).toBe(503)
    expect(hits(key)).toBe(1)
    await client.close()
  })
})
