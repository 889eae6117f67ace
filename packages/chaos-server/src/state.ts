import type { StatsRecorder } from './stats.js'

/** A token bucket of `/rate-limited`, refilled continuously. */
export interface TokenBucket {
  tokens: number
  /** Epoch ms of the last refill. */
  updated: number
}

/**
 * Mutable per-server memory the fault routes share: call counters per key
 * (flaky, retry-after, file resets, SSE drops), token buckets and the stats.
 * `reset()` forgets all of it, so a test file can start from a clean slate.
 */
export interface ChaosState {
  readonly recorder: StatsRecorder
  /** Increments and returns the counter of `key` within `namespace` (1 on the first call). */
  next(namespace: string, key: string): number
  /** The token bucket of `key`, created full with `capacity` tokens. */
  bucket(key: string, capacity: number): TokenBucket
  reset(): void
}

/** Creates empty state around a stats recorder. */
export function createState(recorder: StatsRecorder): ChaosState {
  let counters = new Map<string, number>()
  let buckets = new Map<string, TokenBucket>()
  return {
    recorder,
    next(namespace, key) {
      // NUL cannot appear in a decoded query value by accident of test naming.
      const id = `${namespace}\u0000${key}`
      const n = (counters.get(id) ?? 0) + 1
      counters.set(id, n)
      return n
    },
    bucket(key, capacity) {
      let bucket = buckets.get(key)
      if (!bucket) {
        bucket = { tokens: capacity, updated: Date.now() }
        buckets.set(key, bucket)
      }
      return bucket
    },
    reset() {
      counters = new Map()
      buckets = new Map()
      recorder.reset()
    },
  }
}
