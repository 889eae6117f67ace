/**
 * A response as a cache keeps it (RFC 9111 §3): plain data, so a store can serialize it (JSON
 * plus the bytes, or IndexedDB's structured clone). Imports nothing.
 */

/** One stored response. */
export interface StoredResponse {
  /** The URL the response answers (the cache key's URI). */
  readonly url: string
  readonly status: number
  readonly statusText: string
  /** Header fields, names in lower case, in order (Set-Cookie lines stay apart). */
  readonly headers: readonly (readonly [string, string])[]
  /** The body, whole. */
  readonly body: Uint8Array
  /** For each field `Vary` names, the request's value (null when it had none). */
  readonly vary: Readonly<Record<string, string | null>>
  /** When the request that got this response was sent (epoch ms on the cache's clock). */
  readonly requestTime: number
  /** When the response arrived (epoch ms on the cache's clock). */
  readonly responseTime: number
}

/** A stored header's value (several lines joined with `, `), or null. */
export function header(entry: StoredResponse, name: string): string | null {
  let value: string | null = null
  for (const [key, v] of entry.headers) if (key === name) value = value === null ? v : `${value}, ${v}`
  return value
}
