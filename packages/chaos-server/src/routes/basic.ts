import { STATUS_CODES } from 'node:http'
import type { RouteContext } from '../context.js'
import { readInt } from '../params.js'
import { flatHeaders } from '../request-info.js'
import { sendJson } from '../respond.js'
import { ANY, type RouteDefinition } from '../router.js'

// Built once: the bench sends 20,000 of these, so the hot path is two setHeader calls and end().
const JSON_BODY = Buffer.from(
  JSON.stringify({ hello: 'world', n: 1, ok: true, list: [1, 2, 3], nested: { a: 'b' }, text: 'volley chaos' }),
)

/** `GET /json`: a small fixed JSON object (~90 bytes). */
export const json: RouteDefinition = {
  name: 'json',
  path: '/json',
  methods: ['GET', 'HEAD'],
  handle({ res }) {
    res.setHeader('Content-Type', 'application/json; charset=utf-8')
    res.setHeader('Content-Length', JSON_BODY.length)
    res.end(JSON_BODY)
  },
}

/** `ANY /echo`: what the server received, body included. */
export const echo: RouteDefinition = {
  name: 'echo',
  path: '/echo',
  methods: ANY,
  async handle(ctx) {
    const chunks: Buffer[] = []
    let bytes = 0
    try {
      for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
        chunks.push(chunk)
        bytes += chunk.length
      }
    } catch {
      return // the client aborted mid-body; nobody is left to answer
    }
    sendJson(ctx.res, 200, {
      method: ctx.method,
      path: ctx.path,
      url: ctx.req.url,
      query: ctx.query,
      headers: flatHeaders(ctx.req),
      body: Buffer.concat(chunks).toString('utf8'),
      bytes,
    })
  },
}

/** `GET /headers`: the request headers, like httpbin. */
export const headers: RouteDefinition = {
  name: 'headers',
  path: '/headers',
  methods: ['GET', 'HEAD'],
  handle({ req, res }) {
    sendJson(res, 200, { headers: flatHeaders(req) })
  },
}

/** `ANY /status/:code?retryAfter=`: that status, `{ status, message }` (no body for 204/304). */
export const status: RouteDefinition = {
  name: 'status',
  path: '/status/:code',
  methods: ANY,
  handle(ctx: RouteContext) {
    const code = readInt(ctx.params, 'code', 200, { min: 200, max: 599 })
    const extra: Record<string, string> = {}
    const retryAfter = ctx.query.retryAfter
    if (retryAfter !== undefined) extra['Retry-After'] = retryAfter
    sendJson(ctx.res, code, { status: code, message: STATUS_CODES[code] ?? 'Unknown' }, extra)
  },
}

/** `GET /invalid-json`: declares JSON, sends a truncated object, for ParseError tests. */
export const invalidJson: RouteDefinition = {
  name: 'invalid-json',
  path: '/invalid-json',
  methods: ['GET', 'HEAD'],
  handle({ res }) {
    const body = '{"broken": tru'
    res.setHeader('Content-Type', 'application/json; charset=utf-8')
    res.setHeader('Content-Length', body.length)
    res.end(body)
  },
}
