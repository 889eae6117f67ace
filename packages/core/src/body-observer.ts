import type { AttemptState } from './attempt-state.js'
import { BodyTooLargeError, isVolleyError } from './errors/index.js'
import { transportFailure } from './errors/network-failure.js'
import type { ProgressTracker } from './streaming/progress.js'

/**
 * A response from a transport that reads its own body (undici's request API in @volley/node)
 * can take an observer instead of being re-wrapped in a WHATWG stream: it marks itself with
 * this symbol and calls the observer as it reads. Responses without it are wrapped.
 */
export const OBSERVE_BODY = Symbol.for('volley.observeBody')

/** What a transport reports while it reads a response body. */
export interface BodyObserver {
  /** The attempt's signal: stop reading and fail with its reason when it aborts. */
  readonly signal: AbortSignal
  /** About to wait on the network for the next chunk (arms the idle timer). */
  waiting(): void
  /**
   * A chunk of `bytes` arrived. Returns an error when the body must stop (it grew past
   * `maxBodySize`); the transport then destroys its body and fails the read with that error.
   */
  chunk(bytes: number): unknown
  /** The body ended normally. */
  end(): void
  /** Reading failed; returns the error the transport must surface (typed, redacted). */
  error(cause: unknown): unknown
  /** The consumer cancelled the body. */
  cancel(): void
}

/** A Response that reads its body itself and reports to a {@link BodyObserver}. */
export interface ObservableResponse extends Response {
  [OBSERVE_BODY](observer: BodyObserver): void
}

/** True when `response` implements {@link ObservableResponse}. */
export function isObservable(response: Response): response is ObservableResponse {
  return typeof (response as Partial<ObservableResponse>)[OBSERVE_BODY] === 'function'
}

/**
 * The one observer implementation: counts bytes once, runs the idle timer only while waiting on
 * the network, enforces `maxBodySize`, emits progress, and finishes the attempt exactly once when
 * the body ends, errors or is cancelled.
 */
export function createBodyObserver(state: AttemptState, progress: ProgressTracker | undefined): BodyObserver {
  const limit = state.options.maxBodySize
  // However the attempt ends, no progress timer outlives it (a no-op after the final event).
  if (progress) state.whenFinished(() => progress.stop())
  return {
    signal: state.signal,
    waiting: () => state.armIdle(),
    chunk(bytes) {
      state.disarmIdle()
      state.bytesIn += bytes
      if (state.bytesIn > limit) {
        const reason = new BodyTooLargeError({ limit, request: state.request })
        state.fail(reason)
        state.bodyError = reason
        state.finish()
        return reason
      }
      progress?.add(bytes)
      return undefined
    },
    end() {
      state.disarmIdle()
      progress?.finish()
      state.finish()
    },
    error(cause) {
      let reason: unknown
      if (state.signal.aborted) reason = state.signal.reason
      else if (isVolleyError(cause)) reason = cause
      else {
        state.transportError = cause
        reason = transportFailure(cause, state.request)
      }
      state.bodyError = reason
      state.finish()
      return reason
    },
    cancel: () => state.finish(),
  }
}

/**
 * Drives an observer from a WHATWG body stream: the wrapper every plain `fetch` response gets.
 * Pull-based with no buffering, so the idle timer measures the network, not a slow consumer.
 */
export function observeStream(body: ReadableStream<Uint8Array>, observer: BodyObserver, onAbortUnread: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  const onAbort = (): void => {
    // Aborted while nobody reads (a stream response left unread): end the attempt now so its
    // pool slot is freed; the next read() rejects with the reason.
    reader.cancel(observer.signal.reason).catch(() => {})
    onAbortUnread()
  }
  observer.signal.addEventListener('abort', onAbort, { once: true })
  const detach = (): void => observer.signal.removeEventListener('abort', onAbort)

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        observer.waiting()
        let chunk: ReadableStreamReadResult<Uint8Array>
        try {
          chunk = await reader.read()
        } catch (cause) {
          detach()
          controller.error(observer.error(cause))
          return
        }
        if (chunk.done) {
          detach()
          // Our own abort handler cancels the reader, which ends a pending read as "done": that
          // is a cut-off body, not a complete one, and must fail with the abort's reason.
          if (observer.signal.aborted) controller.error(observer.error(observer.signal.reason))
          else {
            observer.end()
            controller.close()
          }
          return
        }
        const stop = observer.chunk(chunk.value.byteLength)
        if (stop !== undefined) {
          detach()
          reader.cancel(stop).catch(() => {})
          controller.error(stop)
          return
        }
        controller.enqueue(chunk.value)
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

/**
 * Reads a whole body through `observer` with a plain reader loop. Used by {@link observeMethods}.
 * Resolves with the chunks, or rejects with the observer's typed error.
 */
async function readWhole(body: ReadableStream<Uint8Array>, observer: BodyObserver): Promise<Uint8Array[]> {
  const reader = body.getReader()
  // A body that ignores the abort (a custom transport) still ends: cancelling the reader ends the
  // pending read as "done", which the loop below turns into the abort's reason.
  const onAbort = (): void => void reader.cancel(observer.signal.reason).catch(() => {})
  observer.signal.addEventListener('abort', onAbort, { once: true })
  const chunks: Uint8Array[] = []
  try {
    for (;;) {
      observer.waiting()
      let chunk: ReadableStreamReadResult<Uint8Array>
      try {
        chunk = await reader.read()
      } catch (cause) {
        throw observer.error(cause)
      }
      if (chunk.done) {
        if (observer.signal.aborted) throw observer.error(observer.signal.reason)
        observer.end()
        return chunks
      }
      const stop = observer.chunk(chunk.value.byteLength)
      if (stop !== undefined) {
        reader.cancel(stop).catch(() => {})
        throw stop
      }
      chunks.push(chunk.value)
    }
  } finally {
    observer.signal.removeEventListener('abort', onAbort)
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  let size = 0
  for (const chunk of chunks) size += chunk.byteLength
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/**
 * The cheap way to observe a body that is read whole (every response type but `stream`): the
 * response keeps its own body and gets reading methods that go through {@link readWhole}. Same
 * semantics as {@link observeStream} (idle per chunk, bytes, size limit, progress, typed errors),
 * without building a second Response around a JavaScript stream, which costs more than the rest
 * of an attempt.
 */
export function observeMethods(response: Response, body: ReadableStream<Uint8Array>, observer: BodyObserver): Response {
  const type = response.headers.get('content-type') ?? ''
  const bytes = async (): Promise<Uint8Array> => concat(await readWhole(body, observer))
  Object.defineProperties(response, {
    text: { value: async () => new TextDecoder().decode(await bytes()) },
    json: { value: async () => JSON.parse(new TextDecoder().decode(await bytes())) as unknown },
    arrayBuffer: {
      value: async () => {
        const data = await bytes()
        return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data.buffer : data.slice().buffer
      },
    },
    bytes: { value: bytes },
    blob: { value: async () => new Blob(await readWhole(body, observer) as BlobPart[], type ? { type } : undefined) },
  })
  return response
}
