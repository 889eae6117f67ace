/**
 * Keeps a copy of a response body as the caller reads it (docs/DESIGN.md#http-cache): the caller
 * gets every chunk as it arrives, at its own pace, and the cache gets the whole body once the
 * caller has read it to the end, unless it grew past `limit` (then the copy is dropped and the
 * caller reads on). A body the caller cancels or that fails is never stored.
 */
import { concatBytes } from '../../runtime/bytes.js'

/** A Response over `body` with `response`'s status, headers and URL. */
export function withBody(response: Response, body: ReadableStream<Uint8Array> | null): Response {
  const own = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  if (response.url) Object.defineProperty(own, 'url', { value: response.url })
  if (response.redirected) Object.defineProperty(own, 'redirected', { value: true })
  return own
}

type Reader = (this: Response) => Promise<unknown>

/**
 * `response` with a body that hands `keep` a copy of itself once read whole within `limit` bytes.
 * A transport's own Response class that reads its body without a WHATWG stream (the Node entry's)
 * keeps that fast path when the caller reads the body whole: its reading methods are wrapped on
 * the instance, and no stream is built (docs/DESIGN.md#cost). Otherwise the body stream is wrapped.
 */
export function captureBody(response: Response, limit: number, keep: (body: Uint8Array) => void, whole: boolean): Response {
  const proto = Object.getPrototypeOf(response) as Record<string, Reader | undefined>
  const bytes = proto.bytes
  if (whole && (proto as object) !== Response.prototype && typeof bytes === 'function') {
    const read = async (): Promise<Uint8Array> => {
      const body = (await bytes.call(response)) as Uint8Array
      if (body.byteLength <= limit) keep(body.slice())
      return body
    }
    const own = (name: string, value: () => Promise<unknown>): void => void Object.defineProperty(response, name, { value, configurable: true, writable: true })
    own('bytes', read)
    own('arrayBuffer', async () => {
      const body = await read()
      return body.buffer.byteLength === body.byteLength ? body.buffer : body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)
    })
    // UTF-8 as fetch decodes it: a leading byte order mark dropped, invalid bytes as U+FFFD.
    own('text', async () => new TextDecoder().decode(await read()))
    own('json', async () => JSON.parse(new TextDecoder().decode(await read())))
    own('blob', async () => new Blob([(await read()) as Uint8Array<ArrayBuffer>], { type: response.headers.get('content-type') ?? '' }))
    return response
  }
  return captureStream(response, limit, keep)
}

/** `response` over a body stream that copies what the caller reads, up to `limit` bytes. */
function captureStream(response: Response, limit: number, keep: (body: Uint8Array) => void): Response {
  const source = response.body
  if (!source) {
    keep(new Uint8Array(0))
    return response
  }
  const reader = source.getReader()
  let chunks: Uint8Array[] | undefined = []
  let size = 0
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>
      try {
        next = await reader.read()
      } catch (error) {
        chunks = undefined
        controller.error(error)
        return
      }
      if (next.done) {
        controller.close()
        if (chunks) keep(concatBytes(chunks, size))
        chunks = undefined
        return
      }
      const chunk = next.value
      if (chunks) {
        size += chunk.byteLength
        // A copy: a caller reading a stream may reuse or transfer its chunks.
        if (size > limit) chunks = undefined
        else chunks.push(chunk.slice())
      }
      controller.enqueue(chunk)
    },
    cancel(reason) {
      chunks = undefined
      return reader.cancel(reason)
    },
  })
  return withBody(response, stream)
}

/** Reads a whole body of at most `limit` bytes; undefined when it is larger or fails. */
export async function readBody(response: Response, limit: number): Promise<Uint8Array | undefined> {
  let kept: Uint8Array | undefined
  const captured = captureStream(response, limit, (body) => (kept = body))
  try {
    const reader = captured.body?.getReader()
    if (!reader) return kept
    let size = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return kept
      size += value.byteLength
      if (size > limit) {
        await reader.cancel()
        return undefined
      }
    }
  } catch {
    return undefined
  }
}
