/**
 * Draws the timeline on a canvas: a few hundred rows redrawn whole each frame cost well under a
 * millisecond, far less than keeping thousands of DOM or SVG nodes in sync at 60 fps.
 */
import type { Palette, Phase } from './timeline-palette.js'
import type { Attempt, CircuitChange, Outcome, Row } from './timeline-model.js'

/** Where things go: time to x, row index to y. */
export interface Geometry {
  /** CSS pixels. */
  readonly width: number
  readonly rowHeight: number
  /** Left column for the request numbers. */
  readonly gutter: number
  /** Epoch ms at x = gutter. */
  readonly origin: number
  /** ms across the plot. */
  readonly span: number
  /** What the client waits for before sending: a pool slot, a limiter token, both or neither. */
  readonly admission: Admission
}

/**
 * With a pool, `queued -> slot` is the slot wait and `slot -> sent` the token wait; without one,
 * `queued -> sent` is the limiter's. A hedge waits for no slot even in a pool: it rides on the slot
 * of the attempt it races (docs/DESIGN.md#hedging), so its `queued -> sent` is the limiter's too.
 * With neither there is nothing to wait for, and the few ms between the two events are the event
 * loop's, not a policy's: they are not drawn.
 */
export interface Admission {
  readonly pool: boolean
  readonly limiter: boolean
  /** The pool's size and the limiter's rate, so the tooltip can say why a call waited. */
  readonly concurrency?: number | undefined
  readonly rateLimit?: { readonly limit: number; readonly interval: number } | undefined
}

/**
 * The narrowest an attempt's bar is drawn, in CSS pixels: a 429 answered in 3 ms on a 3 s chart
 * is a fraction of a pixel, and must still show in its outcome's colour.
 */
export const MIN_ATTEMPT_WIDTH = 4

/** Rows shrink as their number grows, so 40 fit without scrolling and 200 stay legible. */
export function chooseRowHeight(count: number): number {
  return Math.max(4, Math.min(24, Math.floor(440 / Math.max(1, count))))
}

/** Height in CSS pixels a row number needs to stay legible (a 10 px font). */
const LABEL_HEIGHT = 10

/**
 * Every how many rows a number is written in the gutter: every row while rows are tall enough,
 * else every 2nd, 5th, 10th… so that numbers stay legible and never overlap (60 rows of 7 px get
 * one every 2nd row; 200 rows of 4 px one every 5th).
 */
export function rowLabelStep(rowHeight: number): number {
  for (const step of [1, 2, 5, 10, 20, 50, 100]) if (step * rowHeight >= LABEL_HEIGHT) return step
  return 100
}

/** Whether row `index` (0-based) gets its number: the first row, then every `step`-th (5, 10, 15…). */
export function labelsRow(index: number, step: number): boolean {
  return index === 0 || (index + 1) % step === 0
}

export function xOf(g: Geometry, time: number): number {
  return g.gutter + ((time - g.origin) / g.span) * (g.width - g.gutter - 4)
}

export function timeAt(g: Geometry, x: number): number {
  return g.origin + ((x - g.gutter) / (g.width - g.gutter - 4)) * g.span
}

/** A 1-2-5 step giving a grid line every ~90 px. */
export function tickStep(g: Geometry): number {
  const target = (g.span * 90) / Math.max(1, g.width - g.gutter)
  const power = 10 ** Math.floor(Math.log10(Math.max(1, target)))
  for (const factor of [1, 2, 5, 10]) if (factor * power >= target) return factor * power
  return 10 * power
}

/** One coloured stretch of a row. */
export interface Segment {
  readonly kind: Phase | Outcome
  readonly from: number
  readonly to: number
  readonly attempt: number
}

/**
 * Whether `attempt` waits for a pool slot of its own: not a hedge, which rides on the slot of the
 * attempt it races (docs/DESIGN.md#hedging). A hedge is known as one from its `hedge` event, when
 * it is sent; until then it is drawn as any attempt in line.
 */
export function waitsForSlot(admission: Admission, attempt: Attempt): boolean {
  return admission.pool && !attempt.hedge
}

/** The phases of one row, open ones running to `end` (the settle time, or now). */
export function segmentsOf(row: Row, admission: Admission, now: number): Segment[] {
  const end = row.settleAt ?? now
  const out: Segment[] = []
  row.attempts.forEach((a: Attempt, i: number) => {
    const next = row.attempts[i + 1]
    const sentOrEnd = a.sentAt ?? a.endAt ?? end
    if (waitsForSlot(admission, a)) {
      out.push({ kind: 'queued', from: a.queuedAt, to: a.slotAt ?? sentOrEnd, attempt: a.number })
      if (admission.limiter && a.slotAt !== undefined) out.push({ kind: 'token', from: a.slotAt, to: sentOrEnd, attempt: a.number })
    } else if (admission.limiter) {
      out.push({ kind: 'token', from: a.queuedAt, to: sentOrEnd, attempt: a.number })
    }
    if (a.sentAt !== undefined) out.push({ kind: a.outcome ?? 'flight', from: a.sentAt, to: a.endAt ?? end, attempt: a.number })
    if (a.retryAt !== undefined) out.push({ kind: 'retry', from: a.retryAt, to: next?.queuedAt ?? end, attempt: a.number })
  })
  for (const wait of row.offline) out.push({ kind: 'offline', from: wait.from, to: wait.to ?? end, attempt: 0 })
  return out
}

/** The cache statuses that get a mark (a miss is an ordinary request). */
const CACHE_MARKS = { hit: 'cacheHit', revalidated: 'revalidated', stale: 'stale' } as const

/**
 * Where a row gets a mark: each hedge when it was sent, each refused retry or hedge when refused,
 * and a cache hit, a revalidation or a stale answer when the cache said so.
 */
export function marksOf(row: Row): { kind: 'hedge' | 'refused' | 'cacheHit' | 'revalidated' | 'stale'; at: number }[] {
  const marks: { kind: 'hedge' | 'refused' | 'cacheHit' | 'revalidated' | 'stale'; at: number }[] = []
  for (const a of row.attempts) if (a.hedge && a.sentAt !== undefined) marks.push({ kind: 'hedge', at: a.sentAt })
  for (const refusal of row.refusals) marks.push({ kind: 'refused', at: refusal.at })
  if (row.cache !== undefined && row.cache !== 'miss' && row.cacheAt !== undefined) marks.push({ kind: CACHE_MARKS[row.cache], at: row.cacheAt })
  return marks
}

/** The stretches a breaker was open or half-open, per origin, the last one running to `end`. */
export function circuitBands(changes: readonly CircuitChange[], end: number): { state: 'open' | 'half-open'; from: number; to: number; origin: string }[] {
  const bands: { state: 'open' | 'half-open'; from: number; to: number; origin: string }[] = []
  changes.forEach((change, i) => {
    if (change.state === 'closed') return
    const next = changes.slice(i + 1).find((c) => c.origin === change.origin)
    bands.push({ state: change.state, from: change.at, to: next?.at ?? end, origin: change.origin })
  })
  return bands
}

/** Breaker states as bands behind every row: red while open, amber while half-open. */
export function drawCircuits(ctx: CanvasRenderingContext2D, g: Geometry, p: Palette, height: number, changes: readonly CircuitChange[], end: number): void {
  for (const band of circuitBands(changes, end)) {
    ctx.fillStyle = band.state === 'open' ? p.open : p.halfOpen
    const x0 = xOf(g, band.from)
    ctx.fillRect(x0, 0, Math.max(1, xOf(g, band.to) - x0), height)
  }
}

const WAITS: ReadonlySet<string> = new Set(['queued', 'token', 'retry', 'offline'])

/** Draws rows `first..last` (visible ones only) of `rows`. */
export function drawRows(ctx: CanvasRenderingContext2D, rows: readonly Row[], g: Geometry, p: Palette, now: number, first: number, last: number, selected: number | undefined): void {
  const h = g.rowHeight
  const bar = Math.max(2, h - (h >= 8 ? 3 : 1))
  const thin = Math.max(1, Math.round(bar * 0.4))
  const step = rowLabelStep(h)
  ctx.font = `${step === 1 ? Math.min(11, h - 1) : LABEL_HEIGHT}px ui-monospace, monospace`
  ctx.textBaseline = 'middle'
  for (let i = first; i <= last && i < rows.length; i++) {
    const row = rows[i] as Row
    const top = i * h
    if (i === selected) {
      ctx.fillStyle = p.highlight
      ctx.fillRect(0, top, g.width, h)
    }
    if (labelsRow(i, step)) {
      ctx.fillStyle = p.text
      ctx.textAlign = 'right'
      ctx.fillText(String(i + 1), g.gutter - 6, top + h / 2)
    }
    const barTop = top + (h - bar) / 2
    // Waits first, attempts over them: a minimum-width attempt may reach into the wait after it.
    const segments = segmentsOf(row, g.admission, now)
    const ticks: number[] = []
    for (const s of segments) {
      if (!WAITS.has(s.kind)) continue
      ctx.fillStyle = p[s.kind]
      ctx.fillRect(xOf(g, s.from), top + (h - thin) / 2, Math.max(1, xOf(g, s.to) - xOf(g, s.from)), thin)
    }
    for (const s of segments) {
      if (WAITS.has(s.kind)) continue
      const x0 = xOf(g, s.from)
      const width = Math.max(MIN_ATTEMPT_WIDTH, xOf(g, s.to) - x0)
      ctx.fillStyle = p[s.kind]
      ctx.fillRect(x0, barTop, width, bar)
      // A tick only where the bar has room for it beside its colour (a short bar is its own mark).
      if (width >= 3 * MIN_ATTEMPT_WIDTH) ticks.push(x0)
    }
    // Each attempt starts with a dark tick, so a retried row shows its attempts at a glance.
    ctx.fillStyle = p.tick
    for (const x of ticks) ctx.fillRect(x, barTop, 2, bar)
    // A hedge gets a mark of its colour where it went out; a refused retry a mark where it was refused.
    for (const mark of marksOf(row)) {
      ctx.fillStyle = p[mark.kind]
      ctx.fillRect(xOf(g, mark.at) - 1, top, 3, h)
    }
    // The end cap shows how the call ended, unless its last attempt's bar already says so (a call
    // can also end while queued or waiting to retry: a queue timeout, a total timeout, an abort).
    const last = row.attempts[row.attempts.length - 1]
    if (row.settleAt !== undefined && row.outcome && !(last?.sentAt !== undefined && last.outcome === row.outcome)) {
      ctx.fillStyle = p[row.outcome]
      ctx.fillRect(xOf(g, row.settleAt) - 1, top + 1, 3, h - 2)
    }
  }
}

/** Grid lines behind the rows, and the "now" line while calls are running. */
export function drawGrid(ctx: CanvasRenderingContext2D, g: Geometry, p: Palette, height: number, now: number | undefined): void {
  const step = tickStep(g)
  ctx.fillStyle = p.grid
  for (let t = 0; t <= g.span; t += step) ctx.fillRect(Math.round(xOf(g, g.origin + t)), 0, 1, height)
  if (now !== undefined) {
    ctx.fillStyle = p.now
    ctx.fillRect(Math.round(xOf(g, now)), 0, 1, height)
  }
}

/** The time axis: a label per grid line. */
export function drawAxis(ctx: CanvasRenderingContext2D, g: Geometry, p: Palette, height: number): void {
  const step = tickStep(g)
  ctx.fillStyle = p.text
  ctx.font = '11px ui-sans-serif, system-ui, sans-serif'
  ctx.textBaseline = 'middle'
  ctx.textAlign = 'center'
  const unit = step >= 1000 ? 's' : 'ms'
  for (let t = 0; t <= g.span; t += step) {
    const x = xOf(g, g.origin + t)
    const label = t === 0 ? '0' : unit === 's' ? `${+(t / 1000).toFixed(2)} s` : `${t} ms`
    // Keep the first and last labels inside the canvas.
    ctx.textAlign = x < g.gutter + 20 ? 'left' : x > g.width - 30 ? 'right' : 'center'
    ctx.fillText(label, x, height / 2)
  }
  ctx.textAlign = 'right'
  ctx.fillText('#', g.gutter - 6, height / 2)
}
