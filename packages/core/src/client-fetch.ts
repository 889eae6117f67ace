import type { FetchContext } from 'ofetch'
import { isAbortError, isHTTPError, isNetworkError } from './errors/index.js'
import type { VolleyOptions } from './options/options.js'
import { PASS_THROUGH } from './options/resolve-options.js'
import { joinURL } from './options/url.js'

/**
 * The standard `fetch` signature: what `client.fetch` is, and what libraries with a `fetch`
 * option take (openapi-fetch, hey-api's clients, graphql-request, Octokit...).
 */
export type StandardFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/** What `client.fetch` asks of its client: one call that resolves with the Response. */
type Call = (url: string | Request, options: VolleyOptions) => Promise<Response>

/**
 * Reads an error response's body into bytes before volley reads it as the HTTPError's `data`:
 * after the retries, the last error answer is rebuilt from these bytes, unread, as fetch would
 * return it. (The body of an error that is retried has to be read anyway, to free its slot.)
 */
async function keepBody(context: FetchContext & { response: Response }): Promise<void> {
  const response = context.response as Response & { _data?: unknown }
  if (response._data) response._data = await response.arrayBuffer()
}

/**
 * `client.fetch` (docs/DESIGN.md#a-standard-fetch): fetch's signature over the client's call, so a
 * library with a `fetch` option gets the client's deadlines, retries, pool, limiter and
 * resilience policies. It resolves with the final Response unread (`responseType: 'stream'`), an
 * error status included. It rejects as fetch does where fetch has an equivalent: the caller's
 * abort with its signal's reason, a network failure with a `TypeError` (its `cause` is volley's
 * `NetworkError`); volley's own errors otherwise (a deadline, an open circuit, a full queue).
 */
export function clientFetch(call: Call, baseURL: string | undefined): StandardFetch {
  return (input, init) => {
    let url: string | Request = input instanceof URL ? input.href : input
    let source: RequestInit | Request = init ?? {}
    if (typeof url !== 'string' || source.body != null) {
      // A body (or a Request) is read by the Request constructor, as fetch reads it: content type
      // and encoding as fetch sends them; each attempt sends a clone. A Request without a body goes
      // the way of a URL, so `dedupe()` can still share it.
      const request = new Request(typeof url === 'string' ? joinURL(baseURL, url) : url, init)
      source = request
      url = request.body ? request : request.url
    }
    const options: Record<string, unknown> = {
      method: source.method ?? 'GET',
      headers: source.headers,
      signal: source.signal ?? undefined,
      responseType: 'stream',
      onResponseError: keepBody,
    }
    for (const key of PASS_THROUGH) if ((source as Record<string, unknown>)[key] !== undefined) options[key] = (source as Record<string, unknown>)[key]
    return call(url, options).catch((error: unknown) => {
      if (isHTTPError(error)) {
        const { response } = error
        const rebuilt = new Response(error.data as ArrayBuffer | undefined, response)
        Object.defineProperty(rebuilt, 'url', { value: response.url })
        return rebuilt
      }
      if (isAbortError(error) && options.signal && (options.signal as AbortSignal).aborted) throw (options.signal as AbortSignal).reason
      if (isNetworkError(error)) throw new TypeError(error.message, { cause: error })
      throw error
    })
  }
}
