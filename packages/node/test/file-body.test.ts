import { expectedBytes, expectedSha256 } from '@volley/chaos-server'
import { createHash } from 'node:crypto'
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, fileBody, isAbortError, type Progress, progress } from '@volley/node'
import { useChaosServer } from './helpers/servers.js'

const server = useChaosServer()
// The tests that watch progress opt in; the others hold without the progress policy.
const client = createClient({ retry: false, use: [progress()] })
const plain = createClient({ retry: false })
const SIZE = 50 * 1024 * 1024
const CHUNK = 1024 * 1024

/**
 * The test data is the chaos server's deterministic pattern (byte i = (i * 31 + 7) & 0xff): no
 * randomness involved. Its period is 256 bytes, so every MiB is the same and one piece serves all.
 */
const MIB = expectedBytes(CHUNK)
const pieces = Array.from({ length: SIZE / CHUNK }, () => MIB)
const expectedHash = expectedSha256(SIZE)

const dir = mkdtempSync(join(tmpdir(), 'volley-file-body-'))
const path = join(dir, 'upload.bin')
beforeAll(async () => {
  const out = createWriteStream(path)
  for (const bytes of pieces) if (!out.write(bytes)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Upload {
  bytes: number
  sha256: string
  contentType: string | null
}

function monotonic(events: Progress[]): boolean {
  return events.every((event, i) => i === 0 || event.loaded >= events[i - 1]!.loaded)
}

describe('file bodies and streamed uploads', () => {
  it('uploads a 50 MB file with exact, monotonic progress', async () => {
    const body = await fileBody(path)
    expect(body.size).toBe(SIZE)
    const events: Progress[] = []
    const result = await client.post<Upload>(`${server().url}/upload`, { body, onUploadProgress: (p) => events.push(p) })
    expect(result).toMatchObject({ bytes: SIZE, sha256: expectedHash, contentType: 'application/octet-stream', contentLength: SIZE })
    expect(monotonic(events)).toBe(true)
    expect(events[0]).toMatchObject({ loaded: 0, total: SIZE })
    expect(events.at(-1)).toMatchObject({ loaded: SIZE, total: SIZE, done: true })
    expect(events.length).toBeGreaterThan(2)
  })

  it('sends the same file body again, as a retry or a 307 redirect does', async () => {
    const small = join(dir, 'small.bin')
    writeFileSync(small, pieces[0]!)
    const body = await fileBody(small, { type: 'application/x-test' })
    const first = await plain.put<Upload>(`${server().url}/redirect-to?url=/upload&status=307`, { body })
    const second = await plain.put<Upload>(`${server().url}/upload`, { body })
    const expected = createHash('sha256').update(pieces[0]!).digest('hex')
    expect(first).toMatchObject({ bytes: CHUNK, sha256: expected, contentType: 'application/x-test' })
    expect(second).toMatchObject({ bytes: CHUNK, sha256: expected })
  })

  it('streams a 50 MB ReadableStream body with progress of unknown total', async () => {
    let index = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (index < pieces.length) controller.enqueue(pieces[index++]!)
        else controller.close()
      },
    })
    const events: Progress[] = []
    const result = await client.post<Upload>(`${server().url}/upload`, { body: stream, onUploadProgress: (p) => events.push(p) })
    expect(result).toMatchObject({ bytes: SIZE, sha256: expectedHash })
    expect(monotonic(events)).toBe(true)
    expect(events[0]?.total).toBeUndefined()
    expect(events.at(-1)).toMatchObject({ loaded: SIZE, done: true })
  })

  it('pulls a stream body only as fast as the socket takes it', async () => {
    const piece = new Uint8Array(64 * 1024)
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += piece.byteLength
          controller.enqueue(piece)
        },
      },
      { highWaterMark: 0 },
    )
    const controller = new AbortController()
    let loaded = 0
    const error = await client
      .post(`${server().url}/upload?delayPerChunk=1`, {
        body: stream,
        signal: controller.signal,
        onUploadProgress: (p) => {
          loaded = p.loaded
          if (loaded >= 4_000_000) controller.abort()
        },
      })
      .catch((e: unknown) => e)
    expect(isAbortError(error)).toBe(true)
    // An endless body: what was read beyond what the socket accepted is at most a few pieces.
    expect(pulled - loaded).toBeLessThanOrEqual(4 * piece.byteLength)
  })

  it('counts a stream body sent without progress in meta.bytesOut', async () => {
    let index = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (index < 8) controller.enqueue(pieces[index++]!)
        else controller.close()
      },
    })
    const response = await plain.raw.post<Upload>(`${server().url}/upload`, { body: stream })
    expect(response.data.bytes).toBe(8 * CHUNK)
    expect(response.meta.bytesOut).toBe(8 * CHUNK)
  })

  it('refuses a path that is not a file', async () => {
    await expect(fileBody(dir)).rejects.toThrow(/needs a regular file/)
  })
})
