/**
 * The vanilla TypeScript fixture app. It exposes the scenarios on `window.volleyScenarios` for the
 * specs (`page.evaluate`) and logs each run on the page, so the screenshot kept after a test shows
 * what ran and how it ended.
 */
import { chaosUrl } from '../../shared/chaos.js'
import { scenarios, type Scenarios } from './scenarios/index.js'

declare global {
  interface Window {
    /** Set once the app is ready; the specs wait for it. */
    volleyScenarios?: Scenarios
  }
}

const log = document.querySelector<HTMLOListElement>('#log')

function entry(name: string, args: unknown): (state: 'ok' | 'failed', detail: unknown) => void {
  const item = document.createElement('li')
  item.className = 'running'
  item.textContent = `${name}(${args === undefined ? '' : JSON.stringify(args)}) …`
  log?.append(item)
  return (state, detail) => {
    item.className = state
    const text = JSON.stringify(detail, (_key, value: unknown) => (Array.isArray(value) && value.length > 12 ? [...value.slice(0, 12), `… ${value.length - 12} more`] : value))
    item.textContent = `${state === 'ok' ? '✔' : '✘'} ${name} → ${text && text.length > 600 ? `${text.slice(0, 600)}…` : text}`
  }
}

/** The scenarios, each wrapped to log its call and outcome on the page. */
function logged(all: Scenarios): Scenarios {
  const wrapped: Record<string, (args?: never) => Promise<unknown>> = {}
  for (const [name, run] of Object.entries(all) as [string, (args?: never) => Promise<unknown>][]) {
    wrapped[name] = async (args?: never) => {
      const done = entry(name, args)
      try {
        const result = await run(args)
        done('ok', result)
        return result
      } catch (error) {
        done('failed', error instanceof Error ? `${error.name}: ${error.message}` : String(error))
        throw error
      }
    }
  }
  return wrapped as unknown as Scenarios
}

const chaos = document.querySelector('#chaos')
if (chaos) chaos.textContent = `chaos server: ${chaosUrl()} · page: ${location.origin}`
window.volleyScenarios = logged(scenarios)
document.documentElement.dataset.ready = 'true'
