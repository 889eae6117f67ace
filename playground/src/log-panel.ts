/**
 * The log panel: a volley `Logger` that appends lines here. Core logs one line per attempt and
 * per retry decision, with URLs already redacted; the run adds its own lines (client headers,
 * final errors), also through volley's redaction, so a secret typed in the builder shows up here
 * as [REDACTED] and nowhere in clear.
 */
import type { Logger } from '@volley/browser'
import { h, panel } from './dom.js'
import { clockTime } from './format.js'

export type Level = 'debug' | 'info' | 'warn' | 'error'

export interface LogPanel {
  readonly element: HTMLElement
  /** Hand this to `createClient({ onEvent: logEvents(logger) })`. */
  readonly logger: Logger
  write(level: Level, message: string, data?: Record<string, unknown>): void
  /** A rule between runs. */
  separator(): void
  clear(): void
  /** Moves buffered lines into the DOM; called once per animation frame. */
  flush(): void
}

/** Oldest lines go beyond this, so a long session does not grow the page forever. */
const MAX_LINES = 1000

function formatData(data: Record<string, unknown> | undefined): string {
  if (!data) return ''
  const parts = Object.entries(data)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? +value.toFixed(1) : typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
  return parts.length ? `  ${parts.join(' ')}` : ''
}

/** `requestFrame` asks the page's animation loop for a frame, in which the lines are flushed. */
export function createLogPanel(requestFrame: () => void): LogPanel {
  const list = h('ol', { class: 'log-lines', 'data-testid': 'log', 'aria-label': 'Log lines' })
  const scroller = h('div', { class: 'log-scroll', tabindex: 0, 'aria-label': 'Log' }, list)
  const clearButton = h('button', { type: 'button', class: 'small' }, 'Clear log')
  const element = panel('log', 'Log', h('p', { class: 'hint' }, 'One line per attempt and retry from volley’s logger; secrets redacted.'), scroller, clearButton)
  // Lines are buffered and written once per frame: a 200-request run logs hundreds of lines in
  // a few milliseconds, and one DOM insertion per line would stall the timeline.
  let pending: HTMLLIElement[] = []

  const write = (level: Level, message: string, data?: Record<string, unknown>): void => {
    pending.push(h('li', { class: `log-${level}` }, h('time', {}, clockTime(Date.now())), ` ${level.padEnd(5)} ${message}${formatData(data)}`))
    requestFrame()
  }
  const clear = (): void => {
    pending = []
    list.replaceChildren()
  }
  clearButton.addEventListener('click', clear)

  return {
    element,
    logger: {
      debug: (message, data) => write('debug', message, data),
      info: (message, data) => write('info', message, data),
      warn: (message, data) => write('warn', message, data),
      error: (message, data) => write('error', message, data),
    },
    write,
    separator() {
      pending.push(h('li', { class: 'log-separator', role: 'separator' }))
      requestFrame()
    },
    clear,
    flush() {
      if (pending.length === 0) return
      const stuck = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 4
      const batch = pending.length > MAX_LINES ? pending.slice(-MAX_LINES) : pending
      pending = []
      list.append(...batch)
      for (let extra = list.childElementCount - MAX_LINES; extra > 0; extra--) list.firstElementChild?.remove()
      // Follow the tail only when the reader is already at the bottom.
      if (stuck) scroller.scrollTop = scroller.scrollHeight
    },
  }
}
