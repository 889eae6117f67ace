import { isReadableStream, bodySize } from '@volley/core/internal'
import { sendableBody } from './xhr-send-body.js'

/** What one XMLHttpRequest needs, gathered from fetch's `(input, init)`. */
export interface XhrRequest {
  /** The URL as given (XHR resolves a relative one against the document's base URL). */
  readonly url: string
  /** The method as given; XHR upper-cases the standard ones like fetch does. */
  readonly method: string
  readonly headers: Headers
  /**
   * A body `xhr.send()` takes without blocking the page: bytes, strings and URLSearchParams as a
   * Blob ({@link sendableBody}); a ReadableStream has already been read into a Blob.
   */
  readonly body: XMLHttpRequestBodyInit | null
  /** Exact size of `body` in bytes when knowable without serializing it (not for FormData). */
  readonly size: number | undefined
  /** `credentials: 'include'`. */
  readonly withCredentials: boolean
  readonly redirect: RequestRedirect
  readonly signal: AbortSignal | undefined
}

function isRequest(input: unknown): input is Request {
  // Duck-typed so a Request from another realm (an iframe, happy-dom) is recognised too.
  return typeof input === 'object' && input !== null && !(input instanceof URL) && typeof (input as Request).method === 'string' && typeof (input as Request).url === 'string'
}


/**
 * Reads a request body stream into a Blob, because XHR cannot stream an upload. Stops (and
 * cancels the stream) as soon as `signal` aborts, rejecting with its reason.
 *
 * @example
 * const blob = await streamToBlob(file.stream().pipeThrough(new CompressionStream('gzip')), signal)
 */
export async function streamToBlob(stream: ReadableStream<Uint8Array>, signal: AbortSignal | undefined): Promise<Blob> {
  signal?.throwIfAborted()
  const reader = stream.getReader()
  const parts: BlobPart[] = []
  const onAbort = (): void => {
    reader.cancel(signal?.reason).catch(() => {})
  }
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    for (;;) {
      const chunk = await reader.read()
      signal?.throwIfAborted()
      if (chunk.done) break
      parts.push(chunk.value as Uint8Array<ArrayBuffer>)
    }
  } finally {
    signal?.removeEventListener('abort', onAbort)
    reader.releaseLock()
  }
  return new Blob(parts)
}

/**
 * Merges fetch's `(input, init)` the way `new Request(input, init)` would (init wins) into what
 * an XMLHttpRequest needs. A `ReadableStream` body is read into a Blob first; a body on a GET or
 * HEAD request is refused with the `TypeError` fetch throws.
 *
 * @example
 * const request = await toXhrRequest('/upload', { method: 'POST', body: file })
 * request.size // file.size
 */
export async function toXhrRequest(input: string | URL | Request, init: RequestInit = {}): Promise<XhrRequest> {
  const base = isRequest(input) ? input : undefined
  const method = init.method ?? base?.method ?? 'GET'
  const signal = init.signal ?? base?.signal ?? undefined
  const headers = new Headers(init.headers ?? base?.headers)

  let body: unknown = init.body !== undefined ? init.body : base?.body ? await base.blob() : null
  if (body !== null && body !== undefined && /^(?:GET|HEAD)$/i.test(method)) {
    throw new TypeError(`Failed to execute 'fetch': Request with ${method.toUpperCase()} method cannot have body.`)
  }
  // XHR has no request streams (and Chromium's fetch needs HTTP/2 for them): buffer the stream.
  if (isReadableStream(body)) body = await streamToBlob(body, signal)

  return {
    url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    method,
    headers,
    body: sendableBody(body),
    size: body === null || body === undefined ? 0 : bodySize(body),
    withCredentials: (init.credentials ?? base?.credentials) === 'include',
    redirect: init.redirect ?? base?.redirect ?? 'follow',
    signal,
  }
}
