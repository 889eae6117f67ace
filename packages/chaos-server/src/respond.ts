import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { Writable } from 'node:stream'
import type { RouteContext } from './context.js'

/** Status codes whose responses never carry a body (RFC 9110 §6.4.1, §15.4.5). */
const NO_BODY = new Set([204, 205, 304])

/**
 * Sends `body` as JSON with an exact Content-Length. For 204/205/304 only the
 * headers go out.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string | number>> = {},
): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  res.statusCode = status
  if (NO_BODY.has(status)) {
    res.end()
    return
  }
  const text = JSON.stringify(body)
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(text))
  res.end(text)
}

/**
 * Writes one chunk honouring backpressure: resolves `true` when the sink can
 * take more, `false` when the client went away (so loops stop instead of
 * waiting for a 'drain' that will never come).
 */
export function writeChunk(ctx: RouteContext, sink: Writable, chunk: Uint8Array | string): Promise<boolean> {
  if (ctx.closed) return Promise.resolve(false)
  if (sink.write(chunk)) return Promise.resolve(true)
  return new Promise<boolean>((resolve) => {
    const onDrain = (): void => {
      ctx.res.off('close', onGone)
      resolve(!ctx.closed)
    }
    const onGone = (): void => {
      sink.off('drain', onDrain)
      resolve(false)
    }
    sink.once('drain', onDrain)
    ctx.res.once('close', onGone)
  })
}

/**
 * Writes a chunk and resolves once it has been handed to the socket, so that
 * a following abrupt close cannot discard it.
 */
export function writeFlushed(res: ServerResponse, chunk: Uint8Array | string): Promise<void> {
  return new Promise<void>((resolve) => {
    res.write(chunk, () => resolve())
  })
}

/** How to break a connection: a FIN after flushing (`close`) or a TCP RST (`rst`). */
export type BreakMode = 'close' | 'rst'

/**
 * How long `rst` waits before resetting, so the bytes already written reach
 * the peer first: a RST racing unacknowledged data can discard it or, on some
 * network stacks (gVisor), degrade into a plain FIN. Cleared if the client leaves.
 */
export const RST_GRACE_MS = 20

/**
 * Ends the connection under a response that has not sent all it promised
 * (Content-Length or chunked framing unfinished): the client sees a truncated
 * body, i.e. a network error, not a clean end.
 *
 * `close` flushes what was written and then closes (FIN): the client is
 * guaranteed to have received every byte before the break. `rst` resets the
 * socket (ECONNRESET at the client) after {@link RST_GRACE_MS}.
 */
export async function breakConnection(ctx: RouteContext, mode: BreakMode = 'close'): Promise<void> {
  const socket = ctx.res.socket as (Socket & { resetAndDestroy?: () => void }) | null
  if (!socket || socket.destroyed) return
  if (mode === 'rst' && typeof socket.resetAndDestroy === 'function') {
    if (await ctx.sleep(RST_GRACE_MS)) socket.resetAndDestroy()
    return
  }
  // end() uncorks and flushes queued writes (including headers) before the FIN.
  socket.end(() => socket.destroy())
}
