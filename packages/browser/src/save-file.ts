import { AbortError, checkOptionNames, isVolleyError, redactUrl, volley } from '@volley/core'
import { downloadBlob, downloadCallOptions, DOWNLOAD_OPTIONS, type DownloadOptions } from './download.js'
import { filenameFromUrl } from './filename.js'

/** One accepted file type of the save picker, e.g. `{ description: 'PDF', accept: { 'application/pdf': ['.pdf'] } }`. */
export interface SaveFilePickerType {
  description?: string
  accept: Record<string, string | string[]>
}

/** The part of a `FileSystemFileHandle` that `saveFile` uses. */
export interface SaveFileHandle {
  readonly name: string
  createWritable(): Promise<WritableStream<Uint8Array>>
}

/** `window.showSaveFilePicker` (File System Access API; Chromium-based browsers). */
export type ShowSaveFilePicker = (options?: { suggestedName?: string; types?: SaveFilePickerType[] }) => Promise<SaveFileHandle>

/** Options of {@link saveFile}. */
export interface SaveFileOptions extends DownloadOptions {
  /**
   * The file name proposed to the user (picker) or given to the browser (anchor). Without it: the
   * `Content-Disposition` name (anchor only: the picker opens before the response arrives), then
   * the URL's last segment, then `'download'`.
   * @default undefined
   */
  suggestedName?: string
  /** File types offered by the save picker (ignored by the anchor fallback). @default undefined */
  types?: SaveFilePickerType[]
  /**
   * `'auto'`: the File System Access API when the page has it, else (or when the picker is
   * refused for lack of a user gesture or in a cross-origin iframe) an `<a download>` click.
   * `'file-system-access'` fails instead of falling back; `'anchor'` never opens a picker.
   * @default 'auto'
   */
  method?: 'auto' | 'file-system-access' | 'anchor'
  /**
   * How long the anchor fallback keeps its object URL before revoking it, in ms. Some browsers
   * read the URL only after the click's task has ended, so it is not revoked at once (FileSaver.js
   * waits 40 s for the same reason).
   * @default 40_000
   */
  revokeDelay?: number
}

/** What {@link saveFile} did. */
export interface SaveFileResult {
  /** `'file-system-access'`: streamed to the file the user picked; `'anchor'`: handed to the browser's downloads. */
  method: 'file-system-access' | 'anchor'
  /** Bytes written (picker) or handed over (anchor). */
  bytes: number
  /** The name the user picked, or the name given to the browser. */
  filename: string
}

function findPicker(): ShowSaveFilePicker | undefined {
  const picker = (globalThis as { showSaveFilePicker?: unknown }).showSaveFilePicker
  return typeof picker === 'function' ? (picker as ShowSaveFilePicker).bind(globalThis) : undefined
}

function isDomError(error: unknown, ...names: string[]): boolean {
  return typeof error === 'object' && error !== null && names.includes((error as { name?: unknown }).name as string)
}

/** Errors from the caller's signal become volley `AbortError`s, like every other volley call. */
function typed(error: unknown, url: string | URL, signal: AbortSignal | undefined): unknown {
  if (isVolleyError(error) || !signal?.aborted) return error
  return new AbortError({ reason: signal.reason, request: { method: 'GET', url: redactUrl(String(url)) } })
}

/**
 * Saves the response of `url` as a file on the user's disk.
 *
 * - With the File System Access API (`window.showSaveFilePicker`, Chromium-based browsers) the
 *   user picks the destination first, then the body streams straight to disk through
 *   `createWritable()` — never held in memory whole. A failed or aborted transfer aborts the
 *   writable, which discards what was written (the browser may leave the empty file it created).
 *   The picker needs a user gesture: call `saveFile` directly from a click handler, before any
 *   other `await`. Cancelling the picker rejects with an `AbortError`.
 * - Otherwise the body is downloaded into a Blob ({@link download}) and handed to the browser's
 *   download manager with a hidden `<a download>` click on an object URL, revoked afterwards.
 *
 * @example
 * import { saveFile } from '@volley/browser'
 *
 * button.addEventListener('click', async () => {
 *   const { method, bytes, filename } = await saveFile('/exports/data.csv', {
 *     suggestedName: 'data.csv',
 *     types: [{ description: 'CSV', accept: { 'text/csv': ['.csv'] } }],
 *     onProgress: (p) => (bar.value = p.percent ?? 0),
 *   })
 *   console.log(`${filename}: ${bytes} bytes via ${method}`)
 * })
 */
export async function saveFile(url: string | URL, options: SaveFileOptions = {}): Promise<SaveFileResult> {
  checkOptionNames('saveFile()', options, [...DOWNLOAD_OPTIONS, 'suggestedName', 'types', 'method', 'revokeDelay'])
  const method = options.method ?? 'auto'
  const picker = method === 'anchor' ? undefined : findPicker()
  if (method === 'file-system-access' && !picker) {
    throw new TypeError('volley: saveFile with method "file-system-access" needs window.showSaveFilePicker, which this browser does not have')
  }
  if (picker) {
    let handle: SaveFileHandle | undefined
    try {
      const suggestedName = options.suggestedName ?? filenameFromUrl(String(url))
      handle = await picker({ ...(suggestedName && { suggestedName }), ...(options.types && { types: options.types }) })
    } catch (error) {
      if (isDomError(error, 'AbortError')) {
        throw new AbortError({ reason: error, request: { method: 'GET', url: redactUrl(String(url)) } })
      }
      // No user gesture (SecurityError / NotAllowedError) or a cross-origin iframe: fall back.
      if (method === 'file-system-access' || !isDomError(error, 'SecurityError', 'NotAllowedError')) throw error
    }
    if (handle) return streamToFile(url, handle, options)
  }
  return saveWithAnchor(url, options)
}

async function streamToFile(url: string | URL, handle: SaveFileHandle, options: SaveFileOptions): Promise<SaveFileResult> {
  const writable = await handle.createWritable()
  let bytes = 0
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
  try {
    const client = options.client ?? volley
    const response = await client.raw<ReadableStream<Uint8Array>>(url, { ...downloadCallOptions(options, client), responseType: 'stream' })
    await response.data.pipeThrough(counter).pipeTo(writable, options.signal ? { signal: options.signal } : {})
  } catch (error) {
    // pipeTo aborts the writable itself; this covers a request that failed before the pipe.
    await writable.abort(error).catch(() => {})
    throw typed(error, url, options.signal)
  }
  return { method: 'file-system-access', bytes, filename: handle.name }
}

async function saveWithAnchor(url: string | URL, options: SaveFileOptions): Promise<SaveFileResult> {
  if (typeof document === 'undefined') {
    throw new TypeError('volley: saveFile needs a document (a page): workers can use download() and post the Blob to the page')
  }
  const { blob, filename } = await downloadBlob(url, options)
  const name = options.suggestedName ?? filename ?? filenameFromUrl(String(url)) ?? 'download'
  const href = URL.createObjectURL(blob)
  const anchor = document.createElement('a')
  anchor.href = href
  anchor.download = name
  anchor.rel = 'noopener'
  anchor.style.display = 'none'
  document.body.append(anchor)
  try {
    anchor.click()
  } finally {
    anchor.remove()
    // On the client's clock, so a test (or a manual clock) controls when the URL goes.
    const { clock } = (options.client ?? volley).defaults
    clock.setTimeout(() => URL.revokeObjectURL(href), options.revokeDelay ?? 40_000)
  }
  return { method: 'anchor', bytes: blob.size, filename: name }
}
