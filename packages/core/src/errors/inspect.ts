import { redactText } from '../observe/redact.js'

/**
 * The key Node's `util.inspect` (and so `console.log`) looks up for a custom view. A
 * `Symbol.for` key, so defining it costs nothing in browsers and imports nothing from `node:`.
 */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom')

type Inspect = (value: unknown, options?: object) => string

/** A cause chain as plain, redacted data: name, code and message of each link (5 deep). */
export function causeChain(cause: unknown): Record<string, unknown> | undefined {
  const chain: Record<string, unknown>[] = []
  for (let current = cause, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error || (typeof current === 'object' && 'message' in current)) {
      const error = current as Error & { code?: unknown }
      chain.push({ name: error.name, ...(error.code !== undefined && { code: error.code }), message: redactText(String(error.message)) })
      current = (current as { cause?: unknown }).cause
    } else {
      chain.push({ value: redactText(String(current)) })
      break
    }
  }
  for (let i = chain.length - 1; i > 0; i--) chain[i - 1]!.cause = chain[i]
  return chain[0]
}

/**
 * What `util.inspect(error)` and `console.log(error)` print for a volley error: the (redacted)
 * stack, then the error's log-safe `toJSON()` view and its cause chain, never the raw response,
 * whose URL and headers may hold credentials.
 */
export function inspectError(error: Error & { toJSON(): Record<string, unknown> }, options: { depth?: number | null } | undefined, inspect: Inspect | undefined): string {
  const stack = redactText(error.stack ?? `${error.name}: ${error.message}`)
  const { name: _name, message: _message, ...fields } = error.toJSON()
  const cause = causeChain((error as { cause?: unknown }).cause)
  const view = cause === undefined ? fields : { ...fields, cause }
  const depth = options?.depth
  const body = inspect ? inspect(view, { ...options, depth: depth === undefined || depth === null ? depth : Math.max(0, depth - 1) }) : JSON.stringify(view)
  return `${stack} ${body}`
}
