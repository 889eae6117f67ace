import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * Response headers a cross-origin page must be allowed to read: the retry and
 * rate-limit signals volley acts on, validators and lengths for resumable
 * downloads and progress, and the counters the fault routes add.
 */
export const EXPOSED_HEADERS = [
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'X-RateLimit-Reset',
  'ETag',
  'Age',
  'Date',
  'Vary',
  'Location',
  'Content-Location',
  'Last-Modified',
  'Content-Length',
  'Content-Range',
  'Accept-Ranges',
  'Content-Encoding',
  'Content-Disposition',
  'X-Request-Count',
  'X-Chaos-Route',
].join(', ')

/** Every method a route may accept, for preflight answers. */
export const ALL_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'

/**
 * Sets the CORS headers every response carries. The request's Origin is
 * echoed with credentials allowed (so `credentials: 'include'` tests work);
 * without an Origin, `*`.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Access-Control-Allow-Credentials', 'true')
    res.setHeader('Vary', 'Origin')
  } else {
    res.setHeader('Access-Control-Allow-Origin', '*')
  }
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS)
  // Lets cross-origin pages read Resource Timing (TTFB, transfer size) of our responses.
  res.setHeader('Timing-Allow-Origin', origin ?? '*')
}

/** True for a CORS preflight: OPTIONS announcing the method it wants to use. */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined
}

/** Answers a preflight (CORS headers must already be applied): 204, everything allowed. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = 204
  res.setHeader('Access-Control-Allow-Methods', ALL_METHODS)
  const requested = req.headers['access-control-request-headers']
  if (requested) res.setHeader('Access-Control-Allow-Headers', requested)
  res.setHeader('Access-Control-Max-Age', '600')
  // Chrome's Private Network Access: a public page may call us on 127.0.0.1 only if we opt in.
  if (req.headers['access-control-request-private-network'] === 'true') {
    res.setHeader('Access-Control-Allow-Private-Network', 'true')
  }
  res.end()
}
