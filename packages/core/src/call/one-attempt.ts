import { FetchError, createFetch } from 'ofetch'
import type { Attempt } from './attempt.js'
import { AbortError, HTTPError, isVolleyError } from '../errors/index.js'
import { classifyFailure } from '../errors/classify-failure.js'
import { restoreBody, send, strictJson } from './send.js'

/** A response as ofetch returns it: `_data` holds the parsed body. */
export type ParsedResponse = Response & { _data?: unknown }

/** The outcome of one attempt: a response, or the error volley classified. */
export type AttemptResult =
  | { readonly ok: true; readonly response: ParsedResponse }
  | { readonly ok: false; readonly error: unknown; readonly response: Response | undefined }

/**
 * Maps whatever one attempt threw to volley's error model. The attempt's own abort reason is
 * authoritative (a timeout, the caller's abort); then ofetch's FetchError carries either a
 * response (HTTP error) or the transport's failure: a recognised network failure becomes a
 * retryable NetworkError, anything else a TypeError that is never retried (network-failure.ts).
 * Anything else, e.g. an exception from a user hook, is passed through untouched.
 */
function classify(thrown: unknown, attempt: Attempt): unknown {
  const { signal } = attempt
  if (signal.aborted) {
    const reason = signal.reason
    return isVolleyError(reason) ? reason : new AbortError({ reason, request: attempt.scope.request() })
  }
  // The body failed after the headers (attempt.error classified it). A body read whole through a
  // `new Response(stream)` (the XHR transport) rejects with the engine's own error instead of the
  // stream's: Chromium a bare "Failed to fetch", Firefox an AbortError (docs/DESIGN.md#failures-after-the-headers).
  if (attempt.bodyError !== undefined) return attempt.bodyError
  if (isVolleyError(thrown)) return thrown
  if (thrown instanceof FetchError) {
    const response = thrown.response as ParsedResponse | undefined
    if (response && response.status >= 400) return new HTTPError({ response, data: response._data, request: attempt.scope.request() })
    const cause = thrown.cause
    if (isVolleyError(cause)) return cause
    if (cause !== undefined && cause === attempt.transportError) return classifyFailure(cause, attempt.scope.request(), attempt.scope.options.networkFailures)
    return cause ?? thrown
  }
  if (thrown !== undefined && thrown === attempt.transportError) return classifyFailure(thrown, attempt.scope.request(), attempt.scope.options.networkFailures)
  return thrown
}

/**
 * Runs one attempt through ofetch, the one-attempt engine: hooks, body serialization, parsing.
 * volley owns retries and timeouts, so ofetch's are off. Each attempt gets an ofetch whose `fetch`
 * is bound to it: that is how the attempt reaches the transport, as a typed argument instead of
 * values smuggled on the init object.
 */
export async function runAttempt(attempt: Attempt, url: string | Request, headers: Record<string, string>): Promise<AttemptResult> {
  const { options } = attempt.scope
  const $fetch = createFetch({ fetch: ((input: string | URL | Request, init: RequestInit) => send(attempt, input, init)) as typeof fetch })
  const init: Record<string, unknown> = {
    ...options.fetchInit,
    method: options.method,
    query: options.query,
    headers,
    body: options.body,
    responseType: options.responseType,
    parseResponse: options.parseResponse ?? (options.responseType === 'json' ? strictJson(attempt, 'application/json') : undefined),
    onRequest: options.onRequest,
    onRequestError: options.onRequestError,
    onResponse: options.onResponse,
    onResponseError: options.onResponseError,
    retry: false,
  }
  try {
    const response = (await $fetch.raw(url, init)) as ParsedResponse
    restoreBody(response)
    if (attempt.bodyOpen && response._data !== response.body) {
      // ofetch left a body unread (e.g. a HEAD answered with a body): nothing will read it, so
      // close it now instead of holding the pool slot until a timeout.
      await response.body?.cancel().catch(() => {})
      attempt.finish()
    }
    return { ok: true, response }
  } catch (thrown) {
    const response = thrown instanceof FetchError ? (thrown.response as ParsedResponse | undefined) : undefined
    restoreBody(response)
    if (response && response._data === response.body && response.body) {
      // A 4xx/5xx in stream mode: nobody will read this body, and it pins a socket. Read it
      // (bounded by maxBodySize, under the attempt's timers) so the HTTPError carries the
      // server's message, as it does for every other response type.
      response._data = await readErrorBody(response.body, response.headers.get('content-type') ?? '')
    }
    attempt.finish()
    return { ok: false, error: classify(thrown, attempt), response }
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
