import { checkOptionNames, type Transport, type TransportAttempt } from '@volley/core'
import { isReadableStream, supportsRequestStreams } from '@volley/core/internal'
import { streamToBlob } from './xhr-request.js'
import { createXhrTransport, type XhrTransportOptions } from './xhr-transport.js'

/** Options of {@link createBrowserTransport}. */
export interface BrowserTransportOptions extends XhrTransportOptions {
  /**
   * The fetch used when XHR is not needed, looked up on every request so that a fetch replaced
   * later (a test double, a service-worker shim) is honoured.
   * @default globalThis.fetch
   */
  fetch?: Transport
}

/** The browser transport: fetch, or XHR when fetch cannot do the job. */
export type BrowserTransport = Transport & { readonly reportsUpload: true }


/** A page or a worker (not Node with a DOM shim's globals only partly present). */
function isBrowser(): boolean {
  const g = globalThis as { document?: unknown; WorkerGlobalScope?: unknown }
  return typeof g.document !== 'undefined' || typeof g.WorkerGlobalScope !== 'undefined'
}

/**
 * Whether this request must go through XHR:
 * - the call asked for upload progress (core set `attempt.uploaded`, the transport protocol): fetch
 *   cannot report upload progress over HTTP/1.1 in any browser;
 * - the body is a `ReadableStream` and fetch cannot send it here: Firefox has no request streams
 *   (it would send the text "[object ReadableStream]") and Chromium sends them only over HTTP/2,
 *   failing with "Failed to fetch" over HTTP/1.1, which a page cannot know in advance. XHR
 *   buffers the stream into a Blob and sends that.
 *
 * Without `XMLHttpRequest` (a service worker) the answer is always no.
 *
 * @example
 * needsXhr({ method: 'POST', body: 'text' }) // false: fetch
 * needsXhr({ method: 'POST', body: file.stream() }) // true in a browser: XHR
 */
export function needsXhr(init: RequestInit | undefined, attempt?: Pick<TransportAttempt, 'uploaded'>): boolean {
  if (typeof XMLHttpRequest === 'undefined') return false // a service worker: fetch is all there is
  if (typeof attempt?.uploaded === 'function') return true
  // Only `init.body`: a Request's body is always a stream, even when built from a string, and
  // fetch sends such a Request fine.
  return isReadableStream(init?.body) && (isBrowser() || !supportsRequestStreams())
}

/**
 * Whether a `ReadableStream` body must be read into a Blob before fetch sends it: where fetch
 * cannot stream it (as in {@link needsXhr}) and there is no `XMLHttpRequest` to send it through
 * (a service worker). Handed over as a stream, WebKit would reject it before sending
 * ("NotSupportedError: ReadableStream uploading is not supported"), Firefox would send the text
 * "[object ReadableStream]", and Chromium would fail with "Failed to fetch" over HTTP/1.1.
 * Buffering is what the XHR path does too (e2e/README.md, "WebKit").
 *
 * @example
 * mustBuffer({ method: 'POST', body: file.stream() }) // true in a service worker
 */
export function mustBuffer(init: RequestInit | undefined): boolean {
  return typeof XMLHttpRequest === 'undefined' && isReadableStream(init?.body) && (isBrowser() || !supportsRequestStreams())
}

/**
 * Creates the default transport of `@volley/browser`: the global `fetch` for everything, except
 * the requests fetch cannot serve in a browser (see {@link needsXhr}), which go through
 * {@link createXhrTransport}: calls with `onUploadProgress`, and calls with a `ReadableStream`
 * body. It declares `reportsUpload` (core's transport protocol), so core hands it the upload callback.
 *
 * Where `XMLHttpRequest` does not exist (service workers) every request goes to fetch; upload
 * progress then reports only its first and final events, and a `ReadableStream` body is read
 * into a Blob first (see {@link mustBuffer}).
 *
 * @example
 * import { createClient, createBrowserTransport } from '@volley/browser'
 *
 * // What `createClient()` of @volley/browser uses by default:
 * const api = createClient({ transport: createBrowserTransport() })
 * // Pin every request to one transport instead:
 * const viaXhr = createClient({ transport: createXhrTransport() })
 * const viaFetch = createClient({ transport: (input, init) => fetch(input, init) })
 */
export function createBrowserTransport(options: BrowserTransportOptions = {}): BrowserTransport {
  checkOptionNames('createBrowserTransport()', options, ['fetch', 'createXhr'])
  const xhr = createXhrTransport({ createXhr: options.createXhr })
  const transport = (input: string | URL | Request, init?: RequestInit, attempt?: TransportAttempt): Promise<Response> => {
    if (needsXhr(init, attempt)) return xhr(input, init, attempt)
    const send = (sent: RequestInit | undefined): Promise<Response> => (options.fetch ? options.fetch(input, sent) : globalThis.fetch(input, sent))
    if (mustBuffer(init)) {
      const signal = init?.signal ?? undefined
      return streamToBlob(init?.body as ReadableStream<Uint8Array>, signal).then((body) => send({ ...init, body }))
    }
    return send(init)
  }
  return Object.assign(transport, { reportsUpload: true as const })
}
