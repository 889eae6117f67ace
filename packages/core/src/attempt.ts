import { FetchError, createFetch } from 'ofetch'
import { ATTEMPT, AttemptState } from './attempt-state.js'
import { AbortError, HTTPError, isVolleyError, type RequestInfo } from './errors/index.js'
import { transportFailure } from './errors/network-failure.js'
import type { ResolvedOptions } from './resolve-options.js'
import { instrumentedFetch, strictJson } from './transport.js'

/**
 * One ofetch instance for all of volley: its `fetch` is the instrumented transport, which finds
 * the client's real transport on each attempt's state.
 */
const $fetch = createFetch({ fetch: instrumentedFetch as typeof fetch })

/** A response as ofetch returns it: `_data` holds the parsed body. */
export type ParsedResponse = Response & { _data?: unknown }

/** The outcome of one attempt: a response, or the error volley classified. */
export type AttemptOutcome =
  | { readonly ok: true; readonly response: ParsedResponse; readonly state: AttemptState }
  | { readonly ok: false; readonly error: unknown; readonly response: Response | undefined; readonly state: AttemptState }

/**
 * Maps whatever one attempt threw to volley's error model. The attempt's own abort reason is
 * authoritative (a timeout, the caller's abort); then ofetch's FetchError carries either a
 * response (HTTP error) or the transport's failure (network error). Anything else, e.g. an
 * exception from a user hook, is passed through untouched and never retried.
 */
function classify(thrown: unknown, state: AttemptState, request: RequestInfo): unknown {
  if (state.signal.aborted) {
    const reason = state.signal.reason
    return isVolleyError(reason) ? reason : new AbortError({ reason, request })
  }
  if (isVolleyError(thrown)) return thrown
  if (thrown instanceof FetchError) {
    const response = thrown.response as ParsedResponse | undefined
    if (response && response.status >= 400) return new HTTPError({ response, data: response._data, request })
    const cause = thrown.cause
    if (isVolleyError(cause)) return cause
    if (cause !== undefined && cause === state.transportError) return transportFailure(cause, request)
    return cause ?? thrown
  }
  if (thrown !== undefined && thrown === state.transportError) return transportFailure(thrown, request)
  return thrown
}

/**
 * Runs one attempt through ofetch with a fresh signal (ofetch's own retry reuses an aborted
 * one), with ofetch's retry and timeout switched off: volley owns both.
 */
export async function runAttempt(
  options: ResolvedOptions,
  url: string,
  number: number,
  request: RequestInfo,
  callSignal: AbortSignal,
  headers: Record<string, string>,
  callId = 0,
): Promise<AttemptOutcome> {
  const state = new AttemptState(number, options, request, callSignal, callId)
  const init = {
    ...options.fetchInit,
    method: options.method,
    baseURL: options.baseURL,
    query: options.query,
    headers,
    body: options.body as BodyInit | undefined,
    responseType: options.responseType,
    parseResponse: options.parseResponse ?? (options.responseType === 'json' ? strictJson(state, 'application/json') : undefined),
    onRequest: options.onRequest,
    onRequestError: options.onRequestError,
    onResponse: options.onResponse,
    onResponseError: options.onResponseError,
    retry: false as const,
    signal: state.signal,
    [ATTEMPT]: state,
  }
  try {
    const response = (await $fetch.raw(url, init as Parameters<typeof $fetch.raw>[1])) as ParsedResponse
    if (state.bodyOpen && response._data !== response.body) {
      // ofetch left a body unread (e.g. a HEAD answered with a body): nothing will read it, so
      // close it now instead of holding the pool slot until a timeout.
      await response.body?.cancel().catch(() => {})
      state.finish()
    }
    return { ok: true, response, state }
  } catch (thrown) {
    const response = thrown instanceof FetchError ? (thrown.response as ParsedResponse | undefined) : undefined
    if (response && response._data === response.body && response.body) {
      // A 4xx/5xx in stream mode: nobody will read this body, and it pins a socket. Read it
      // (bounded by maxBodySize, under the attempt's timers) so the HTTPError carries the
      // server's message, as it does for every other response type.
      response._data = await readErrorBody(response.body, response.headers.get('content-type') ?? '')
    }
    state.finish()
    return { ok: false, error: classify(thrown, state, request), response, state }
  }
}

/** The text of an unread error body, parsed when it is JSON; undefined when it cannot be read. */
async function readErrorBody(body: ReadableStream<Uint8Array>, contentType: string): Promise<unknown> {
  try {
    const text = await new Response(body).text()
    if (!/json/i.test(contentType)) return text
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  } catch {
    return undefined
  }
}
