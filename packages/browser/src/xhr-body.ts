import type { BodyObserver } from '@volley/core'

/**
 * The body of a Response built from an XMLHttpRequest. The Response is handed out when the
 * headers arrive, but XHR gives the bytes only at `load`; meanwhile its `progress` events say how
 * many arrived. The transport attaches the attempt's {@link BodyObserver} (core's transport protocol) so those events
 * drive download progress, `bytesIn`, the idle timeout and `maxBodySize` live, as a streamed
 * fetch body would.
 */
export interface XhrBody {
  /** The Response body: one chunk with the whole body, delivered on the first read after `load`. */
  readonly stream: ReadableStream<Uint8Array>
  /** Core's observer; called at most once, right after the Response was handed out. */
  attach(observer: BodyObserver): void
  /** An XHR `progress` event: `loaded` bytes of the body arrived so far. */
  progress(loaded: number): void
  /** The XHR `load` event: the complete body. */
  complete(bytes: Uint8Array): void
  /** The transfer failed after the headers (network error, abort): reads reject with `error`. */
  fail(error: unknown): void
}

/**
 * Creates the body of one XHR response. `stop(reason)` is called when the body must not be read
 * any further (the consumer cancelled it, or it grew past `maxBodySize`): abort the XHR there.
 *
 * Every path ends in exactly one of the observer's `end`, `error` or `cancel` (or a `chunk` that
 * returned a reason, which already ended the attempt), so core's attempt always finishes.
 *
 * @example
 * const body = createXhrBody((reason) => xhr.abort())
 * xhr.onprogress = (event) => body.progress(event.loaded)
 * xhr.onload = () => body.complete(new Uint8Array(xhr.response))
 * const response = new Response(body.stream, { status: xhr.status })
 */
export function createXhrBody(stop: (reason: unknown) => void): XhrBody {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let observer: BodyObserver | undefined
  let received = 0 // bytes announced by progress events (or the final body)
  let counted = 0 // bytes reported to the observer
  let bytes: Uint8Array | undefined
  let settled = false
  let wake: (() => void) | undefined

  /** Reports newly arrived bytes; false when the observer ended the body (too large). */
  const count = (): boolean => {
    if (!observer || received <= counted) return true
    const n = received - counted
    counted = received
    const reason = observer.chunk(n)
    if (reason === undefined) return true
    settled = true
    controller.error(reason)
    stop(reason)
    return false
  }

  const deliver = (): void => {
    if (settled || !bytes) return
    // Progress events may count encoded bytes (gzip); the body we hand over is what counts.
    received = Math.max(received, bytes.byteLength)
    if (!count()) return
    settled = true
    try {
      // An error back from end(): fewer bytes than Content-Length announced (WebKit's cut body).
      const cut = observer?.end()
      if (cut !== undefined) return controller.error(cut)
    } catch (error) {
      // A throwing onDownloadProgress fails the read, as it does for a streamed fetch body.
      controller.error(error)
      return
    }
    if (bytes.byteLength > 0) controller.enqueue(bytes)
    controller.close()
  }

  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c
      },
      pull() {
        if (bytes || settled) return deliver()
        return new Promise<void>((resolve) => {
          wake = resolve
        }).then(deliver)
      },
      cancel(reason) {
        if (settled) return
        settled = true
        observer?.cancel()
        stop(reason)
      },
    },
    // Pull only when someone reads, so the observer ends when the body is consumed (as core's
    // own stream wrapper does) and a body nobody reads holds nothing but the buffered bytes.
    { highWaterMark: 0 },
  )

  return {
    stream,
    attach(o) {
      observer = o
      if (settled) return
      if (count() && !bytes) o.waiting()
    },
    progress(loaded) {
      if (settled || loaded <= received) return
      received = loaded
      if (observer && count()) observer.waiting()
    },
    complete(body) {
      if (settled) return
      bytes = body
      wake?.()
    },
    fail(error) {
      if (settled) return
      settled = true
      controller.error(observer ? observer.error(error) : error)
      wake?.()
    },
  }
}
