/** Byte `i` of every chaos-server byte route (chaos-server README, "Deterministic bytes"). */
export const byteAt = (i: number): number => (i * 31 + 7) & 0xff

/** How many bytes of `bytes` differ from the chaos server's pattern (0 for an intact body). */
export function patternMismatches(bytes: Uint8Array, offset = 0): number {
  let mismatches = 0
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== byteAt(offset + i)) mismatches++
  return mismatches
}

/** `n` bytes that are not the server's pattern (so an echo of the pattern cannot pass by accident). */
export function uploadBytes(n: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(n)
  for (let i = 0; i < n; i++) bytes[i] = (i * 7 + (i >> 8) + 3) & 0xff
  return bytes
}

/** Hex SHA-256 of `bytes`, computed by the browser (crypto.subtle), to compare with the server's. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A ReadableStream that yields `bytes` in `chunkSize` pieces, one per pull. */
export function streamOf(bytes: Uint8Array, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(offset, offset + chunkSize))
      offset += chunkSize
    },
  })
}
