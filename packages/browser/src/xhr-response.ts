/**
 * A Response over the XHR transport's body whose `arrayBuffer()`, `bytes()`, `text()`, `json()`
 * and `blob()` read that body in script. Read natively (`new Response(stream).arrayBuffer()`), a
 * body stream that errors is rethrown as the engine's own error, not the stream's: Chromium a
 * bare `TypeError: Failed to fetch`, Firefox an `AbortError` plus a "Failed to read data from the
 * ReadableStream" report in the console. Read here, the reader gets volley's typed error
 * (docs/DESIGN.md#failures-after-the-headers).
 *
 * @example
 * const response = xhrResponse(body.stream, { status: 200, headers })
 * await response.text() // rejects with the NetworkError the body failed with, if it did
 */
import { concatBytes } from '@volley/core/internal'
export function xhrResponse(stream: ReadableStream<Uint8Array> | null, init: ResponseInit): Response {
  const response = new Response(stream, init)
  if (!stream) return response
  const bytes = async (): Promise<Uint8Array<ArrayBuffer>> => {
    if (stream.locked) throw new TypeError('Body is unusable: Body has already been read')
    const reader = stream.getReader()
    const chunks: Uint8Array[] = []
    let length = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      length += value.byteLength
    }
    // The XHR body arrives as one chunk at `load`: handed over without a copy when it spans its buffer.
    const all = concatBytes(chunks, length)
    return (all.byteOffset === 0 && all.byteLength === all.buffer.byteLength ? all : all.slice()) as Uint8Array<ArrayBuffer>
  }
  const text = async (): Promise<string> => new TextDecoder().decode(await bytes())
  Object.defineProperties(response, {
    bytes: { value: bytes },
    arrayBuffer: { value: async () => (await bytes()).buffer },
    text: { value: text },
    json: { value: async () => JSON.parse(await text()) as unknown },
    blob: { value: async () => new Blob([await bytes()], { type: response.headers.get('content-type') ?? '' }) },
  })
  return response
}
