import { readInt } from '../params.js'
import { sendJson } from '../respond.js'
import { ANY, type RouteDefinition } from '../router.js'

/**
 * `ANY /rate-limited?limit=10&interval=1000&key=default`: a token bucket per
 * key holding `limit` tokens, refilled continuously at `limit` per `interval`
 * ms. Within budget: 200; over it: 429 with `Retry-After` (whole seconds until
 * the next token, rounded up). Both carry `RateLimit-Limit`,
 * `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the bucket is full).
 */
export const rateLimited: RouteDefinition = {
  name: 'rate-limited',
  path: '/rate-limited',
  methods: ANY,
  handle(ctx) {
    const { query } = ctx
    const limit = readInt(query, 'limit', 10, { min: 1 })
    const interval = readInt(query, 'interval', 1000, { min: 1 })
    const key = query.key ?? 'default'
    // The shape is part of the bucket's identity, so two tests with different limits never share one.
    const bucket = ctx.state.bucket(`${key}\u0000${limit}\u0000${interval}`, limit)
    const perMs = limit / interval
    const now = ctx.state.now()
    bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.updated) * perMs)
    bucket.updated = now

    const allowed = bucket.tokens >= 1
    if (allowed) bucket.tokens -= 1
    const remaining = Math.floor(bucket.tokens)
    const headers: Record<string, string | number> = {
      'RateLimit-Limit': limit,
      'RateLimit-Remaining': remaining,
      'RateLimit-Reset': Math.ceil((limit - bucket.tokens) / perMs / 1000),
    }
    if (allowed) {
      sendJson(ctx.res, 200, { ok: true, limit, remaining }, headers)
      return
    }
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))
    headers['Retry-After'] = retryAfter
    sendJson(ctx.res, 429, { status: 429, message: 'Too Many Requests', limit, remaining, retryAfter }, headers)
  },
}
