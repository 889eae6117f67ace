import { readFlag, readInt } from '../params.js'
import { breakConnection, writeChunk } from '../respond.js'
import type { RouteContext } from '../context.js'
import type { RouteDefinition } from '../router.js'
import { MAX_WAIT_MS } from './delay.js'

function lastEventId(header: string | string[] | undefined): number {
  const id = Number(Array.isArray(header) ? header[0] : header)
  return Number.isInteger(id) && id > 0 ? id : 0
}

/** Waits at the barrier `name` with one other request; false when the client left first. */
async function passGate(ctx: RouteContext, name: string): Promise<boolean> {
  const barrier = ctx.state.meet(name, 2)
  await new Promise<void>((resolve) => {
    void barrier.met.then(resolve)
    ctx.onClose(() => {
      barrier.leave()
      resolve()
    })
  })
  return !ctx.closed
}

/**
 * `GET /sse?count=10&interval=20&key=default&dropAfter=&partial=0&retry=&event=&gate=`:
 * events `id: i` / `data: {"i":i}` for i from Last-Event-ID + 1 to `count`,
 * the first at once and then one per `interval` ms; then the stream ends.
 * `retry` sends a `retry:` field first. With `dropAfter=k`, the first
 * connection of `key` breaks right after event k; later ones run to the end.
 * `partial=1` makes that break happen mid-event: the first bytes of event k + 1 (its `id:`
 * line and part of `data:`) go out first, so the stream ends inside an unterminated event.
 * `gate=name` holds that break until a request of `/concurrency?until=2&ms=0&key=name` arrives:
 * a client that asks for it once it has read event k knows the break comes after that, not before.
 * When nothing is left to send (Last-Event-ID >= count) the answer is 204,
 * which tells an EventSource to stop reconnecting (WHATWG HTML §9.2).
 */
export const sse: RouteDefinition = {
  name: 'sse',
  path: '/sse',
  methods: ['GET'],
  async handle(ctx) {
    const { req, res, query } = ctx
    const count = readInt(query, 'count', 10)
    const interval = readInt(query, 'interval', 20, { max: MAX_WAIT_MS })
    const dropAfter = query.dropAfter === undefined ? undefined : readInt(query, 'dropAfter', 0)
    const retry = query.retry === undefined ? undefined : readInt(query, 'retry', 0)
    const partial = readFlag(query, 'partial')
    const gate = query.gate
    const eventLine = query.event ? `event: ${query.event.replace(/[\r\n]/g, '')}\n` : ''
    const first = lastEventId(req.headers['last-event-id']) + 1
    // Only connections that could drop are counted, so `key` means "this drop scenario".
    const drops = dropAfter !== undefined && ctx.state.next('sse', query.key ?? 'default') === 1

    if (first > count) {
      res.statusCode = 204
      return void res.end()
    }
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8')
    res.setHeader('Cache-Control', 'no-cache')
    // Keeps reverse proxies (nginx) from buffering the stream when the server sits behind one.
    res.setHeader('X-Accel-Buffering', 'no')
    res.flushHeaders()
    if (retry !== undefined && !(await writeChunk(ctx, res, `retry: ${retry}\n\n`))) return

    for (let i = first; i <= count; i++) {
      if (i > first && !(await ctx.sleep(interval))) return
      if (!(await writeChunk(ctx, res, `id: ${i}\n${eventLine}data: {"i":${i}}\n\n`))) return
      if (drops && i === dropAfter) {
        if (gate !== undefined && !(await passGate(ctx, gate))) return
        if (partial && !(await writeChunk(ctx, res, `id: ${i + 1}\n${eventLine}data: {"i":`))) return
        await breakConnection(ctx)
        return
      }
    }
    res.end()
  },
}
