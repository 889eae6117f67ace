import { ParseError } from '../errors/parse-error.js'
import type { RequestInfo } from '../errors/volley-error.js'
import { DEFAULT_MAX_LINE_LENGTH, sizeLimit } from './limits.js'
import { splitLines, type LineOptions } from './lines.js'
import { closingIterator, openStream } from './stream-reader.js'

/** Options of {@link ndjson}. */
export interface NdjsonOptions extends LineOptions {
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
 * the `SyntaxError`) and cancels the stream. A line longer than `maxLineLength` (8 Mi characters by
 * default) throws `ItemTooLargeError` before it is buffered whole.
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
  const maxLineLength = sizeLimit('maxLineLength', options.maxLineLength, DEFAULT_MAX_LINE_LENGTH)
  const source = openStream(stream, options.signal)
  const { status = 0, request } = options

  async function* parse(): AsyncGenerator<T, void, undefined> {
    // splitLines closes the source in its `finally`, also when a ParseError leaves this loop.
    for await (const line of splitLines(source, { maxLineLength, request })) {
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
