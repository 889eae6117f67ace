/**
 * The request builder: route and parameters, timeouts, retry policy, pool and rate limit, the
 * secrets whose redaction the log shows, and presets. It reports every change as flat form values.
 */
import { h } from './dom.js'
import { checkboxField, checkboxGroup, numberField, radioGroup, readValues, selectField, textField, writeValues } from './form-fields.js'
import { PRESETS, applyPreset } from './presets.js'
import { ROUTES, paramField, routeByName } from './routes.js'
import { ALL_METHODS, type FormValues, POLICIES } from './settings.js'
import { TARGETS } from './target.js'

export interface Builder {
  readonly element: HTMLFormElement
  readonly values: FormValues
  /** Shows `problems` (or nothing) next to the form's end. */
  showProblems(problems: readonly string[]): void
}

const fieldset = (legend: string, ...children: HTMLElement[]): HTMLElement => h('fieldset', { class: 'section' }, h('legend', {}, legend), h('div', { class: 'grid' }, ...children))

function targetChoices(): [string, string, boolean][] {
  const { sameOrigin, crossOrigin } = TARGETS
  return [
    ['same', sameOrigin ? `Same origin (${sameOrigin})` : 'Same origin (dev server only)', !sameOrigin],
    ['cross', crossOrigin ? `Cross-origin (${crossOrigin.replace(/^https?:\/\//, '')})` : 'Cross-origin (dev server only)', !crossOrigin],
    ['custom', 'Another chaos server', false],
  ]
}

/** The parameter fields of one route. */
function routeParams(routeName: string): HTMLElement[] {
  const route = routeByName(routeName)
  return route.params.map((param) => {
    const name = paramField(route.name, param.name)
    if (param.type === 'select') return selectField(name, param.label, (param.options ?? []).map((o) => [o, o] as const), { hint: param.hint })
    return numberField(name, param.label, { min: param.min, max: param.max, hint: param.hint, placeholder: param.hint ? '' : param.default })
  })
}

/**
 * Creates the builder, filled with `initial`. `onChange` receives the complete values (those of
 * routes not shown included) after every edit and preset.
 */
export function createBuilder(initial: FormValues, onChange: (values: FormValues) => void): Builder {
  let values: FormValues = { ...initial }
  const preset = selectField('preset', 'Preset', [['', 'Choose a scenario…'], ...PRESETS.map((p) => [p.id, p.label] as const)], { wide: true, hint: 'Fills the form; then press Run.' })
  // The preset select is an action, not a setting: it has no `name` in the values.
  const presetSelect = preset.querySelector('select') as HTMLSelectElement
  presetSelect.name = ''

  const routeSummary = h('p', { class: 'route-summary wide', id: 'route-summary' })
  const params = h('div', { class: 'grid params wide' })
  const problems = h('ul', { class: 'problems', role: 'alert' })
  const element = h(
    'form',
    { class: 'builder', 'aria-label': 'Request builder', novalidate: true },
    h('div', { class: 'grid' }, preset),
    fieldset('Chaos server', radioGroup('target', 'Send requests to', targetChoices()), textField('chaosUrl', 'Chaos server URL', { type: 'url', placeholder: 'http://127.0.0.1:8080', wide: true })),
    fieldset(
      'Request',
      selectField('route', 'Route', ROUTES.map((r) => [r.name, `/${r.name}`] as const)),
      selectField('method', 'Method', ALL_METHODS.filter((m) => m !== 'TRACE').map((m) => [m, m] as const)),
      routeSummary,
      params,
      numberField('count', 'How many requests', { min: 1, max: 200, step: 1, hint: '1 to 200, fired at once' }),
      textField('key', 'Server key', { placeholder: 'fresh per run', hint: 'Separates the server’s counters' }),
      checkboxField('cache', "Bypass the browser's HTTP cache (cache: 'no-store')", {
        hint: 'Browsers hold identical GETs behind their cache lock, one at a time: without this, a pool of 4 shows 1 in flight at the server.',
      }),
    ),
    fieldset('Timeouts (ms)', numberField('timeout.total', 'Total', { min: 1, placeholder: '30000' }), numberField('timeout.attempt', 'Attempt', { min: 1, placeholder: 'off' }), numberField('timeout.idle', 'Idle', { min: 1, placeholder: 'off' }), numberField('timeout.queue', 'Queue', { min: 1, placeholder: 'off' })),
    fieldset(
      'Retry',
      numberField('retry.limit', 'Retries', { min: 0, max: 20, step: 1, hint: '0 turns retries off' }),
      numberField('retry.delay', 'Backoff base (ms)', { min: 0, placeholder: '300' }),
      numberField('retry.maxRetryAfter', 'Max Retry-After (ms)', { min: 0, placeholder: '60000' }),
      selectField('retry.jitter', 'Jitter', [['full', 'full'], ['equal', 'equal'], ['none', 'none']]),
      checkboxGroup('retry.methods', 'Methods retried', ALL_METHODS),
      checkboxField('idempotencyKey', 'Send an Idempotency-Key (lets POST and PATCH retry)'),
    ),
    fieldset(
      'Pool and rate limit',
      numberField('concurrency', 'Concurrency', { min: 1, max: 1000, step: 1, placeholder: 'no pool', wide: true, hint: 'Blank: no pool (the browser still caps connections per host)' }),
      numberField('rate.limit', 'Starts per interval', { min: 0.001, placeholder: 'no limiter' }),
      numberField('rate.interval', 'Interval (ms)', { min: 1, placeholder: '1000' }),
      numberField('rate.burst', 'Burst', { min: 0, step: 1, placeholder: '0' }),
    ),
    fieldset(
      'Resilience',
      checkboxGroup('policies', 'Policies in use (the timeline marks hedges, refusals, breaker states, cache hits and revalidations)', POLICIES),
    ),
    fieldset('Secrets (watch them get redacted)', textField('authorization', 'Authorization header', { wide: true }), textField('apiKey', 'api_key query parameter', { wide: true })),
    problems,
  )

  /** Shows the current route's parameters and allows only the methods it takes. */
  const syncRoute = (): void => {
    const route = routeByName(values.route ?? '')
    routeSummary.textContent = route.summary
    params.replaceChildren(...routeParams(route.name))
    const method = element.elements.namedItem('method') as HTMLSelectElement
    for (const option of method.options) option.disabled = !route.methods.includes(option.value)
    if (!route.methods.includes(values.method ?? '')) values.method = route.methods[0] as string
    writeValues(element, values)
    const url = element.elements.namedItem('chaosUrl') as HTMLInputElement
    url.disabled = values.target !== 'custom'
  }

  element.addEventListener('input', (event) => {
    if (event.target === presetSelect) return
    const before = values.route
    values = { ...values, ...readValues(element) }
    if (values.route !== before || (event.target as HTMLInputElement).name === 'target') syncRoute()
    onChange(values)
  })
  presetSelect.addEventListener('change', () => {
    const chosen = PRESETS.find((p) => p.id === presetSelect.value)
    if (!chosen) return
    values = applyPreset(chosen, values)
    syncRoute()
    onChange(values)
  })
  // The page never navigates away; main.ts runs on Enter instead.
  element.addEventListener('submit', (event) => event.preventDefault())

  syncRoute()
  return {
    element,
    get values() {
      return values
    },
    showProblems(list) {
      problems.replaceChildren(...list.map((text) => h('li', {}, text)))
    },
  }
}
