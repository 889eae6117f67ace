/**
 * The transport protocol: the one interface between volley's core and whatever sends the bytes
 * (global `fetch`, the Node entry's undici transport, the browser entry's XHR transport, or a
 * third party's). A transport is a fetch-compatible function; volley passes a third argument, a
 * {@link TransportAttempt}, with what it knows of the attempt, and reads two optional flags on the
 * function. A plain `fetch` ignores the third argument and works as it is (docs/DESIGN.md#transports).
 */

/** Connection-setup timings of one attempt, reported by transports that see sockets. */
export interface PhaseTimings {
  /** DNS lookup and TCP connect of a connection this attempt opened, in ms. */
  connectMs?: number
  /** TLS handshake of that connection, in ms. */
  tlsMs?: number
  /** Whether the attempt went out on a kept-alive connection. */
  reusedSocket?: boolean
}

/** The part of `AbortSignal` a transport needs: volley's attempts abort through this. */
export interface AbortSignalLike {
  readonly aborted: boolean
  readonly reason: unknown
  /** `options` is accepted for signal-shaped calls (`{ once: true }`); an abort happens once anyway. */
  addEventListener(type: 'abort', listener: (() => void) | { handleEvent(): void }, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: (() => void) | { handleEvent(): void }): void
}

/** What a transport reports while it reads a response body itself (see {@link TransportAttempt.observe}). */
export interface BodyObserver {
  /** About to wait on the network for the next chunk (arms the idle timer). */
  waiting(): void
  /**
   * A chunk of `bytes` arrived. Returns an error when the body must stop (it grew past
   * `maxBodySize`); the transport then destroys its body and fails the read with that error.
   */
  chunk(bytes: number): unknown
  /**
   * The body ended normally. Returns an error when it did not really end: fewer bytes arrived than
   * its `Content-Length` announced (WebKit ends a cut body as if it were complete); the transport
   * then fails the read with that error instead of closing the body.
   */
  end(): unknown
  /** Reading failed; returns the error the transport must surface (typed, redacted). */
  error(cause: unknown): unknown
  /** The consumer cancelled the body. */
  cancel(): void
}

/** What volley tells a transport about one attempt: the third argument of every transport call. */
export interface TransportAttempt {
  /**
   * Aborts when the attempt ends early (a timeout, the caller's abort, a closed client). A
   * transport with {@link TransportFlags.usesAttemptSignal} listens here; the others get a real
   * `AbortSignal` as `init.signal`.
   */
  readonly signal: AbortSignalLike
  /** The call's `timeout.connect` in ms, or undefined for none: enforced by transports that see connection setup. */
  readonly connectTimeout: number | undefined
  /** Reports how the connection was set up; lands in the attempt's `meta.timings` entry. */
  timings(timings: PhaseTimings): void
  /**
   * Set when the call wants upload progress (or upload liveness for `timeout.idle`) and the
   * transport declared {@link TransportFlags.reportsUpload}: call it with the total bytes sent so far.
   */
  readonly uploaded: ((loaded: number) => void) | undefined
  /**
   * For transports that read the response body themselves (undici's callbacks in the Node entry):
   * returns the observer to report reads to; volley then does not wrap the body in a second stream.
   * Call it before resolving with the response.
   */
  observe(): BodyObserver
}

/** What a transport declares about itself, as properties of the function. */
export interface TransportFlags {
  /** The transport aborts through `attempt.signal`, so volley need not build an `AbortSignal` for `init.signal`. */
  readonly usesAttemptSignal?: boolean
  /** The transport calls `attempt.uploaded` as the body goes out (XHR, undici). */
  readonly reportsUpload?: boolean
  /** Releases what the transport holds (sockets); `client.close()` calls it for a transport the client owns. */
  close?(): void | Promise<void>
}

/**
 * A fetch-compatible function, optionally aware of volley's {@link TransportAttempt}.
 *
 * @example
 * const logged: Transport = (input, init) => { console.log(init?.method, String(input)); return fetch(input, init) }
 * createClient({ transport: logged })
 */
export type Transport = ((input: string | URL | Request, init?: RequestInit, attempt?: TransportAttempt) => Promise<Response>) & TransportFlags

/**
 * The global fetch, looked up per request so that a fetch installed after volley loads
 * (polyfills, MSW, test spies) is used, and so that importing volley never throws.
 */
export const globalFetch: Transport = (input, init) =>
  typeof globalThis.fetch === 'function'
    ? globalThis.fetch(input, init)
    : Promise.reject(new TypeError('volley: no global fetch in this runtime; pass `transport` (a fetch-compatible function)'))
