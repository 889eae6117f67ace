import { ItemTooLargeError } from '../errors/item-too-large-error.js'
import type { RequestInfo } from '../errors/volley-error.js'
import { DEFAULT_MAX_LINE_LENGTH, sizeLimit } from './limits.js'
import { closingIterator, openStream, type StreamSource } from './stream-reader.js'

/** Options of {@link lines}, {@link ndjson} and `parseSSE`. */
export interface StreamIteratorOptions {
  /**
   * Aborting cancels the stream at once and makes the iterator throw `signal.reason`.
   * @default undefined
   */
  signal?: AbortSignal
}

/** Options of {@link lines} and {@link ndjson}. */
export interface LineOptions extends StreamIteratorOptions {
  /**
   * Longest line accepted, in characters (UTF-16 code units); a longer one cancels the stream and
   * throws `ItemTooLargeError`, before it is buffered whole. `Infinity` turns the limit off.
   * @default 8_388_608 (8 Mi characters, DEFAULT_MAX_LINE_LENGTH)
   */
  maxLineLength?: number
}

/** How {@link splitLines} bounds a line. */
export interface LineLimit {
  readonly maxLineLength: number
  /** The request the stream belongs to, named by the error. */
  readonly request?: RequestInfo | undefined
}

/** Strips the `\r` of a `\r\n` line ending. */
const chomp = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line)

/**
 * Yields the lines of `source`. Text is decoded as UTF-8 in streaming mode, so a character split
 * across chunks decodes correctly. A line longer than a chunk is kept as an array of fragments and
 * joined once its newline arrives, so very long lines cost O(n), not O(n²).
 */
export async function* splitLines(source: StreamSource, limit: LineLimit = { maxLineLength: DEFAULT_MAX_LINE_LENGTH }): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder()
  const { maxLineLength } = limit
  let pending: string[] = []
  // Characters held in `pending`: the unterminated line so far.
  let pendingLength = 0
  const tooLarge = (cause?: unknown): ItemTooLargeError =>
    new ItemTooLargeError({ item: 'line', limit: maxLineLength, request: limit.request, cause })
  // Past V8's string limit a join throws a bare RangeError; it is still the line being too large.
  const join = (parts: string[]): string => {
    try {
      return parts.join('')
    } catch (cause) {
      throw tooLarge(cause)
    }
  }
  try {
    for (;;) {
      const chunk = await source.read()
      // A consumer that closed the iterator mid-read must not receive the partial last line.
      if (source.closed) return
      const text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true })
      let start = 0
      let newline = text.indexOf('\n')
      while (newline !== -1) {
        // Bounded: `pending` holds at most maxLineLength + 1 characters, the slice one chunk's.
        let line = text.slice(start, newline)
        if (pending.length > 0) {
          pending.push(line)
          line = join(pending)
          pending = []
          pendingLength = 0
        }
        line = chomp(line)
        if (line.length > maxLineLength) throw tooLarge()
        yield line
        start = newline + 1
        newline = text.indexOf('\n', start)
      }
      if (start < text.length) {
        pending.push(start === 0 ? text : text.slice(start))
        pendingLength += text.length - start
        // One more character may be the `\r` of a `\r\n` split across chunks.
        if (pendingLength > maxLineLength + 1) throw tooLarge()
      }
      if (chunk === undefined) {
        // A last line without a newline is still a line; an empty remainder is not.
        if (pending.length > 0) {
          const line = chomp(join(pending))
          if (line.length > maxLineLength) throw tooLarge()
          yield line
        }
        return
      }
    }
  } finally {
    await source.close()
  }
}

/**
 * Splits a byte stream into lines (`\n` or `\r\n`; a final line without newline is yielded; empty
 * lines are yielded as `''`). UTF-8 characters split across chunks decode correctly. A line longer
 * than `maxLineLength` (8 Mi characters by default) throws `ItemTooLargeError` and cancels the stream.
 *
 * Leaving the loop early (`break`, `return`, a throw) cancels the stream and releases its lock, so
 * an HTTP body is closed right away.
 *
 * @example
 * for await (const line of lines(response.body!)) {
 *   if (line.startsWith('#')) continue
 *   console.log(line)
 * }
 */
export function lines(
  stream: ReadableStream<Uint8Array>,
  options: LineOptions = {},
): AsyncIterableIterator<string> {
  const maxLineLength = sizeLimit('maxLineLength', options.maxLineLength, DEFAULT_MAX_LINE_LENGTH)
  const source = openStream(stream, options.signal)
  return closingIterator(splitLines(source, { maxLineLength }), () => source.close())
}
