import type { RouteContext } from '../context.js'
import { readInt } from '../params.js'
import { sendJson } from '../respond.js'
import { ANY, type RouteDefinition } from '../router.js'

/** Longest wait a route accepts: an hour, well inside setTimeout's 2^31 ms limit. */
export const MAX_WAIT_MS = 3_600_000

/** Nothing is sent, not even headers, until `ms` passed; then a small JSON body. */
async function respondLater(ctx: RouteContext): Promise<void> {
  const ms = readInt(ctx.params, 'ms', 0, { max: MAX_WAIT_MS })
  if (!(await ctx.sleep(ms))) return
  sendJson(ctx.res, 200, { delayed: ms })
}

/** `ANY /delay/:ms`: answers after `ms` milliseconds. */
export const delay: RouteDefinition = {
  name: 'delay',
  path: '/delay/:ms',
  methods: ANY,
  handle: respondLater,
}

/**
 * `ANY /slow-headers/:ms`: the same wait, under its own name, for tests of
 * the idle timeout while waiting for response headers.
 */
export const slowHeaders: RouteDefinition = {
  name: 'slow-headers',
  path: '/slow-headers/:ms',
  methods: ANY,
  handle: respondLater,
}
