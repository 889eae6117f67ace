import type { Readable } from 'node:stream'

/** A body in a form undici's dispatcher sends as is. */
export type WireBody = string | Uint8Array | Readable | AsyncIterable<Uint8Array> | null

/** A request body, ready to send once per hop. */
export interface PreparedBody {
  /** The body for one hop (a Blob yields a fresh stream each time). */
  make(): WireBody
  /** Can be sent again after a 307/308 redirect (not a stream). */
  readonly replayable: boolean
  /** Content-Type implied by the body (fetch's rules), used when the caller set none. */
  readonly contentType: string | undefined
  /** Exact length for bodies undici cannot measure itself (a Blob sent as a stream). */
  readonly contentLength: number | undefined
}

const NONE: PreparedBody = { make: () => null, replayable: true, contentType: undefined, contentLength: undefined }

function fixed(value: string | Uint8Array, contentType?: string): PreparedBody {
  return { make: () => value, replayable: true, contentType, contentLength: undefined }
}

function isNodeReadable(body: object): body is Readable {
  return typeof (body as Readable).pipe === 'function' && typeof (body as Readable).on === 'function'
}

function isWebStream(body: object): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream).getReader === 'function'
}

/**
 * Maps every body fetch accepts onto what undici sends, with fetch's implied Content-Type
 * (Fetch standard, "extract a body"):
 * - string: UTF-8, `text/plain;charset=UTF-8`;
 * - ArrayBuffer and views: the bytes, no type;
 * - URLSearchParams: `application/x-www-form-urlencoded;charset=UTF-8`;
 * - Blob / File: streamed chunk by chunk (never read into memory), with its exact length and type;
 * - FormData: as encoded by {@link encodeForm} before this step (multipart, boundary in the type);
 * - WHATWG ReadableStream and Node Readable: streamed (chunked), with backpressure; not replayable.
 * Anything else is sent as `String(body)`, as fetch does.
 */
export function prepareBody(body: unknown): PreparedBody {
  if (body === undefined || body === null) return NONE
  if (typeof body === 'string') return fixed(body, 'text/plain;charset=UTF-8')
  if (typeof body !== 'object') return fixed(String(body), 'text/plain;charset=UTF-8')
  if (body instanceof Uint8Array) return fixed(body)
  if (ArrayBuffer.isView(body)) return fixed(new Uint8Array(body.buffer, body.byteOffset, body.byteLength))
  if (body instanceof ArrayBuffer || Object.prototype.toString.call(body) === '[object ArrayBuffer]') {
    return fixed(new Uint8Array(body as ArrayBuffer))
  }
  if (body instanceof EncodedForm) return fixed(body.bytes, body.contentType)
  if (body instanceof URLSearchParams) return fixed(body.toString(), 'application/x-www-form-urlencoded;charset=UTF-8')
  if (body instanceof Blob) {
    const blob = body
    return {
      // Blob.stream() reads lazily (for fs.openAsBlob, from the file), one chunk per pull.
      make: () => (blob.size === 0 ? null : (blob.stream() as unknown as AsyncIterable<Uint8Array>)),
      replayable: true,
      contentType: blob.type || undefined,
      contentLength: blob.size,
    }
  }
  if (isWebStream(body)) {
    // undici writes async iterables with backpressure: one chunk is pulled per socket drain.
    return { make: () => body as unknown as AsyncIterable<Uint8Array>, replayable: false, contentType: undefined, contentLength: undefined }
  }
  if (isNodeReadable(body)) return { make: () => body, replayable: false, contentType: undefined, contentLength: undefined }
  return fixed(String(body), 'text/plain;charset=UTF-8')
}

/** Size of the pieces a buffered body is sent in when its upload progress is reported. */
const PIECE = 64 * 1024

function byteLength(chunk: Uint8Array | string): number {
  return typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
}

/**
 * Yields `wire` in pieces of at most 64 KiB and reports the bytes undici has taken after each one.
 * Large chunks are cut (an in-memory Blob streams as one chunk): progress stays fine-grained and
 * each report is proof of life for volley's idle timer during a long upload.
 */
async function* counted(wire: Exclude<WireBody, null>, report: (loaded: number) => void): AsyncGenerator<Uint8Array | string> {
  let loaded = 0
  const chunks: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string> =
    typeof wire === 'string' ? [Buffer.from(wire)] : wire instanceof Uint8Array ? [wire] : (wire as AsyncIterable<Uint8Array | string>)
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') {
      yield chunk
      // undici asks for the next chunk once the socket took this one (it awaits 'drain' when
      // full), so this counts bytes handed to the network, with backpressure.
      report((loaded += byteLength(chunk)))
      continue
    }
    for (let offset = 0; offset < chunk.byteLength; offset += PIECE) {
      const piece = chunk.subarray(offset, offset + PIECE)
      yield piece
      report((loaded += piece.byteLength))
    }
  }
}

/**
 * The same body, reporting upload progress to volley (`attempt.uploaded` of core's transport protocol): sizes
 * that are known become an exact Content-Length, so a progress-tracked upload is not chunked.
 */
export function withUploadProgress(body: PreparedBody, report: (loaded: number) => void): PreparedBody {
  let contentLength = body.contentLength
  if (contentLength === undefined) {
    // Buffered bodies return the same value on every make(); streams have no length to give.
    const wire = body.make()
    if (typeof wire === 'string' || wire instanceof Uint8Array) contentLength = byteLength(wire)
  }
  return {
    make() {
      const wire = body.make()
      return wire === null ? null : (counted(wire, report) as AsyncIterable<Uint8Array>)
    },
    replayable: body.replayable,
    contentType: body.contentType,
    contentLength,
  }
}

/** A FormData already encoded as multipart, with the boundary in its content type. */
export class EncodedForm {
  constructor(
    readonly bytes: Uint8Array,
    readonly contentType: string,
  ) {}
}

/**
 * Encodes a FormData as multipart with Node's own fetch serialiser (undici's dispatcher only
 * knows undici's FormData class). The encoding is held in memory, then sent with an exact
 * Content-Length; send a large file as the body itself (`fileBody()`), not inside a form.
 */
export async function encodeForm(form: FormData): Promise<EncodedForm> {
  const response = new Response(form)
  return new EncodedForm(new Uint8Array(await response.arrayBuffer()), response.headers.get('content-type')!)
}
