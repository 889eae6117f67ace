import { progress as coreProgress, type Policy, type Transport } from '@volley/core'
import { isReadableStream } from '@volley/core/internal'
import { createXhrTransport } from './xhr-transport.js'


/**
 * The progress policy for browsers: core's `progress()` (download progress for every response
 * type), plus upload progress through XMLHttpRequest, since fetch cannot report it over HTTP/1.1
 * in any browser. A call with `onUploadProgress` and a body, or with a `ReadableStream` body
 * (Firefox would send the text "[object ReadableStream]"), goes through XHR; every other call
 * keeps the client's transport. The XHR code reaches a bundle only through this import.
 *
 * Listening to upload progress makes a cross-origin request "non-simple": the browser sends a
 * CORS preflight first.
 *
 * @example
 * import { createClient, progress } from '@volley/browser'
 * const api = createClient({ use: [progress()] })
 * await api.post('/avatar', { body: file, onUploadProgress: (p) => (bar.value = p.percent ?? 0) })
 *
 * @param options none yet; any name given is a TypeError (a misplaced `onUploadProgress` belongs to the call).
 */
export function progress(options?: Record<string, never>): Policy {
  const base = coreProgress(options)
  let xhr: Transport | undefined
  return {
    name: 'progress',
    reportsProgress: true,
    prepare(attempt) {
      const body = attempt.init.body as unknown
      const wantsXhr = (attempt.onUploadProgress && body !== undefined && body !== null) || isReadableStream(body)
      if (wantsXhr && !attempt.transport.reportsUpload && typeof XMLHttpRequest !== 'undefined') attempt.transport = xhr ??= createXhrTransport()
      return base.prepare?.(attempt)
    },
  }
}
