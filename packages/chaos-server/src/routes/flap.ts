import { STATUS_CODES } from 'node:http'
import { readInt } from '../params.js'
import { sendJson } from '../respond.js'
import { ANY, type RouteDefinition } from '../router.js'

/**
 * `ANY /flap?up=10&down=10&status=503&key=default`: a flapping origin. The requests of a key go
 * round a cycle: `up` answered 200 `{ ok: true, n }`, then `down` answered `status`, then up
 * again. Counted in requests rather than time, so a circuit breaker test knows exactly which
 * request meets which phase. `X-Request-Count: n` and `X-Flap: up|down` say where it was.
 */
export const flap: RouteDefinition = {
  name: 'flap',
  path: '/flap',
  methods: ANY,
  handle(ctx) {
    const { query } = ctx
    const up = readInt(query, 'up', 10)
    const down = readInt(query, 'down', 10, { min: 1 })
    const status = readInt(query, 'status', 503, { min: 400, max: 599 })
    const n = ctx.state.next('flap', query.key ?? 'default')
    const healthy = (n - 1) % (up + down) < up
    const headers = { 'X-Request-Count': n, 'X-Flap': healthy ? 'up' : 'down' }
    if (healthy) sendJson(ctx.res, 200, { ok: true, n }, headers)
    else sendJson(ctx.res, status, { status, message: STATUS_CODES[status] ?? 'Unknown', n }, headers)
  },
}
