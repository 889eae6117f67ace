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
import { startRun, type Run } from './scenario.js'
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

/** A fresh chaos-server key per run (unless the user set one), so counters start at zero. */
const freshKey = (): string => `pg-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`
let nextKey = freshKey()
let current: Run | undefined
let runToken: object | undefined
let startedAt = 0

/** The plan the current form describes, or the problems that stop it from running. */
function planFor(values: FormValues): { plan: Plan; problems: string[] } | { plan: undefined; problems: string[] } {
  const { settings, problems } = parseSettings(values)
  const target = resolveTarget(values.target ?? '', values.chaosUrl ?? '')
  if ('problem' in target) problems.push(target.problem)
  if (problems.length > 0 || !('baseURL' in target)) return { plan: undefined, problems }
  return { plan: buildPlan(settings, target.baseURL, settings.key || nextKey), problems }
}

function onValues(values: FormValues): void {
  saveValues(values, defaults)
  const { plan, problems } = planFor(values)
  builder.showProblems(problems)
  if (plan) code.show(generateCode(plan))
}

const builder = createBuilder(loadValues(defaults), onValues)

function setState(state: 'idle' | 'running' | 'done' | 'stopped' | 'invalid', text: string): void {
  runState.dataset.state = state
  setText(runState, text)
}

function run(): void {
  const { plan, problems } = planFor(builder.values)
  if (!plan) {
    builder.showProblems(problems)
    setState('invalid', 'Fix the settings first')
    return
  }
  current?.abort()
  if (!builder.values.key) nextKey = freshKey()
  timeline.reset({ pool: plan.options.concurrency !== undefined, limiter: plan.options.rateLimit !== undefined })
  progress.reset(plan.count)
  metrics.showServer(undefined)
  log.separator()
  // A token for this run, set before any call starts: volley emits `start` synchronously from
  // inside each call, so the listeners must already know which run is current. Events of a run
  // replaced by a newer one are dropped (its rows are gone).
  const token = {}
  runToken = token
  const live = (): boolean => runToken === token
  const thisRun = startRun(plan, {
    onEvent: (event) => void (live() && timeline.apply(event)),
    logger: log.logger,
    onDownloadProgress: (i, p) => void (live() && progress.download(i, p)),
    onUploadProgress: (i, p) => void (live() && progress.upload(i, p)),
  })
  current = thisRun
  startedAt = performance.now()
  stopButton.disabled = false
  setState('running', `Running ${plan.count} request${plan.count === 1 ? '' : 's'}…`)
  runState.dataset.key = plan.key.value
  onValues(builder.values) // the code panel shows the key of the next run from now on
  // On a phone the builder fills the screen: bring the timeline into view to watch the run.
  if (narrow.matches) timeline.element.scrollIntoView({ block: 'start', behavior: reducedMotion.matches ? 'auto' : 'smooth' })
  schedule()
  void thisRun.done.then(({ ok, failed, aborted }) => {
    if (current !== thisRun) return
    stopButton.disabled = true
    const took = ms(performance.now() - startedAt)
    log.logger.info(`run ${plan.key.value} done in ${took}: ${ok} ok, ${failed} failed`)
    setState(aborted ? 'stopped' : 'done', `${aborted ? 'Stopped' : 'Done'}: ${ok} ok, ${failed} failed in ${took}`)
    schedule()
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
  progress.render(timeline.model.settled)
  // Ten snapshots a second are plenty to read, and leave the frames to the timeline.
  if (!running || now - metricsAt >= 100) {
    metricsAt = now
    metrics.render(current?.client.metrics.snapshot(), now)
  }
  log.flush()
  if (running) schedule()
}

function schedule(): void {
  if (frameId === 0) frameId = requestAnimationFrame(frame)
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
