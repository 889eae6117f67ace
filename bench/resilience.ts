/**
 * Resilience (issue 16), side by side in one run against the chaos server in its own process:
 *
 * - Hedging against a latency tail: `/tail` answers 5% of requests after 500 ms and the rest at
 *   once. The same calls with no hedging and with `hedge()` after the origin's p95: p50/p95/p99 of
 *   the calls, and the extra requests the server saw (its own count, over the calls made).
 * - Retry budget against an origin that fails every request (`/status/503`) for a fixed time:
 *   calls paced at a steady rate with `retry: 2`; plain retries triple the load (+200%), the
 *   budget keeps what retries add under its 10%.
 *
 * The clients run in this process; the server counts what reached it (GET /__stats).
 */
import { createClient, createPool, hedge, retryBudget, type Client, type Policy } from '@volley/core'

/** The pool of the pooled hedging rows: half the workers, so calls wait in line as in a real crawl. */
const POOL = 4
import { CONFIG, QUICK } from './lib/config.js'
import { atLeast, atMost, fmt, type Check, type Section } from './lib/report.js'

const HEDGE = { calls: QUICK ? 600 : 4_000, warmup: QUICK ? 200 : 400, concurrency: 8, slowMs: 500, slowShare: 0.05 }
const BUDGET = { seconds: QUICK ? 3 : 10, rate: 200, retries: 2 }

/** What reached the server on `route` since the last reset. */
async function serverCount(url: string, route: string): Promise<number> {
  const response = await fetch(`${url}/__stats?route=${route}`)
  return ((await response.json()) as { count: number }).count
}

async function resetServer(url: string): Promise<void> {
  await (await fetch(`${url}/__reset`, { method: 'POST' })).arrayBuffer()
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number
}

/** Runs `calls` GETs of `path` at `concurrency`, returning each call's duration in ms. */
async function load(api: Client, path: string, calls: number, concurrency: number): Promise<number[]> {
  const durations: number[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < calls) {
      const i = next++
      const started = performance.now()
      await api.get(`${path}&i=${i}`)
      durations.push(performance.now() - started)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return durations
}

interface HedgeRow {
  readonly label: string
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly extra: number
}

async function hedging(url: string, log: (line: string) => void): Promise<HedgeRow[]> {
  const { calls, warmup, concurrency, slowMs, slowShare } = HEDGE
  const path = `/tail?every=${Math.round(1 / slowShare)}&slow=${slowMs}`
  const variants: [string, () => Policy[], number | undefined][] = [
    ['no hedging', () => [], undefined],
    ["`hedge()` after the origin's p95", () => [hedge({ after: 'p95' })], undefined],
    ['`hedge()` + `retryBudget()`', () => [retryBudget(), hedge({ after: 'p95' })], undefined],
    [`no hedging, \`createPool({ concurrency: ${POOL} })\``, () => [], POOL],
    [`\`hedge()\` after p95, \`createPool({ concurrency: ${POOL} })\``, () => [hedge({ after: 'p95' })], POOL],
  ]
  const rows: HedgeRow[] = []
  for (const [label, use, pool] of variants) {
    const api = createClient({ baseURL: url, retry: 0, use: use(), ...(pool && { pool: createPool({ concurrency: pool }) }) })
    // Untimed warm-up: connections open, and the hedge policy learns the origin's latency.
    await load(api, `${path}&warmup=1`, warmup, concurrency)
    await resetServer(url)
    const durations = (await load(api, `${path}&run=1`, calls, concurrency)).sort((a, b) => a - b)
    const hits = await serverCount(url, 'tail')
    const row = { label, p50: quantile(durations, 0.5), p95: quantile(durations, 0.95), p99: quantile(durations, 0.99), extra: hits / calls - 1 }
    log(`  ${label.padEnd(40)} p50 ${row.p50.toFixed(1)} ms  p99 ${row.p99.toFixed(1)} ms  extra requests ${fmt.percent(row.extra)}`)
    rows.push(row)
    await api.close()
  }
  return rows
}

interface BudgetRow {
  readonly label: string
  readonly calls: number
  readonly requests: number
  readonly extra: number
}

async function budget(url: string, log: (line: string) => void): Promise<BudgetRow[]> {
  const { seconds, rate, retries } = BUDGET
  const variants: [string, () => Policy[]][] = [
    [`plain retries (\`retry: ${retries}\`)`, () => []],
    [`\`retryBudget()\` (\`retry: ${retries}\`)`, () => [retryBudget()]],
  ]
  const rows: BudgetRow[] = []
  for (const [label, use] of variants) {
    await resetServer(url)
    const api = createClient({ baseURL: url, retry: { limit: retries, delay: 20, jitter: 'none' }, use: use() })
    const pending: Promise<unknown>[] = []
    const total = seconds * rate
    const started = performance.now()
    for (let i = 0; i < total; i++) {
      // A steady arrival rate, as a fleet of users would send, whatever the answers are.
      const due = started + (i * 1000) / rate
      const wait = due - performance.now()
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
      pending.push(api.get(`/status/503?i=${i}`).catch(() => {}))
    }
    await Promise.all(pending)
    const requests = await serverCount(url, 'status')
    const row = { label, calls: total, requests, extra: requests / total - 1 }
    log(`  ${label.padEnd(40)} ${row.calls} calls, ${row.requests} requests: ${fmt.percent(row.extra)} from retries`)
    rows.push(row)
    await api.close()
  }
  return rows
}

export async function resilienceSection(url: string, log: (line: string) => void): Promise<Section> {
  log('hedging against a latency tail')
  const hedges = await hedging(url, log)
  log('retry budget against an origin failing every request')
  const budgets = await budget(url, log)
  const [plain, hedged, , pooled, pooledHedged] = hedges as [HedgeRow, HedgeRow, HedgeRow, HedgeRow, HedgeRow]
  const pooledCut = pooled.p99 / pooledHedged.p99
  const [plainRetries, budgeted] = budgets as [BudgetRow, BudgetRow]
  const cut = plain.p99 / hedged.p99
  const checks: Check[] = [
    { goal: "hedging after p95 cuts p99 by >= 5x (5% of answers take 500 ms)", value: fmt.ratio(cut), met: atLeast(cut, 5) },
    { goal: 'hedging adds <= 10% requests', value: fmt.percent(hedged.extra), met: atMost(hedged.extra, 0.1) },
    { goal: `under a pool of ${POOL}, hedging still cuts p99 by >= 5x (a hedge rides on its call's slot)`, value: fmt.ratio(pooledCut), met: atLeast(pooledCut, 5) },
    { goal: `under a pool of ${POOL}, hedging adds <= 10% requests`, value: fmt.percent(pooledHedged.extra), met: atMost(pooledHedged.extra, 0.1) },
    { goal: `retry budget keeps retry load < 10% (plain retries: ${fmt.percent(plainRetries.extra)})`, value: fmt.percent(budgeted.extra), met: budgeted.extra < 0.1 },
  ]
  return {
    title: 'Resilience: hedging against a latency tail, a retry budget against a failing origin',
    intro:
      `Hedging: ${fmt.int(HEDGE.calls)} GETs of \`/tail\` (${HEDGE.slowShare * 100}% of answers after ${HEDGE.slowMs} ms, chosen by the server), ` +
      `${HEDGE.concurrency} at a time, after ${fmt.int(HEDGE.warmup)} untimed calls; extra requests are the server's count over the calls. ` +
      `Retry budget: ${BUDGET.rate} calls/s for ${BUDGET.seconds} s to \`/status/503\` (every request fails), \`retry: ${BUDGET.retries}\` with 20 ms backoff. ` +
      `One run, ${CONFIG.rounds > 1 ? 'not repeated per round' : '1 round'}.`,
    tables: [
      {
        headers: ['hedging', 'p50 ms', 'p95 ms', 'p99 ms', 'p99 vs none', 'extra requests'],
        rows: hedges.map((row, i) => [row.label, row.p50.toFixed(1), row.p95.toFixed(1), row.p99.toFixed(1), fmt.ratio((i >= 3 ? pooled : plain).p99 / row.p99), fmt.percent(row.extra)]),
      },
      {
        headers: ['retries against a failing origin', 'calls', 'requests', 'load from retries'],
        rows: budgets.map((row) => [row.label, fmt.int(row.calls), fmt.int(row.requests), fmt.percent(row.extra)]),
      },
    ],
    notes: [
      'p50 is higher with hedging for a reason outside volley: without it, the workers stuck on slow answers leave the 2-core machine idle, so the fast answers come back sooner; hedged runs keep all 8 calls in flight (with a tail-free route, the same client answers at the same p50 with or without `hedge()`).',
    ],
    checks,
  }
}
