import { readInt } from '../params.js'
import { sendJson } from '../respond.js'
import { ANY, type RouteDefinition } from '../router.js'
import { MAX_WAIT_MS } from './delay.js'

/**
 * `ANY /tail?every=20&slow=500&fast=0&key=default`: a heavy latency tail. Every `every`-th request
 * of a key (the 20th, 40th, ...: 5% by default) answers after `slow` ms, the others after `fast`
 * ms. The choice is a counter, not a coin, so a benchmark or a test knows exactly how many slow
 * answers it asked for. A client that gives up (a hedge that lost) clears the wait at once.
 * Answers `{ n, slow }` with `X-Request-Count: n`. Requests in flight are counted per key as for
 * `/concurrency` (`stats.concurrency(key)`), so a test sees a held request let go.
 */
export const tail: RouteDefinition = {
  name: 'tail',
  path: '/tail',
  methods: ANY,
  async handle(ctx) {
    const { query } = ctx
    const every = readInt(query, 'every', 20, { min: 1 })
    const slowMs = readInt(query, 'slow', 500, { max: MAX_WAIT_MS })
    const fastMs = readInt(query, 'fast', 0, { max: MAX_WAIT_MS })
    const key = query.key ?? 'default'
    const n = ctx.state.next('tail', key)
    const slow = n % every === 0
    const { leave } = ctx.state.recorder.enter(key)
    ctx.onClose(leave)
    if (!(await ctx.sleep(slow ? slowMs : fastMs))) return
    leave()
    sendJson(ctx.res, 200, { n, slow }, { 'X-Request-Count': n })
  },
}
