/**
 * Puts a request body in the form `xhr.send()` takes without blocking the page.
 *
 * Chromium copies an ArrayBuffer, a typed array or a string handed to `xhr.send()` to the network
 * process on the main thread: 8 MiB froze a page for ~1.3 s (no frame drawn, a 16 ms timer
 * silent, upload progress jumping from 0 to 100; measured by e2e/specs/live-upload.spec.ts). A
 * Blob is handed over by reference and read off the main thread, so those bodies become Blobs.
 * The Blob's `type` is the Content-Type XHR would have set for the original body, so the server
 * sees the same request (XHR sends a Blob's type when no Content-Type header is set).
 *
 * Left as they are: Blob and File (already the right form), FormData (XHR must build the
 * multipart boundary itself, and it is backed by Blobs for files), and anything else XHR
 * accepts (a Document).
 *
 * @example
 * xhr.send(sendableBody(new Uint8Array(8 * 1024 * 1024))) // a Blob of 8 MiB, sent off the main thread
 */
export function sendableBody(body: unknown): XMLHttpRequestBodyInit | null {
  if (body === null || body === undefined) return null
  if (typeof body === 'string') return new Blob([body], { type: 'text/plain;charset=UTF-8' })
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) {
    return new Blob([body.toString()], { type: 'application/x-www-form-urlencoded;charset=UTF-8' })
  }
  if (ArrayBuffer.isView(body)) return new Blob([body as ArrayBufferView<ArrayBuffer>])
  if (body instanceof ArrayBuffer || Object.prototype.toString.call(body) === '[object ArrayBuffer]') return new Blob([body as ArrayBuffer])
  return body as XMLHttpRequestBodyInit
}
