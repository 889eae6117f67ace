import type { CallOptions, Client } from './client.js'
import { lines } from './streaming/lines.js'
import { ndjson } from './streaming/ndjson.js'
import { sse, type SSEMessage, type SSEOptions } from './streaming/sse.js'

/**
 * Options of {@link streamSSE}: a call's options plus the reconnection policy. `retryDelay` is
 * the wait before a reconnection here, not ofetch's retry delay (use `retry` for that).
 */
export type SSECallOptions = Omit<CallOptions, 'responseType' | 'retryDelay'> &
  Pick<SSEOptions, 'reconnect' | 'reconnectOnEnd' | 'retryDelay' | 'maxRetries' | 'onReconnect'>


/** Iterates a parsed stream body; leaving the loop cancels the body (and frees the pool slot). */
async function* iterate<T>(
  open: () => Promise<ReadableStream<Uint8Array>>,
  parse: (body: ReadableStream<Uint8Array>) => AsyncIterableIterator<T>,
): AsyncGenerator<T, void, undefined> {
  yield* parse(await open())
}

/**
 * Lines of a text body as they arrive (`\n` or `\r\n`), fetched through `client` (its pool,
 * limiter and retries apply); leaving the loop cancels the body.
 * @example for await (const line of streamLines(api, '/logs')) console.log(line)
 */
export function streamLines(client: Client, url: string | URL, options: CallOptions = {}): AsyncIterableIterator<string> {
  return iterate(
    () => client<ReadableStream<Uint8Array>>(url, { ...options, responseType: 'stream' }),
    (body) => lines(body, { signal: options.signal }),
  )
}

/**
 * One parsed JSON value per line of an NDJSON body, fetched through `client`; a line that is not
 * JSON throws a ParseError.
 * @example for await (const row of streamNdjson<Row>(api, '/export')) rows.push(row)
 */
export function streamNdjson<T = unknown>(client: Client, url: string | URL, options: CallOptions = {}): AsyncIterableIterator<T> {
  return iterate(
    () => client<ReadableStream<Uint8Array>>(url, { ...options, responseType: 'stream', headers: withHeader(options.headers, 'accept', 'application/x-ndjson') }),
    (body) => ndjson<T>(body, { signal: options.signal }),
  )
}

/**
 * Server-sent events across reconnections, fetched through `client`: after a drop it reconnects
 * with `Last-Event-ID`, waiting the server's `retry:` (or `retryDelay`). Each connection goes
 * through the client, so its pool, limiter and retry policy apply. There is no total deadline
 * unless the call sets one (a stream may run for hours); set `timeout.idle` to detect dead
 * connections.
 * @example for await (const event of streamSSE(api, '/events')) render(JSON.parse(event.data))
 */
export function streamSSE(client: Client, url: string | URL, options: SSECallOptions = {}): AsyncIterableIterator<SSEMessage> {
  const { reconnect, reconnectOnEnd, retryDelay, maxRetries, onReconnect, ...call } = options
  return sse({
    connect: ({ lastEventId, signal }) => {
      let headers = withHeader(call.headers, 'accept', 'text/event-stream')
      if (lastEventId !== undefined) headers = withHeader(headers, 'last-event-id', lastEventId)
      // A 204 (no body) means "no more events": end instead of reconnecting forever.
      return client<ReadableStream<Uint8Array> | undefined>(url, { ...call, responseType: 'stream', headers, signal, timeout: call.timeout ?? { total: false } }).then((body) => body ?? null)
    },
    ...(call.signal && { signal: call.signal }),
    ...(reconnect !== undefined && { reconnect }),
    ...(reconnectOnEnd !== undefined && { reconnectOnEnd }),
    ...(retryDelay !== undefined && { retryDelay }),
    ...(maxRetries !== undefined && { maxRetries }),
    ...(onReconnect && { onReconnect }),
    clock: client.defaults.clock,
  })
}

function withHeader(headers: HeadersInit | undefined, name: string, value: string): Headers {
  const merged = new Headers(headers)
  if (name !== 'accept' || !merged.has('accept')) merged.set(name, value)
  return merged
}
