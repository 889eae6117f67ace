import { checkOptionNames } from '@volley/core'
import { openAsBlob } from 'node:fs'
import { stat } from 'node:fs/promises'

/**
 * Options of {@link fileBody}.
 *
 * @example
 * await fileBody('./photo.jpg', { type: 'image/jpeg' })
 */
export interface FileBodyOptions {
  /** The body's Content-Type (the Blob's `type`). @default 'application/octet-stream' */
  type?: string
}

/**
 * A request body that streams a file from disk, with its exact size known up front, so upload
 * progress has a `total` and the request a `Content-Length` (on the Node transport).
 *
 * It is `fs.openAsBlob()`: a Blob backed by the file, not by memory. Nothing is read until the
 * body is sent, then the file is read in chunks as the socket drains, so a 10 GB file costs a few
 * chunks of memory. The Blob can be read again, so a retried or redirected (307/308) upload sends
 * the file again. The file must not change in between: Node then fails the read
 * (`NotReadableError`) rather than sending a mix of old and new bytes.
 *
 * @throws when `path` does not exist or is not a regular file.
 *
 * @example
 * import { createClient, fileBody } from '@volley/node'
 * const client = createClient()
 * await client.put('https://uploads.example.com/video.mp4', {
 *   body: await fileBody('./video.mp4', { type: 'video/mp4' }),
 *   onUploadProgress: (p) => console.log(`${p.percent?.toFixed(1)}%`),
 * })
 */
export async function fileBody(path: string | URL, options: FileBodyOptions = {}): Promise<Blob> {
  checkOptionNames('fileBody()', options, ['type'])
  const info = await stat(path)
  if (!info.isFile()) throw new TypeError(`volley: fileBody needs a regular file, got ${String(path)} (not a file)`)
  return openAsBlob(path, { type: options.type ?? 'application/octet-stream' })
}
