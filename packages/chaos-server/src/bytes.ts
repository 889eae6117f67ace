import { createHash } from 'node:crypto'

/**
 * The deterministic byte at absolute position `i` of every chaos-server body:
 * `(i * 31 + 7) & 0xff`. 31 is odd, so the sequence has period 256 and no
 * byte value repeats inside one period: a shifted, truncated or duplicated
 * chunk shows up as a mismatch instead of passing by luck.
 *
 * @example
 * byteAt(0) // 7
 * byteAt(1) // 38
 */
export function byteAt(i: number): number {
  // `%` instead of `&` on the product keeps positions beyond 2^32 exact.
  return (((i % 256) * 31 + 7) & 0xff)
}

const PERIOD = 256
/** Largest slice `patternSlice` serves without allocating; bigger writes are clamped to it. */
export const MAX_CHUNK_SIZE = 1024 * 1024

let pattern: Buffer | undefined

/** The pattern repeated over MAX_CHUNK_SIZE + one period, built once, never mutated. */
function patternBuffer(): Buffer {
  if (pattern) return pattern
  const buf = Buffer.allocUnsafe(MAX_CHUNK_SIZE + PERIOD)
  for (let i = 0; i < PERIOD; i++) buf[i] = byteAt(i)
  for (let filled = PERIOD; filled < buf.length; filled *= 2) {
    buf.copy(buf, filled, 0, Math.min(filled, buf.length - filled))
  }
  pattern = buf
  return buf
}

/**
 * A read-only view of the deterministic bytes at `[offset, offset + size)`.
 * No allocation: streaming 1 GiB costs no more memory than streaming 1 KiB.
 * `size` must not exceed {@link MAX_CHUNK_SIZE}.
 */
export function patternSlice(offset: number, size: number): Buffer {
  const start = offset % PERIOD
  return patternBuffer().subarray(start, start + size)
}

/**
 * The bytes a chaos-server body of `n` bytes holds from `offset` on, for
 * asserting what a client received (downloads, ranges, resumes).
 *
 * @example
 * const res = await fetch(`${server.url}/bytes/1000`)
 * expect(new Uint8Array(await res.arrayBuffer())).toEqual(expectedBytes(1000))
 * // The tail a resumed download should append after 400 bytes:
 * expectedBytes(600, 400)
 */
export function expectedBytes(n: number, offset = 0): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = byteAt(offset + i)
  return out
}

/**
 * Hex SHA-256 of the first `n` deterministic bytes: what `/bytes/n` and
 * `/file/n` serve, for checksum options and large downloads that should not be
 * held in memory by the test.
 *
 * @example
 * await download(`${server.url}/file/5000000`, path, { checksum: { sha256: expectedSha256(5_000_000) } })
 */
export function expectedSha256(n: number): string {
  const hash = createHash('sha256')
  for (let pos = 0; pos < n; pos += MAX_CHUNK_SIZE) {
    hash.update(patternSlice(pos, Math.min(MAX_CHUNK_SIZE, n - pos)))
  }
  return hash.digest('hex')
}
