import { describe, expect, it, vi } from 'vitest'
import { createClient, createManualClock, isHTTPError, isTimeoutError, TimeoutError, type HTTPError } from '@volley/core'
import { useChaosServer } from './helpers/chaos.js'
import { failure } from './helpers/failure.js'
import { handshake } from './helpers/handshake.js'

const server = useChaosServer()
const client = () => createClient({ baseURL: server().url, retry: { delay: 1, jitter: 'none' } })

/**
 * Where a test counts the requests the server saw, time is on the manual clock: each limit runs
 * out only once its attempt has reached the server, however slowly a loaded machine sends it.
 * `retried` drives a call whose attempts each time out after `limit` ms, with a 1 ms retry wait.
 */
async function retried(clock: ReturnType<typeof createManualClock>, route: string, attempts: number, limit: number): Promise<void> {
  for (let n = 1; n <= attempts; n++) {
    await vi.waitFor(() => expect(server().stats.count(route)).toBe(n), handshake)
    await clock.advance(limit)
    if (n === attempts) return
    await vi.waitFor(() => expect(clock.pending).toBe(2), handshake) // the total deadline and the retry wait
    await clock.advance(1)
  }
}

/** The TimeoutError `call` fails with; fails the test if it resolves or fails otherwise. */
const timedOut = (call: Promise<unknown>): Promise<TimeoutError> => failure(call, isTimeoutError)

describe('timeouts', () => {
  it('fails a slow call with a total timeout that is not retried', async () => {
    const clock = createManualClock()
    const call = timedOut(createClient({ baseURL: server().url, clock }).get('/delay/60000', { timeout: 150 }))
    await retried(clock, 'delay', 1, 150)
    const error = await call
    expect(error.phase).toBe('total')
    expect(error.limit).toBe(150)
    expect(error.attempts).toBe(1)
    expect(server().stats.count('delay')).toBe(1)
  })

  it('retries an attempt timeout and reports the phase after the last attempt', async () => {
    const clock = createManualClock()
    const call = timedOut(
      createClient({ baseURL: server().url, clock }).get('/delay/60000', { timeout: { attempt: 100, total: 5000 }, retry: { limit: 2, delay: 1, factor: 1, jitter: 'none' } }),
    )
    await retried(clock, 'delay', 3, 100)
    const error = await call
    expect(error.phase).toBe('attempt')
    expect(error.attempts).toBe(3)
    expect(error.previous.map((e) => (e as TimeoutError).phase)).toEqual(['attempt', 'attempt'])
    expect(server().stats.count('delay')).toBe(3)
  })

  it('trips the idle timeout while waiting for headers', async () => {
    // The server sends no headers for a minute, far past the test; the 100 ms of silence pass on
    // the manual clock once the request has reached it.
    const clock = createManualClock()
    const call = timedOut(createClient({ baseURL: server().url, clock }).get('/slow-headers/60000', { timeout: { idle: 100 }, retry: 0 }))
    await retried(clock, 'slow-headers', 1, 100)
    const error = await call
    expect(error.phase).toBe('idle')
    expect(error.limit).toBe(100)
  })

  it('trips the idle timeout when a body stalls after some bytes', async () => {
    // The server sends headers and 1000 bytes, then nothing until the client leaves. The test
    // reads those bytes first, so the 150 ms of silence that follow are the stalled body's.
    const clock = createManualClock()
    const body = await createClient({ baseURL: server().url, clock, retry: 0 }).get<ReadableStream<Uint8Array>>('/stall', {
      query: { after: 1000 },
      responseType: 'stream',
      timeout: { idle: 150 },
    })
    const reader = body.getReader()
    let bytes = 0
    while (bytes < 1000) bytes += ((await reader.read()).value as Uint8Array).byteLength
    expect(bytes).toBe(1000)
    const next = failure(reader.read(), isTimeoutError)
    await clock.advance(150)
    const error = await next
    expect(error.phase).toBe('idle')
    expect(error.message).toContain('/stall')
  })

  it('does not trip the idle timeout while data keeps flowing', async () => {
    // On the manual clock, 100 ms pass while each read waits for the network (the stream pulls one
    // chunk ahead, so one wait spans at most two reads: 200 ms): past the 250 ms idle limit in all,
    // yet never 250 ms without a chunk. Real time plays no part, so a slow machine cannot make a
    // gap look like silence.
    const clock = createManualClock()
    const body = await createClient({ baseURL: server().url, clock, retry: 0 }).get<ReadableStream<Uint8Array>>('/drip', {
      query: { bytes: 2000, duration: 400, chunks: 8 },
      responseType: 'stream',
      timeout: { idle: 250 },
    })
    const reader = body.getReader()
    let bytes = 0
    let reads = 0
    for (;;) {
      const next = reader.read()
      await clock.advance(100)
      const { done, value } = await next
      if (done) break
      bytes += value.byteLength
      reads++
    }
    expect(bytes).toBe(2000)
    expect(clock.now()).toBe((reads + 1) * 100)
  })

  it('retries an idle timeout like a network failure', async () => {
    const clock = createManualClock()
    const call = timedOut(createClient({ baseURL: server().url, clock }).get('/stall', { timeout: { idle: 80 }, retry: { limit: 1, delay: 1, jitter: 'none' } }))
    await retried(clock, 'stall', 2, 80)
    const error = await call
    expect(error.phase).toBe('idle')
    expect(error.attempts).toBe(2)
    expect(server().stats.count('stall')).toBe(2)
  })

  it('lets the total deadline cut an attempt in progress after retries, and not retry it', async () => {
    // On the manual clock, each attempt reaches the server before its 300 ms run out: attempts
    // time out at 300, 601 and 902 ms (a 1 ms wait between), and the total deadline (1000 ms)
    // lands inside the fourth.
    const clock = createManualClock()
    const call = timedOut(
      createClient({ baseURL: server().url, clock }).get('/delay/60000', { timeout: { total: 1000, attempt: 300 }, retry: { limit: 10, delay: 1, factor: 1, jitter: 'none' } }),
    )
    await retried(clock, 'delay', 3, 300)
    await vi.waitFor(() => expect(clock.pending).toBe(2), handshake)
    await clock.advance(1)
    await vi.waitFor(() => expect(server().stats.count('delay')).toBe(4), handshake)
    await clock.advance(1000 - clock.now())
    expect(clock.now()).toBe(1000)
    const error = await call
    expect(error.phase).toBe('total')
    expect(error.attempts).toBe(4)
    expect(error.previous.map((e) => (e as TimeoutError).phase)).toEqual(['attempt', 'attempt', 'attempt'])
  })

  it('fails with the real error instead of sleeping into the total deadline', async () => {
    // 503 at 0 ms, retry after 1500 ms, 503 again at 1500 ms: a second 1500 ms wait would end
    // past the 2500 ms deadline, so the call fails right then with the 503. On the manual clock,
    // time stands at 1500 while the second answer is awaited.
    const clock = createManualClock()
    const call = createClient({ baseURL: server().url, clock })
      .get('/status/503', { timeout: { total: 2500 }, retry: { limit: 10, delay: 1500, factor: 1, jitter: 'none' } })
      .catch((e: unknown) => e as HTTPError)
    await vi.waitFor(() => expect(server().stats.count('status')).toBe(1), handshake)
    await vi.waitFor(() => expect(clock.pending).toBe(2), handshake) // the total deadline and the retry wait
    await clock.advance(1500)
    const error = await call
    expect(isHTTPError(error)).toBe(true)
    expect((error as HTTPError).status).toBe(503)
    expect((error as HTTPError).attempts).toBe(2)
    // It gave up before the deadline rather than at it: the clock never moved past the retry.
    expect(clock.now()).toBe(1500)
    expect(clock.pending).toBe(0)
  })

  it('disables every deadline with timeout: false', async () => {
    const resolved = createClient({ timeout: false }).defaults.timeout
    expect(resolved).toEqual({ total: undefined, attempt: undefined, idle: undefined, queue: undefined, connect: undefined })
  })

  it('sets only the total deadline from a number', () => {
    const resolved = createClient({ timeout: 1234 }).defaults.timeout
    expect(resolved.total).toBe(1234)
    expect(resolved.idle).toBeUndefined()
  })
})
