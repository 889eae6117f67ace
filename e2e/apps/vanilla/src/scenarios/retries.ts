import { createClient } from 'volley'
import { chaosUrl } from '../../../shared/chaos.js'
import { reportError, type ErrorReport } from '../../../shared/report.js'

/** `/retry-after` and `/flaky` answer this once they stop failing. */
export interface Recovered {
  ok: true
  attempt: number
}

/** What a retried call reports: its answer and volley's account of the attempts. */
export interface RetryReport {
  data: Recovered
  attempts: number
  retries: number
  /** The wait volley planned after each attempt (from Retry-After or backoff), in ms. */
  retryDelaysMs: (number | undefined)[]
  attemptErrors: (string | undefined)[]
}

const api = () => createClient({ baseURL: chaosUrl(), timeout: 20_000 })

async function retried(path: string): Promise<RetryReport> {
  const response = await api().raw.get<Recovered>(path, { retry: { limit: 2, delay: 10, jitter: 'none' } })
  const { meta } = response
  return {
    data: response.data,
    attempts: meta.attempts,
    retries: meta.retries,
    retryDelaysMs: meta.timings.map((t) => t.retryDelayMs),
    attemptErrors: meta.timings.map((t) => t.error),
  }
}

/** A 429 with `Retry-After: 1` (delta-seconds): volley waits the server's second, not its 10 ms backoff. */
export function retryAfterSeconds(args: { key: string }): Promise<RetryReport> {
  return retried(`/retry-after?mode=seconds&value=1&status=429&fail=1&key=${args.key}`)
}

/** A 503 with `Retry-After: <HTTP-date>` one second or more ahead. */
export function retryAfterDate(args: { key: string }): Promise<RetryReport> {
  return retried(`/retry-after?mode=date&value=1&status=503&fail=1&key=${args.key}`)
}

/** Two 503s without a hint: exponential backoff, then success on the third attempt. */
export function retryBackoff(args: { key: string }): Promise<RetryReport> {
  return retried(`/flaky?fail=2&status=503&key=${args.key}`)
}

/**
 * POST is not retried by default; with `idempotencyKey: true` it is, and every attempt carries
 * the same `Idempotency-Key` (a custom header: the browser preflights it, the server allows it).
 */
export async function postRetries(args: { key: string }): Promise<{ plain: ErrorReport; keyed: { data: Recovered; attempts: number } }> {
  const client = api()
  const plain = await client.post(`/flaky?fail=1&status=503&key=${args.key}-plain`, { body: { n: 1 }, retry: { delay: 10 } }).then(
    () => {
      throw new Error('expected the POST to fail without retrying')
    },
    reportError,
  )
  const keyed = await client.raw.post<Recovered>(`/flaky?fail=1&status=503&key=${args.key}-keyed`, {
    body: { n: 1 },
    idempotencyKey: true,
    retry: { delay: 10 },
  })
  return { plain, keyed: { data: keyed.data, attempts: keyed.meta.attempts } }
}
