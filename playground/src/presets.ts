/**
 * Ready-made scenarios, one per policy worth watching. Each is a set of form values over the
 * defaults; the chaos target, the secrets and the key are kept from the current form.
 */
import { DEFAULT_VALUES, type FormValues } from './settings.js'

export interface Preset {
  readonly id: string
  readonly label: string
  readonly values: Readonly<FormValues>
}

export const PRESETS: readonly Preset[] = [
  { id: 'pool', label: 'A pool of 4 and 40 requests', values: { route: 'concurrency', 'concurrency.ms': '100', count: '40', concurrency: '4' } },
  { id: 'retry-after', label: 'Retry-After on a 429', values: { route: 'retry-after', 'retry-after.mode': 'seconds', 'retry-after.value': '1', 'retry-after.status': '429', 'retry-after.fail': '1', count: '10', concurrency: '' } },
  { id: 'flaky', label: 'Flaky 503s: backoff', values: { route: 'flaky', 'flaky.fail': '2', 'flaky.status': '503', count: '20', concurrency: '' } },
  { id: 'stall', label: 'Stalled body: the idle timeout', values: { route: 'stall', 'stall.after': '100', count: '5', concurrency: '', 'timeout.idle': '800', 'retry.limit': '1', 'retry.delay': '300', 'retry.jitter': 'none' } },
  { id: 'attempt', label: 'Attempt timeouts, then give up', values: { route: 'delay', 'delay.ms': '1500', count: '8', concurrency: '', 'timeout.attempt': '500', 'timeout.total': '3000', 'retry.delay': '100' } },
  { id: 'queue', label: 'Queue timeout: pool too small', values: { route: 'concurrency', 'concurrency.ms': '400', count: '24', concurrency: '3', 'timeout.queue': '1000' } },
  { id: 'rate', label: 'Client rate limit: 5 per second', values: { route: 'rate-limited', 'rate-limited.limit': '5', count: '20', concurrency: '', 'rate.limit': '5', 'rate.burst': '0' } },
  { id: 'backpressure', label: '429s pause the limiter for all', values: { route: 'rate-limited', 'rate-limited.limit': '5', count: '30', concurrency: '', 'rate.limit': '20', 'rate.burst': '4', 'retry.limit': '4', 'retry.maxRetryAfter': '2000' } },
  { id: 'download', label: 'Download progress: 4 × 16 MiB', values: { route: 'bytes', 'bytes.n': '16777216', count: '4', concurrency: '2' } },
  { id: 'drip', label: 'Slow download: rate and ETA', values: { route: 'drip', 'drip.bytes': '400000', 'drip.duration': '3000', 'drip.chunks': '30', count: '3', concurrency: '' } },
  { id: 'upload', label: 'Upload progress: 3 × 4 MiB', values: { route: 'upload', method: 'POST', 'upload.size': '4194304', 'upload.delayPerChunk': '5', count: '3', concurrency: '' } },
  { id: 'reset', label: 'Connections reset mid-body', values: { route: 'reset', 'reset.after': '1000', count: '10', concurrency: '4', 'retry.delay': '100' } },
  // Every 5th answer takes a second: hedge() races a second attempt after 50 ms and the fast one wins.
  // A pool of 4: a hedge takes no slot, it rides on the slot of the call it races (docs/DESIGN.md#hedging),
  // and hedges go out while fewer than 5 attempts are in flight (hedge({ maxInFlight }), 5 in browsers:
  // 1 of the browser's 6 connections per host is left for a connection still closing after an abort).
  { id: 'hedge', label: 'Hedging a latency tail', values: { route: 'tail', 'tail.every': '5', 'tail.slow': '1000', 'tail.fast': '20', count: '20', concurrency: '4', policies: 'hedge' } },
  // The origin answers once, then fails 3 times, round and round; one call at a time. The 3
  // failures open the breaker (failures: 3) and the calls still queued fail fast. Their retries
  // wait 2.5 s, past the breaker's 2 s cooldown: the first becomes the half-open probe, meets the
  // healthy answer and closes the breaker. (Calls refused by an open breaker never wait, so
  // without a retry wait longer than the cooldown the run is over before half-open.)
  { id: 'breaker', label: 'Circuit breaker: open, half-open, closed', values: { route: 'flap', 'flap.up': '1', 'flap.down': '3', 'flap.status': '503', count: '20', concurrency: '1', 'retry.limit': '1', 'retry.delay': '2500', 'retry.jitter': 'none', policies: 'circuitBreaker' } },
  { id: 'sse', label: 'SSE resumed after a drop', values: { route: 'sse', 'sse.count': '10', 'sse.interval': '100', 'sse.dropAfter': '4', count: '3', concurrency: '' } },
]

/** Fields a preset never changes: where the server is and what the user typed as secrets. */
const KEPT = ['target', 'chaosUrl', 'authorization', 'apiKey', 'key'] as const

/** The form values after choosing `preset`. */
export function applyPreset(preset: Preset, current: FormValues): FormValues {
  const next: FormValues = { ...DEFAULT_VALUES, ...preset.values }
  for (const name of KEPT) if (current[name] !== undefined) next[name] = current[name]
  return next
}
