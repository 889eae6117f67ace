/**
 * The live timeline panel: one row per call, drawn from volley's lifecycle events. Hover a row
 * (or focus the chart and use the arrow keys) to see an attempt's status, error and timings.
 */
import type { VolleyEvent } from '@volley/browser'
import { h, panel, setText } from './dom.js'
import { chooseRowHeight, rowLabelStep, drawAxis, drawCircuits, drawGrid, drawRows, timeAt, type Admission, type Geometry } from './timeline-draw.js'
import { createTimelineModel, type Row, type TimelineModel } from './timeline-model.js'
import { LEGEND, readPalette, type Palette } from './timeline-palette.js'
import { attemptAt, describeAttempt } from './timeline-tooltip.js'

export interface TimelinePanel {
  readonly element: HTMLElement
  readonly model: TimelineModel
  /** Starts a new run: clears the rows. `admission` says what the waits before sending mean. */
  reset(admission: Admission): void
  apply(event: VolleyEvent): void
  /** Redraws when something changed; while `running`, every frame (open phases grow with time). */
  frame(now: number, running: boolean): void
}

const GUTTER = 34
const AXIS_HEIGHT = 20

/** Sizes a canvas for the device's pixel ratio and returns its context, scaled to CSS pixels. */
function fit(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1
  const w = Math.round(width * ratio)
  const hh = Math.round(height * ratio)
  if (canvas.width !== w || canvas.height !== hh) {
    canvas.width = w
    canvas.height = hh
    canvas.style.height = `${height}px`
  }
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0)
  ctx.clearRect(0, 0, width, height)
  return ctx
}

/** `requestFrame` asks the page's animation loop for a frame (hover, resize, keys). */
export function createTimelinePanel(requestFrame: () => void): TimelinePanel {
  const model = createTimelineModel()
  const legend = h('ul', { class: 'legend', 'aria-label': 'Legend' }, ...LEGEND.map(({ key, label }) => h('li', {}, h('span', { class: `swatch swatch-${key}`, 'aria-hidden': 'true' }), label)))
  const summary = h('p', { class: 'timeline-summary' }, 'Press Run to fire requests; each becomes a row.')
  const axis = h('canvas', { class: 'timeline-axis', 'aria-hidden': 'true' })
  const rows = h('canvas', { class: 'timeline-rows', tabindex: 0, role: 'img', 'data-testid': 'timeline', 'data-rows': 0, 'data-settled': 0, 'aria-label': 'Timeline of requests (empty)', 'aria-describedby': 'timeline-tooltip' })
  const scroller = h('div', { class: 'timeline-scroll' }, rows)
  const tooltipTitle = h('strong')
  const tooltipBody = h('span')
  const tooltip = h('div', { class: 'timeline-tooltip', id: 'timeline-tooltip', role: 'status', hidden: true }, tooltipTitle, tooltipBody)
  const frame = h('div', { class: 'timeline-frame' }, axis, scroller, tooltip)
  const hint = h('p', { class: 'hint' }, 'Hover a row, or focus the chart and use the arrow keys, to inspect an attempt.')
  const element = panel('timeline', 'Timeline', summary, legend, frame, hint)

  let palette: Palette | undefined
  let admission: Admission = { pool: false, limiter: false }
  let geometry: Geometry | undefined
  let drawnVersion = -1
  let dirty = true
  // What the tooltip shows: a row, and the time under the pointer (or an attempt chosen by key).
  let focus: { row: number; time: number | undefined; attempt: number | undefined; fromKeyboard: boolean } | undefined

  const invalidate = (): void => {
    dirty = true
    requestFrame()
  }
  new ResizeObserver(invalidate).observe(scroller)
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    palette = undefined
    invalidate()
  })

  // Where the pointer last was, on the screen. When the page scrolls under a pointer that has not
  // moved (focus() bringing the chart into view is enough), WebKit, Safari's engine, sends a
  // pointermove with no movement. The row the arrow keys chose stays until the pointer really moves.
  let pointer: { x: number; y: number } | undefined
  const pointerMoved = (event: PointerEvent): boolean => {
    const moved = event.movementX !== 0 || event.movementY !== 0 || (pointer !== undefined && (pointer.x !== event.screenX || pointer.y !== event.screenY))
    pointer = { x: event.screenX, y: event.screenY }
    return moved
  }
  const pointAt = (event: PointerEvent): void => {
    if (!pointerMoved(event) && event.type === 'pointermove' && focus?.fromKeyboard) return
    if (!geometry) return
    const box = rows.getBoundingClientRect()
    const index = Math.floor((event.clientY - box.top) / geometry.rowHeight)
    focus = index >= 0 && index < model.rows.length ? { row: index, time: timeAt(geometry, event.clientX - box.left), attempt: undefined, fromKeyboard: false } : undefined
    invalidate()
  }
  rows.addEventListener('pointermove', pointAt)
  rows.addEventListener('pointerdown', pointAt)
  rows.addEventListener('pointerleave', () => {
    if (focus && !focus.fromKeyboard) focus = undefined
    invalidate()
  })
  rows.addEventListener('blur', () => {
    focus = undefined
    invalidate()
  })
  rows.addEventListener('keydown', (event) => {
    const count = model.rows.length
    if (count === 0) return
    const current = focus?.row ?? -1
    const row = model.rows[Math.max(0, current)]
    const attempts = row?.attempts.length ?? 0
    let next = current
    // Infinity means "the row's last attempt", which ← and → step from.
    let attempt = Math.min(attempts, focus?.attempt ?? attempts)
    switch (event.key) {
      case 'ArrowDown': next = Math.min(count - 1, current + 1); attempt = Infinity; break
      case 'ArrowUp': next = Math.max(0, current - 1); attempt = Infinity; break
      case 'Home': next = 0; attempt = Infinity; break
      case 'End': next = count - 1; attempt = Infinity; break
      case 'ArrowLeft': next = Math.max(0, current); attempt = Math.max(1, attempt - 1); break
      case 'ArrowRight': next = Math.max(0, current); attempt = Math.min(attempts, attempt + 1); break
      case 'Escape': focus = undefined; break
      default: return
    }
    // Handled here: the page's own Escape (stop the run) and the arrows' scrolling must not run too.
    event.preventDefault()
    if (event.key === 'Escape') return invalidate()
    focus = { row: next, time: undefined, attempt, fromKeyboard: true }
    const rowHeight = geometry?.rowHeight ?? 10
    // Keep the chosen row in view inside the scrolling box.
    if (next * rowHeight < scroller.scrollTop) scroller.scrollTop = next * rowHeight
    else if ((next + 1) * rowHeight > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = (next + 1) * rowHeight - scroller.clientHeight
    invalidate()
  })
  scroller.addEventListener('scroll', invalidate, { passive: true })

  const showTooltip = (now: number): void => {
    const row: Row | undefined = focus ? model.rows[focus.row] : undefined
    if (!focus || !row || !geometry) {
      tooltip.hidden = true
      return
    }
    const attempt = focus.attempt !== undefined ? row.attempts[Math.min(focus.attempt, row.attempts.length) - 1] : attemptAt(row, focus.time ?? now)
    const { title, lines } = describeAttempt(row, attempt, admission, model.pauses, now)
    setText(tooltipTitle, title)
    setText(tooltipBody, lines.join('\n'))
    tooltip.hidden = false
    // Below the row when there is room in the box, else above it.
    const top = AXIS_HEIGHT + (focus.row + 1) * geometry.rowHeight - scroller.scrollTop + 6
    const below = top + tooltip.offsetHeight < frame.clientHeight
    tooltip.style.top = `${below ? top : Math.max(0, top - geometry.rowHeight - tooltip.offsetHeight - 12)}px`
  }

  return {
    element,
    model,
    reset(next) {
      model.clear()
      admission = next
      focus = undefined
      scroller.scrollTop = 0
      invalidate()
    },
    apply(event) {
      model.apply(event)
    },
    frame(now, running) {
      if (!dirty && !running && drawnVersion === model.version) return
      dirty = false
      drawnVersion = model.version
      palette ??= readPalette(element)
      const count = model.rows.length
      const rowHeight = chooseRowHeight(Math.max(count, 1))
      const width = scroller.clientWidth
      const origin = model.origin ?? now
      const end = running ? now : model.lastEventAt
      // While running the scale keeps ~10% ahead of now; once done, the run fills the width.
      const span = running ? Math.max(250, (end - origin) / 0.9) : Math.max(50, (end - origin) * 1.02)
      geometry = { width, rowHeight, gutter: GUTTER, origin, span, admission }
      const height = Math.max(rowHeight, count * rowHeight)
      const ctx = fit(rows, width, height)
      drawCircuits(ctx, geometry, palette, height, model.circuits, now)
      drawGrid(ctx, geometry, palette, height, running ? now : undefined)
      drawRows(ctx, model.rows, geometry, palette, now, 0, count - 1, focus?.row)
      drawAxis(fit(axis, width, AXIS_HEIGHT), geometry, palette, AXIS_HEIGHT)
      showTooltip(now)

      rows.dataset.rows = String(count)
      rows.dataset.rowLabelStep = String(rowLabelStep(rowHeight))
      rows.dataset.settled = String(model.settled)
      // What the resilience policies did, as the canvas marks it (for people with a screen reader, and tests).
      let hedges = 0
      let refused = 0
      for (const row of model.rows) {
        for (const attempt of row.attempts) if (attempt.hedge) hedges++
        refused += row.refusals.length
      }
      rows.dataset.hedges = String(hedges)
      rows.dataset.refused = String(refused)
      rows.dataset.circuit = model.circuits.map((change) => change.state).join(',')
      const label = count === 0 ? 'Timeline of requests (empty)' : `Timeline of ${count} requests, ${model.settled} settled`
      if (rows.getAttribute('aria-label') !== label) rows.setAttribute('aria-label', label)
      setText(summary, count === 0 ? 'Press Run to fire requests; each becomes a row.' : `${count} requests · ${model.settled} settled · ${Math.round(end - origin)} ms`)
    },
  }
}
