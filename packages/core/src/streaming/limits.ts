/**
 * Size limits of the stream parsers (README "Safe against hostile URLs and servers"): a server
 * that never ends a line, or an SSE event, would otherwise grow one string until the process runs
 * out of memory or V8 throws a bare `RangeError: Invalid string length`. Counted in characters
 * (UTF-16 code units, a string's `length`), as eventsource-parser's `maxBufferSize` is.
 */
import { describe } from '../options/describe.js'
import { inputError } from '../runtime/dev-text.js'

/** What `process.env.NODE_ENV` reads (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

/**
 * Longest line `lines()`, `ndjson()`, `streamLines()` and `streamNdjson()` accept by default, in
 * characters: 8 MiB. A longer line fails with `ItemTooLargeError`. Far above any log line or
 * NDJSON record in practice, far below what would hurt a process (16 MB in UTF-16).
 */
export const DEFAULT_MAX_LINE_LENGTH = 8 * 1024 * 1024

/**
 * Largest SSE event `parseSSE()`, `sse()` and `streamSSE()` buffer by default, in characters
 * (its pending line plus its `data:` lines so far): 8 MiB.
 */
export const DEFAULT_MAX_EVENT_SIZE = 8 * 1024 * 1024

/** A limit option: a positive integer or `Infinity`, else a TypeError naming it. */
export function sizeLimit(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (value === Infinity || (typeof value === 'number' && Number.isInteger(value) && value > 0)) return value
  throw inputError(`volley: invalid option \`${option}\``, () => process.env.NODE_ENV !== 'production' && `volley: \`${option}\` must be a positive integer number of characters or Infinity, got ${describe(value)}`)
}
