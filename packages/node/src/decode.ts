import type { Transform } from 'node:stream'
import zlib from 'node:zlib'
import type { BodySource } from './body-source.js'
import type { BodySink } from './body-sink.js'

export type { BodySink }


/**
 * What the transport advertises when the caller did not choose: fetch sends the same (RFC 9110
 * §12.5.3). zstd is decoded where Node has it but not advertised, as Node 20 lacks it.
 */
export const ACCEPT_ENCODING = 'gzip, deflate, br'

// Lenient flushing, as fetch does: a body cut just before the gzip trailer still decodes, the
// way browsers accept it (undici lib/web/fetch, "Z_SYNC_FLUSH").
const GZIP = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }
const BROTLI = { flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }

type Factory = () => Transform
const zstd = (zlib as unknown as { createZstdDecompress?: Factory }).createZstdDecompress

const DECODERS: Readonly<Record<string, Factory>> = {
  gzip: () => zlib.createGunzip(GZIP),
  'x-gzip': () => zlib.createGunzip(GZIP),
  deflate: () => zlib.createInflate(GZIP),
  br: () => zlib.createBrotliDecompress(BROTLI),
  ...(zstd && { zstd }),
}

/**
 * The decoders for a `Content-Encoding` value, in decoding order (the reverse of the header's),
 * or undefined when the body is sent as is: no coding, only `identity`, or a coding we do not
 * know (then fetch hands over the raw bytes too, rather than failing).
 */
export function decodersFor(contentEncoding: string | undefined): Factory[] | undefined {
  if (!contentEncoding) return undefined
  const factories: Factory[] = []
  for (const token of contentEncoding.split(',')) {
    const coding = token.trim().toLowerCase()
    if (coding === '' || coding === 'identity') continue
    const factory = DECODERS[coding]
    if (!factory) return undefined
    factories.unshift(factory)
  }
  return factories.length > 0 ? factories : undefined
}

/**
 * Decodes a compressed body into `source`, with backpressure both ways: a full zlib input buffer
 * or a paused source pauses the socket; the socket resumes only when both have room again.
 */
export class DecodingSink implements BodySink {
  readonly #streams: Transform[]
  readonly #first: Transform
  readonly #last: Transform
  readonly #source: BodySource
  readonly #resumeNetwork: () => void
  #needDrain = false

  constructor(factories: Factory[], source: BodySource, resumeNetwork: () => void) {
    this.#streams = factories.map((create) => create())
    this.#first = this.#streams[0]!
    this.#last = this.#streams[this.#streams.length - 1]!
    this.#source = source
    this.#resumeNetwork = resumeNetwork
    for (let i = 0; i + 1 < this.#streams.length; i++) this.#streams[i]!.pipe(this.#streams[i + 1]!)
    const onError = (cause: unknown): void => {
      this.destroy()
      source.error(cause, true)
    }
    for (const stream of this.#streams) stream.on('error', onError)
    this.#last.on('data', (chunk: Buffer) => {
      if (!source.write(chunk)) this.#last.pause()
    })
    this.#last.once('end', () => source.end())
    this.#first.on('drain', () => {
      this.#needDrain = false
      this.#maybeResume()
    })
  }

  write(chunk: Buffer): boolean {
    if (!this.#first.write(chunk)) this.#needDrain = true
    return !this.#needDrain && !this.#source.paused
  }

  end(): void {
    this.#first.end()
  }

  error(cause: unknown): void {
    this.destroy()
    this.#source.error(cause)
  }

  /** The source has room again. */
  resume(): void {
    this.#last.resume()
    this.#maybeResume()
  }

  destroy(): void {
    for (const stream of this.#streams) stream.destroy()
  }

  #maybeResume(): void {
    if (!this.#needDrain && !this.#source.paused) this.#resumeNetwork()
  }
}
