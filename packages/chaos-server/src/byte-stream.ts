import type { Writable } from 'node:stream'
import { createGzip } from 'node:zlib'
import { MAX_CHUNK_SIZE, patternSlice } from './bytes.js'
import type { RouteContext } from './context.js'
import { writeChunk } from './respond.js'

/** Default write size of the byte routes. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024

/**
 * Writes the deterministic bytes `[offset, offset + length)` to `sink` in
 * writes of `chunkSize`, waiting for 'drain' whenever the sink says it is
 * full, so memory stays flat however large `length` is. Resolves `false` if
 * the client went away before the end.
 */
export async function pumpBytes(
  ctx: RouteContext,
  sink: Writable,
  offset: number,
  length: number,
  chunkSize = DEFAULT_CHUNK_SIZE,
): Promise<boolean> {
  const size = Math.min(Math.max(1, chunkSize), MAX_CHUNK_SIZE)
  for (let pos = 0; pos < length; pos += size) {
    const chunk = patternSlice(offset + pos, Math.min(size, length - pos))
    if (!(await writeChunk(ctx, sink, chunk))) return false
  }
  return !ctx.closed
}

/**
 * Pipes a gzip stream into the response and returns its writable end. The
 * gzip stream is destroyed if the client leaves, so no zlib work outlives the
 * request.
 */
export function gzipInto(ctx: RouteContext): ReturnType<typeof createGzip> {
  const gzip = createGzip()
  gzip.pipe(ctx.res)
  ctx.onClose(() => gzip.destroy())
  return gzip
}

/**
 * Gzips the deterministic bytes ahead of sending, so the compressed size can
 * go in Content-Length. Holds the compressed output only: the pattern
 * compresses about 1000:1, so even 1 GiB costs ~1 MiB here.
 * Resolves `undefined` if the client left meanwhile.
 */
export async function gzipAhead(
  ctx: RouteContext,
  offset: number,
  length: number,
  chunkSize: number,
): Promise<Buffer[] | undefined> {
  const gzip = createGzip()
  ctx.onClose(() => gzip.destroy())
  const parts: Buffer[] = []
  gzip.on('data', (part: Buffer) => parts.push(part))
  const ended = new Promise<void>((resolve) => {
    gzip.once('end', resolve)
    gzip.once('close', resolve)
  })
  if (!(await pumpBytes(ctx, gzip, offset, length, chunkSize))) return undefined
  gzip.end()
  await ended
  return ctx.closed ? undefined : parts
}
