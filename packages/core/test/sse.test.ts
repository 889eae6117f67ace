import { describe, expect, it, vi } from 'vitest'
import { createManualClock, type ManualClock } from '../src/runtime/manual-clock.js'
import { parseSSE, sse, type SSEConnectContext, type SSEMessage } from '../src/streaming/sse.js'
import { isItemTooLargeError } from '../src/errors/index.js'
import { handshake } from './helpers/handshake.js'

const encoder = new TextEncoder()

/** An SSE byte stream serving `chunks` one per pull, then closing, hanging, or failing with an error. */
function eventStream(chunks: string[], end: 'close' | 'hang' | Error = 'close') {
  const cancel = vi.fn()
  let index = 0
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[index++]
        if (chunk !== undefined) return controller.enqueue(encoder.encode(chunk))
        if (end === 'hang') return new Promise<void>(() => {})
        if (end === 'close') controller.close()
        else controller.error(end)
      },
      cancel,
    },
    { highWaterMark: 0 },
  )
  return { stream, cancel }
}

const events = (...ids: number[]): string => ids.map((id) => `id: ${id}\ndata: event ${id}\n\n`).join('')

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const value of iterator) out.push(value)
  return out
}

/** Advances the manual clock in steps until `promise` settles, letting real I/O callbacks run in between. */
async function drive(clock: ManualClock, promise: Promise<unknown>, step: number): Promise<void> {
  let settled = false
  promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 0))
    await clock.advance(step)
  }
}

describe('parseSSE', () => {
  it('parses ids, event names, multi-line data and the retry field, ignoring comments', async () => {
    const { stream } = eventStream([
      ': ping\n\nretry: 2500\n\nid: 1\nevent: update\ndata: first\n\n',
      'data: line one\ndata: line two\n\n: keep-alive\n',
      'id: 2\r\nda',
      'ta: crlf\r\n\r\n',
      'event:\ndata: empty name\nretry: 10\n\nid:\ndata: reset\n\n',
    ])
    const messages = await collect(parseSSE(stream))
    expect(messages).toEqual<SSEMessage[]>([
      { id: '1', event: 'update', data: 'first', retry: 2500 },
      { id: undefined, event: 'message', data: 'line one\nline two' },
      { id: '2', event: 'message', data: 'crlf' },
      { id: undefined, event: 'message', data: 'empty name', retry: 10 },
      { id: '', event: 'message', data: 'reset' },
    ])
  })

  it('decodes a multi-byte character split across chunks and discards an unterminated last event', async () => {
    const bytes = encoder.encode('data: 1 €\n\ndata: incomplete\n')
    const cut = bytes.indexOf(0xe2) + 1
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, cut))
        controller.enqueue(bytes.subarray(cut))
        controller.close()
      },
    })
    expect((await collect(parseSSE(stream))).map((m) => m.data)).toEqual(['1 €'])
  })

  it('cancels the stream when the loop breaks early', async () => {
    const { stream, cancel } = eventStream([events(1, 2)], 'hang')
    for await (const message of parseSSE(stream)) {
      expect(message.id).toBe('1')
      break
    }
    expect(cancel).toHaveBeenCalledTimes(1)
    expect(stream.locked).toBe(false)
  })

  it('cancels the stream and throws the reason when the signal aborts', async () => {
    const { stream, cancel } = eventStream([events(1)], 'hang')
    const controller = new AbortController()
    const iterator = parseSSE(stream, { signal: controller.signal })
    await iterator.next()
    const pending = iterator.next()
    const reason = new Error('closed tab')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    expect(cancel).toHaveBeenCalledWith(reason)
  })
})

describe('sse', () => {
  it('reconnects after a dropped stream with Last-Event-ID, honouring the server retry delay', async () => {
    const clock = createManualClock()
    const connections = [
      eventStream(['retry: 3000\n\n', events(1, 2), events(3)], new Error('connection reset')),
      eventStream([events(4), events(5)]),
    ]
    const connect = vi.fn(async (ctx: SSEConnectContext) => connections[ctx.attempt]!.stream)
    const onReconnect = vi.fn()
    const ids: Array<string | undefined> = []
    const iterator = sse({ connect, clock, reconnectOnEnd: false, onReconnect })
    const done = (async () => {
      for await (const message of iterator) ids.push(message.id)
    })()

    await vi.waitFor(() => expect(clock.pending).toBe(1), handshake)
    expect(ids).toEqual(['1', '2', '3'])
    expect(onReconnect).toHaveBeenCalledWith({ attempt: 1, lastEventId: '3', delay: 3000, error: new Error('connection reset') })
    await clock.advance(2999)
    expect(connect).toHaveBeenCalledTimes(1)
    await clock.advance(1)
    await done

    expect(ids).toEqual(['1', '2', '3', '4', '5'])
    expect(connect).toHaveBeenCalledTimes(2)
    expect(connect.mock.calls[0]![0]).toMatchObject({ lastEventId: undefined, attempt: 0 })
    expect(connect.mock.calls[1]![0]).toMatchObject({ lastEventId: '3', attempt: 1 })
    expect(clock.pending).toBe(0)
  })

  it('treats a stream that ends inside an event as cut: it reconnects even with reconnectOnEnd: false', async () => {
    // WebKit ends a chunked body whose connection broke as if it closed cleanly.
    const clock = createManualClock()
    const connections = [eventStream([events(1, 2), 'id: 3\ndata: {"i":']), eventStream([events(3)])]
    const connect = vi.fn(async (ctx: SSEConnectContext) => connections[ctx.attempt]!.stream)
    const onReconnect = vi.fn()
    const ids: Array<string | undefined> = []
    const done = (async () => {
      for await (const message of sse({ connect, clock, reconnectOnEnd: false, retryDelay: 10, onReconnect })) ids.push(message.id)
    })()
    await vi.waitFor(() => expect(clock.pending).toBe(1), handshake)
    const [context] = onReconnect.mock.calls[0]!
    expect(context).toMatchObject({ attempt: 1, lastEventId: '2', delay: 10 })
    expect(context.error).toMatchObject({ name: 'NetworkError', code: 'ERR_NETWORK' })
    await clock.advance(10)
    await done
    expect(ids).toEqual(['1', '2', '3'])
    expect(connect).toHaveBeenCalledTimes(2)
  })

  it('ends cleanly after a complete event followed only by a comment, with reconnectOnEnd: false', async () => {
    const connect = vi.fn(async () => eventStream([events(1), ': bye\n']).stream)
    const ids = (await collect(sse({ connect, reconnectOnEnd: false }))).map((message) => message.id)
    expect(ids).toEqual(['1'])
    expect(connect).toHaveBeenCalledTimes(1)
  })

  it('reconnects after a clean end by default, keeping the last id across events without one', async () => {
    const clock = createManualClock()
    const connections = [eventStream([events(7), 'data: no id\n\n']), eventStream([events(8)])]
    const connect = vi.fn(async (ctx: SSEConnectContext) => connections[ctx.attempt]!.stream)
    const delays: number[] = []
    const iterator = sse({
      connect,
      clock,
      retryDelay: 250,
      onReconnect: (ctx) => {
        delays.push(ctx.delay)
        expect(ctx).not.toHaveProperty('error')
        return ctx.attempt < 2
      },
    })
    const result = collect(iterator)
    await drive(clock, result, 250)
    expect((await result).map((m) => m.data)).toEqual(['event 7', 'no id', 'event 8'])
    expect(connect.mock.calls[1]![0].lastEventId).toBe('7')
    expect(delays).toEqual([250, 250])
  })

  it('gives up with the last error once maxRetries consecutive connections failed', async () => {
    const clock = createManualClock()
    const connect = vi.fn(async (ctx: SSEConnectContext): Promise<ReadableStream<Uint8Array>> => {
      throw new Error(`refused ${ctx.attempt}`)
    })
    const attempts: number[] = []
    const result = collect(sse({ connect, clock, maxRetries: 2, retryDelay: 10, onReconnect: (c) => void attempts.push(c.attempt) }))
    await drive(clock, result, 10)
    await expect(result).rejects.toThrow('refused 2')
    expect(connect).toHaveBeenCalledTimes(3)
    expect(attempts).toEqual([1, 2])
    expect(clock.pending).toBe(0)
  })

  it('resets the failure count when a connection delivers an event', async () => {
    const clock = createManualClock()
    const reset = new Error('reset')
    const plan = [() => eventStream([events(1)], reset).stream, null, () => eventStream([events(2)], reset).stream, null, null]
    const connect = vi.fn(async (ctx: SSEConnectContext) => {
      const open = plan[ctx.attempt]
      if (!open) throw new Error(`refused ${ctx.attempt}`)
      return open()
    })
    const ids: Array<string | undefined> = []
    const result = (async () => {
      for await (const message of sse({ connect, clock, maxRetries: 1, retryDelay: 5 })) ids.push(message.id)
    })()
    await drive(clock, result, 5)
    await expect(result).rejects.toThrow('refused 4')
    expect(ids).toEqual(['1', '2'])
    expect(connect.mock.calls.map(([ctx]) => ctx.lastEventId)).toEqual([undefined, '1', '1', '2', '2'])
  })

  it('throws the stream error without reconnecting when reconnect is false', async () => {
    const failure = new Error('dropped')
    const connect = vi.fn(async () => eventStream([events(1)], failure).stream)
    const ids: Array<string | undefined> = []
    const result = (async () => {
      for await (const message of sse({ connect, reconnect: false })) ids.push(message.id)
    })()
    await expect(result).rejects.toBe(failure)
    expect(ids).toEqual(['1'])
    expect(connect).toHaveBeenCalledTimes(1)
  })

  it('rejects promptly with the reason when aborted during a reconnect wait, leaving no timer', async () => {
    const clock = createManualClock()
    const controller = new AbortController()
    const connect = vi.fn(async () => eventStream([events(1)], new Error('drop')).stream)
    const iterator = sse({ connect, clock, signal: controller.signal, retryDelay: 60_000 })
    expect((await iterator.next()).value).toMatchObject({ id: '1' })
    const pending = iterator.next()
    await vi.waitFor(() => expect(clock.pending).toBe(1), handshake)
    const reason = new Error('user left')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    expect(clock.pending).toBe(0)
    expect(connect).toHaveBeenCalledTimes(1)
  })

  it('rejects with the reason when aborted while connect is pending, cancelling a late stream', async () => {
    const controller = new AbortController()
    const late = eventStream([events(1)])
    let deliver!: (stream: ReadableStream<Uint8Array>) => void
    const connect = vi.fn((_ctx: SSEConnectContext) => new Promise<ReadableStream<Uint8Array>>((resolve) => (deliver = resolve)))
    const iterator = sse({ connect, signal: controller.signal })
    const pending = iterator.next()
    await vi.waitFor(() => expect(connect).toHaveBeenCalledTimes(1), handshake)
    expect(connect.mock.calls[0]![0].signal.aborted).toBe(false)
    const reason = new Error('cancelled')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    expect(connect.mock.calls[0]![0].signal.aborted).toBe(true)
    deliver(late.stream)
    await vi.waitFor(() => expect(late.cancel).toHaveBeenCalledWith(reason), handshake)
  })

  it('cancels the current stream when the loop breaks, leaving no timer', async () => {
    const clock = createManualClock()
    const current = eventStream([events(1, 2)], 'hang')
    const connect = vi.fn(async (_ctx: SSEConnectContext) => current.stream)
    for await (const message of sse({ connect, clock })) {
      expect(message.id).toBe('1')
      break
    }
    expect(current.cancel).toHaveBeenCalledTimes(1)
    expect(current.stream.locked).toBe(false)
    expect(connect.mock.calls[0]![0].signal.aborted).toBe(true)
    expect(clock.pending).toBe(0)
  })

  it('cancels a pending reconnect wait on return(), leaving no timer', async () => {
    const clock = createManualClock()
    const connect = vi.fn(async () => eventStream([events(1)]).stream)
    const iterator = sse({ connect, clock })
    await iterator.next()
    const pending = iterator.next()
    await vi.waitFor(() => expect(clock.pending).toBe(1), handshake)
    await iterator.return?.()
    await expect(pending).resolves.toEqual({ done: true, value: undefined })
    expect(clock.pending).toBe(0)
    expect(connect).toHaveBeenCalledTimes(1)
  })

  it('throws at once for a signal that is already aborted, without connecting', async () => {
    const connect = vi.fn(async () => eventStream([]).stream)
    const reason = new Error('never mind')
    await expect(collect(sse({ connect, signal: AbortSignal.abort(reason) }))).rejects.toBe(reason)
    expect(connect).not.toHaveBeenCalled()
  })

  it('rejects invalid options with a TypeError naming what was given', () => {
    const connect = async () => eventStream([]).stream
    expect(() => sse({ connect, retryDelay: -1 })).toThrow(/retryDelay.*got -1/)
    expect(() => sse({ connect, maxRetries: 1.5 })).toThrow(/maxRetries.*got 1.5/)
    expect(() => sse({} as never)).toThrow(/connect to be a function, got undefined/)
  })
})

describe('event size limit (maxEventSize)', () => {
  it('delivers events within the limit and fails the first that grows past it, cancelling the stream', async () => {
    const { stream, cancel } = eventStream(['data: small\n\n', 'data: ', 'x'.repeat(40)], 'hang')
    const seen: string[] = []
    const error = await (async () => {
      for await (const message of parseSSE(stream, { maxEventSize: 32 })) seen.push(message.data)
    })().catch((e: unknown) => e)
    expect(seen).toEqual(['small'])
    expect(isItemTooLargeError(error)).toBe(true)
    expect(error).toMatchObject({ item: 'event', limit: 32 })
    expect(cancel).toHaveBeenCalledOnce()
  })

  it('counts an event of many short data lines as a whole', async () => {
    const { stream } = eventStream(['data: 0123456789\n'.repeat(10)], 'hang')
    const error = await collect(parseSSE(stream, { maxEventSize: 64 })).catch((e: unknown) => e)
    expect(isItemTooLargeError(error)).toBe(true)
  })

  it('does not reconnect after an oversized event: the server would send it again', async () => {
    const connect = vi.fn(async () => eventStream(['data: ', 'y'.repeat(100)], 'hang').stream)
    const error = await collect(sse({ connect, maxEventSize: 16, retryDelay: 0 })).catch((e: unknown) => e)
    expect(isItemTooLargeError(error)).toBe(true)
    expect(connect).toHaveBeenCalledOnce()
  })
})
