import type { IncomingMessage } from 'node:http'

/**
 * Request headers as plain strings. Node already lower-cases names and joins
 * most repeats; only `set-cookie`-style array values need joining here.
 */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  const headers = req.headers
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined) out[name] = typeof value === 'string' ? value : value.join(', ')
  }
  return out
}
