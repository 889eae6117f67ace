/**
 * Keeps a copy of a response body as the caller reads it (docs/DESIGN.md#http-cache): the caller
 * gets every chunk as it arrives, at its own pace, and the cache gets the whole body once the
 * caller has read it to the end, unless it grew past `limit` (then the copy is dropped and the
 * caller reads on). A body the caller cancels or that fails is never stored.
 */

/** A Response over `body` with `response`'s status, headers and URL. */
export function withBody(response: Response, body: ReadableStream<Uint8Array> | null): Response {
  const own = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  if (response.url) Object.defineProperty(own, 'url', { value: response.url })
  if (response.redirected) Object.defineProperty(own, 'redirected', { value: true })
  return own
}

/** `response` with a body that hands `keep` a copy of itself once read whole within `limit` bytes. */
export function captureBody(response: Response, limit: number, keep: (body: Uint8Array) => void): Response {
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
        if (chunks) keep(concat(chunks, size))
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

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}

/** Reads a whole body of at most `limit` bytes; undefined when it is larger or fails. */
export async function readBody(response: Response, limit: number): Promise<Uint8Array | undefined> {
  let kept: Uint8Array | undefined
  const captured = captureBody(response, limit, (body) => (kept = body))
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
