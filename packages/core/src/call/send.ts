import type { Attempt } from './attempt.js'
import { countsChunks } from './body-limit.js'
import { observeMethods, observeStream } from './body-observer.js'
import { countingStream } from './counting-stream.js'
import { BodyTooLargeError, ParseError, isVolleyError } from '../errors/index.js'
import { isBrowserLike, supportsRequestStreams } from '../runtime/features.js'
import { bodySize } from '../streaming/body-size.js'
import { isValidTarget } from '../options/url.js'
import { invalidUrl } from '../errors/invalid-url.js'
import { isReadableStream } from '../runtime/is-stream.js'
import { devText } from '../runtime/dev-text.js'

/** What `process.env.NODE_ENV` reads (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

/** Statuses whose responses never carry a body (Fetch standard, "null body status"). */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304])

const JSON_TYPE = /^application\/(?:[\w!#$%&*.^`~-]*\+)?json\s*(?:;|$)/i


/**
 * Strict JSON for successful responses (invalid JSON is a ParseError); error responses keep their
 * raw text as `data` so the HTTPError still reports the status.
 */
export function strictJson(attempt: Attempt, contentType: string): (text: string) => unknown {
  return (text) => {
    if (text === '') return undefined
    try {
      return JSON.parse(text)
    } catch (cause) {
      if ((attempt.status ?? 0) >= 400) return text
      throw new ParseError({ cause, contentType, body: text, status: attempt.status ?? 0, request: attempt.scope.request() })
    }
  }
}

/**
 * Sends one attempt through its transport (the `fetch` ofetch calls) and instruments both
 * directions: policies prepare the request (progress, transport choice), the transport gets the
 * attempt as its third argument (docs/DESIGN.md#transports), and the response body reports every
 * chunk to the attempt (idle timer, bytes, `maxBodySize`, progress).
 */
export async function send(attempt: Attempt, input: string | URL | Request, init: RequestInit & { parseResponse?: unknown }): Promise<Response> {
  const { options } = attempt.scope
  attempt.init = init
  const body = init.body as unknown
  try {
    if (attempt.scope.deferValidation && typeof input === 'string' && !isValidTarget(input)) throw invalidUrl(input)
    for (const policy of options.policies) {
      if (policy.prepare) await policy.prepare(attempt)
    }
    if (body !== undefined && body !== null) prepareBody(attempt, body)
  } catch (error) {
    attempt.finish()
    throw error
  }
  // A transport that does not listen to the attempt gets a real AbortSignal, built when it reads
  // `init.signal` (a transport that never aborts, like a test double, costs no AbortController).
  if (!attempt.transport.usesAttemptSignal) Object.defineProperty(attempt.init, 'signal', { get: () => attempt.signal.signal, enumerable: true, configurable: true })
  attempt.armIdle()
  let response: Response
  try {
    const pending = attempt.transport(input, attempt.init, attempt)
    attempt.handed()
    response = await pending
  } catch (error) {
    attempt.disarmIdle()
    if (!attempt.signal.aborted && !isVolleyError(error)) attempt.transportError = error
    attempt.finish()
    throw attempt.signal.aborted ? attempt.signal.reason : error
  }
  // Headers arrived: data moved. (A transport that observes its own body may already be waiting
  // for the first chunk, and keeps that wait.)
  if (!attempt.observed) attempt.disarmIdle()
  const { status, headers } = response
  attempt.ttfbMs = options.clock.now() - attempt.startedAt
  attempt.status = status
  const { scope } = attempt
  if (scope.id) scope.emit({ type: 'headers', id: scope.id, time: attempt.startedAt + attempt.ttfbMs, attempt: attempt.number, status, ttfbMs: attempt.ttfbMs })

  const contentType = headers.get('content-type') ?? ''
  if (init.parseResponse === undefined && options.responseType === undefined && JSON_TYPE.test(contentType)) {
    // ofetch parses JSON with `destr`, which returns the raw text when JSON is invalid. We want a
    // ParseError, so we hand ofetch a strict parser; ofetch reads `parseResponse` from this same
    // options object right after `fetch` resolves.
    init.parseResponse = strictJson(attempt, contentType)
  }
  const length = headers.get('content-length')
  if (length !== null && Number(length) > options.maxBodySize) {
    const reason = new BodyTooLargeError({ limit: options.maxBodySize, request: scope.request() })
    attempt.fail(reason)
    if (!attempt.observed) response.body?.cancel(reason).catch(() => {})
    attempt.finish()
    throw reason
  }
  if (attempt.observed) {
    // The transport reads the body itself and reports to the attempt (the Node entry).
    attempt.openBody()
    attempt.responded(response)
    if (options.responseType !== 'stream' && !contentType.startsWith('text/event-stream')) hideBodyFromProbe(response)
    return response
  }
  attempt.responded(response)
  const stream = response.body
  if (!stream || NULL_BODY_STATUSES.has(status)) {
    // Browsers give a 204 an empty but non-null body, and `new Response(body, { status: 204 })`
    // throws: a null-body status is passed through as it is.
    attempt.end()
    return response
  }
  attempt.openBody()
  if (options.responseType !== 'stream' && !contentType.startsWith('text/event-stream')) {
    // Read whole by ofetch (text, JSON, blob, arrayBuffer): observe it through its own methods.
    const perChunk = attempt.watched || options.timeout.idle !== undefined || countsChunks(response, options.maxBodySize)
    return observeMethods(response, stream, attempt, perChunk, attempt.signal.linked)
  }
  const wrapped = new Response(observeStream(stream, attempt), { status, statusText: response.statusText, headers })
  if (response.url) Object.defineProperty(wrapped, 'url', { value: response.url })
  if (response.redirected) Object.defineProperty(wrapped, 'redirected', { value: true })
  return wrapped
}

/**
 * The request body of one attempt, unless a policy took it over (upload progress): its size is
 * counted, and a stream body the runtime would mangle is refused.
 */
function prepareBody(attempt: Attempt, body: unknown): void {
  if (attempt.init.body !== body || attempt.uploaded) return // a policy took the body over and counts it
  const size = bodySize(body)
  attempt.bytesOut = size ?? 0
  const { transport } = attempt
  if (transport.reportsUpload) {
    // The transport reports what it sent: exact bytes for a stream, and proof of life for the idle
    // timeout. Not always: in browsers, upload listeners force a CORS preflight.
    if (size === undefined || attempt.scope.options.timeout.idle !== undefined) {
      attempt.uploaded = (loaded) => {
        attempt.armIdle()
        if (size === undefined) attempt.bytesOut = loaded
      }
    }
    return
  }
  if (!isReadableStream(body)) return
  if (!(supportsRequestStreams() && !isBrowserLike())) {
    throw new TypeError(
      `volley: this runtime cannot send a ReadableStream request body over fetch${devText(
        () =>
          process.env.NODE_ENV !== 'production' &&
          ' (Firefox would send the text "[object ReadableStream]", Chromium needs HTTP/2). Send a Blob, an ArrayBuffer or a string, or use the XHR transport of @volley/browser.',
      )}`,
    )
  }
  // Count what a caller-provided stream sends, so meta.bytesOut is exact.
  attempt.init = { ...attempt.init, body: countingStream(body, attempt), duplex: 'half' } as RequestInit
}

/**
 * ofetch reads `response.body` only to learn whether there is a body to parse (falling back to
 * `_bodyInit`, for fetch polyfills). On a transport's own response that getter builds a WHATWG
 * stream, which costs more than the rest of the attempt, for a body ofetch then reads whole
 * through `text()`. So the probe is answered through `_bodyInit`, and {@link restoreBody} puts
 * the getter back as soon as ofetch is done.
 */
function hideBodyFromProbe(response: Response): void {
  // Only a transport's own Response class: a native one hands out its body stream for free.
  if (typeof Response === 'undefined' || Object.getPrototypeOf(response) === Response.prototype || Object.prototype.hasOwnProperty.call(response, 'body')) return
  Object.defineProperty(response, 'body', { value: null, configurable: true })
  Object.defineProperty(response, '_bodyInit', { value: true, configurable: true })
}

/** Undoes {@link hideBodyFromProbe}: `response.body` is the transport's own getter again. */
export function restoreBody(response: Response | undefined): void {
  if (response && Object.prototype.hasOwnProperty.call(response, '_bodyInit')) {
    delete (response as { body?: unknown }).body
    delete (response as { _bodyInit?: unknown })._bodyInit
  }
}
