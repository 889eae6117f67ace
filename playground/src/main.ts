/**
 * The playground page: builder on the left, what volley does on the right (timeline, progress,
 * metrics, log, code). One requestAnimationFrame loop draws every live panel while calls run.
 */
import { systemClock } from '@volley/browser'
import { createBuilder } from './builder.js'
import { generateCode } from './code-gen.js'
import { createCodePanel } from './code-panel.js'
import { h, panel, setText } from './dom.js'
import { ms } from './format.js'
import { createLogPanel } from './log-panel.js'
import { createMetricsPanel } from './metrics-panel.js'
import { loadValues, saveValues } from './persist.js'
import { buildPlan, type Plan } from './plan.js'
import { createProgressPanel } from './progress.js'
import { startRun, type Run, type RunTally } from './scenario.js'
import { fetchServerView } from './server-stats.js'
import { DEFAULT_VALUES, parseSettings, type FormValues } from './settings.js'
import { DEFAULT_TARGET, resolveTarget } from './target.js'
import { createTimelinePanel } from './timeline.js'
import './style.css'

const defaults: FormValues = { ...DEFAULT_VALUES, target: DEFAULT_TARGET, chaosUrl: '' }

const timeline = createTimelinePanel(() => schedule())
const progress = createProgressPanel()
const metrics = createMetricsPanel()
const log = createLogPanel(() => schedule())
const code = createCodePanel()

const runButton = h('button', { type: 'button', class: 'primary', 'aria-keyshortcuts': 'Control+Enter Meta+Enter' }, 'Run ', h('kbd', {}, 'Ctrl+Enter'))
const stopButton = h('button', { type: 'button', disabled: true, 'aria-keyshortcuts': 'Escape' }, 'Stop ', h('kbd', {}, 'Esc'))
const runState = h('p', { class: 'run-state', role: 'status', 'data-testid': 'run-state', 'data-state': 'idle' }, 'Ready')

/**
 * A fresh chaos-server key per run (unless the user set one), so counters start at zero. The code
 * panel shows the key of the latest run (before the first run, the key the first will use): a new
 * one is drawn only when Run is pressed again, so the code shown is always a run's code.
 */
const freshKey = (): string => `pg-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`
let runKey = freshKey()
let runKeyUsed = false
let current: Run | undefined
let runToken: object | undefined
let startedAt = 0

/** The plan the current form describes, or the problems that stop it from running. */
function planFor(values: FormValues): { plan: Plan; problems: string[] } | { plan: undefined; problems: string[] } {
  const { settings, problems } = parseSettings(values)
  const target = resolveTarget(values.target ?? '', values.chaosUrl ?? '')
  if ('problem' in target) problems.push(target.problem)
  if (problems.length > 0 || !('baseURL' in target)) return { plan: undefined, problems }
  return { plan: buildPlan(settings, target.baseURL, settings.key || runKey), problems }
}

function onValues(values: FormValues): void {
  saveValues(values, defaults)
  const { plan, problems } = planFor(values)
  builder.showProblems(problems)
  if (plan) code.show(generateCode(plan))
}

const builder = createBuilder(loadValues(defaults), onValues)

/** How a finished run went, for the status line's colour: all ok, some failed, all failed, or stopped. */
type RunOutcome = 'ok' | 'partial' | 'failed' | 'stopped'

function setState(state: 'idle' | 'running' | 'done' | 'stopped' | 'invalid', text: string, outcome?: RunOutcome): void {
  runState.dataset.state = state
  if (outcome) runState.dataset.outcome = outcome
  else delete runState.dataset.outcome
  setText(runState, text)
}

/** "Done: 38 ok, 2 failed in 1.20 s"; aborted calls are counted apart from failures. */
function describeRun({ ok, failed, aborted, stopped }: RunTally, took: string): { text: string; outcome: RunOutcome } {
  const counts = [`${ok} ok`, `${failed} failed`]
  if (aborted > 0) counts.push(`${aborted} aborted`)
  const outcome: RunOutcome = stopped ? 'stopped' : failed === 0 ? 'ok' : ok === 0 ? 'failed' : 'partial'
  return { text: `${stopped ? 'Stopped' : 'Done'}: ${counts.join(', ')} in ${took}`, outcome }
}

function run(): void {
  // A new key for every run, unless the user chose one (see freshKey).
  if (runKeyUsed) runKey = freshKey()
  runKeyUsed = true
  const { plan, problems } = planFor(builder.values)
  if (!plan) {
    builder.showProblems(problems)
    setState('invalid', 'Fix the settings first')
    return
  }
  current?.abort()
  const { concurrency, rateLimit } = plan.options
  timeline.reset({ pool: concurrency !== undefined, limiter: rateLimit !== undefined, concurrency, rateLimit: rateLimit && { limit: rateLimit.limit, interval: rateLimit.interval ?? 1000 } })
  // SSE and NDJSON calls read their body as a stream, without download progress.
  progress.reset(plan.count, { downloads: plan.read === 'auto' ? plan.count : 0, uploads: plan.uploadSize === undefined ? 0 : plan.count })
  code.show(generateCode(plan))
  metrics.showServer(undefined)
  log.separator()
  // A token for this run, set before any call starts: volley emits `start` synchronously from
  // inside each call, so the listeners must already know which run is current. Events of a run
  // replaced by a newer one are dropped (its rows are gone).
  const token = {}
  runToken = token
  const live = (): boolean => runToken === token
  const thisRun = startRun(plan, {
    onEvent: (event) => {
      if (!live()) return
      timeline.apply(event)
      if (event.type === 'attempt-end') progress.attemptEnded(event.bytesIn, event.bytesOut)
    },
    logger: log.logger,
    onDownloadProgress: (i, p) => void (live() && progress.download(i, p)),
    onUploadProgress: (i, p) => void (live() && progress.upload(i, p)),
    onSettle: (i) => void (live() && progress.settle(i)),
  })
  current = thisRun
  startedAt = performance.now()
  stopButton.disabled = false
  setState('running', `Running ${plan.count} request${plan.count === 1 ? '' : 's'}…`)
  runState.dataset.key = plan.key.value
  // On a phone the builder fills the screen: bring the timeline into view to watch the run.
  if (narrow.matches) timeline.element.scrollIntoView({ block: 'start', behavior: reducedMotion.matches ? 'auto' : 'smooth' })
  schedule()
  void thisRun.done.then((tally) => {
    if (current !== thisRun) return
    stopButton.disabled = true
    const { text, outcome } = describeRun(tally, ms(performance.now() - startedAt))
    log.logger.info(`run ${plan.key.value}: ${text}`)
    // The panels draw in animation frames, which an engine may hold back for a long while (a
    // window that is hidden or not painted): the run's final numbers are drawn now, in the task
    // that says "Done", so the page never shows "Done" beside the counts of a moment before.
    drawNow()
    setState(tally.stopped ? 'stopped' : 'done', text, outcome)
    fetchServerView(plan).then(
      (view) => void (current === thisRun && metrics.showServer(view)),
      (error: unknown) => log.logger.warn(`could not read the chaos server's stats: ${error instanceof Error ? error.message : String(error)}`),
    )
  })
}

const narrow = matchMedia('(max-width: 959px)')
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)')

let frameId = 0
let metricsAt = 0

/** The one animation loop: keeps going while calls run, otherwise draws only when asked. */
function frame(): void {
  frameId = 0
  const now = systemClock.now()
  const running = current?.running ?? false
  timeline.frame(now, running)
  progress.render(running)
  // Ten snapshots a second are plenty to read, and leave the frames to the timeline.
  if (!running || now - metricsAt >= 100) {
    metricsAt = now
    metrics.render(current?.client.metrics?.snapshot(), now, { resumed: current?.resumed ?? 0 })
  }
  log.flush()
  if (running) schedule()
}

function schedule(): void {
  if (frameId === 0) frameId = requestAnimationFrame(frame)
}

/** Draws every panel at once, in this task, in place of the frame asked for. */
function drawNow(): void {
  if (frameId !== 0) cancelAnimationFrame(frameId)
  frame()
}

runButton.addEventListener('click', run)
stopButton.addEventListener('click', () => current?.abort())
// Enter in a text or number field runs, as a form's submit would (a form with many fields and no
// submit button has no implicit submission).
builder.element.addEventListener('keydown', (event) => {
  const target = event.target
  if (event.key !== 'Enter' || event.ctrlKey || event.metaKey || !(target instanceof HTMLInputElement)) return
  if (target.type === 'checkbox' || target.type === 'radio') return
  event.preventDefault()
  run()
})
document.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault()
    run()
  } else if (event.key === 'Escape' && !event.defaultPrevented && current?.running) {
    current.abort()
  }
})

const header = h('header', { class: 'app-bar' }, h('h1', {}, 'volley ', h('span', {}, 'playground')), h('div', { class: 'actions' }, runButton, stopButton), runState)
const main = h(
  'main',
  { class: 'layout' },
  h('div', { class: 'builder-column' }, panel('builder', 'Request', builder.element)),
  h('div', { class: 'results' }, timeline.element, h('div', { class: 'pair' }, progress.element, metrics.element), h('div', { class: 'pair' }, log.element, code.element)),
)
document.body.append(header, main)
onValues(builder.values)
metrics.render(undefined, 0)
schedule()
document.documentElement.dataset.ready = 'true'
