/**
 * @volley/browser — volley for browsers: everything from `@volley/core` (on the global fetch;
 * `createClient` and `volley` classify failures with the browser engines' table),
 * plus a `progress()` policy that sends uploads through XMLHttpRequest (fetch cannot report
 * upload progress over HTTP/1.1), the XHR and fetch-or-XHR transports, and helpers to download
 * into a Blob or save to disk. Each reaches a bundle only when imported.
 */
export * from '@volley/core'
export { createClient, volley } from './create-client.js'
export { progress } from './progress.js'
export { createXhrTransport, type XhrTransport, type XhrTransportOptions } from './xhr-transport.js'
export { createBrowserTransport, type BrowserTransport, type BrowserTransportOptions } from './transport.js'
export { download, type DownloadOptions, type DownloadResult } from './download.js'
export {
  saveFile,
  type SaveFileHandle,
  type SaveFileOptions,
  type SaveFilePickerType,
  type SaveFileResult,
  type ShowSaveFilePicker,
} from './save-file.js'
export { filenameFromContentDisposition, filenameFromUrl } from './filename.js'
