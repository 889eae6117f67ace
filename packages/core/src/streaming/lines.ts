import { closingIterator, openStream, type StreamSource } from './stream-reader.js'

/** Options of {@link lines} and {@link ndjson}. */
export interface StreamIteratorOptions {
  /**
   * Aborting cancels the stream at once and makes the iterator throw `signal.reason`.
   * @default undefined
   */
  signal?: AbortSignal
}

/** Strips the `\r` of a `\r\n` line ending. */
const chomp = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line)

/**
 * Yields the lines of `source`. Text is decoded as UTF-8 in streaming mode, so a character split
 * across chunks decodes correctly. A line longer than a chunk is kept as an array of fragments and
 * joined once its newline arrives, so very long lines cost O(n), not O(n²).
 */
export async function* splitLines(source: StreamSource): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder()
  let pending: string[] = []
  try {
    for (;;) {
      const chunk = await source.read()
      // A consumer that closed the iterator mid-read must not receive the partial last line.
      if (source.closed) return
      const text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true })
      let start = 0
      let newline = text.indexOf('\n')
      while (newline !== -1) {
        let line = text.slice(start, newline)
        if (pending.length > 0) {
          pending.push(line)
          line = pending.join('')
          pending = []
        }
        yield chomp(line)
        start = newline + 1
        newline = text.indexOf('\n', start)
      }
      if (start < text.length) pending.push(start === 0 ? text : text.slice(start))
      if (chunk === undefined) {
        // A last line without a newline is still a line; an empty remainder is not.
        if (pending.length > 0) yield chomp(pending.join(''))
        return
      }
    }
  } finally {
    await source.close()
  }
}

/**
 * Splits a byte stream into lines (`\n` or `\r\n`; a final line without newline is yielded; empty
 * lines are yielded as `''`). UTF-8 characters split across chunks decode correctly.
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
  options: StreamIteratorOptions = {},
): AsyncIterableIterator<string> {
  const source = openStream(stream, options.signal)
  return closingIterator(splitLines(source), () => source.close())
}
