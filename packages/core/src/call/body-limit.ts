/**
 * The default size limit of a response body read whole (README "Safe against hostile URLs and
 * servers"): a 1 MB gzip body that decodes to 1 GiB would otherwise be held in memory at once.
 * Streams (`responseType: 'stream'`, the stream helpers) stay unlimited unless `maxBodySize` is
 * set: a long-lived stream is bounded per item instead (`maxLineLength`, `maxEventSize`).
 */

/**
 * Largest response body read whole (JSON, text, Blob, ArrayBuffer) when `maxBodySize` is not set:
 * 64 MiB, counted on decoded bytes. Larger bodies fail with `BodyTooLargeError`; set
 * `maxBodySize` (`Infinity` for none) to read more.
 */
export const DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024

/** The limit a call applies: the one set (client or call), else the default for its response type. */
export function effectiveBodyLimit(set: number | undefined, responseType: string | undefined): number {
  if (set !== undefined) return set
  return responseType === 'stream' ? Infinity : DEFAULT_MAX_BODY_SIZE
}

/**
 * Whether a body read whole must be counted chunk by chunk to hold `limit`. Not when the response
 * declares an identity-encoded length within the limit: HTTP framing ends the body there, so the
 * runtime may read it natively (docs/DESIGN.md#cost). A browser's CORS response hides
 * Content-Encoding, so only same-origin (`basic`) and server-side (`default`) responses qualify.
 */
export function countsChunks(response: Response, limit: number): boolean {
  if (limit === Infinity) return false
  const { headers, type } = response
  const length = headers.get('content-length')
  const declared = length !== null && /^\d+$/.test(length) && Number(length) <= limit
  return !(declared && !headers.has('content-encoding') && (type === 'default' || type === 'basic'))
}
