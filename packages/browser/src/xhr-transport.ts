import { checkOptionNames, type Transport, type TransportAttempt } from '@volley/core'
import { parseResponseHeaders } from './parse-headers.js'
import { createXhrBody, type XhrBody } from './xhr-body.js'
import { toXhrRequest, type XhrRequest } from './xhr-request.js'
import { xhrResponse } from './xhr-response.js'

/** Options of {@link createXhrTransport}. */
export interface XhrTransportOptions {
  /**
   * Creates the XMLHttpRequest of each request: a subclass, a test double, another window's.
   * @default () => new XMLHttpRequest()
   */
  createXhr?: () => XMLHttpRequest
}

/** A fetch-compatible transport that reports upload progress itself (core's transport protocol: `reportsUpload`). */
export type XhrTransport = Transport & { readonly reportsUpload: true }

/** `XMLHttpRequest.HEADERS_RECEIVED`, spelled out so nothing is read from a global at import time. */
const HEADERS_RECEIVED = 2

/** Statuses whose Response cannot have a body (Fetch spec, "null body status"). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304])

/** What fetch rejects with when the network fails; core turns it into a `NetworkError`. */
function failedToFetch(detail?: string, cause?: unknown): TypeError {
  return new TypeError(detail ? `Failed to fetch: ${detail}` : 'Failed to fetch', cause === undefined ? undefined : { cause })
}

function toBytes(value: unknown): Uint8Array {
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  if (value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object ArrayBuffer]') {
    return new Uint8Array(value as ArrayBuffer)
  }
  return new Uint8Array(0) // an empty body: null, or '' in some implementations
}

function absolute(url: string): string {
  try {
    return new URL(url, (globalThis as { location?: { href?: string } }).location?.href).href.replace(/#.*$/, '')
  } catch {
    return url
  }
}

/**
 * Creates a fetch-compatible {@link Transport} over XMLHttpRequest: the one way a browser reports
 * upload progress over HTTP/1.1. It follows fetch's contract:
 *
 * - method, headers (Headers, pairs or a record), `credentials: 'include'` (→ `withCredentials`),
 *   `signal` (→ `xhr.abort()`, rejecting with `signal.reason`), `redirect: 'error'`;
 * - bodies: string, Blob/File, ArrayBuffer and views, URLSearchParams, FormData. Bytes,
 *   strings and URLSearchParams are handed to `xhr.send` as a Blob, which the browser reads off
 *   the main thread (`sendableBody`). A `ReadableStream` body is read into a Blob first (XHR
 *   cannot stream an upload), so it is held in memory once;
 * - resolves when the headers arrive with a `Response` (status, statusText, headers parsed from
 *   `getAllResponseHeaders()`, `url` from `responseURL`, `redirected`); its body completes at
 *   `load`. Through core, XHR `progress` events drive download progress, the idle timeout and
 *   `maxBodySize` while the body arrives;
 * - a network error rejects with `TypeError('Failed to fetch')`, which core reports as a
 *   `NetworkError`.
 *
 * Differences XHR imposes: redirects are always followed (`redirect: 'manual'` acts like
 * `'follow'`); `credentials: 'omit'` still sends same-origin cookies; `cache`, `integrity`,
 * `keepalive`, `mode`, `referrer` and `priority` are ignored; only CORS-exposed headers are
 * visible (as with fetch). Listening to upload progress makes a cross-origin request
 * "non-simple", so the browser sends a CORS preflight first.
 *
 * Core hands the transport a callback (`attempt.uploaded`, the transport protocol) when the call
 * has `onUploadProgress`; it is called with `loaded` on every `xhr.upload` progress event and with
 * the exact body size once the upload is complete (at `xhr.upload` `load`, at the latest when the
 * response headers arrive), so the last upload event always equals the body size.
 *
 * @example
 * import { createClient, createXhrTransport } from '@volley/browser'
 *
 * const api = createClient({ transport: createXhrTransport() })
 * await api.post('/upload', { body: file, onUploadProgress: (p) => (bar.value = p.percent ?? 0) })
 */
export function createXhrTransport(options: XhrTransportOptions = {}): XhrTransport {
  checkOptionNames('createXhrTransport()', options, ['createXhr'])
  const createXhr = options.createXhr ?? (() => new XMLHttpRequest())
  const transport = async (input: string | URL | Request, init: RequestInit = {}, attempt?: TransportAttempt): Promise<Response> => {
    const request = await toXhrRequest(input, init)
    return send(createXhr(), request, attempt)
  }
  return Object.assign(transport, { reportsUpload: true as const })
}

/** Sends one request; resolves at the headers, like fetch. */
function send(xhr: XMLHttpRequest, request: XhrRequest, attempt: TransportAttempt | undefined): Promise<Response> {
  const { signal } = request
  const onUpload = attempt?.uploaded
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    let responded = false // the Response was handed out
    let over = false // the transfer ended: loaded, failed, aborted or stopped
    let body: XhrBody | undefined

    const onAbort = (): void => {
      fail(signal?.reason)
      xhr.abort()
    }
    const end = (): void => {
      over = true
      signal?.removeEventListener('abort', onAbort)
    }
    const fail = (error: unknown): void => {
      if (over) return
      end()
      if (!responded) reject(error)
      else body?.fail(error)
    }
    const uploaded = (loaded: number): void => {
      if (!onUpload || over) return
      try {
        onUpload(loaded)
      } catch (error) {
        // A throwing onUploadProgress fails the request (core's progress contract).
        fail(error)
        xhr.abort()
      }
    }

    const onHeaders = (): void => {
      const requested = absolute(request.url)
      const url = xhr.responseURL || requested
      const redirected = url !== requested
      if (redirected && request.redirect === 'error') {
        fail(failedToFetch('redirected while `redirect` is "error"'))
        return xhr.abort()
      }
      // The response started: the whole body was sent (core's contract for `complete()`).
      if (request.size !== undefined) uploaded(request.size)
      if (over) return
      const status = xhr.status
      const nullBody = NULL_BODY_STATUS.has(status) || request.method.toUpperCase() === 'HEAD'
      body = nullBody
        ? undefined
        : createXhrBody(() => {
            end()
            xhr.abort()
          })
      let response: Response
      try {
        response = xhrResponse(body?.stream ?? null, { status, statusText: xhr.statusText, headers: parseResponseHeaders(xhr.getAllResponseHeaders()) })
      } catch (error) {
        // A status outside 200..599 or an invalid status text: no Response can represent it.
        fail(failedToFetch(`invalid response (status ${status})`, error))
        return xhr.abort()
      }
      Object.defineProperty(response, 'url', { value: url })
      if (redirected) Object.defineProperty(response, 'redirected', { value: true })
      // volley's attempt observes the body as XHR reports it, instead of wrapping it again.
      if (body && attempt) body.attach(attempt.observe())
      responded = true
      resolve(response)
    }

    xhr.addEventListener('readystatechange', () => {
      if (!responded && !over && xhr.readyState >= HEADERS_RECEIVED && xhr.status !== 0) onHeaders()
    })
    xhr.addEventListener('progress', (event) => body?.progress(event.loaded))
    xhr.addEventListener('load', () => {
      if (!responded && !over) onHeaders()
      if (over) return
      end()
      body?.complete(toBytes(xhr.response))
    })
    xhr.addEventListener('error', () => fail(failedToFetch()))
    xhr.addEventListener('timeout', () => fail(failedToFetch('timed out')))
    xhr.addEventListener('abort', () => fail(signal?.aborted ? signal.reason : new DOMException('The request was aborted.', 'AbortError')))
    if (onUpload) {
      // Only with a listener: upload listeners make a cross-origin request need a preflight.
      xhr.upload.addEventListener('progress', (event) => uploaded(event.loaded))
      xhr.upload.addEventListener('load', (event) => uploaded(request.size ?? (event.lengthComputable ? event.total : event.loaded)))
    }

    try {
      xhr.open(request.method, request.url, true)
      xhr.responseType = 'arraybuffer'
      xhr.withCredentials = request.withCredentials
      request.headers.forEach((value, name) => xhr.setRequestHeader(name, value))
      signal?.addEventListener('abort', onAbort, { once: true })
      xhr.send(request.body)
    } catch (error) {
      // An invalid URL or method: fetch rejects with a TypeError too.
      fail(error instanceof TypeError ? error : failedToFetch(error instanceof Error ? error.message : String(error), error))
    }
  })
}
