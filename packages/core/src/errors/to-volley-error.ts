import { VolleyError, isVolleyError } from './volley-error.js'

/**
 * A failure as a volley error, so every failure a caller is handed is typed (`error.code`):
 * volley's own errors pass through; anything else (a throwing hook, a plain `Error`, a string) is
 * wrapped in a `VolleyError` with the same message and the original as its `cause`. Used by
 * `client.safe` and by the fan-out helpers' `Settled` results.
 */
export function toVolleyError(value: unknown): VolleyError {
  if (isVolleyError(value)) return value
  return new VolleyError(value instanceof Error ? value.message : String(value), { cause: value })
}
