/**
 * The builder's values in the URL fragment (`#route=stall&timeout.idle=800`): a reload keeps
 * them, and a link shares a scenario. Only values that differ from the defaults are written,
 * and never the secrets.
 */
import type { FormValues } from './settings.js'

/** Secrets stay out of URLs (history, logs of proxies, shared links), even playground ones. */
const NOT_SAVED: ReadonlySet<string> = new Set(['authorization', 'apiKey'])

/** `defaults` with the fragment's values over them (unknown names are ignored). */
export function loadValues(defaults: Readonly<FormValues>): FormValues {
  const values: FormValues = { ...defaults }
  const params = new URLSearchParams(location.hash.slice(1))
  for (const [name, value] of params) if (name in defaults && !NOT_SAVED.has(name)) values[name] = value
  return values
}

let timer: ReturnType<typeof setTimeout> | undefined

/** Writes the values that differ from `defaults` to the fragment, at most every 300 ms. */
export function saveValues(values: FormValues, defaults: Readonly<FormValues>): void {
  clearTimeout(timer)
  timer = setTimeout(() => {
    const params = new URLSearchParams()
    for (const [name, value] of Object.entries(values)) if (name in defaults && !NOT_SAVED.has(name) && defaults[name] !== value) params.set(name, value)
    const hash = params.toString()
    // replaceState: typing in a field must not add a history entry per keystroke.
    history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search)
  }, 300)
}
