import type { AbortSignalLike, BodyObserver } from '../runtime/transport.js'
import { concatBytes } from '../runtime/bytes.js'

/** A body reader's view of its attempt: the observer to report to and the signal that stops it. */
type Observed = BodyObserver & { readonly signal: AbortSignalLike }

/**
 * One read of `reader`, reported to `observer`: the chunk, or undefined once the body ended
 * complete; otherwise a throw of the observer's typed error (a failure, an abort, a body cut short
 * of its Content-Length, a size limit).
 */
async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>, observer: Observed): Promise<Uint8Array | undefined> {
  observer.waiting()
  let chunk: ReadableStreamReadResult<Uint8Array>
  try {
    chunk = await reader.read()
  } catch (cause) {
    throw observer.error(cause)
  }
  if (chunk.done) {
    // Our own abort handler cancels the reader, which ends a pending read as "done": that is a
    // cut-off body, not a complete one, and fails with the abort's reason.
    if (observer.signal.aborted) throw observer.error(observer.signal.reason)
    const cut = observer.end()
    if (cut !== undefined) throw cut
    return undefined
  }
  const stop = observer.chunk(chunk.value.byteLength)
  if (stop !== undefined) {
    reader.cancel(stop).catch(() => {})
    throw stop
  }
  return chunk.value
}

/**
 * Drives an observer from a WHATWG body stream: the wrapper every plain `fetch` response read as a
 * stream gets. Pull-based with no buffering, so the idle timer measures the network, not a slow
 * consumer.
 */
export function observeStream(body: ReadableStream<Uint8Array>, observer: Observed): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  const { signal } = observer
  const onAbort = (): void => {
    // Aborted while nobody reads (a stream response left unread): end the attempt now so its
    // pool slot is freed; the next read() rejects with the reason.
    reader.cancel(signal.reason).catch(() => {})
    observer.cancel()
  }
  signal.addEventListener('abort', onAbort)
  const detach = (): void => signal.removeEventListener('abort', onAbort)

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: Uint8Array | undefined
        try {
          chunk = await readChunk(reader, observer)
        } catch (error) {
          detach()
          controller.error(error)
          return
        }
        if (chunk) controller.enqueue(chunk)
        else {
          detach()
          controller.close()
        }
      },
      cancel(reason) {
        detach()
        observer.cancel()
        return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}

/** Reads a whole body through `observer`; resolves with the chunks or rejects with the observer's typed error. */
async function readWhole(body: ReadableStream<Uint8Array>, observer: Observed): Promise<Uint8Array[]> {
  const reader = body.getReader()
  const { signal } = observer
  // A body that ignores the abort (a custom transport) still ends: cancelling the reader ends the
  // pending read as "done", which readChunk turns into the abort's reason.
  const onAbort = (): void => void reader.cancel(signal.reason).catch(() => {})
  signal.addEventListener('abort', onAbort)
  const chunks: Uint8Array[] = []
  try {
    for (let chunk; (chunk = await readChunk(reader, observer)); ) chunks.push(chunk)
    return chunks
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/** One UTF-8 decoder for whole bodies: `decode()` without `stream` keeps no state between calls. */
let decoder: TextDecoder | undefined

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignalLike): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort)
    promise.then(
      (value) => (signal.removeEventListener('abort', onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error)),
    )
  })
}

/**
 * The cheap way to observe a body that is read whole (every response type but `stream`): the
 * response keeps its own body, and the methods that read it whole (`text`, `arrayBuffer`, `blob`:
 * whichever ofetch picks for the content type) go through the observer. Same semantics as
 * {@link observeStream} (idle per chunk, bytes, size limit, progress, typed errors), without
 * building a second Response around a JavaScript stream. volley does not guess which method ofetch
 * will call: guessing mirrored ofetch's private content-type rules, and drifted from them.
 * When nothing needs single chunks (`perChunk` false: no idle timeout, size limit or progress),
 * the runtime reads the body natively and it is counted once; an abort still ends the read,
 * through the transport's own signal.
 */
export function observeMethods(
  response: Response,
  body: ReadableStream<Uint8Array>,
  observer: Observed,
  perChunk: boolean,
  nativeAbort: boolean,
): Response {
  const native = response.arrayBuffer
  const { signal } = observer
  const bytes = async (): Promise<Uint8Array> => {
    if (perChunk) return concatBytes(await readWhole(body, observer))
    let buffer: ArrayBuffer
    try {
      const read = native.call(response)
      // A transport that never saw a real AbortSignal cannot end this read on abort: stop
      // waiting for it then (the runtime's own fetch aborts the read itself).
      buffer = await (nativeAbort ? read : untilAborted(read, signal))
    } catch (cause) {
      throw observer.error(cause)
    }
    if (observer.signal.aborted) throw observer.error(observer.signal.reason)
    observer.chunk(buffer.byteLength)
    const cut = observer.end()
    if (cut !== undefined) throw cut
    return new Uint8Array(buffer)
  }
  // Own properties shadow the prototype's methods (plain assignments: far cheaper than
  // defineProperty); `json()` and `formData()` stay native, and ofetch never calls them.
  const target = response as unknown as Record<string, unknown>
  target.text = async () => (decoder ??= new TextDecoder()).decode(await bytes())
  target.arrayBuffer = async () => {
    const data = await bytes()
    return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data.buffer : data.slice().buffer
  }
  target.blob = async () => {
    const type = response.headers.get('content-type')
    return new Blob([(await bytes()) as Uint8Array<ArrayBuffer>], type ? { type } : undefined)
  }
  return response
}
