import { STATUS_CODES } from 'node:http'
import { readInt } from '../params.js'
import { sendJson } from '../respond.js'
import { ANY, type RouteDefinition } from '../router.js'

/**
 * `ANY /flaky?key=default&fail=1&status=503&retryAfter=`: the first `fail`
 * calls per key answer `status` (with `Retry-After` when given), later calls
 * 200 `{ ok: true, attempt }`. `X-Request-Count` tells the call number, so a
 * test can see how many attempts a client made.
 */
export const flaky: RouteDefinition = {
  name: 'flaky',
  path: '/flaky',
  methods: ANY,
  handle(ctx) {
    const { query } = ctx
    const fail = readInt(query, 'fail', 1)
    const status = readInt(query, 'status', 503, { min: 200, max: 599 })
    const attempt = ctx.state.next('flaky', query.key ?? 'default')
    const headers: Record<string, string | number> = { 'X-Request-Count': attempt }
    if (attempt > fail) {
      sendJson(ctx.res, 200, { ok: true, attempt }, headers)
      return
    }
    if (query.retryAfter !== undefined) headers['Retry-After'] = query.retryAfter
    sendJson(ctx.res, status, { status, message: STATUS_CODES[status] ?? 'Unknown', attempt }, headers)
  },
}
