/** Statuses whose response has no body whatever its headers say (Fetch spec, "null body status"). */
const NULL_BODY_STATUS: ReadonlySet<number> = /* @__PURE__ */ new Set([101, 103, 204, 205, 304])

/**
 * The fewest body bytes a reader can see of a complete `response`, from its `Content-Length`.
 * WebKit ends a body whose connection was cut as if it were complete; this is how volley tells
 * (docs/DESIGN.md#failures-after-the-headers). Undefined when the header says nothing about what
 * the reader gets: a visibly encoded body (the reader sees it decoded), a HEAD answer or a
 * null-body status, no or an invalid header.
 *
 * Content-Length is CORS-safelisted, Content-Encoding is not: a cross-origin page may not see that
 * a body was compressed. A compressed body is never much longer than what it decodes to (gzip,
 * brotli and zstd add a few dozen bytes and a few bytes per block even to data they cannot
 * shrink), so the bound leaves 64 bytes plus 1/8192 of the length of slack: a tiny compressed
 * body is never taken for a cut one, and a cut in the last 64 bytes goes unseen.
 *
 * @example
 * announcedLength(new Response('…', { headers: { 'content-length': '65536' } }), 'GET') // 65464
 */
export function announcedLength(response: Response, method: string): number | undefined {
  if (method.toUpperCase() === 'HEAD' || NULL_BODY_STATUS.has(response.status)) return undefined
  const { headers } = response
  const encoding = headers.get('content-encoding')
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return undefined
  const length = headers.get('content-length')
  if (length === null || !/^\d+$/.test(length.trim())) return undefined
  const announced = Number(length)
  const least = announced - 64 - Math.floor(announced / 8192)
  return least > 0 ? least : undefined
}
