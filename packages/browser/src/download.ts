import { checkOptionNames, progress, volley, type CallOptions, type Client, type Meta, type ProgressCallback, type VolleyOptions } from '@volley/core'
import { filenameFromContentDisposition } from './filename.js'

/** Options of {@link download}. */
export interface DownloadOptions {
  /** The client to download with (its baseURL, headers, pool, rate limit and hooks apply). @default volley */
  client?: Client
  /** Download progress: `{ loaded, total, percent, bytesPerSecond, etaMs, done }`, first and last always. @default undefined */
  onProgress?: ProgressCallback
  /** Aborts the download; the promise rejects with an `AbortError`. @default undefined */
  signal?: AbortSignal
  /** Deadlines, as for any call: a number is the total deadline in ms. @default the client's ({ total: 30_000 }) */
  timeout?: VolleyOptions['timeout']
  /** Retry policy, as for any call. @default the client's ({ limit: 2 }) */
  retry?: VolleyOptions['retry']
  /** Extra request headers (merged over the client's). @default undefined */
  headers?: HeadersInit
}

/** What {@link download} resolves with. */
export interface DownloadResult {
  /** The body; its `type` is the response's Content-Type. */
  blob: Blob
  /** Timings, attempts and byte counts of the call. */
  meta: Meta
  /** The file name suggested by `Content-Disposition`, when the response has one. */
  filename: string | undefined
}

/** Every option of download(); saveFile() takes these and its own. */
export const DOWNLOAD_OPTIONS = ['client', 'onProgress', 'signal', 'timeout', 'retry', 'headers']

/**
 * The call options shared by `download` and `saveFile`, without undefined keys (so the client's
 * defaults stay in force).
 *
 * @example
 * downloadCallOptions({ onProgress, timeout: 60_000 }) // { onDownloadProgress: onProgress, timeout: 60_000 }
 */
export function downloadCallOptions(options: DownloadOptions, client: Client = volley): CallOptions {
  const call: CallOptions = {}
  if (options.onProgress) {
    call.onDownloadProgress = options.onProgress
    // Progress needs the progress policy; a client that has it already keeps its own.
    if (!client.defaults.policies.some((policy) => policy.reportsProgress)) call.use = [progress()]
  }
  if (options.signal) call.signal = options.signal
  if (options.timeout !== undefined) call.timeout = options.timeout
  if (options.retry !== undefined) call.retry = options.retry
  if (options.headers) call.headers = options.headers
  return call
}

/**
 * Downloads `url` into a Blob, with progress, retries and deadlines from volley's core. The file
 * name comes from `Content-Disposition` when the server sends one (cross-origin servers must list
 * it in `Access-Control-Expose-Headers`).
 *
 * The whole body is held in memory (browsers may page large Blobs to disk). To write straight to a
 * file the user picks, use {@link saveFile}.
 *
 * @example
 * import { download } from '@volley/browser'
 *
 * const { blob, filename, meta } = await download('/reports/2024.pdf', {
 *   onProgress: (p) => (progressBar.value = p.percent ?? 0),
 *   timeout: { total: 120_000, idle: 10_000 },
 * })
 * preview.src = URL.createObjectURL(blob)
 */
export async function download(url: string | URL, options: DownloadOptions = {}): Promise<DownloadResult> {
  checkOptionNames('download()', options, DOWNLOAD_OPTIONS)
  return downloadBlob(url, options)
}

/** download() without the check of option names: saveFile() passes its own options, checked already. */
export async function downloadBlob(url: string | URL, options: DownloadOptions): Promise<DownloadResult> {
  const client = options.client ?? volley
  const response = await client.raw<Blob>(url, { ...downloadCallOptions(options, client), responseType: 'blob' })
  return {
    blob: response.data,
    meta: response.meta,
    filename: filenameFromContentDisposition(response.headers.get('content-disposition')),
  }
}
