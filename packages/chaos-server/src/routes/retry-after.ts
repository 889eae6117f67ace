import { STATUS_CODES } from 'node:http'
import { BadRequestError, readChoice, readInt, readNumber } from '../params.js'
import { sendJson } from '../respond.js'
import { ANY, type RouteDefinition } from '../router.js'

/** The ways servers say "come back later" that volley understands. */
export const RETRY_AFTER_MODES = ['seconds', 'date', 'ratelimit-reset', 'x-ratelimit-reset'] as const

/** One of {@link RETRY_AFTER_MODES}. */
export type RetryAfterMode = (typeof RETRY_AFTER_MODES)[number]

/**
 * The header a failing response carries for `mode`, `value` seconds ahead of `now` (epoch ms).
 *
 * @example
 * retryAfterHeader('seconds', 2, Date.now()) // ['Retry-After', '2']
 * retryAfterHeader('x-ratelimit-reset', 2, 1_700_000_000_000) // ['X-RateLimit-Reset', '1700000002']
 */
export function retryAfterHeader(mode: RetryAfterMode, value: number, now: number): [string, string] {
  switch (mode) {
    case 'seconds':
      return ['Retry-After', String(value)]
    case 'date': {
      // HTTP-dates have whole-second resolution; round up so the date is never earlier than asked.
      const at = Math.ceil((now + value * 1000) / 1000) * 1000
      return ['Retry-After', new Date(at).toUTCString()]
    }
    case 'ratelimit-reset':
      // IETF draft-ietf-httpapi-ratelimit-headers: delta seconds.
      return ['RateLimit-Reset', String(value)]
    case 'x-ratelimit-reset':
      // GitHub/Twitter style: absolute epoch seconds.
      return ['X-RateLimit-Reset', String(Math.ceil(now / 1000 + value))]
  }
}

/**
 * `ANY /retry-after?mode=seconds&value=1&status=429&key=default&fail=1`: the
 * first `fail` calls per key answer `status` with a wait hint in the chosen
 * format, then 200 `{ ok: true, attempt }`. Counts calls in `X-Request-Count`.
 * Dates and epoch seconds are reckoned from the server's `now` option.
 * `raw=<text>` sends `Retry-After: <text>` verbatim instead (`-1`, `1.5`,
 * `soon`, a malformed date): what a broken or hostile server may send.
 */
export const retryAfter: RouteDefinition = {
  name: 'retry-after',
  path: '/retry-after',
  methods: ANY,
  handle(ctx) {
    const { query } = ctx
    const mode = readChoice(query, 'mode', RETRY_AFTER_MODES, 'seconds')
    const value = readNumber(query, 'value', 1)
    const status = readInt(query, 'status', 429, { min: 200, max: 599 })
    const fail = readInt(query, 'fail', 1)
    const attempt = ctx.state.next('retry-after', query.key ?? 'default')
    const headers: Record<string, string | number> = { 'X-Request-Count': attempt }
    if (attempt > fail) {
      sendJson(ctx.res, 200, { ok: true, attempt }, headers)
      return
    }
    const raw = query.raw
    if (raw !== undefined && /[\r\n]/.test(raw)) throw new BadRequestError('"raw" must be a single header line')
    const [name, hint] = raw === undefined ? retryAfterHeader(mode, value, ctx.state.now()) : ['Retry-After', raw]
    headers[name] = hint
    sendJson(ctx.res, status, { status, message: STATUS_CODES[status] ?? 'Unknown', attempt, mode, [name]: hint }, headers)
  },
}
