import { ParseError } from '../errors/parse-error.js'
import type { RequestInfo } from '../errors/volley-error.js'
import { splitLines, type StreamIteratorOptions } from './lines.js'
import { closingIterator, openStream } from './stream-reader.js'

/** Options of {@link ndjson}. */
export interface NdjsonOptions extends StreamIteratorOptions {
  /**
   * Status of the response the stream belongs to, copied into a {@link ParseError}.
   * @default 0 (no response known)
   */
  status?: number
  /**
   * The (redacted) request the stream belongs to, copied into a {@link ParseError}.
   * @default undefined
   */
  request?: RequestInfo
}

// NDJSON allows blank separator lines; a line of spaces or a stray `\r` is treated the same way.
const BLANK = /^\s*$/

/**
 * Parses NDJSON: one JSON value per non-empty line; blank lines are skipped. A line that is not
 * JSON throws a {@link ParseError} (contentType `application/x-ndjson`, excerpt = the line, cause =
 * the `SyntaxError`) and cancels the stream.
 *
 * Leaving the loop early cancels the stream and releases its lock; aborting `signal` cancels it and
 * makes the iterator throw `signal.reason`.
 *
 * @example
 * for await (const event of ndjson<{ type: string }>(response.body!)) {
 *   if (event.type === 'done') break // closes the body
 * }
 */
export function ndjson<T = unknown>(
  stream: ReadableStream<Uint8Array>,
  options: NdjsonOptions = {},
): AsyncIterableIterator<T> {
  const source = openStream(stream, options.signal)
  const { status = 0, request } = options

  async function* parse(): AsyncGenerator<T, void, undefined> {
    // splitLines closes the source in its `finally`, also when a ParseError leaves this loop.
    for await (const line of splitLines(source)) {
      if (BLANK.test(line)) continue
      let value: T
      try {
        value = JSON.parse(line) as T
      } catch (cause) {
        throw new ParseError({ contentType: 'application/x-ndjson', body: line, status, cause, request })
      }
      yield value
    }
  }

  return closingIterator(parse(), () => source.close())
}
