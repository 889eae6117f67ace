import { countingStream } from '../call/counting-stream.js'
import { isBrowserLike, supportsRequestStreams } from '../runtime/features.js'
import type { AttemptContext, Policy } from './policy.js'
import { bodySize } from '../streaming/body-size.js'
import { createProgressTracker, type ProgressTracker } from '../streaming/progress.js'
import { isReadableStream } from '../runtime/is-stream.js'
import { checkOptions } from '../options/option-check.js'

/** Size of the pieces a buffered body is streamed in when upload progress is asked for. */
const UPLOAD_CHUNK = 64 * 1024


/** Turns any fetch body into a byte stream (and the content type the runtime would send with it). */
async function toByteStream(body: unknown): Promise<{ stream: ReadableStream<Uint8Array>; contentType?: string }> {
  if (isReadableStream(body)) return { stream: body }
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    return { stream: body.stream() as ReadableStream<Uint8Array>, ...(body.type && { contentType: body.type }) }
  }
  // Strings, buffers, URLSearchParams and FormData: let the runtime serialize them exactly as
  // fetch would (FormData gets its multipart boundary here), then stream the bytes in pieces.
  const response = new Response(body as BodyInit)
  const bytes = new Uint8Array(await response.arrayBuffer())
  let offset = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close()
      controller.enqueue(bytes.subarray(offset, (offset += UPLOAD_CHUNK)))
    },
  })
  const contentType = response.headers.get('content-type') ?? undefined
  return { stream, ...(contentType && { contentType }) }
}

/**
 * The highest `loaded` each call's caller has been shown, across its attempts. A retried download
 * starts again from byte 0; its events stay silent until it passes what the caller already saw, so
 * progress never goes backwards for the caller (docs/DESIGN.md#streaming-and-progress).
 */
const shown = new WeakMap<object, number>()

/** Download progress: a tracker per response, fed by every body chunk, final event at the body's end. */
function watchDownload(attempt: AttemptContext): void {
  const onProgress = attempt.onDownloadProgress
  if (!onProgress) return
  const { call } = attempt
  attempt.onResponse((response) => {
    const length = response.headers.get('content-length')
    const total = length !== null && /^\d+$/.test(length) ? Number(length) : undefined
    const tracker = createProgressTracker({
      total,
      clock: attempt.clock,
      onProgress: (progress) => {
        const floor = shown.get(call) ?? 0
        // The final event always fires, with the exact count of the body that completed.
        if (progress.loaded < floor && !progress.done) return
        shown.set(call, progress.loaded)
        onProgress(progress)
      },
    })
    // However the attempt ends, no progress timer outlives it; `done` only when every byte arrived.
    attempt.onEnd((completed) => (completed ? tracker.finish() : tracker.stop()))
    return (bytes) => tracker.add(bytes)
  })
}

/**
 * Upload progress, where the runtime lets us see it:
 * - a transport that reports it (XHR, undici) gets a callback (`attempt.uploaded`);
 * - where fetch streams request bodies (Node, Deno, Bun) the body is streamed with
 *   `duplex: 'half'` and counted as the transport pulls it;
 * - elsewhere only the first (0) and the final event fire, when the response arrives.
 */
async function watchUpload(attempt: AttemptContext): Promise<void> {
  const onProgress = attempt.onUploadProgress
  const body = attempt.init.body as unknown
  if (!onProgress || body === undefined || body === null) return
  const size = bodySize(body)
  attempt.bytesOut = size ?? 0
  const { clock } = attempt
  if (attempt.transport.reportsUpload) {
    const tracker = createProgressTracker({ total: size, onProgress, clock })
    let reported = 0
    attempt.uploaded = (loaded) => {
      attempt.armIdle()
      if (loaded > reported) {
        tracker.add(loaded - reported)
        reported = loaded
        if (size === undefined) attempt.bytesOut = loaded
      }
    }
    settleUpload(attempt, tracker)
    return
  }
  if (!supportsRequestStreams() || isBrowserLike()) {
    const tracker = createProgressTracker({ total: size, onProgress, clock })
    attempt.onResponse(() => {
      if (size !== undefined) tracker.add(size)
      tracker.finish()
    })
    attempt.onEnd(() => tracker.stop())
    return
  }
  const { stream, contentType } = await toByteStream(body)
  const tracker = createProgressTracker({ total: size, onProgress, clock })
  const init = attempt.init as RequestInit & { duplex?: string }
  const headers = new Headers(init.headers)
  if (contentType && !headers.has('content-type')) headers.set('content-type', contentType)
  attempt.bytesOut = 0
  init.headers = headers
  init.body = countingStream(stream, attempt, (bytes) => tracker.add(bytes))
  init.duplex = 'half'
  settleUpload(attempt, tracker)
}

/** The upload is complete when the response headers arrive; abandoned when the attempt fails first. */
function settleUpload(attempt: AttemptContext, tracker: ProgressTracker): void {
  attempt.onResponse(() => tracker.finish())
  attempt.onEnd(() => tracker.stop())
}

/**
 * The progress policy: `onDownloadProgress` and `onUploadProgress` work on the calls of a client
 * that uses it (docs/DESIGN.md#streaming-and-progress). Download progress works for every response type; events
 * are throttled to one per ~50 ms, and the first and the last always fire.
 *
 * @example
 * import { createClient, progress } from 'volley'
 * const api = createClient({ use: [progress()] })
 * await api.get('/big.bin', { responseType: 'blob', onDownloadProgress: (p) => bar.set(p.percent ?? 0) })
 *
 * @param options none yet; any name given is a TypeError (a misplaced `onDownloadProgress` belongs to the call).
 */
export function progress(options?: Record<string, never>): Policy {
  checkOptions('progress()', options, {})
  return {
    name: 'progress',
    reportsProgress: true,
    prepare(attempt) {
      watchDownload(attempt)
      return watchUpload(attempt)
    },
  }
}
