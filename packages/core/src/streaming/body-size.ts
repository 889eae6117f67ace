/**
 * The UTF-8 byte length of `text`, counted from its UTF-16 code units without encoding a copy.
 * Matches `new TextEncoder().encode(text).byteLength`, including lone surrogates, which the
 * encoder replaces with U+FFFD (3 bytes).
 */
function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair is one code point above U+FFFF: 4 bytes for both units.
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

const toTag = (value: object): string => Object.prototype.toString.call(value)

/**
 * The exact byte size of a request body when it is knowable without reading it, for an upload's
 * progress `total` (and Content-Length).
 *
 * - `null` / `undefined`: 0
 * - string: its UTF-8 byte length (what fetch sends)
 * - Blob / File: `.size`
 * - ArrayBuffer / typed array / DataView: `.byteLength`
 * - URLSearchParams: the UTF-8 length of its serialization
 * - FormData: undefined, because the runtime picks the multipart boundary
 * - ReadableStream and anything else: undefined
 *
 * @example
 * bodySize('héllo') // 6
 * bodySize(new Uint8Array(10)) // 10
 * bodySize(new FormData()) // undefined
 */
export function bodySize(body: unknown): number | undefined {
  if (body === null || body === undefined) return 0
  if (typeof body === 'string') return utf8Length(body)
  if (typeof body !== 'object') return undefined
  if (ArrayBuffer.isView(body)) return body.byteLength
  // The tag check also recognises buffers from another realm (a worker, an iframe, node:vm).
  if (body instanceof ArrayBuffer || toTag(body) === '[object ArrayBuffer]') return (body as ArrayBuffer).byteLength
  if (typeof Blob !== 'undefined' && body instanceof Blob) return body.size
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) return utf8Length(body.toString())
  return undefined
}
