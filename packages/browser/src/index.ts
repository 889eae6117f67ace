/**
 * @volley/browser — volley for browsers: everything from `@volley/core`, with a default
 * transport that uses XMLHttpRequest where fetch cannot do the job (upload progress, stream
 * bodies), and helpers to download into a Blob or save to disk.
 *
 * `createClient` and `volley` replace core's: same API, browser transport by default.
 */
export * from '@volley/core'
export { createClient, volley } from './client.js'
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
