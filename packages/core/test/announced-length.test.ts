import { describe, expect, it } from 'vitest'
import { announcedLength } from '../src/call/announced-length.js'
import { createClient, isNetworkError, progress } from '@volley/core'
import { useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()

const response = (headers: Record<string, string>, status = 200): Response => new Response(status === 204 ? null : 'x', { status, headers })

describe('announcedLength', () => {
  it('is the Content-Length less a slack a compressed body could account for', () => {
    expect(announcedLength(response({ 'content-length': '65536' }), 'GET')).toBe(65536 - 64 - 8)
    expect(announcedLength(response({ 'content-length': '1000000', 'content-encoding': 'identity' }), 'GET')).toBe(1000000 - 64 - 122)
  })

  it('says nothing for a tiny body, an encoded body, HEAD, a null-body status or a bad header', () => {
    // A 15-byte brotli body of an 11-byte JSON document must not look cut.
    expect(announcedLength(response({ 'content-length': '15' }), 'GET')).toBeUndefined()
    expect(announcedLength(response({ 'content-length': '65536', 'content-encoding': 'gzip' }), 'GET')).toBeUndefined()
    expect(announcedLength(response({ 'content-length': '65536' }), 'HEAD')).toBeUndefined()
    expect(announcedLength(response({ 'content-length': '65536' }, 204), 'GET')).toBeUndefined()
    expect(announcedLength(response({ 'content-length': '12, 12' }), 'GET')).toBeUndefined()
    expect(announcedLength(response({}), 'GET')).toBeUndefined()
  })
})

describe('a body that ends short of its Content-Length (WebKit reports a cut body as complete)', () => {
  /** A transport that hands over the first 16 KiB of a 64 KiB body and then ends it cleanly, as WebKit does. */
  const webkitLike = async (input: string | URL | Request): Promise<Response> => {
    const real = await fetch(input)
    const reader = real.body!.getReader()
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }))
        if (done || sent >= 16384) {
          await reader.cancel().catch(() => {})
          return controller.close()
        }
        const piece = value!.subarray(0, 16384 - sent)
        sent += piece.byteLength
        controller.enqueue(piece)
      },
    })
    return new Response(body, { status: real.status, headers: real.headers })
  }

  for (const responseType of ['arrayBuffer', 'text', 'blob'] as const) {
    it(`is a retried NetworkError when read whole as ${responseType}, with or without progress`, async () => {
      for (const use of [[], [progress()]]) {
        server().reset()
        const client = createClient({ baseURL: server().url, transport: webkitLike, retry: { limit: 2, delay: 0 }, use })
        const error = await client.get('/bytes/65536', { responseType, ...(use.length > 0 && { onDownloadProgress: () => {} }) }).then(
          () => undefined,
          (thrown: unknown) => thrown,
        )
        expect(isNetworkError(error), String(error)).toBe(true)
        expect((error as { attempts: number }).attempts).toBe(3)
        expect(server().stats.count('bytes')).toBe(3)
      }
    })
  }

  it('rejects a stream reader with a NetworkError', async () => {
    const client = createClient({ baseURL: server().url, transport: webkitLike })
    const body = await client.get<ReadableStream<Uint8Array>>('/bytes/65536', { responseType: 'stream' })
    const reader = body.getReader()
    const error = await (async () => {
      for (;;) if ((await reader.read()).done) return undefined
    })().catch((thrown: unknown) => thrown)
    expect(isNetworkError(error)).toBe(true)
  })

  it('leaves a complete body alone', async () => {
    const client = createClient({ baseURL: server().url })
    expect((await client.get<ArrayBuffer>('/bytes/65536', { responseType: 'arrayBuffer' })).byteLength).toBe(65536)
  })
})
