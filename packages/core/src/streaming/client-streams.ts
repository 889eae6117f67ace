import type { CallOptions, Client } from '../client.js'
import { ParseError } from '../errors/index.js'
import type { ResponseData } from '../options/response-data.js'
import type { StandardSchemaV1 } from '../policies/standard-schema.js'
import { lines } from './lines.js'
import { ndjson } from './ndjson.js'
import { sse, type SSEMessage, type SSEOptions } from './sse.js'

/**
 * Options of {@link streamSSE}: a call's options plus the reconnection policy. `retryDelay` is
 * the wait before a reconnection here, not ofetch's retry delay (use `retry` for that).
 */
export type SSECallOptions = Omit<CallOptions, 'responseType' | 'retryDelay'> &
  Pick<SSEOptions, 'reconnect' | 'reconnectOnEnd' | 'retryDelay' | 'maxRetries' | 'onReconnect'>


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
export function streamNdjson<T = unknown, O extends CallOptions = CallOptions>(client: Client, url: string | URL, options?: O): AsyncIterableIterator<ResponseData<O, T>> {
  const { schema, ...call } = (options ?? {}) as CallOptions
  const check = validator(client, schema)
  const rows = iterate(
    () => client<ReadableStream<Uint8Array>>(url, { ...call, responseType: 'stream', headers: withHeader(call.headers, 'accept', 'application/x-ndjson') }),
    (body) => ndjson<T>(body, { signal: call.signal }),
  )
  return (check ? validated(rows, check) : rows) as AsyncIterableIterator<ResponseData<O, T>>
}

/**
 * Server-sent events across reconnections, fetched through `client`: after a drop it reconnects
 * with `Last-Event-ID`, waiting the server's `retry:` (or `retryDelay`). Each connection goes
 * through the client, so its pool, limiter and retry policy apply. There is no total deadline
 * unless the call sets one (a stream may run for hours); set `timeout.idle` to detect dead
 * connections.
 * @example for await (const event of streamSSE(api, '/events')) render(JSON.parse(event.data))
 */
export function streamSSE<O extends SSECallOptions = SSECallOptions>(client: Client, url: string | URL, options?: O): AsyncIterableIterator<SSEItem<O>> {
  const { reconnect, reconnectOnEnd, retryDelay, maxRetries, onReconnect, schema, ...call } = (options ?? {}) as SSECallOptions
  const check = validator(client, schema)
  const events = sse({
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
  if (!check) return events as AsyncIterableIterator<SSEItem<O>>
  // With a schema, each event's data is JSON: parsed, then validated.
  return validated(events, async (event: SSEMessage) => {
    let data: unknown
    try {
      data = JSON.parse(event.data)
    } catch (cause) {
      throw new ParseError({ cause, contentType: 'text/event-stream', body: event.data, status: 200 })
    }
    return { ...event, data: await check(data) }
  }) as AsyncIterableIterator<SSEItem<O>>
}

function withHeader(headers: HeadersInit | undefined, name: string, value: string): Headers {
  const merged = new Headers(headers)
  if (name !== 'accept' || !merged.has('accept')) merged.set(name, value)
  return merged
}
