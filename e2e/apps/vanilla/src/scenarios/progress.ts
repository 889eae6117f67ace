import { createBrowserTransport, createClient, createXhrTransport, download, progress, type Progress } from 'volley'
import { patternMismatches, sha256Hex, streamOf, uploadBytes } from '../../../shared/bytes.js'
import { chaosUrl } from '../../../shared/chaos.js'
import { reportError, type ErrorReport } from '../../../shared/report.js'

/** One progress event as plain data. */
export type ProgressEvent = Pick<Progress, 'loaded' | 'total' | 'percent' | 'done'>

const recorder = () => {
  const events: ProgressEvent[] = []
  const onProgress = ({ loaded, total, percent, done }: Progress): void => {
    events.push({ loaded, total, percent, done })
  }
  return { events, onProgress }
}

/** What `/upload` answers: what the server received. */
export interface UploadAnswer {
  bytes: number
  sha256: string
  contentType: string | null
  contentLength: number | null
  transferEncoding: string | null
}

/**
 * Downloads `bytes` bytes that the server drips in 10 chunks over ~0.5 s, through fetch (the default
 * for a GET) or the XHR transport, watching `onDownloadProgress`.
 */
export async function downloadProgress(args: { bytes: number; via: 'fetch' | 'xhr' }): Promise<{
  events: ProgressEvent[]
  received: number
  mismatches: number
  bytesIn: number
}> {
  const { events, onProgress } = recorder()
  const client = createClient({ baseURL: chaosUrl(), timeout: 20_000, use: [progress()], ...(args.via === 'xhr' ? { transport: createXhrTransport() } : {}) })
  const response = await client.raw.get<ArrayBuffer>(`/drip?bytes=${args.bytes}&chunks=10&duration=500`, {
    responseType: 'arrayBuffer',
    onDownloadProgress: onProgress,
  })
  const body = new Uint8Array(response.data)
  return { events, received: body.byteLength, mismatches: patternMismatches(body), bytesIn: response.meta.bytesIn }
}

/** `download()` into a Blob, with its file name from Content-Disposition (exposed by the server's CORS headers). */
export async function downloadBlob(args: { bytes: number }): Promise<{ events: ProgressEvent[]; size: number; mismatches: number; filename: string | undefined }> {
  const { events, onProgress } = recorder()
  const { blob, filename } = await download(`${chaosUrl()}/file/${args.bytes}?filename=report.bin`, { onProgress, timeout: 20_000 })
  const bytes = new Uint8Array(await blob.arrayBuffer())
  return { events, size: blob.size, mismatches: patternMismatches(bytes), filename }
}

/**
 * Uploads `bytes` bytes as a Blob with `onUploadProgress` on a client with `use: [progress()]`, which
 * sends it through the XHR transport (fetch cannot report upload progress). The SHA-256 is computed here with crypto.subtle and
 * compared by the spec with the one the server computed.
 */
export async function uploadProgress(args: { bytes: number }): Promise<{ events: ProgressEvent[]; expected: { bytes: number; sha256: string }; server: UploadAnswer; bytesOut: number }> {
  const data = uploadBytes(args.bytes)
  const expected = { bytes: data.byteLength, sha256: await sha256Hex(data) }
  const { events, onProgress } = recorder()
  const response = await createClient({ baseURL: chaosUrl(), timeout: 30_000, use: [progress()] }).raw.post<UploadAnswer>('/upload', {
    body: new Blob([data], { type: 'application/octet-stream' }),
    onUploadProgress: onProgress,
  })
  return { events, expected, server: response.data, bytesOut: response.meta.bytesOut }
}

/**
 * A ReadableStream body through the browser transport (`createBrowserTransport()`, passed explicitly:
 * it is no longer the default of the browser entry). Browsers cannot stream a request
 * body over HTTP/1.1 (Chromium fails, Firefox sends the text "[object ReadableStream]"), so it must
 * go through XHR (read into a Blob) and arrive intact, or fail with a clear error.
 */
export async function streamBody(args: { bytes: number }): Promise<{
  expected: { bytes: number; sha256: string }
  upload: { ok: true; server: UploadAnswer } | { ok: false; error: ErrorReport }
  echo: { ok: true; body: string } | { ok: false; error: ErrorReport }
  sentText: string
}> {
  const client = createClient({ baseURL: chaosUrl(), timeout: 20_000, transport: createBrowserTransport() })
  const data = uploadBytes(args.bytes)
  const expected = { bytes: data.byteLength, sha256: await sha256Hex(data) }
  const upload = await client.post<UploadAnswer>('/upload', { body: streamOf(data), headers: { 'content-type': 'application/octet-stream' } }).then(
    (server) => ({ ok: true as const, server }),
    (error: unknown) => ({ ok: false as const, error: reportError(error) }),
  )
  const sentText = 'streamed text, 流れ'
  const echo = await client
    .post<{ body: string }>('/echo', { body: streamOf(new TextEncoder().encode(sentText), 4), headers: { 'content-type': 'text/plain' } })
    .then(
      (answer) => ({ ok: true as const, body: answer.body }),
      (error: unknown) => ({ ok: false as const, error: reportError(error) }),
    )
  return { expected, upload, echo, sentText }
}

/** How a call with a `ReadableStream` body ended: what the server got, or the error. */
export type StreamUpload = { ok: true; server: UploadAnswer } | { ok: false; error: ErrorReport }

/**
 * Every path a `ReadableStream` request body can take, measured in this engine:
 * - `engine`: the page's own `fetch(…, { body: stream, duplex: 'half' })`, without volley: what the
 *   engine does with a stream body over HTTP/1.1;
 * - `defaultClient`: volley's default transport (the global fetch): refused before sending, with a TypeError;
 * - `browserTransport`: `createBrowserTransport()`: sent through XHR, read into a Blob;
 * - `withoutXhr`: `createBrowserTransport()` where there is no XMLHttpRequest (as in a service
 *   worker; hidden here for the call): read into a Blob and sent by fetch (`fetchBodies` says what fetch got).
 */
export async function streamBodyPaths(args: { bytes: number }): Promise<{
  expected: { bytes: number; sha256: string }
  engine: { ok: true; server: UploadAnswer } | { ok: false; error: { name: string; message: string } }
  defaultClient: StreamUpload
  browserTransport: StreamUpload
  withoutXhr: StreamUpload
  fetchBodies: string[]
}> {
  const data = uploadBytes(args.bytes)
  const expected = { bytes: data.byteLength, sha256: await sha256Hex(data) }
  const headers = { 'content-type': 'application/octet-stream' }
  const settle = (call: Promise<UploadAnswer>): Promise<StreamUpload> =>
    call.then(
      (server) => ({ ok: true as const, server }),
      (error: unknown) => ({ ok: false as const, error: reportError(error) }),
    )

  const engine = await fetch(`${chaosUrl()}/upload`, { method: 'POST', body: streamOf(data), headers, duplex: 'half' } as RequestInit)
    .then(async (response) => ({ ok: true as const, server: (await response.json()) as UploadAnswer }))
    .catch((error: unknown) => ({ ok: false as const, error: { name: error instanceof Error ? error.name : typeof error, message: error instanceof Error ? error.message : String(error) } }))

  const defaultClient = await settle(createClient({ baseURL: chaosUrl(), timeout: 20_000 }).post<UploadAnswer>('/upload', { body: streamOf(data), headers }))
  const browserTransport = await settle(createClient({ baseURL: chaosUrl(), timeout: 20_000, transport: createBrowserTransport() }).post<UploadAnswer>('/upload', { body: streamOf(data), headers }))

  const fetchBodies: string[] = []
  const transport = createBrowserTransport({
    fetch: (input, init) => {
      fetchBodies.push(Object.prototype.toString.call(init?.body))
      return fetch(input, init)
    },
  })
  const scope = globalThis as { XMLHttpRequest?: typeof XMLHttpRequest }
  const xhr = scope.XMLHttpRequest
  delete scope.XMLHttpRequest
  let withoutXhr: StreamUpload
  try {
    withoutXhr = await settle(createClient({ baseURL: chaosUrl(), timeout: 20_000, transport }).post<UploadAnswer>('/upload', { body: streamOf(data), headers }))
  } finally {
    scope.XMLHttpRequest = xhr
  }
  return { expected, engine, defaultClient, browserTransport, withoutXhr, fetchBodies }
}
