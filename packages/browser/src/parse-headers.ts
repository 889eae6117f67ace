/**
 * Parses the text of `XMLHttpRequest.getAllResponseHeaders()` into a `Headers` object.
 *
 * The XHR spec joins header lines with CRLF, lower-cases names (Chromium and Firefox do; older
 * engines keep the server's case) and already combines repeated fields with ", " — except
 * `Set-Cookie`, which a page never sees. Repeated lines are appended, so `get()` combines them
 * with ", " exactly as fetch's `Headers` would. Malformed lines (no colon, an invalid name or
 * value) are skipped rather than failing the whole response.
 *
 * @example
 * const headers = parseResponseHeaders('content-type: text/plain\r\nx-a: 1\r\nX-A: 2\r\n')
 * headers.get('x-a') // '1, 2'
 */
export function parseResponseHeaders(raw: string): Headers {
  const headers = new Headers()
  for (const line of raw.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim()
    const value = line.slice(colon + 1).trim()
    try {
      headers.append(name, value)
    } catch {
      // An invalid header name or value: fetch would have rejected the whole response; XHR
      // delivered it, so keep the rest.
    }
  }
  return headers
}
