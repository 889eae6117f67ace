import type { AttemptState } from './attempt-state.js'
import { isBrowserLike, supportsRequestStreams } from './features.js'
import { bodySize, createProgressTracker, type ProgressTracker } from './streaming/progress.js'

/**
 * Marks a transport that reports upload progress itself (the XHR transport of @volley/browser).
 * Such a transport finds a callback `(loaded: number) => void` on `init[UPLOAD_PROGRESS]`.
 */
export const UPLOAD_PROGRESS = Symbol.for('volley.uploadProgress')

/** Size of the pieces a buffered body is streamed in when upload progress is asked for. */
const UPLOAD_CHUNK = 64 * 1024

/** What `instrumentedFetch` does with the request body of one attempt. */
export interface PreparedUpload {
  /** The init to hand to the transport (the same object unless the body was wrapped). */
  readonly init: RequestInit
  /** The response headers arrived: the body was fully sent. */
  complete(): void
  /** The attempt failed before a response. */
  abandon(): void
}

const NOTHING: Omit<PreparedUpload, 'init'> = { complete() {}, abandon() {} }

function isStream(body: unknown): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream | undefined)?.getReader === 'function'
}

/** Turns any fetch body into a byte stream plus its exact size (when knowable). */
async function toByteStream(body: unknown): Promise<{ stream: ReadableStream<Uint8Array>; contentType?: string }> {
  if (isStream(body)) return { stream: body }
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

/** Wraps `source` so every chunk the transport pulls is counted, and the idle timer spans stalls. */
function countingStream(source: ReadableStream<Uint8Array>, state: AttemptState, progress: ProgressTracker | undefined): ReadableStream<Uint8Array> {
  const reader = source.getReader()
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        state.disarmIdle()
        const chunk = await reader.read()
        if (chunk.done) {
          controller.close()
        } else {
          state.bytesOut += chunk.value.byteLength
          progress?.add(chunk.value.byteLength)
          controller.enqueue(chunk.value)
        }
        // Until the next pull (or the response headers) we are waiting on the network.
        state.armIdle()
      },
      cancel(reason) {
        return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}

/**
 * Prepares the request body of one attempt: counts `bytesOut`, refuses a stream body the runtime
 * would mangle, and reports upload progress where it can be observed:
 * - a transport marked {@link UPLOAD_PROGRESS} (XHR) reports it itself;
 * - where fetch streams request bodies (Node, Deno, Bun) the body is streamed with
 *   `duplex: 'half'` and counted as the transport pulls it;
 * - elsewhere only the first (0) and the final event fire, when the response arrives.
 */
export function prepareUpload(init: RequestInit, state: AttemptState): PreparedUpload | Promise<PreparedUpload> {
  const body = init.body as unknown
  // Most requests have no body: answer without a promise.
  if (body === undefined || body === null) return { init, ...NOTHING }
  return prepareBody(init, body, state)
}

async function prepareBody(init: RequestInit, body: unknown, state: AttemptState): Promise<PreparedUpload> {
  const onProgress = state.options.onUploadProgress
  const transport = state.options.transport as { [UPLOAD_PROGRESS]?: boolean }
  const size = bodySize(body)
  if (size !== undefined) state.bytesOut = size
  const streamable = supportsRequestStreams() && !isBrowserLike()

  if (isStream(body) && !streamable && !transport[UPLOAD_PROGRESS]) {
    throw new TypeError(
      'volley: this runtime cannot send a ReadableStream request body over fetch (Firefox would send the text "[object ReadableStream]", Chromium needs HTTP/2). ' +
        'Send a Blob, an ArrayBuffer or a string, or use the XHR transport of @volley/browser.',
    )
  }
  if (transport[UPLOAD_PROGRESS] && (onProgress || state.options.timeout.idle !== undefined)) {
    // The transport reports upload progress itself (XHR, undici): take its reports even without
    // a progress callback when an idle timeout is set, since they are the upload's proof of life.
    // (Not always: in browsers, upload listeners force a CORS preflight.)
    const progress = onProgress ? createProgressTracker({ total: size, onProgress, clock: state.options.clock }) : undefined
    let reported = 0
    const report = (loaded: number): void => {
      state.armIdle()
      if (loaded > reported) {
        progress?.add(loaded - reported)
        reported = loaded
        if (size === undefined) state.bytesOut = loaded
      }
    }
    return { init: { ...init, [UPLOAD_PROGRESS]: report } as RequestInit, complete: () => progress?.finish(), abandon: () => progress?.stop() }
  }
  if (!onProgress) {
    if (isStream(body)) {
      // Count what a caller-provided stream sends, so meta.bytesOut is exact.
      state.bytesOut = 0
      return { init: { ...init, body: countingStream(body, state, undefined), duplex: 'half' } as RequestInit, ...NOTHING }
    }
    return { init, ...NOTHING }
  }

  const progress = createProgressTracker({ total: size, onProgress, clock: state.options.clock })
  if (!streamable) {
    return {
      init,
      complete() {
        if (size !== undefined) progress.add(size)
        progress.finish()
      },
      abandon: () => progress.stop(),
    }
  }
  const { stream, contentType } = await toByteStream(body)
  const headers = new Headers(init.headers)
  if (contentType && !headers.has('content-type')) headers.set('content-type', contentType)
  state.bytesOut = 0
  return {
    init: { ...init, headers, body: countingStream(stream, state, progress), duplex: 'half' } as RequestInit,
    complete: () => progress.finish(),
    abandon: () => progress.stop(),
  }
}
