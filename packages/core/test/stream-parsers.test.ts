import { describe, expect, it, vi } from 'vitest'
import { isItemTooLargeError, isParseError, type ParseError } from '../src/errors/index.js'
import { lines } from '../src/streaming/lines.js'
import { ndjson } from '../src/streaming/ndjson.js'

const encoder = new TextEncoder()

/**
 * A byte stream that serves `chunks` one per pull and then closes (or stays open with `hang`),
 * with a spy on its underlying source's cancel().
 */
function source(chunks: Array<string | Uint8Array>, options: { hang?: boolean } = {}) {
  const cancel = vi.fn()
  let index = 0
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[index++]
        if (chunk === undefined) {
          if (!options.hang) controller.close()
          return options.hang ? new Promise<void>(() => {}) : undefined
        }
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)
      },
      cancel,
    },
    { highWaterMark: 0 },
  )
  return { stream, cancel }
}

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const value of iterator) out.push(value)
  return out
}

describe('lines', () => {
  it('splits lines across chunk boundaries', async () => {
    const { stream } = source(['al', 'pha\nbe', 'ta\ngam', 'ma\n'])
    expect(await collect(lines(stream))).toEqual(['alpha', 'beta', 'gamma'])
  })

  it('strips \\r\\n endings, even when \\r and \\n arrive in different chunks', async () => {
    const { stream } = source(['one\r\ntwo\r', '\nthree\r\n'])
    expect(await collect(lines(stream))).toEqual(['one', 'two', 'three'])
  })

  it('yields a final line without a newline and keeps empty lines', async () => {
    const { stream } = source(['a\n\n', '\nb\nlast'])
    expect(await collect(lines(stream))).toEqual(['a', '', '', 'b', 'last'])
  })

  it('yields nothing for an empty stream and no phantom line after a final newline', async () => {
    expect(await collect(lines(source([]).stream))).toEqual([])
    expect(await collect(lines(source(['x\n']).stream))).toEqual(['x'])
  })

  it('decodes a multi-byte character split across chunks', async () => {
    const euro = encoder.encode('€') // 3 bytes
    const { stream } = source([
      Uint8Array.of(0x61, euro[0]!),
      Uint8Array.of(euro[1]!, euro[2]!, 0x0a),
      encoder.encode('😀').subarray(0, 1),
      encoder.encode('😀').subarray(1),
    ])
    expect(await collect(lines(stream))).toEqual(['a€', '😀'])
  })

  it('assembles a long line from many chunks', async () => {
    const chunks = Array.from({ length: 5_000 }, (_, i) => String(i % 10).repeat(20))
    const { stream } = source([...chunks, '\nnext'])
    const result = await collect(lines(stream))
    expect(result).toHaveLength(2)
    expect(result[0]).toBe(chunks.join(''))
    expect(result[0]).toHaveLength(100_000)
    expect(result[1]).toBe('next')
  })

  it('cancels the source and releases it when the loop breaks early', async () => {
    const { stream, cancel } = source(['a\nb\n', 'c\n'], { hang: true })
    for await (const line of lines(stream)) {
      expect(line).toBe('a')
      break
    }
    expect(cancel).toHaveBeenCalledTimes(1)
    expect(stream.locked).toBe(false)
  })

  it('cancels the source when return() is called before iterating', async () => {
    const { stream, cancel } = source(['a\n'], { hang: true })
    const iterator = lines(stream)
    expect(stream.locked).toBe(true)
    await iterator.return?.()
    expect(cancel).toHaveBeenCalledTimes(1)
    expect(stream.locked).toBe(false)
    expect(await iterator.next()).toEqual({ done: true, value: undefined })
  })

  it('settles a read waiting on a stalled stream when return() is called', async () => {
    const { stream, cancel } = source([], { hang: true })
    const iterator = lines(stream)
    const pending = iterator.next()
    await iterator.return?.()
    await expect(pending).resolves.toEqual({ done: true, value: undefined })
    expect(cancel).toHaveBeenCalledTimes(1)
  })

  it('cancels the source with the reason and throws it when the signal aborts', async () => {
    const { stream, cancel } = source(['a\n'], { hang: true })
    const controller = new AbortController()
    const reason = new Error('user gave up')
    const iterator = lines(stream, { signal: controller.signal })
    expect(await iterator.next()).toEqual({ done: false, value: 'a' })
    const pending = iterator.next()
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    expect(cancel).toHaveBeenCalledWith(reason)
    expect(stream.locked).toBe(false)
  })

  it('cancels at once for a signal that is already aborted, and throws its reason', async () => {
    const { stream, cancel } = source(['a\n'])
    const reason = new Error('too late')
    const iterator = lines(stream, { signal: AbortSignal.abort(reason) })
    expect(cancel).toHaveBeenCalledWith(reason)
    await expect(iterator.next()).rejects.toBe(reason)
    expect(stream.locked).toBe(false)
  })

  it('propagates an error of the stream', async () => {
    const failure = new Error('connection reset')
    let sent = false
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(failure)
        sent = true
        controller.enqueue(encoder.encode('ok\npartial'))
      },
    })
    const seen: string[] = []
    await expect(
      (async () => {
        for await (const line of lines(stream)) seen.push(line)
      })(),
    ).rejects.toBe(failure)
    expect(seen).toEqual(['ok'])
  })

  it('refuses a stream that is already locked', () => {
    const { stream } = source([])
    stream.getReader()
    expect(() => lines(stream)).toThrow(TypeError)
  })
})

describe('ndjson', () => {
  it('parses one value per line across chunk boundaries', async () => {
    const { stream } = source(['{"a":', '1}\n[1,2', ']\n"s"\n', 'null\n42'])
    expect(await collect(ndjson(stream))).toEqual([{ a: 1 }, [1, 2], 's', null, 42])
  })

  it('skips blank lines, whitespace-only lines and \\r\\n endings', async () => {
    const { stream } = source(['\n{"n":1}\r\n\r\n  \n', '{"n":2}\n\n'])
    expect(await collect(ndjson<{ n: number }>(stream))).toEqual([{ n: 1 }, { n: 2 }])
  })

  it('throws a ParseError with the line as excerpt and cancels the stream', async () => {
    const { stream, cancel } = source(['{"ok":true}\n{not json}\n', '{"never":1}\n'], { hang: true })
    const seen: unknown[] = []
    const error = await (async () => {
      for await (const value of ndjson(stream, { status: 200 })) seen.push(value)
    })().catch((e: unknown) => e)
    expect(isParseError(error)).toBe(true)
    const parseError = error as ParseError
    expect(parseError.contentType).toBe('application/x-ndjson')
    expect(parseError.excerpt).toBe('{not json}')
    expect(parseError.status).toBe(200)
    expect(parseError.cause).toBeInstanceOf(SyntaxError)
    expect(seen).toEqual([{ ok: true }])
    expect(cancel).toHaveBeenCalledTimes(1)
    expect(stream.locked).toBe(false)
  })

  it('truncates the excerpt of a very long invalid line', async () => {
    const { stream } = source([`x${'a'.repeat(500)}\n`])
    const error = (await collect(ndjson(stream)).catch((e: unknown) => e)) as ParseError
    expect(error.excerpt).toHaveLength(201)
    expect(error.excerpt.endsWith('…')).toBe(true)
  })

  it('cancels the source when the loop breaks early', async () => {
    const { stream, cancel } = source(['{"i":1}\n{"i":2}\n'], { hang: true })
    for await (const value of ndjson(stream)) {
      expect(value).toEqual({ i: 1 })
      break
    }
    expect(cancel).toHaveBeenCalledTimes(1)
    expect(stream.locked).toBe(false)
  })

  it('cancels the source and throws the reason when the signal aborts', async () => {
    const { stream, cancel } = source(['{"i":1}\n'], { hang: true })
    const controller = new AbortController()
    const reason = new Error('stop')
    const iterator = ndjson(stream, { signal: controller.signal })
    await iterator.next()
    const pending = iterator.next()
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    expect(cancel).toHaveBeenCalledWith(reason)
  })
})

describe('line limits (maxLineLength)', () => {
  async function collect(iterator: AsyncIterable<unknown>): Promise<unknown[]> {
    const out: unknown[] = []
    for await (const item of iterator) out.push(item)
    return out
  }

  it('accepts a line of exactly the limit, split across chunks and ended by \\r\\n across chunks', async () => {
    const { stream } = source(['abc', 'de\r', '\nfghij'])
    expect(await collect(lines(stream, { maxLineLength: 5 }))).toEqual(['abcde', 'fghij'])
  })

  it('fails a line one character over the limit with ItemTooLargeError and cancels the stream', async () => {
    const { stream, cancel } = source(['abc', 'def', 'ghi\n'], { hang: true })
    const error = await collect(lines(stream, { maxLineLength: 5 })).catch((e: unknown) => e)
    expect(isItemTooLargeError(error)).toBe(true)
    expect(error).toMatchObject({ item: 'line', limit: 5 })
    expect(cancel).toHaveBeenCalledOnce()
  })

  it('fails an over-long line inside one chunk, and a last line without newline', async () => {
    expect(isItemTooLargeError(await collect(lines(source(['ok\n123456\n']).stream, { maxLineLength: 5 })).catch((e: unknown) => e))).toBe(true)
    expect(isItemTooLargeError(await collect(lines(source(['ok\n', '123456']).stream, { maxLineLength: 5 })).catch((e: unknown) => e))).toBe(true)
  })

  it('names the request in an NDJSON line error', async () => {
    const request = { method: 'GET', url: 'https://api.test/export' }
    const error = (await collect(ndjson(source(['{"a":"', 'x'.repeat(20)]).stream, { maxLineLength: 10, request })).catch((e: unknown) => e)) as Error
    expect(isItemTooLargeError(error)).toBe(true)
    expect(error.message).toBe('GET https://api.test/export: a stream line exceeds maxLineLength of 10 characters')
  })

  it('refuses a limit that is not a positive integer or Infinity', () => {
    expect(() => lines(source([]).stream, { maxLineLength: -1 })).toThrow(TypeError)
    expect(() => lines(source([]).stream, { maxLineLength: 1.5 })).toThrow(/`maxLineLength` must be a positive integer number of characters or Infinity, got 1.5/)
  })
})
