/**
 * Runtime feature checks, each computed once on first use (never at import time: core must load
 * in any runtime without side effects).
 */

let requestStreams: boolean | undefined

/**
 * Whether `fetch` can send a `ReadableStream` request body (with `duplex: 'half'`).
 * Firefox neither reads `duplex` nor rejects the stream: it sends the text
 * "[object ReadableStream]" instead, so we detect it the way the WHATWG streams explainer
 * suggests: a runtime that supports request streams reads `duplex` and sets no Content-Type.
 */
export function supportsRequestStreams(): boolean {
  if (requestStreams === undefined) {
    try {
      let duplexRead = false
      const hasContentType = new Request('http://volley.invalid', {
        method: 'POST',
        body: new ReadableStream(),
        get duplex() {
          duplexRead = true
          return 'half'
        },
      } as RequestInit).headers.has('content-type')
      requestStreams = duplexRead && !hasContentType
    } catch {
      requestStreams = false
    }
  }
  return requestStreams
}

/**
 * True in a browser page or worker. Chromium supports request streams only over HTTP/2+ and fails
 * with "Failed to fetch" over HTTP/1.1, so browsers never get a stream we created ourselves; they
 * get the XHR transport (@volley/browser) for upload progress instead.
 */
export function isBrowserLike(): boolean {
  const g = globalThis as { document?: unknown; WorkerGlobalScope?: unknown; process?: { versions?: { node?: string } } }
  return (typeof g.document !== 'undefined' || typeof g.WorkerGlobalScope !== 'undefined') && !g.process?.versions?.node
}
