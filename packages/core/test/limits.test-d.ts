import { describe, expectTypeOf, it } from 'vitest'
import {
  createClient,
  isItemTooLargeError,
  lines,
  ndjson,
  parseSSE,
  sse,
  streamLines,
  streamNdjson,
  streamSSE,
  type ItemTooLargeError,
  type StreamItem,
} from '@volley/core'

const api = createClient({ baseURL: 'https://api.example.test', trustedOrigins: ['https://files.example.test', '*'] })
declare const body: ReadableStream<Uint8Array>

describe('size limits and trust (issue 26)', () => {
  it('takes maxLineLength on the line helpers and maxEventSize on the SSE ones', () => {
    expectTypeOf(streamLines(api, '/logs', { maxLineLength: 1024, timeout: { idle: 5_000 } })).toEqualTypeOf<AsyncIterableIterator<string>>()
    expectTypeOf(streamNdjson<{ id: number }>(api, '/rows', { maxLineLength: Infinity })).toEqualTypeOf<AsyncIterableIterator<{ id: number }>>()
    streamSSE(api, '/events', { maxEventSize: 64 * 1024, timeout: { total: 60_000, idle: 5_000 } })
    lines(body, { maxLineLength: 10 })
    ndjson(body, { maxLineLength: 10 })
    parseSSE(body, { maxEventSize: 10 })
    sse({ connect: async () => body, maxEventSize: 10 })
    // @ts-expect-error maxEventSize belongs to SSE
    streamLines(api, '/logs', { maxEventSize: 10 })
    // @ts-expect-error a number of characters
    streamSSE(api, '/events', { maxEventSize: '1mb' })
  })

  it('narrows ItemTooLargeError', () => {
    const error: unknown = undefined
    if (isItemTooLargeError(error)) {
      expectTypeOf(error).toEqualTypeOf<ItemTooLargeError>()
      expectTypeOf(error.item).toEqualTypeOf<StreamItem>()
      expectTypeOf(error.limit).toEqualTypeOf<number>()
    }
  })
})
