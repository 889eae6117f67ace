import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { RouteContext } from '../context.js'
import { BadRequestError, readInt } from '../params.js'
import { sendJson } from '../respond.js'
import { ANY, type RouteDefinition } from '../router.js'

const REDIRECT_CODES = [301, 302, 303, 307, 308]

function readRedirectStatus(query: Readonly<Record<string, string>>): number {
  const status = readInt(query, 'status', 302, { min: 300, max: 399 })
  if (!REDIRECT_CODES.includes(status)) {
    throw new BadRequestError(`"status" must be one of ${REDIRECT_CODES.join(', ')}, got "${status}"`)
  }
  return status
}

function redirect(ctx: RouteContext, location: string): void {
  const status = readRedirectStatus(ctx.query)
  sendJson(ctx.res, status, { status, location }, { Location: location })
}

/** The query string as received (with `?`), so chained redirects keep e.g. `status=307`. */
function search(req: IncomingMessage): string {
  const url = req.url ?? ''
  const at = url.indexOf('?')
  return at === -1 ? '' : url.slice(at)
}

/**
 * The same server under the other loopback name: 127.0.0.1 <-> localhost,
 * same port and scheme. Browsers and fetch treat them as different origins.
 */
export function otherOrigin(req: IncomingMessage): string {
  const host = req.headers.host ?? '127.0.0.1'
  const match = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(host)
  const hostname = match?.[1] ?? host
  const port = match?.[2] ?? ''
  const swapped = hostname === 'localhost' ? '127.0.0.1' : 'localhost'
  const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http'
  return `${scheme}://${swapped}${port}`
}

/** `ANY /redirect/:n?status=302`: a chain of n redirects ending at `/echo`. */
export const redirectChain: RouteDefinition = {
  name: 'redirect',
  path: '/redirect/:n',
  methods: ANY,
  handle(ctx) {
    const n = readInt(ctx.params, 'n', 0, { max: 1000 })
    const next = n > 0 ? `/redirect/${n - 1}` : '/echo'
    redirect(ctx, `${ctx.basePath}${next}${search(ctx.req)}`)
  },
}

/** `ANY /redirect-loop?status=302`: redirects to itself forever. */
export const redirectLoop: RouteDefinition = {
  name: 'redirect-loop',
  path: '/redirect-loop',
  methods: ANY,
  handle(ctx) {
    redirect(ctx, `${ctx.basePath}/redirect-loop${search(ctx.req)}`)
  },
}

/**
 * `ANY /redirect-cross-origin?to=/echo&status=302`: redirects to `to` on the
 * other loopback host name, so a client's stripping of credentials on
 * cross-origin redirects shows in the echoed headers.
 */
export const redirectCrossOrigin: RouteDefinition = {
  name: 'redirect-cross-origin',
  path: '/redirect-cross-origin',
  methods: ANY,
  handle(ctx) {
    const to = ctx.query.to ?? '/echo'
    if (!to.startsWith('/')) throw new BadRequestError(`"to" must be a path starting with "/", got "${to}"`)
    redirect(ctx, `${otherOrigin(ctx.req)}${ctx.basePath}${to}`)
  },
}

/** `ANY /redirect-to?url=&status=302`: redirects to any URL. */
export const redirectTo: RouteDefinition = {
  name: 'redirect-to',
  path: '/redirect-to',
  methods: ANY,
  handle(ctx) {
    const url = ctx.query.url
    if (!url) throw new BadRequestError('"url" is required, e.g. /redirect-to?url=http://127.0.0.1:8080/echo')
    redirect(ctx, url)
  },
}
