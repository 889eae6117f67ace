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
  /** Epoch ms, from the server's `now` option (tests drive time-based routes with it). */
  now(): number
  /**
   * Joins the barrier of `key`: resolves once `count` requests are waiting at it together, then
   * lets them all go. `leave` takes a request that went away back out of the count.
   */
  meet(key: string, count: number): { met: Promise<void>; leave: () => void }
  reset(): void
}

/** Creates empty state around a stats recorder; `now` is the source of epoch ms. */
export function createState(recorder: StatsRecorder, now: () => number = Date.now): ChaosState {
  let counters = new Map<string, number>()
  let buckets = new Map<string, TokenBucket>()
  let barriers = new Map<string, Set<() => void>>()
  return {
    recorder,
    now,
    meet(key, count) {
      let waiting = barriers.get(key)
      if (!waiting) barriers.set(key, (waiting = new Set()))
      const group = waiting
      let release!: () => void
      const met = new Promise<void>((resolve) => (release = resolve))
      group.add(release)
      if (group.size >= count) {
        for (const go of group) go()
        group.clear()
      }
      return { met, leave: () => void group.delete(release) }
    },
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
        bucket = { tokens: capacity, updated: now() }
        buckets.set(key, bucket)
      }
      return bucket
    },
    reset() {
      counters = new Map()
      buckets = new Map()
      barriers = new Map()
      recorder.reset()
    },
  }
}
