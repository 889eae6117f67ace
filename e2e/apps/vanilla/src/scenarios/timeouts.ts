import { createClient } from 'volley'
import { chaosStats, chaosUrl } from '../../../shared/chaos.js'
import { reportError, type ErrorReport } from '../../../shared/report.js'
import { waitFor } from '../../../shared/wait.js'

const api = () => createClient({ baseURL: chaosUrl() })

async function failure(call: Promise<unknown>): Promise<ErrorReport> {
  return call.then(
    () => {
      throw new Error('expected the call to fail')
    },
    reportError,
  )
}

/** A body that keeps dripping (never idle for long) but outlasts the attempt deadline. */
export function attemptTimeout(): Promise<ErrorReport> {
  return failure(
    api().get('/drip?bytes=40&chunks=40&duration=6000', {
      responseType: 'arrayBuffer',
      timeout: { attempt: 500, idle: 4_000, total: 10_000 },
      retry: false,
    }),
  )
}

/** A body that stalls after 100 bytes: the idle deadline between chunks expires, and is retried once. */
export function idleTimeout(args: { key: string }): Promise<ErrorReport> {
  return failure(
    api().get(`/stall?after=100&length=100000&key=${args.key}`, {
      responseType: 'arrayBuffer',
      timeout: { idle: 400, total: 10_000 },
      retry: { limit: 1, delay: 0 },
    }),
  )
}

/** Headers that never come in time: the total deadline expires (and is not retried). */
export function totalTimeout(args: { key: string }): Promise<ErrorReport> {
  return failure(api().get(`/slow-headers/30000?key=${args.key}`, { timeout: { total: 500 }, retry: { limit: 3, delay: 0 } }))
}

/**
 * The user aborts a request the server is holding: the call settles with an `AbortError` carrying
 * the reason, and the browser really drops the connection (the server's in-flight count for the
 * key returns to 0).
 */
export async function userAbort(args: { key: string }): Promise<{ error: ErrorReport; settledInMs: number; serverInFlightAfter: number }> {
  const chaos = chaosUrl()
  const controller = new AbortController()
  const call = failure(api().get(`/concurrency?ms=60000&key=${args.key}`, { signal: controller.signal, timeout: false }))
  await waitFor('the server to hold the request', async () => ((await chaosStats(chaos, { key: args.key })).concurrency.current === 1 ? true : undefined))
  const abortedAt = performance.now()
  controller.abort(new Error('the user left the page'))
  const error = await call
  const settledInMs = performance.now() - abortedAt
  const current = await waitFor('the server to see the connection close', async () => {
    const { concurrency } = await chaosStats(chaos, { key: args.key })
    return concurrency.current === 0 ? concurrency.current : undefined
  })
  return { error, settledInMs, serverInFlightAfter: current }
}

/**
 * The user aborts during a 60 s Retry-After wait: the call settles with an `AbortError` at once,
 * without a second attempt.
 */
export async function abortDuringRetryWait(args: { key: string }): Promise<{ error: ErrorReport; settledInMs: number; plannedDelayMs: number }> {
  const controller = new AbortController()
  let plannedDelayMs = -1
  let abortedAt = 0
  const error = await failure(
    api().get(`/retry-after?mode=seconds&value=60&status=503&fail=1&key=${args.key}`, {
      signal: controller.signal,
      timeout: { total: 120_000 },
      retry: {
        limit: 2,
        onRetry: ({ delay }) => {
          plannedDelayMs = delay
          // Abort once the wait has begun (the next task), as a user clicking "cancel" would.
          setTimeout(() => {
            abortedAt = performance.now()
            controller.abort(new Error('cancelled by the user'))
          }, 0)
        },
      },
    }),
  )
  return { error, settledInMs: performance.now() - abortedAt, plannedDelayMs }
}
