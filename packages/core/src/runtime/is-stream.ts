/**
 * Whether a body is a WHATWG `ReadableStream` (by shape, so streams from another realm or a
 * polyfill count). One check for every place that treats stream bodies apart: they cannot be
 * replayed, counted up front, or sent by fetch in every browser.
 */
export function isReadableStream(body: unknown): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream | undefined)?.getReader === 'function'
}
