import { STATUS_CODES } from 'node:http'
import { readChoice, readInt } from '../params.js'
import { sendJson } from '../respond.js'
import { ANY, type RouteDefinition } from '../router.js'

/**
 * `ANY /flap?up=10&down=10&status=503&key=default&unit=requests&since=`: a flapping origin. The
 * requests of a key go round a cycle: `up` answered 200 `{ ok: true, n }`, then `down` answered
 * `status`, then up again. With `unit=requests` (the default) the cycle is counted in requests,
 * so a circuit breaker test knows exactly which request meets which phase. With `unit=ms` it is
 * counted in time: `up` ms healthy, then `down` ms failing, from `since` (epoch ms) or else from
 * the key's first request: a demo or a benchmark of an origin that comes and goes.
 * `X-Request-Count: n` and `X-Flap: up|down` say where it was.
 */
export const flap: RouteDefinition = {
  name: 'flap',
  path: '/flap',
  methods: ANY,
  handle(ctx) {
    const { query } = ctx
    const unit = readChoice(query, 'unit', ['requests', 'ms'], 'requests')
    const up = readInt(query, 'up', unit === 'ms' ? 1_000 : 10)
    const down = readInt(query, 'down', unit === 'ms' ? 1_000 : 10, { min: 1 })
    const status = readInt(query, 'status', 503, { min: 400, max: 599 })
    const key = query.key ?? 'default'
    const n = ctx.state.next('flap', key)
    // Time mode: the key's first request starts the cycle (a bucket is created once, stamped then).
    const start = unit === 'ms' ? readInt(query, 'since', ctx.state.bucket(`flap\u0000${key}`, 0).updated) : 0
    const position = unit === 'ms' ? ctx.state.now() - start : n - 1
    const healthy = position < 0 || position % (up + down) < up
    const headers = { 'X-Request-Count': n, 'X-Flap': healthy ? 'up' : 'down' }
    if (healthy) sendJson(ctx.res, 200, { ok: true, n }, headers)
    else sendJson(ctx.res, status, { status, message: STATUS_CODES[status] ?? 'Unknown', n }, headers)
  },
}
