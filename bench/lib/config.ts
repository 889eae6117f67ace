/**
 * Run sizes. The full run follows the issues (20,000 requests, 1 GiB, 100,000 tasks) with 3 rounds,
 * ~10 minutes on an otherwise idle 2-core machine; `BENCH_ROUNDS=5` for more rounds. `BENCH_QUICK=1`
 * is a smoke run with the same code paths, smaller counts and 1 round.
 */
export const QUICK = process.env.BENCH_QUICK === '1'

function roundsFromEnv(fallback: number): number {
  const raw = process.env.BENCH_ROUNDS
  if (raw === undefined || raw === '') return fallback
  const rounds = Number(raw)
  if (!Number.isInteger(rounds) || rounds < 1) throw new TypeError(`BENCH_ROUNDS must be a positive integer, got "${raw}"`)
  return rounds
}

export const CONFIG = {
  rounds: roundsFromEnv(QUICK ? 1 : 3),
  throughput: { requests: QUICK ? 3_000 : 20_000, warmup: QUICK ? 500 : 2_000, concurrency: 64 },
  latency: { requests: QUICK ? 300 : 2_000, warmup: QUICK ? 100 : 300, concurrency: 1 },
  download: { bytes: QUICK ? 128 * 2 ** 20 : 2 ** 30, warmupBytes: 16 * 2 ** 20 },
  pool: { tasks: QUICK ? 20_000 : 100_000, concurrency: 64, iterations: QUICK ? 3 : 7, waiters: QUICK ? 20_000 : 100_000 },
  browser: { requests: QUICK ? 300 : 2_000, warmup: QUICK ? 50 : 200, concurrency: 6 },
} as const

/**
 * The order of `items` in round `round`: rotated by one each round, so every client runs in every
 * position (first after the server idled, last after the others warmed it) equally often.
 */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length
  return [...items.slice(shift), ...items.slice(0, shift)]
}
