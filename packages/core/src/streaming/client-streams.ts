import type { CallOptions, Client } from '../client.js'
import { ParseError, TimeoutError } from '../errors/index.js'
import { redactUrl } from '../observe/redact.js'
import type { TimeoutOptions } from '../options/options.js'
import { mergeOptions } from '../options/resolve-options.js'
import type { ResponseData } from '../options/response-data.js'
import { joinURL } from '../options/url.js'
import type { StandardSchemaV1 } from '../policies/standard-schema.js'
import type { TimerHandle } from '../runtime/clock.js'
import { lines, type LineOptions } from './lines.js'
import { ndjson } from './ndjson.js'
import { sse, type SSEMessage, type SSEOptions } from './sse.js'

/**
 * Options of {@link streamSSE}: a call's options plus the reconnection policy. `retryDelay` is
 * the wait before a reconnection here, not ofetch's retry delay (use `retry` for that).
 */
export type SSECallOptions = Omit<CallOptions, 'responseType' | 'retryDelay'> &
  Pick<SSEOptions, 'reconnect' | 'reconnectOnEnd' | 'retryDelay' | 'maxRetries' | 'onReconnect' | 'maxEventSize'>

/** Options of {@link streamLines} and {@link streamNdjson}: a call's options plus the line limit. */
export type LineCallOptions = CallOptions & Pick<LineOptions, 'maxLineLength'>


/** An SSE event whose `data` went through the call's `schema`: the parsed, validated JSON. */
export type ValidatedSSEMessage<Data> = Omit<SSEMessage, 'data'> & { data: Data }

/** What {@link streamSSE} yields: the raw event, or with `schema` the event with validated data. */
export type SSEItem<O> = O extends { schema: infer Schema extends StandardSchemaV1 } ? ValidatedSSEMessage<StandardSchemaV1.InferOutput<Schema>> : SSEMessage

/** Iterates a parsed stream body; leaving the loop cancels the body (and frees the pool slot). */
async function* iterate<T>(
  open: () => Promise<ReadableStream<Uint8Array>>,
  parse: (body: ReadableStream<Uint8Array>) => AsyncIterableIterator<T>,
): AsyncGenerator<T, void, undefined> {
  yield* parse(await open())
}

/**
 * With a `schema`, validates each item with the client's `validation()` policy (a stream helper
 * never bundles the validation code itself); without, passes items through.
 */
function validator(client: Client, schema: StandardSchemaV1 | undefined): ((value: unknown) => unknown) | undefined {
  if (schema === undefined) return undefined
  const validate = client.defaults.policies.find((p) => p.validate)?.validate
  if (!validate) throw new TypeError('volley: `schema` needs the validation policy: pass `use: [validation()]` to createClient')
  return (value) => validate(value, schema)
}

async function* validated<T>(items: AsyncIterable<T>, check: (value: T) => unknown): AsyncGenerator<unknown, void, undefined> {
  for await (const item of items) yield await check(item)
}

/**
 * Lines of a text body as they arrive (`\n` or `\r\n`), fetched through `client` (its pool,
 * limiter and retries apply); leaving the loop cancels the body.
 * @example for await (const line of streamLines(api, '/logs')) console.log(line)
 */
export function streamLines(client: Client, url: string | URL, options: LineCallOptions = {}): AsyncIterableIterator<string> {
  const { maxLineLength, ...call } = options
  return iterate(
    () => client<ReadableStream<Uint8Array>>(url, { ...call, responseType: 'stream' }),
    (body) => lines(body, { signal: call.signal, ...(maxLineLength !== undefined && { maxLineLength }) }),
  )
}

/**
 * One parsed JSON value per line of an NDJSON body, fetched through `client`; a line that is not
 * JSON throws a ParseError.
 * @example for await (const row of streamNdjson<Row>(api, '/export')) rows.push(row)
 */
export function streamNdjson<T = unknown, O extends LineCallOptions = LineCallOptions>(client: Client, url: string | URL, options?: O): AsyncIterableIterator<ResponseData<O, T>> {
  const { schema, maxLineLength, ...call } = (options ?? {}) as LineCallOptions
  const check = validator(client, schema)
  const rows = iterate(
    () => client<ReadableStream<Uint8Array>>(url, { ...call, responseType: 'stream', headers: withHeader(call.headers, 'accept', 'application/x-ndjson') }),
    (body) => ndjson<T>(body, { signal: call.signal, ...(maxLineLength !== undefined && { maxLineLength }) }),
  )
  return (check ? validated(rows, check) : rows) as AsyncIterableIterator<ResponseData<O, T>>
}

/**
 * Server-sent events across reconnections, fetched through `client`: after a drop it reconnects
 * with `Last-Event-ID`, waiting the server's `retry:` (or `retryDelay`). Each connection goes
 * through the client, so its pool, limiter and retry policy apply.
 *
 * Deadlines: there is no total deadline unless the call sets one (a stream may run for hours; the
 * client's `total` does not apply). A call's `total` (`timeout: 60_000` or `{ total: 60_000 }`)
 * bounds the whole stream, every connection and reconnect wait included, and ends it with a
 * `TimeoutError` (phase `total`); the other phases (`idle` to detect a dead connection, `attempt`,
 * `connect`) apply to each connection. An event larger than `maxEventSize` ends the stream with
 * `ItemTooLargeError`.
 * @example for await (const event of streamSSE(api, '/events', { timeout: { idle: 30_000 } })) render(JSON.parse(event.data))
 */
export function streamSSE<O extends SSECallOptions = SSECallOptions>(client: Client, url: string | URL, options?: O): AsyncIterableIterator<SSEItem<O>> {
  const { reconnect, reconnectOnEnd, retryDelay, maxRetries, onReconnect, maxEventSize, schema, ...call } = (options ?? {}) as SSECallOptions
  const check = validator(client, schema)
  // The call's timeout is checked here, once: its total never reaches a call of the client.
  if (call.timeout !== undefined) mergeOptions({ timeout: call.timeout }, client.defaults, 'call')
  const { total, perConnection } = splitTimeout(call.timeout)
  const deadline = total === undefined ? undefined : new AbortController()
  const events = sse({
    connect: ({ lastEventId, signal }) => {
      let headers = withHeader(call.headers, 'accept', 'text/event-stream')
      if (lastEventId !== undefined) headers = withHeader(headers, 'last-event-id', lastEventId)
      // A 204 (no body) means "no more events": end instead of reconnecting forever.
      return client<ReadableStream<Uint8Array> | undefined>(url, { ...call, responseType: 'stream', headers, signal, timeout: perConnection }).then((body) => body ?? null)
    },
    ...((deadline ?? call.signal) && { signal: deadline?.signal ?? call.signal }),
    ...(maxEventSize !== undefined && { maxEventSize }),
    ...(reconnect !== undefined && { reconnect }),
    ...(reconnectOnEnd !== undefined && { reconnectOnEnd }),
    ...(retryDelay !== undefined && { retryDelay }),
    ...(maxRetries !== undefined && { maxRetries }),
    ...(onReconnect && { onReconnect }),
    clock: client.defaults.clock,
  })
  const bounded = deadline
    ? withDeadline(events, deadline, total!, client, call.signal, () => ({ method: 'GET', url: redactUrl(joinURL(call.baseURL ?? client.defaults.baseURL, String(url))) }))
    : events
  if (!check) return bounded as AsyncIterableIterator<SSEItem<O>>
  // With a schema, each event's data is JSON: parsed, then validated.
  return validated(bounded, async (event: SSEMessage) => {
    let data: unknown
    try {
      data = JSON.parse(event.data)
    } catch (cause) {
      throw new ParseError({ cause, contentType: 'text/event-stream', body: event.data, status: 200 })
    }
    return { ...event, data: await check(data) }
  }) as AsyncIterableIterator<SSEItem<O>>
}

/**
 * A stream call's `timeout`: its `total` (the whole stream's deadline, undefined for none) and
 * what each connection gets (every phase but `total`, over the client's; no total per connection).
 */
function splitTimeout(timeout: SSECallOptions['timeout']): { total: number | undefined; perConnection: number | TimeoutOptions | false } {
  if (timeout === false) return { total: undefined, perConnection: false }
  if (typeof timeout === 'number') return { total: timeout, perConnection: { total: false } }
  // Undefined, or a value mergeOptions rejects with its own TypeError.
  if (typeof timeout !== 'object' || timeout === null) return { total: undefined, perConnection: timeout ?? { total: false } }
  const { total, ...phases } = timeout
  return { total: typeof total === 'number' ? total : undefined, perConnection: { ...phases, total: false } }
}

/**
 * `events` under one deadline of `total` ms, started at the first `next()` on the client's clock:
 * it aborts `deadline` (the signal the SSE loop runs under) with a `TimeoutError`, which ends a
 * connection, a reconnect wait or a pending connect at once. The caller's `signal` is forwarded.
 * The timer and the listener are removed as soon as the iterator ends, however it ends.
 */
function withDeadline<T>(
  events: AsyncIterableIterator<T>,
  deadline: AbortController,
  total: number,
  client: Client,
  signal: AbortSignal | undefined,
  request: () => { method: string; url: string },
): AsyncIterableIterator<T> {
  const { clock } = client.defaults
  let timer: TimerHandle | undefined
  let started = false
  const forward = (): void => deadline.abort(signal?.reason)
  const stop = (): void => {
    if (timer !== undefined) clock.clearTimeout(timer)
    timer = undefined
    signal?.removeEventListener('abort', forward)
  }
  const start = (): void => {
    started = true
    if (signal?.aborted) return forward()
    signal?.addEventListener('abort', forward, { once: true })
    timer = clock.setTimeout(() => {
      timer = undefined
      deadline.abort(new TimeoutError({ phase: 'total', limit: total, request: request() }))
    }, total)
  }
  const settle = <R>(promise: Promise<R>, ends: (value: R) => boolean): Promise<R> =>
    promise.then(
      (value) => {
        if (ends(value)) stop()
        return value
      },
      (error: unknown) => {
        stop()
        throw error
      },
    )
  return {
    next() {
      if (!started) start()
      return settle(events.next(), (result) => result.done === true)
    },
    async return() {
      stop()
      await events.return?.()
      return { done: true, value: undefined }
    },
    throw(error?: unknown) {
      return settle(events.throw ? events.throw(error) : Promise.reject(error), () => true)
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

function withHeader(headers: HeadersInit | undefined, name: string, value: string): Headers {
  const merged = new Headers(headers)
  if (name !== 'accept' || !merged.has('accept')) merged.set(name, value)
  return merged
}
