/**
 * The plumbing shared by `lines()`, `ndjson()` and `parseSSE()`: reading a byte stream under an
 * abort signal, and an iterator whose `return()` always closes the stream, so an HTTP body is
 * released (and its pool slot freed) as soon as the consumer stops.
 */

const ignore = (): void => {}

/** A locked byte stream, read chunk by chunk. */
export interface StreamSource {
  /**
   * The next chunk, or undefined at the end of the stream and after {@link StreamSource.close}.
   * Rejects with the stream's error, or with `signal.reason` once the signal aborted.
   */
  read(): Promise<Uint8Array | undefined>
  /** Cancels the stream (unless it already ended) and releases its lock. Idempotent. */
  close(): Promise<void>
  /** True once {@link StreamSource.close} was called: an end of stream is then not a real end. */
  readonly closed: boolean
}

/**
 * Locks `stream` right away (a second reader fails now, not at the first `next()`), and cancels it
 * as soon as `signal` aborts, even while nobody is reading, so the connection is dropped at once.
 */
export function openStream(stream: ReadableStream<Uint8Array>, signal?: AbortSignal): StreamSource {
  const reader = stream.getReader()
  let released = false
  let closed = false

  const release = (): void => {
    if (released) return
    released = true
    signal?.removeEventListener('abort', onAbort)
    reader.releaseLock()
  }
  // Cancelling settles a pending read() with { done: true }; read() then turns that into the reason.
  const onAbort = (): void => {
    reader.cancel(signal?.reason).catch(ignore)
  }
  const abortIfNeeded = async (): Promise<void> => {
    if (!signal?.aborted) return
    if (!released) {
      await reader.cancel(signal.reason).catch(ignore)
      release()
    }
    throw signal.reason
  }

  signal?.addEventListener('abort', onAbort, { once: true })
  // Already aborted: drop the body now rather than at the first read(), which may never come.
  if (signal?.aborted) onAbort()

  return {
    async read() {
      if (closed || released) return undefined
      await abortIfNeeded()
      let result: ReadableStreamReadResult<Uint8Array>
      try {
        result = await reader.read()
      } catch (error) {
        release()
        throw error
      }
      await abortIfNeeded()
      if (result.done) {
        release()
        return undefined
      }
      return result.value
    },
    async close() {
      if (closed) return
      closed = true
      if (released) return
      // Awaited so that when `return()` resolves the body is really closed; a failing cancel
      // is not interesting to a consumer who chose to stop.
      await reader.cancel().catch(ignore)
      release()
    },
    get closed() {
      return closed
    },
  }
}

/**
 * Wraps `generator` so that `return()` closes `source` first: that settles a `next()` still waiting
 * on a stalled body (a generator alone would queue `return()` behind it forever), and covers a
 * generator that never started (whose `finally` would not run).
 */
export function closingIterator<T>(
  generator: AsyncGenerator<T, void, undefined>,
  close: () => Promise<void>,
): AsyncIterableIterator<T> {
  return {
    next: () => generator.next(),
    async return() {
      await close()
      await generator.return()
      return { done: true, value: undefined }
    },
    async throw(error?: unknown) {
      await close()
      return generator.throw(error)
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}
