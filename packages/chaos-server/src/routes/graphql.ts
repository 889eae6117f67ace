import { STATUS_CODES } from 'node:http'
import { BadRequestError, readInt } from '../params.js'
import { sendJson } from '../respond.js'
import type { RouteDefinition } from '../router.js'
import { MAX_WAIT_MS } from './delay.js'

/**
 * `POST /graphql?key=default&fail=0&status=503&retryAfter=&ms=0`: a GraphQL-over-HTTP endpoint
 * just big enough for tests of GraphQL clients. It takes the JSON `{ query, variables }` a client
 * POSTs, and does not parse the query: every operation answers 200 `{ data: { hello: "world",
 * attempt, variables } }`, and one with an `error` variable answers 200 `{ errors: [{ message }] }`,
 * as GraphQL servers report errors. The first `fail` calls per key answer `status` instead (with
 * `Retry-After` when given), like `/flaky`; `ms` holds each request, counted per key like
 * `/concurrency`.
 */
export const graphql: RouteDefinition = {
  name: 'graphql',
  path: '/graphql',
  methods: ['POST'],
  async handle(ctx) {
    const { query } = ctx
    const fail = readInt(query, 'fail', 0)
    const status = readInt(query, 'status', 503, { min: 200, max: 599 })
    const ms = readInt(query, 'ms', 0, { max: MAX_WAIT_MS })
    const key = query.key ?? 'default'
    let text = ''
    try {
      for await (const chunk of ctx.req as AsyncIterable<Buffer>) text += chunk.toString('utf8')
    } catch {
      return // the client went away mid-body
    }
    let operation: { query?: unknown; variables?: Record<string, unknown> }
    try {
      operation = JSON.parse(text) as typeof operation
    } catch {
      throw new BadRequestError(`the body must be JSON { query, variables }, got "${text.slice(0, 40)}"`)
    }
    if (typeof operation?.query !== 'string') throw new BadRequestError('the body must carry a `query` string')
    const { leave } = ctx.state.recorder.enter(key)
    ctx.onClose(leave)
    if (ms > 0 && !(await ctx.sleep(ms))) return
    leave()
    const attempt = ctx.state.next('graphql', key)
    const headers: Record<string, string | number> = { 'X-Request-Count': attempt }
    if (attempt <= fail) {
      if (query.retryAfter !== undefined) headers['Retry-After'] = query.retryAfter
      sendJson(ctx.res, status, { errors: [{ message: STATUS_CODES[status] ?? 'Unknown' }] }, headers)
      return
    }
    const variables = operation.variables ?? {}
    if (typeof variables.error === 'string') sendJson(ctx.res, 200, { errors: [{ message: variables.error, path: ['hello'] }], data: null }, headers)
    else sendJson(ctx.res, 200, { data: { hello: 'world', attempt, variables } }, headers)
  },
}
