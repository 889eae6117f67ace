import type { EventListener } from './events.js'
import { inputError } from '../runtime/dev-text.js'

/** What `process.env.NODE_ENV` reads (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

/**
 * Where volley writes its one line per attempt and per retry decision. Any object with these
 * methods works (console, pino, winston...). Messages never contain secrets (see redact.ts).
 */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void
  info(message: string, data?: Record<string, unknown>): void
  warn(message: string, data?: Record<string, unknown>): void
  error(message: string, data?: Record<string, unknown>): void
}

/** A logger that drops everything: volley is silent unless asked. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** Writes to the global `console` with a `[volley]` prefix. */
export const consoleLogger: Logger = {
  debug: (message, data) => console.debug(`[volley] ${message}`, ...(data ? [data] : [])),
  info: (message, data) => console.info(`[volley] ${message}`, ...(data ? [data] : [])),
  warn: (message, data) => console.warn(`[volley] ${message}`, ...(data ? [data] : [])),
  error: (message, data) => console.error(`[volley] ${message}`, ...(data ? [data] : [])),
}

/**
 * Turns a client's lifecycle events into log lines: one per attempt (debug), one per retry
 * decision (info), one per failed call (warn), one per aborted call (info). URLs are already redacted in events.
 *
 * @example
 * import { createClient, consoleLogger, logEvents } from 'volley'
 * const api = createClient({ onEvent: logEvents(consoleLogger) })
 */
export function logEvents(logger: Logger): EventListener {
  if (typeof logger?.debug !== 'function') throw inputError('volley: logEvents(): invalid `logger`', () => process.env.NODE_ENV !== 'production' && `logEvents: expected a logger with debug/info/warn/error methods, got ${logger === null ? 'null' : typeof logger}`)
  const calls = new Map<number, string>()
  return (event) => {
    switch (event.type) {
      case 'start':
        calls.set(event.id, `${event.method} ${event.url}`)
        break
      case 'attempt-end': {
        const call = calls.get(event.id)
        if (event.error === undefined) logger.debug(`${call} attempt ${event.attempt}: ${event.status}`, { durationMs: event.durationMs, bytesIn: event.bytesIn })
        else logger.debug(`${call} attempt ${event.attempt} failed: ${event.message}`, { code: event.error })
        break
      }
      case 'retry':
        logger.info(`${calls.get(event.id)}: retry ${event.attempt} in ${Math.round(event.delay)} ms after ${event.error}${event.fromServer ? ' (server asked)' : ''}`)
        break
      case 'settle': {
        const attempts = event.meta.attempts
        const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`
        // A call the caller (or close()) aborted did not fail: it is said so, not warned about.
        if (event.error === 'ERR_ABORTED' || event.error === 'ERR_CLIENT_CLOSED') logger.info(`${calls.get(event.id)}: aborted ${attempts ? `after ${tries}` : 'before it was sent'}`)
        else if (!event.ok) logger.warn(`${calls.get(event.id)}: failed after ${tries}: ${event.message}`, { code: event.error })
        calls.delete(event.id)
      }
    }
  }
}
