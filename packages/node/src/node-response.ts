import type { TransportAttempt } from '@volley/core'
import type { BodySource } from './body-source.js'
import type { Exchange } from './exchange.js'
import { RawHeadersView, type RawHeaders } from './raw-headers.js'

const BOM = 0xfeff

/** `buffer`'s bytes as an ArrayBuffer of exactly their length: its own backing store when it spans it, else a copy (Buffers often share a larger pool). */
function toArrayBuffer(buffer: Buffer): ArrayBuffer {
  const { buffer: backing, byteOffset, byteLength } = buffer
  if (byteOffset === 0 && byteLength === backing.byteLength && backing instanceof ArrayBuffer) return backing
  return backing.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer
}

/** A pull-based WHATWG stream over the body: nothing is read until the consumer asks. */
function toWebStream(source: BodySource): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = await source.read()
        if (chunk === null) controller.close()
        else controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      },
      cancel(reason) {
        source.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}

/**
 * The Response the Node transport returns: fetch's `Response` interface over undici's native
 * callbacks. `text()`, `json()`, `arrayBuffer()`, `bytes()` and `blob()` gather the body's
 * Buffers and join them once; no WHATWG stream exists unless `body` is read, and then it is a
 * pull-based stream over the same source. `headers` reads the raw header list until iterated.
 *
 * It passes `instanceof Response` (its prototype chain includes `Response.prototype`), but every
 * member is its own: nothing reaches into a native Response's internals.
 *
 * `clone()` tees the body: the clone is a native `Response` over one branch, this response reads
 * the other. As with fetch, both branches buffer what the slower reader has not consumed.
 */
export class NodeResponse {
  readonly status: number
  readonly statusText: string
  readonly url: string
  readonly redirected: boolean
  readonly type = 'basic' as const
  readonly #raw: RawHeaders
  #headers: Headers | undefined = undefined
  readonly #source: BodySource | null
  #stream: ReadableStream<Uint8Array> | null | undefined = undefined
  /** Set once the body must be read through `#stream` (after `clone()` teed it). */
  #viaStream = false
  /** The teed stream was read (fetch's "disturbed"). */
  #disturbed = false

  constructor(exchange: Exchange, url: string, redirected: boolean, attempt?: TransportAttempt) {
    this.status = exchange.status
    this.statusText = exchange.statusText
    this.#raw = exchange.rawHeaders
    this.#source = exchange.body
    this.url = url
    this.redirected = redirected
    // volley's attempt observes this body as undici reads it, instead of wrapping it in a second
    // stream (the transport protocol, core transport.ts).
    if (attempt && this.#source) this.#source.observe(attempt.observe())
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299
  }

  get headers(): Headers {
    return (this.#headers ??= new RawHeadersView(this.#raw))
  }

  /** The body as a WHATWG stream, created on first access; null for HEAD, 204, 205 and 304. */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#stream === undefined) this.#stream = this.#source ? toWebStream(this.#source) : null
    return this.#stream
  }

  get bodyUsed(): boolean {
    if (this.#viaStream) return this.#disturbed
    return this.#source?.used ?? false
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return toArrayBuffer(await this.#collect())
  }

  async bytes(): Promise<Uint8Array> {
    const buffer = await this.#collect()
    return new Uint8Array(toArrayBuffer(buffer))
  }

  async text(): Promise<string> {
    const buffer = await this.#collect()
    // UTF-8 decode as fetch does: a leading byte order mark is dropped, invalid bytes become U+FFFD.
    const text = buffer.toString('utf8')
    return text.charCodeAt(0) === BOM ? text.slice(1) : text
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text())
  }

  async blob(): Promise<Blob> {
    const buffer = await this.#collect()
    return new Blob([buffer as Uint8Array<ArrayBuffer>], { type: this.headers.get('content-type') ?? '' })
  }

  async formData(): Promise<FormData> {
    const buffer = await this.#collect()
    return new Response(buffer as Uint8Array<ArrayBuffer>, { headers: { 'content-type': this.headers.get('content-type') ?? '' } }).formData()
  }

  clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.')
    let branch: ReadableStream<Uint8Array> | null = null
    const body = this.body
    if (body) {
      const [mine, theirs] = body.tee()
      this.#stream = mine
      this.#viaStream = true
      branch = theirs
    }
    const copy = new Response(branch, { status: this.status, statusText: this.statusText, headers: this.headers })
    Object.defineProperties(copy, { url: { value: this.url }, redirected: { value: this.redirected } })
    return copy
  }

  #collect(): Promise<Buffer> {
    if (!this.#source) return Promise.resolve(Buffer.alloc(0))
    if (this.#viaStream || (this.#stream?.locked ?? false)) return this.#collectStream()
    return this.#source.collect()
  }

  async #collectStream(): Promise<Buffer> {
    const stream = this.#stream!
    if (stream.locked || this.#disturbed) throw new TypeError('Body is unusable: Body has already been read')
    this.#disturbed = true
    const chunks: Uint8Array[] = []
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk)
    return Buffer.concat(chunks)
  }
}

// `instanceof Response` holds for these responses; every member above shadows the native one.
Object.setPrototypeOf(NodeResponse.prototype, Response.prototype)
