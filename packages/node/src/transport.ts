import { ClientClosedError, TimeoutError, consoleLogger, redactUrl, type PhaseTimings, type RequestInfo, type Transport, type TransportAttempt } from '@volley/core'
import type { Dispatcher } from 'undici'
import { ConnectionTimer } from './connection-timer.js'
import { buildDispatcher } from './dispatcher.js'
import { exchange } from './exchange.js'
import { installedDispatcher, replacedFetch, sendThroughFetch } from './mocking.js'
import { NodeResponse } from './node-response.js'
import { rawHeader } from './raw-headers.js'
import { REDIRECT_STATUSES, redirectHop, type Hop } from './redirect.js'
import { encodeForm } from './request-body.js'
import { normalizeRequest } from './request-init.js'
import { resolveTransportOptions, type NodeTransportOptions } from './transport-options.js'

/**
 * volley's Node transport: a fetch-compatible function on undici's dispatcher, plus the
 * dispatcher's lifecycle.
 *
 * @example
 * const transport = createNodeTransport()
 * const response = await transport('https://example.com/data.json') // a fetch-style Response
 * await transport.close()
 */
export interface NodeTransport extends Transport {
  /**
   * Closes the dispatcher the transport created: requests in flight finish, later ones fail with
   * `ClientClosedError`. A dispatcher passed in as `dispatcher` is left open (its owner closes
   * it). Idempotent. `client.close()` calls it.
   */
  close(): Promise<void>
  /** `await using transport = createNodeTransport()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>
  /** The undici dispatcher requests go through (created on first use when the transport owns it). */
  readonly dispatcher: Dispatcher
}

const CONNECT_LIMIT_IN_MESSAGE = /timeout: (\d+)ms/

/**
 * Creates the Node transport: fetch semantics (redirects, decompression, `Response`) on
 * `undici`'s dispatcher API, several times faster than the global `fetch` because no WHATWG
 * stream is created unless the caller reads `response.body`. Keep-alive sockets are pooled per
 * origin; the dispatcher is built at the first request, so environment proxy settings are read
 * then and importing volley opens nothing.
 *
 * @example
 * import { createClient, createNodeTransport } from '@volley/node'
 * const transport = createNodeTransport({ allowH2: true, tls: { ca: readFileSync('corp-ca.pem') } })
 * const api = createClient({ baseURL: 'https://api.internal', transport })
 * // ...
 * await api.close() // closes the transport too
 */
export function createNodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  const resolved = resolveTransportOptions(options)
  const owned = resolved.dispatcher === undefined
  let dispatcher = resolved.dispatcher
  let closed = false
  let closing: Promise<void> | undefined

  // Only the transport's own agent uses `tls`; a dispatcher passed in brings its own settings.
  if (owned && resolved.tls?.rejectUnauthorized === false) {
    ;(options.logger ?? consoleLogger).warn(
      'TLS certificate verification is off (tls.rejectUnauthorized: false): any server can impersonate the hosts this transport talks to',
    )
  }

  // Connection phases are known only for sockets this transport opens itself (dispatcher.ts).
  const timer = owned ? new ConnectionTimer(resolved.clock) : undefined
  const getDispatcher = (): Dispatcher => (dispatcher ??= buildDispatcher(resolved, timer))

  const describe = (hop: Hop): RequestInfo => ({ method: hop.method, url: redactUrl(hop.url.href) })

  /** undici errors that volley must see as something else: a connect timeout, a closed transport. */
  const mapError = (hop: Hop) => (error: unknown): unknown => {
    const code = (error as { code?: unknown } | null)?.code
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      const stated = CONNECT_LIMIT_IN_MESSAGE.exec(String((error as Error).message))?.[1]
      const limit = stated !== undefined ? Number(stated) : (resolved.connectTimeout ?? 0)
      return new TimeoutError({ phase: 'connect', limit, request: describe(hop), cause: error })
    }
    if (closed && (code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED')) {
      return new ClientClosedError({ request: describe(hop), cause: error })
    }
    return error
  }

  /**
   * The connect deadline this request needs on top of the connector's. The connector enforces
   * `connectTimeout` on every socket it opens (exact: DNS + TCP + TLS). A call asking for less
   * gets a timer from dispatch until a socket takes the request; with a dispatcher of the
   * caller's, whose connector we do not know, the timer always runs.
   */
  const connectLimit = (attempt: TransportAttempt | undefined): number | undefined => {
    if (!owned) return attempt ? attempt.connectTimeout : resolved.connectTimeout
    const limit = attempt?.connectTimeout
    if (limit === undefined) return undefined
    return resolved.connectTimeout === undefined || limit < resolved.connectTimeout ? limit : undefined
  }

  const send = async (input: string | URL | Request, init: RequestInit = {}, attempt?: TransportAttempt): Promise<Response> => {
    // Test doubles (MSW, MockAgent) win over the transport's own Agent: see mocking.ts.
    const mocked = owned ? replacedFetch() : undefined
    if (mocked) return sendThroughFetch(mocked, input, init, attempt)
    const installed = owned ? installedDispatcher() : undefined
    if (init.body instanceof FormData) init = { ...init, body: (await encodeForm(init.body)) as unknown as BodyInit }
    const request = normalizeRequest(input, init, attempt?.uploaded)
    let hop: Hop = request
    if (closed) throw new ClientClosedError({ request: describe(hop) })
    const { redirect } = request
    // volley's attempt aborts through its own signal (no AbortController per request); a plain
    // fetch-style call passes `init.signal`.
    const signal = request.signal ?? attempt?.signal
    const limit = installed ? (attempt ? attempt.connectTimeout : resolved.connectTimeout) : connectLimit(attempt)
    const target = installed ?? getDispatcher()
    const reportPhases = attempt ? (timings: PhaseTimings) => attempt.timings(timings) : undefined
    const connections = timer?.attached && !installed ? timer : undefined
    for (let redirects = 0; ; redirects++) {
      const url = hop.url
      const response = await exchange({
        dispatcher: target,
        dispatch: {
          origin: url.origin,
          path: url.pathname + url.search,
          method: hop.method as Dispatcher.HttpMethod,
          headers: hop.headers,
          body: hop.body.make() as Dispatcher.DispatchOptions['body'],
        },
        signal,
        connectLimit: limit,
        clock: resolved.clock,
        describe: () => describe(hop),
        mapError: mapError(hop),
        timer: connections,
        reportPhases,
      })
      const location = REDIRECT_STATUSES.has(response.status) && redirect !== 'manual' ? rawHeader(response.rawHeaders, 'location') : undefined
      if (location === undefined) return new NodeResponse(response, url.href, redirects > 0, attempt) as unknown as Response
      response.body?.discard()
      if (redirect === 'error') throw new TypeError(`volley: unexpected redirect (${response.status}) with redirect: 'error'`)
      if (redirects >= resolved.maxRedirects) {
        throw Object.assign(new TypeError(`volley: redirect count exceeded (${resolved.maxRedirects})`), { code: 'ERR_TOO_MANY_REDIRECTS' })
      }
      hop = redirectHop(hop, response.status, location)
    }
  }

  const close = (): Promise<void> => {
    closed = true
    if (!owned || dispatcher === undefined) return Promise.resolve()
    return (closing ??= dispatcher.close())
  }

  return Object.defineProperties(send as NodeTransport, {
    // The transport protocol (core transport.ts): this transport aborts through the attempt's
    // signal, reports the bytes it sends (core then hands over the body as given: a Blob keeps its
    // type and exact length, no WHATWG stream is built around it), and observes its own bodies.
    usesAttemptSignal: { value: true },
    reportsUpload: { value: true },
    close: { value: close },
    [Symbol.asyncDispose]: { value: close },
    dispatcher: { get: getDispatcher, enumerable: true },
  })
}
