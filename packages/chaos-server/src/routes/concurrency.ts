import { readInt } from '../params.js'
import { sendJson } from '../respond.js'
import { ANY, type RouteDefinition } from '../router.js'
import { MAX_WAIT_MS } from './delay.js'

/**
 * `ANY /concurrency?ms=50&key=default&until=0`: holds each request `ms`, counting how
 * many are held at once per key. Answers `{ current, max, key }`: `current`
 * as seen at arrival (this request included), `max` the highest so far.
 * This is the server-side proof that a client pool never exceeds its cap.
 * With `until=n`, a request first waits until `n` requests of the key wait
 * together (then all go on to their `ms`): a test can make a pool fill up to
 * its cap however slowly the client sends, instead of hoping it does in `ms`.
 */
export const concurrency: RouteDefinition = {
  name: 'concurrency',
  path: '/concurrency',
  methods: ANY,
  async handle(ctx) {
    const ms = readInt(ctx.query, 'ms', 50, { max: MAX_WAIT_MS })
    const key = ctx.query.key ?? 'default'
    const recorder = ctx.state.recorder
    const until = readInt(ctx.query, 'until', 0)
    const { current, leave } = recorder.enter(key)
    // An aborted request stops counting at once (its timer is cleared by the context).
    ctx.onClose(leave)
    if (until > 0) {
      const barrier = ctx.state.meet(key, until)
      ctx.onClose(barrier.leave)
      await barrier.met
      if (ctx.closed) return
    }
    if (!(await ctx.sleep(ms))) return
    // Leave before answering: the client may start its next request as soon as
    // it reads this one, and that request must not find this one still counted.
    leave()
    sendJson(ctx.res, 200, { current, max: recorder.stats.concurrency(key).max, key })
  },
}
