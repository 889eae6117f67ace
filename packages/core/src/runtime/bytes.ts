/**
 * The chunks of a body as one `Uint8Array`: the only chunk as it is (no copy), else one copy of
 * all of them. `size` is their total when the caller already counted it.
 */
export function concatBytes(chunks: readonly Uint8Array[], size?: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array
  let total = size ?? 0
  if (size === undefined) for (const chunk of chunks) total += chunk.byteLength
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}
