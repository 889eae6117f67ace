/**
 * The metrics panel: `client.metrics.snapshot()` (a client with `metrics: createMetrics()`) read ten times a second while calls run
 * (counts, error and retry rates, latency percentiles, the pool's and the limiter's live state).
 */
import type { MetricsSnapshot } from '@volley/browser'
import { h, panel, setText } from './dom.js'
import { bytes, ms, percent } from './format.js'
import type { ServerView } from './server-stats.js'

/** What the run knows beyond the snapshot. */
export interface RunFacts {
  /**
   * Client calls that failed and were then resumed by the run's SSE streams (a dropped
   * connection, reconnected with Last-Event-ID): failures of the client, not of the run.
   */
  readonly resumed: number
}

export interface MetricsPanel {
  readonly element: HTMLElement
  /** Shows `snapshot`, or clears the panel with `undefined`. `now` is on the client's clock. */
  render(snapshot: MetricsSnapshot | undefined, now: number, run?: RunFacts): void
  /** Shows what the chaos server saw of the run (or a dash while unknown). */
  showServer(view: ServerView | undefined): void
}

type Cell = readonly [key: string, label: string, read: (s: MetricsSnapshot, now: number, run: RunFacts) => string]

/** Groups of cells; `key` becomes `data-metric`, which the e2e spec reads. */
const GROUPS: readonly (readonly [title: string, cells: readonly Cell[]])[] = [
  ['Calls', [
    ['calls', 'settled', (s) => String(s.calls)],
    ['inFlight', 'in flight', (s) => String(s.inFlight)],
    ['attempts', 'attempts', (s) => String(s.attempts)],
    ['retries', 'retries', (s) => String(s.retries)],
    ['hedges', 'hedges', (s) => String(s.hedges)],
    ['refused', 'refused', (s) => refusedText(s.refused)],
    ['resumed', 'SSE resumed', (_s, _now, run) => String(run.resumed)],
  ]],
  ['Outcomes', [
    ['ok', 'ok', (s) => String(s.outcomes.ok)],
    ['http', 'HTTP error', (s) => String(s.outcomes.http)],
    ['timeout', 'timeout', (s) => String(s.outcomes.timeout)],
    ['network', 'network', (s) => String(s.outcomes.network)],
    ['aborted', 'aborted', (s) => String(s.outcomes.aborted)],
    // Every outcome has a row, so the outcomes add up to the calls settled.
    ['validation', 'validation', (s) => String(s.outcomes.validation)],
    ['other', 'other', (s) => String(s.outcomes.other)],
  ]],
  ['Rates', [
    ['errorRate', 'error rate', (s, _now, run) => percent(errorRate(s, run))],
    ['retryRate', 'retries per call', (s) => s.retryRate.toFixed(2)],
  ]],
  ['Latency', [
    ['p50', 'p50', (s) => ms(s.latency.p50)],
    ['p95', 'p95', (s) => ms(s.latency.p95)],
    ['p99', 'p99', (s) => ms(s.latency.p99)],
    ['max', 'max', (s) => ms(s.latency.max)],
  ]],
  ['Pool', [
    ['pool.active', 'active', (s) => (s.pool ? `${s.pool.active} / ${s.pool.concurrency}` : 'no pool')],
    ['pool.queued', 'queued', (s) => (s.pool ? String(s.pool.queued) : '–')],
    ['pool.maxActive', 'max active', (s) => (s.pool ? String(s.pool.maxActive) : '–')],
  ]],
  ['Rate limiter', [
    ['limiter.tokens', 'tokens', (s) => (s.rateLimiter ? s.rateLimiter.tokens.toFixed(2) : 'no limiter')],
    ['limiter.waiting', 'waiting', (s) => (s.rateLimiter ? String(s.rateLimiter.waiting) : '–')],
    ['limiter.paused', 'paused for', (s, now) => (s.rateLimiter && s.rateLimiter.pausedUntil > now ? ms(s.rateLimiter.pausedUntil - now) : '–')],
  ]],
  ['Bytes', [
    ['bytesIn', 'in (all attempts)', (s) => bytes(s.bytesIn)],
    ['bytesOut', 'out (all attempts)', (s) => bytes(s.bytesOut)],
  ]],
]

/**
 * Failed calls per call, leaving out the aborted ones and the SSE drops the run resumed: a call
 * stopped from the page did not fail, so "Stop" does not turn a healthy run into a 74% error rate,
 * and a stream that reconnected and read to its end did not fail either (no "50% error rate"
 * beside "0 failed"). (The snapshot's own `errorRate` counts every call that was not ok.)
 */
export function errorRate(s: MetricsSnapshot, run: RunFacts = { resumed: 0 }): number {
  const counted = s.calls - s.outcomes.aborted - run.resumed
  return counted > 0 ? Math.max(0, counted - s.outcomes.ok) / counted : 0
}

/** `{ 'retry-budget': 2 }` -> `'2 (retry-budget)'`; none -> `'0'`. */
export function refusedText(refused: Readonly<Record<string, number>>): string {
  const entries = Object.entries(refused).filter(([, n]) => n > 0)
  const total = entries.reduce((sum, [, n]) => sum + n, 0)
  return total === 0 ? '0' : `${total} (${entries.map(([name, n]) => (entries.length > 1 ? `${name} ${n}` : name)).join(', ')})`
}

export function createMetricsPanel(): MetricsPanel {
  const cells: { read: Cell[2]; value: HTMLElement }[] = []
  const groups = GROUPS.map(([title, group]) => {
    const list = h('dl')
    for (const [key, label, read] of group) {
      const value = h('dd', { 'data-metric': key }, '–')
      cells.push({ read, value })
      list.append(h('div', {}, h('dt', {}, label), value))
    }
    return h('div', { class: 'metric-group' }, h('h3', {}, title), list)
  })
  // The server's side, read from its /__stats after a run: the proof behind the client's numbers.
  const serverHits = h('dd', { 'data-metric': 'server.hits' }, '–')
  const serverMax = h('dd', { 'data-metric': 'server.maxInFlight' }, '–')
  groups.push(h('div', { class: 'metric-group' }, h('h3', {}, 'Server saw'), h('dl', {}, h('div', {}, h('dt', {}, 'requests'), serverHits), h('div', {}, h('dt', {}, 'max in flight'), serverMax))))
  const element = panel('metrics', 'Metrics', h('p', { class: 'hint' }, 'client.metrics.snapshot(), live; and the chaos server’s count after the run.'), h('div', { class: 'metric-groups' }, ...groups))
  return {
    element,
    showServer(view) {
      setText(serverHits, view ? String(view.hits) : '–')
      setText(serverMax, view?.maxInFlight !== undefined ? String(view.maxInFlight) : '–')
    },
    render(snapshot, now, run = { resumed: 0 }) {
      for (const { read, value } of cells) setText(value, snapshot ? read(snapshot, now, run) : '–')
    },
  }
}
