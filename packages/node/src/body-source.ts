import type { BodyObserver } from '@volley/core'
import type { BodySink } from './body-sink.js'

/** What a body source can ask of the connection it reads from. */
export interface FlowControl {
  /** Restart the socket after backpressure. */
  resume(): void
  /** Destroy the request (and its socket) with `reason`. */
  abort(reason: unknown): void
}

/**
 * Bytes queued before the socket is paused while nobody, or a slow stream reader, consumes them.
 * A buffering consumer (`text()`, `json()`, ...) never pauses: it keeps every byte anyway.
 */
const HIGH_WATER = 256 * 1024
/** A redirect's body is drained up to this size to keep the socket alive; a longer one is cut off. */
const DISCARD_LIMIT = 64 * 1024

const OPEN = 0
const ENDED = 1
const FAILED = 2
const CANCELLED = 3

type Consumer = 'none' | 'collect' | 'stream' | 'discard'

interface Pending<T> {
  resolve(value: T): void
  reject(reason: unknown): void
}

function unusable(): TypeError {
  return new TypeError('Body is unusable: Body has already been read')
}

/**
 * A response body as undici delivers it: push-based, no streams on the hot path (docs/DESIGN.md#cost:
 * speed first). Chunks are queued until a consumer shows up; `collect()` gathers them into one
 * Buffer (concatenated once), `read()` hands them out one by one for a WHATWG stream.
 *
 * With a volley observer attached (`observe()`), each chunk is reported once, when it arrives
 * (or at `observe()` for chunks that arrived before), and the idle timer runs only while the
 * socket flows, never while a slow consumer holds it paused.
 */
export class BodySource implements BodySink {
  #chunks: Buffer[] = []
  #queued = 0
  #status = OPEN
  #failure: unknown = undefined
  #consumer: Consumer = 'none'
  #observer: BodyObserver | undefined = undefined
  #collector: Pending<Buffer> | undefined = undefined
  #reader: Pending<Buffer | null> | undefined = undefined
  #paused = false
  #discarded = 0
  readonly #control: FlowControl
  readonly #onClose: () => void

  /** `onClose` runs once, when the body ended, failed or was cancelled (listener clean-up). */
  constructor(control: FlowControl, onClose: () => void) {
    this.#control = control
    this.#onClose = onClose
  }

  /** True while the socket is held paused because nobody consumes the queued bytes. */
  get paused(): boolean {
    return this.#paused
  }

  /** True once a consumer took the body (read, streamed or discarded). */
  get used(): boolean {
    return this.#consumer !== 'none'
  }

  /** A chunk from the network; false asks the socket to pause. */
  write(chunk: Buffer): boolean {
    if (this.#status !== OPEN) return false
    const observer = this.#observer
    if (observer) {
      const stop = observer.chunk(chunk.byteLength)
      if (stop !== undefined) {
        this.#settle(FAILED, stop, true)
        return false
      }
    }
    const reader = this.#reader
    if (reader) {
      this.#reader = undefined
      observer?.waiting()
      reader.resolve(chunk)
      return true
    }
    if (this.#consumer === 'discard') {
      this.#discarded += chunk.byteLength
      if (this.#discarded > DISCARD_LIMIT) this.cancel(new Error('redirect body too long to drain'))
      return true
    }
    this.#chunks.push(chunk)
    this.#queued += chunk.byteLength
    if (this.#consumer !== 'collect' && this.#queued >= HIGH_WATER) {
      this.#paused = true
      return false
    }
    observer?.waiting()
    return true
  }

  /** The body ended normally. */
  end(): void {
    if (this.#status !== OPEN) return
    this.#status = ENDED
    this.#observer?.end()
    const collector = this.#collector
    if (collector) {
      this.#collector = undefined
      collector.resolve(this.#drain())
    }
    const reader = this.#reader
    if (reader) {
      this.#reader = undefined
      reader.resolve(null)
    }
    this.#onClose()
  }

  /** The network failed (`abortNetwork: false`), or decoding did and the socket must go too. */
  error(cause: unknown, abortNetwork = false): void {
    this.#settle(FAILED, cause, abortNetwork)
  }

  /** The request's signal aborted: destroy the socket and fail with the reason. */
  abort(reason: unknown): void {
    this.#settle(FAILED, reason, true)
  }

  /** The consumer gave up (stream cancelled, redirect body dropped): destroy the socket quietly. */
  cancel(reason: unknown): void {
    if (this.#status !== OPEN) return
    this.#status = CANCELLED
    this.#chunks = []
    this.#queued = 0
    this.#control.abort(reason ?? new DOMException('The body was cancelled', 'AbortError'))
    this.#observer?.cancel()
    this.#reader?.resolve(null)
    this.#reader = undefined
    this.#onClose()
  }

  /** Drop this body (a redirect's), keeping the socket when the rest is short. */
  discard(): void {
    if (this.#consumer !== 'none') return
    this.#consumer = 'discard'
    this.#chunks = []
    this.#queued = 0
    this.#resume()
  }

  /** Attaches volley's observer; reports what already arrived (see the class comment). */
  observe(observer: BodyObserver): void {
    if (this.#observer) return
    this.#observer = observer
    for (const chunk of this.#chunks) {
      const stop = observer.chunk(chunk.byteLength)
      if (stop !== undefined) {
        this.#settle(FAILED, stop, true)
        return
      }
    }
    if (this.#status === ENDED) observer.end()
    else if (this.#status === FAILED) this.#failure = observer.error(this.#failure)
    else if (this.#status === OPEN && !this.#paused) observer.waiting()
  }

  /** The whole body as one Buffer (fetch's `arrayBuffer()`, `text()`, ... all start here). */
  collect(): Promise<Buffer> {
    if (this.#consumer !== 'none') return Promise.reject(unusable())
    this.#consumer = 'collect'
    if (this.#status === ENDED) return Promise.resolve(this.#drain())
    if (this.#status === FAILED) return Promise.reject(this.#failure)
    if (this.#status === CANCELLED) return Promise.reject(unusable())
    this.#resume()
    return new Promise<Buffer>((resolve, reject) => {
      this.#collector = { resolve, reject }
    })
  }

  /** The next chunk for a stream reader, or null at the end; rejects with the failure. */
  read(): Promise<Buffer | null> {
    if (this.#consumer === 'none') this.#consumer = 'stream'
    else if (this.#consumer !== 'stream') return Promise.reject(unusable())
    const chunk = this.#chunks.shift()
    if (chunk !== undefined) {
      this.#queued -= chunk.byteLength
      if (this.#queued < HIGH_WATER / 2) this.#resume()
      return Promise.resolve(chunk)
    }
    if (this.#status === FAILED) return Promise.reject(this.#failure)
    if (this.#status !== OPEN) return Promise.resolve(null)
    this.#resume()
    return new Promise<Buffer | null>((resolve, reject) => {
      this.#reader = { resolve, reject }
    })
  }

  #resume(): void {
    if (!this.#paused || this.#status !== OPEN) return
    this.#paused = false
    this.#observer?.waiting()
    this.#control.resume()
  }

  #drain(): Buffer {
    const chunks = this.#chunks
    const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#queued)
    this.#chunks = []
    this.#queued = 0
    return buffer
  }

  /**
   * Fails the body once. The status flips first: aborting the socket calls back into `error()`
   * synchronously (undici's onError), which must then be a no-op. An observer turns the cause
   * into volley's typed error (or the abort reason) and finishes the attempt.
   */
  #settle(status: typeof FAILED, cause: unknown, abortNetwork: boolean): void {
    if (this.#status !== OPEN) return
    this.#status = status
    this.#chunks = []
    this.#queued = 0
    if (abortNetwork) this.#control.abort(cause)
    const failure = this.#observer ? this.#observer.error(cause) : cause
    this.#failure = failure
    const collector = this.#collector
    this.#collector = undefined
    collector?.reject(failure)
    const reader = this.#reader
    this.#reader = undefined
    reader?.reject(failure)
    this.#onClose()
  }
}
