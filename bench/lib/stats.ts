/** Small statistics helpers: every reported number is a median of rounds or a percentile of samples. */

/** Median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** The `p`-th percentile (0-100) by nearest rank of an ascending-sorted sample; NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number
}

/** p50 and p99 of a sample of latencies (sorts a copy). */
export function latencySummary(samples: Float64Array): { p50: number; p99: number; mean: number } {
  const sorted = Float64Array.from(samples).sort()
  let sum = 0
  for (const value of sorted) sum += value
  return { p50: percentileSorted(sorted, 50), p99: percentileSorted(sorted, 99), mean: sum / sorted.length }
}

/** Spread of the rounds, as (max - min) / median, for the "how stable was this" column. */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0
  return (Math.max(...values) - Math.min(...values)) / median(values)
}
