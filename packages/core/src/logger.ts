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
