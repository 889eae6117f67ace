import { createParser } from 'eventsource-parser'
import { ItemTooLargeError, isItemTooLargeError } from '../errors/item-too-large-error.js'
import { NetworkError } from '../errors/network-error.js'
import { sleep, systemClock, type Clock } from '../runtime/clock.js'
import { DEFAULT_MAX_EVENT_SIZE, sizeLimit } from './limits.js'
import type { StreamIteratorOptions } from './lines.js'
import { closingIterator, openStream, type StreamSource } from './stream-reader.js'
import { checkOptionNames } from '../options/option-check.js'
import { inputError } from '../runtime/dev-text.js'

/** What `process.env.NODE_ENV` reads (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

/** One server-sent event. */
export interface SSEMessage {
  /** The event's own `id:` field; undefined when the event had none (it does not inherit one). */
  id: string | undefined
  /** The `event:` field; `'message'` when absent or empty, as in EventSource. */
  event: string
  /** The `data:` lines joined with `'\n'`. */
  data: string
  /**
   * The reconnection delay (ms) from a `retry:` field received since the previous event, in this
   * event's block or in a data-less block before it; undefined when none was received.
   */
  retry?: number
}

const ignore = (): void => {}

/** Options of {@link parseSSE}. */
export interface ParseSSEOptions extends StreamIteratorOptions {
  /**
   * Largest event buffered, in characters: its unterminated line plus its `data:` lines so far
   * (eventsource-parser's `maxBufferSize`). A larger one cancels the stream and throws
   * `ItemTooLargeError`; `sse()` and `streamSSE()` do not reconnect after it. `Infinity` turns it off.
   * @default 8_388_608 (8 Mi characters, DEFAULT_MAX_EVENT_SIZE)
   */
  maxEventSize?: number
}

/** An event boundary: a blank line, in any of the three line endings the SSE format allows. */
const BOUNDARY = /(?:\r\n|\r|\n)(?:\r\n|\r|\n)/g

/**
 * What follows the last event boundary of `text`. Only the unfinished block is kept, so this stays
 * as small as one event.
 */
function afterLastBoundary(text: string): string {
  let end = -1
  for (const match of text.matchAll(BOUNDARY)) end = match.index + match[0].length
  return end < 0 ? text : text.slice(end)
}

/** True when `block` has a field line (not only comments and blank space): an event was under way. */
function holdsField(block: string): boolean {
  return block.split(/\r\n|\r|\n/).some((line) => line !== '' && !line.startsWith(':'))
}

/**
 * Yields the events of `source`, parsed by eventsource-parser. Comments (`: ping`), unknown fields
 * and an invalid `retry:` are ignored, as the SSE spec requires; an incomplete event at the end of
 * the stream is discarded (HTML spec, 9.2.6 "Interpreting an event stream"). An event that grows
 * past `maxEventSize` throws `ItemTooLargeError`.
 *
 * With `cutIsFailure`, a stream that ends inside an event was cut, not closed: a server ends its
 * stream after a complete event. WebKit reports a chunked body whose connection broke as a clean
 * end, so this is how a cut is seen there (docs/DESIGN.md#failures-after-the-headers); it throws a
 * NetworkError, which `sse()` treats as a dropped connection.
 */
async function* readEvents(
  source: StreamSource,
  maxEventSize: number,
  onRetry: (ms: number) => void = ignore,
  /** Throw at an end inside an event (sse(), which reconnects); parseSSE discards it, as the spec says. */
  cutIsFailure = false,
): AsyncGenerator<SSEMessage, void, undefined> {
  const decoder = new TextDecoder()
  const queue: SSEMessage[] = []
  let retry: number | undefined
  let overflow: ItemTooLargeError | undefined
  let unfinished = ''
  const parser = createParser({
    ...(maxEventSize !== Infinity && { maxBufferSize: maxEventSize }),
    onError(error) {
      // Other parse errors (an unknown field, a bad retry:) are ignored, as the SSE spec says.
      if (error.type === 'max-buffer-size-exceeded') overflow ??= new ItemTooLargeError({ item: 'event', limit: maxEventSize, cause: error })
    },
    onEvent(event) {
      const message: SSEMessage = { id: event.id, event: event.event ?? 'message', data: event.data }
      if (retry !== undefined) message.retry = retry
      retry = undefined
      queue.push(message)
    },
    onRetry(ms) {
      retry = ms
      onRetry(ms)
    },
  })
  try {
    for (;;) {
      const chunk = await source.read()
      if (source.closed) return
      if (chunk === undefined) {
        if (cutIsFailure && holdsField(unfinished + decoder.decode())) throw new NetworkError({ message: 'the event stream ended inside an event: the connection was cut' })
        return
      }
      const text = decoder.decode(chunk, { stream: true })
      // Bounded by the parser's limit below: past maxEventSize the event fails before this grows on.
      if (cutIsFailure) unfinished = afterLastBoundary(unfinished + text)
      try {
        parser.feed(text)
      } catch (cause) {
        // A terminated parser throws; past V8's string limit a bare RangeError would escape.
        throw overflow ?? new ItemTooLargeError({ item: 'event', limit: maxEventSize, cause })
      }
      if (overflow) throw overflow
      // The parser reports events through a callback; hand them out once this chunk is parsed.
      for (const message of queue) yield message
      queue.length = 0
    }
  } finally {
    await source.close()
  }
}

/**
 * Parses one SSE byte stream (no reconnection). Leaving the loop early cancels the stream;
 * aborting `signal` cancels it and makes the iterator throw `signal.reason`.
 *
 * @example
 * for await (const message of parseSSE(response.body!)) {
 *   if (message.event === 'update') render(JSON.parse(message.data))
 * }
 */
export function parseSSE(
  stream: ReadableStream<Uint8Array>,
  options: ParseSSEOptions = {},
): AsyncIterableIterator<SSEMessage> {
  const maxEventSize = sizeLimit('maxEventSize', options.maxEventSize, DEFAULT_MAX_EVENT_SIZE)
  const source = openStream(stream, options.signal)
  return closingIterator(readEvents(source, maxEventSize), () => source.close())
}

/** What {@link SSEOptions.connect} gets for each connection. */
export interface SSEConnectContext {
  /** The id of the last event received, to send as `Last-Event-ID`; undefined: send no header. */
  lastEventId: string | undefined
  /** Aborts when the caller's signal aborts or the iterator is closed; pass it to the request. */
  signal: AbortSignal
  /** 0 for the first connection, then 1, 2, ... for each reconnection. */
  attempt: number
}

/** What {@link SSEOptions.onReconnect} gets before each reconnection. */
export interface SSEReconnectContext {
  /** The attempt number of the coming connection (1 for the first reconnection). */
  attempt: number
  /** The id that will be sent as `Last-Event-ID`. */
  lastEventId: string | undefined
  /** How long (ms) the iterator waits before connecting: the server's `retry:`, else `retryDelay`. */
  delay: number
  /** Why the previous connection ended, when it failed; absent when it ended cleanly. */
  error?: unknown
}

/** Options of {@link sse}. */
export interface SSEOptions {
  /**
   * Opens one connection; the integrator implements it with the HTTP client (sending
   * Last-Event-ID when defined). Rejecting = connection failed; resolving `null` ends the
   * stream for good without reconnecting (the server answered 204 No Content).
   */
  connect: (ctx: SSEConnectContext) => Promise<ReadableStream<Uint8Array> | null>
  /** Aborting stops everything at once, a pending reconnect wait included. @default undefined */
  signal?: AbortSignal
  /**
   * Reconnect after the stream ends or drops? A stream that ends cleanly is also reconnected
   * (that is the EventSource model) unless `reconnectOnEnd: false`.
   * @default true
   */
  reconnect?: boolean
  /** Reconnect after a stream that ended cleanly (rather than failing)? @default true */
  reconnectOnEnd?: boolean
  /**
   * Delay (ms) before reconnecting while the server sent no `retry:`; the server's `retry:` field
   * replaces it from then on, across connections (EventSource "reconnection time").
   * @default 1000
   */
  retryDelay?: number
  /**
   * Max consecutive failed connections (connect rejects, or a stream that fails before delivering
   * any event) retried before giving up by throwing the last error; `Infinity` retries forever.
   * The count resets when a connection delivers an event; a clean end neither counts nor resets.
   * @default 5
   */
  maxRetries?: number
  /** Called before each reconnection (before the wait); may return false to stop. @default undefined */
  onReconnect?: (ctx: SSEReconnectContext) => boolean | void
  /** Source of timers for the reconnect wait. @default systemClock */
  clock?: Clock
  /**
   * Largest event buffered, in characters (see `parseSSE`); a larger one ends the iterator with
   * `ItemTooLargeError`, without reconnecting (the server would send it again).
   * @default 8_388_608 (8 Mi characters, DEFAULT_MAX_EVENT_SIZE)
   */
  maxEventSize?: number
}

/** Settles with `promise`, or rejects with `signal.reason` as soon as it aborts (cancelling a late stream). */
function untilAborted(
  promise: Promise<ReadableStream<Uint8Array> | null>,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array> | null> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason)
      // A connect() that ignores the signal must not leave an open body behind.
      promise.then((stream) => stream?.cancel(signal.reason).catch(ignore), ignore)
    }
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (stream) => {
        signal.removeEventListener('abort', onAbort)
        resolve(stream)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function validate(options: SSEOptions): number {
  checkOptionNames('sse()', options, ['connect', 'signal', 'reconnect', 'reconnectOnEnd', 'retryDelay', 'maxRetries', 'onReconnect', 'clock', 'maxEventSize'])
  const { connect, retryDelay, maxRetries } = options
  if (typeof connect !== 'function') {
    throw inputError('volley: sse(): invalid option `connect`', () => process.env.NODE_ENV !== 'production' && `sse: expected connect to be a function, got ${typeof connect}`)
  }
  if (retryDelay !== undefined && !(retryDelay >= 0 && retryDelay < Infinity)) {
    throw inputError('volley: sse(): invalid option `retryDelay`', () => process.env.NODE_ENV !== 'production' && `sse: expected retryDelay to be a finite number >= 0, got ${String(retryDelay)}`)
  }
  if (maxRetries !== undefined && !((Number.isInteger(maxRetries) && maxRetries >= 0) || maxRetries === Infinity)) {
    throw inputError('volley: sse(): invalid option `maxRetries`', () => process.env.NODE_ENV !== 'production' && `sse: expected maxRetries to be an integer >= 0 or Infinity, got ${String(maxRetries)}`)
  }
  return sizeLimit('maxEventSize', options.maxEventSize, DEFAULT_MAX_EVENT_SIZE)
}

/**
 * An async iterator over server-sent events across reconnections, following the EventSource
 * processing model (HTML spec, 9.2): it tracks the last event id, waits the server's `retry:` delay
 * (or `retryDelay`), then reconnects passing `lastEventId`, so a server that honours Last-Event-ID
 * resumes after the last delivered event and each event is delivered once.
 *
 * Aborting `signal` stops at once (a pending connect or reconnect wait included) and the iterator
 * throws `signal.reason`. Leaving the loop (`break`) cancels the current stream and any pending
 * wait, leaving no timer.
 *
 * @example
 * const events = sse({
 *   async connect({ lastEventId, signal }) {
 *     const headers: Record<string, string> = { accept: 'text/event-stream' }
 *     if (lastEventId !== undefined) headers['last-event-id'] = lastEventId
 *     const response = await fetch('https://example.com/events', { headers, signal })
 *     if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`)
 *     return response.body
 *   },
 * })
 * for await (const message of events) console.log(message.id, message.data)
 */
export function sse(options: SSEOptions): AsyncIterableIterator<SSEMessage> {
  const maxEventSize = validate(options)
  const { connect, signal, reconnect = true, reconnectOnEnd = true, retryDelay = 1000, maxRetries = 5 } = options
  const { onReconnect, clock = systemClock } = options
  // One controller for everything in flight: the caller's abort and our own close() both go through it.
  const controller = new AbortController()
  const forwardAbort = (): void => controller.abort(signal?.reason)
  let stopped = false
  let current: StreamSource | undefined

  async function* run(): AsyncGenerator<SSEMessage, void, undefined> {
    if (signal?.aborted) throw signal.reason
    signal?.addEventListener('abort', forwardAbort, { once: true })
    let lastEventId: string | undefined
    let delay = retryDelay
    let failures = 0
    try {
      for (let attempt = 0; ; attempt++) {
        let failure: { error: unknown } | undefined
        let delivered = false
        let events: AsyncGenerator<SSEMessage, void, undefined> | undefined
        try {
          const ctx: SSEConnectContext = { lastEventId, signal: controller.signal, attempt }
          const stream = await untilAborted(new Promise<ReadableStream<Uint8Array> | null>((resolve) => resolve(connect(ctx))), controller.signal)
          // null: the server said there is nothing more (HTTP 204), and EventSource stops too.
          if (stream === null) return
          current = openStream(stream, controller.signal)
          events = readEvents(
            current,
            maxEventSize,
            (ms) => {
              delay = ms
            },
            true,
          )
        } catch (error) {
          failure = { error }
        }
        while (events) {
          let result: IteratorResult<SSEMessage, void>
          try {
            result = await events.next()
          } catch (error) {
            failure = { error }
            break
          }
          if (result.done) break
          delivered = true
          // An empty `id:` resets the last event id: no Last-Event-ID header is sent then.
          if (result.value.id !== undefined) lastEventId = result.value.id || undefined
          // Outside the try: an error thrown into the iterator must not look like a dropped connection.
          yield result.value
        }
        current = undefined
        if (stopped) return
        if (signal?.aborted) throw signal.reason

        // An oversized event would only come again: no reconnection.
        if (failure && isItemTooLargeError(failure.error)) throw failure.error
        if (delivered) failures = 0
        else if (failure) failures++
        if (failure ? !reconnect || failures > maxRetries : !reconnect || !reconnectOnEnd) {
          if (failure) throw failure.error
          return
        }
        const next: SSEReconnectContext = { attempt: attempt + 1, lastEventId, delay }
        if (failure) next.error = failure.error
        if (onReconnect?.(next) === false) {
          if (failure) throw failure.error
          return
        }
        try {
          await sleep(delay, controller.signal, clock)
        } catch (reason) {
          if (stopped) return
          throw reason
        }
      }
    } finally {
      signal?.removeEventListener('abort', forwardAbort)
    }
  }

  return closingIterator(run(), async () => {
    if (stopped) return
    stopped = true
    controller.abort()
    await current?.close()
  })
}
