/**
 * A bounded-memory latency histogram: log-linear buckets with ~1% relative error (like HDR
 * histograms), so percentiles stay accurate over millions of calls in a few KB.
 */

/** Buckets per power of two: values in [32·2^e, 64·2^e) fall in 32 buckets of width 2^e, so a bucket midpoint is within ±1.6% of any value in it. */
const SUB_BUCKETS = 64
/** Values are recorded in 1/100 ms; 2^40 of them covers ~127 days. */
const SCALE = 100
const MAX_EXPONENT = 40

/** Percentiles over recorded durations in ms. */
export interface LatencySketch {
  record(ms: number): void
  /** The q-quantile (0..1) in ms, or undefined when empty. */
  quantile(q: number): number | undefined
  readonly count: number
  readonly max: number
  reset(): void
}

/** Creates an empty {@link LatencySketch}. */
export function createLatencySketch(): LatencySketch {
  let counts = new Uint32Array(SUB_BUCKETS * (MAX_EXPONENT + 1))
  let count = 0
  let max = 0

  const index = (value: number): number => {
    if (value < SUB_BUCKETS) return value
    const exponent = Math.min(MAX_EXPONENT, Math.floor(Math.log2(value / SUB_BUCKETS)) + 1)
    const sub = Math.floor(value / 2 ** exponent)
    return exponent * SUB_BUCKETS + Math.min(SUB_BUCKETS - 1, sub - SUB_BUCKETS / 2)
  }
  // Lower edge of a bucket, inverse of index().
  const lower = (i: number): number => {
    const exponent = Math.floor(i / SUB_BUCKETS)
    const sub = i % SUB_BUCKETS
    return exponent === 0 ? sub : (sub + SUB_BUCKETS / 2) * 2 ** exponent
  }

  return {
    record(ms) {
      if (!(ms >= 0)) return
      const value = Math.round(ms * SCALE)
      const i = Math.min(counts.length - 1, index(value))
      counts[i]!++
      count++
      if (ms > max) max = ms
    },
    quantile(q) {
      if (count === 0) return undefined
      const rank = Math.max(1, Math.ceil(q * count))
      let seen = 0
      for (let i = 0; i < counts.length; i++) {
        seen += counts[i]!
        if (seen >= rank) {
          const width = i < SUB_BUCKETS ? 1 : 2 ** Math.floor(i / SUB_BUCKETS)
          return Math.min(max, (lower(i) + width / 2) / SCALE)
        }
      }
      return max
    },
    get count() {
      return count
    },
    get max() {
      return max
    },
    reset() {
      counts = new Uint32Array(counts.length)
      count = 0
      max = 0
    },
  }
}
