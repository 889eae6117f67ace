import { ATTEMPT, type AttemptState } from './attempt-state.js'
import { OBSERVE_BODY, createBodyObserver, isObservable, observeMethods, observeStream } from './body-observer.js'
import { BodyTooLargeError, ParseError, isVolleyError } from './errors/index.js'
import { emitTo } from './events.js'
import { createProgressTracker } from './streaming/progress.js'
import { prepareUpload, type PreparedUpload } from './upload.js'

/** Copies what `new Response()` cannot take in its init. */
function withOrigin(wrapped: Response, original: Response): Response {
  if (original.url) Object.defineProperty(wrapped, 'url', { value: original.url })
  if (original.redirected) Object.defineProperty(wrapped, 'redirected', { value: true })
  return wrapped
}

/**
 * The `fetch` that ofetch calls for every attempt: it forwards to the configured transport
 * and instruments both directions. The attempt's state rides on the init object under
 * {@link ATTEMPT}, because ofetch passes its resolved options through to `fetch`.
 */
export async function instrumentedFetch(input: string | URL | Request, init: RequestInit & { [ATTEMPT]?: AttemptState; parseResponse?: unknown }): Promise<Response> {
  const state = init[ATTEMPT]
  if (!state) throw new TypeError('volley: instrumentedFetch called outside an attempt')
  const options = state.options
  // Transports that can see connection setup (undici in @volley/node) enforce this phase and
  // report its timings.
  ;(init as Record<symbol, unknown>)[CONNECT_TIMEOUT] = options.timeout.connect
  ;(init as Record<symbol, unknown>)[PHASE_TIMINGS] = (timings: PhaseTimings): void => {
    if (timings.connectMs !== undefined) state.connectMs = timings.connectMs
    if (timings.tlsMs !== undefined) state.tlsMs = timings.tlsMs
    if (timings.reusedSocket !== undefined) state.reusedSocket = timings.reusedSocket
  }
  let upload: PreparedUpload
  try {
    const prepared = prepareUpload(init, state)
    upload = prepared instanceof Promise ? await prepared : prepared
  } catch (error) {
    state.finish()
    throw error
  }
  state.armIdle()
  let response: Response
  try {
    response = await options.transport(input, upload.init)
  } catch (error) {
    state.disarmIdle()
    if (!state.signal.aborted && !isVolleyError(error)) state.transportError = error
    upload.abandon()
    state.finish()
    throw state.signal.aborted ? state.signal.reason : error
  }
  state.disarmIdle()
  upload.complete()
  state.ttfbMs = options.clock.now() - state.startedAt
  state.status = response.status
  if (state.callId) {
    emitTo(options.onEvent, { type: 'headers', id: state.callId, time: state.startedAt + state.ttfbMs, attempt: state.number, status: response.status, ttfbMs: state.ttfbMs })
  }

  const contentType = response.headers.get('content-type') ?? ''
  if (init.parseResponse === undefined && options.responseType === undefined && isJsonType(contentType)) {
    // ofetch parses JSON with `destr`, which returns the raw text when JSON is invalid. We want a
    // ParseError, so we hand ofetch a strict parser for this response; ofetch reads
    // `parseResponse` from this same options object right after `fetch` resolves.
    init.parseResponse = strictJson(state, contentType)
  }

  const length = response.headers.get('content-length')
  const total = length !== null && /^\d+$/.test(length) ? Number(length) : undefined
  const onProgress = options.onDownloadProgress
  const progress = onProgress ? createProgressTracker({ total, onProgress, clock: options.clock }) : undefined

  if (!response.body || NULL_BODY_STATUSES.has(response.status)) {
    // Browsers give a 204 an empty but non-null body, and `new Response(body, { status: 204 })`
    // throws: a null-body status is passed through as it is.
    progress?.finish()
    state.finish()
    return response
  }
  if (total !== undefined && total > options.maxBodySize) {
    const reason = new BodyTooLargeError({ limit: options.maxBodySize, request: state.request })
    state.fail(reason)
    response.body.cancel(reason).catch(() => {})
    state.finish()
    throw reason
  }
  state.bodyOpen = true
  const observer = createBodyObserver(state, progress)
  if (isObservable(response)) {
    response[OBSERVE_BODY](observer)
    return response
  }
  if (options.responseType !== 'stream' && !contentType.startsWith('text/event-stream')) {
    // Read whole by ofetch (text, JSON, blob, arrayBuffer): observe it through its own methods.
    return observeMethods(response, response.body, observer)
  }
  const wrapped = new Response(observeStream(response.body, observer, () => state.finish()), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
  return withOrigin(wrapped, response)
}

/**
 * Where a transport finds the call's `timeout.connect` (ms, or undefined for none) on the init it
 * receives; a transport that sees connection setup raises `TimeoutError({ phase: 'connect' })`.
 */
export const CONNECT_TIMEOUT = Symbol.for('volley.connectTimeout')

/** Connection-setup timings of one attempt, reported by transports that see sockets. */
export interface PhaseTimings {
  /** DNS lookup and TCP connect of a connection this attempt opened, in ms. */
  connectMs?: number
  /** TLS handshake of that connection, in ms. */
  tlsMs?: number
  /** Whether the attempt went out on a kept-alive connection. */
  reusedSocket?: boolean
}

/**
 * Where a transport finds a callback `(timings: PhaseTimings) => void` on the init it receives;
 * what it reports lands in the attempt's `meta.timings` entry.
 */
export const PHASE_TIMINGS = Symbol.for('volley.phaseTimings')

/** Statuses whose responses never carry a body (Fetch standard, "null body status"). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304])

const JSON_TYPE = /^application\/(?:[\w!#$%&*.^`~-]*\+)?json\s*(?:;|$)/i

function isJsonType(contentType: string): boolean {
  return JSON_TYPE.test(contentType)
}

/**
 * Strict JSON for successful responses (invalid JSON is a ParseError); error responses keep their
 * raw text as `data` so the HTTPError still reports the status.
 */
export function strictJson(state: AttemptState, contentType: string): (text: string) => unknown {
  return (text) => {
    if (text === '') return undefined
    try {
      return JSON.parse(text)
    } catch (cause) {
      if ((state.status ?? 0) >= 400) return text
      throw new ParseError({ cause, contentType, body: text, status: state.status ?? 0, request: state.request })
    }
  }
}
