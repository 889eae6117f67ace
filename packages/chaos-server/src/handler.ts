import type { IncomingMessage, ServerResponse } from 'node:http'
import { createContext, type RouteContext } from './context.js'
import { answerPreflight, applyCors, isPreflight } from './cors.js'
import { RESET_PATH, STATS_PATH, serveIntrospection } from './introspection.js'
import { BadRequestError } from './params.js'
import { flatHeaders } from './request-info.js'
import { sendJson } from './respond.js'
import { createRouter, type RouteDefinition } from './router.js'
import { ROUTES } from './routes/index.js'
import { createState } from './state.js'
import { createStatsRecorder, type ChaosStats, type RecordOptions } from './stats.js'

/** Options of {@link createChaosHandler}. */
export interface ChaosHandlerOptions extends RecordOptions {
  /**
   * Path prefix the routes live under when mounted inside another server,
   * e.g. `'/chaos'` serves `/chaos/json`. Redirect locations include it.
   * Mount the handler without a path of its own (the prefix must still be in `req.url`).
   * @default ''
   */
  basePath?: string
  /**
   * Source of epoch ms for the routes that keep time (`/rate-limited` buckets, `/flap?unit=ms`,
   * `/retry-after`'s dates and epoch seconds), so a test can move it instead of waiting.
   * @default Date.now
   */
  now?: () => number
}

/** Connect/Vite-style continuation, called for requests outside `basePath`. */
export type NextFunction = (error?: unknown) => void

/** The chaos routes as a plain request handler, with their stats. */
export interface ChaosHandler {
  /**
   * Serves one request. Outside `basePath`, calls `next` when given (middleware
   * use), else answers 404.
   */
  handle(req: IncomingMessage, res: ServerResponse, next?: NextFunction): void
  readonly stats: ChaosStats
  /** Forgets hits, flaky/retry counters, rate-limit buckets and concurrency records. */
  reset(): void
}

function normalizeBasePath(basePath = ''): string {
  if (basePath === '' || basePath === '/') return ''
  const withSlash = basePath.startsWith('/') ? basePath : `/${basePath}`
  return withSlash.endsWith('/') ? withSlash.slice(0, -1) : withSlash
}

function parseQuery(search: string): Record<string, string> {
  if (search === '') return {}
  return Object.fromEntries(new URLSearchParams(search))
}

function fail(ctx: RouteContext, error: unknown): void {
  const { res } = ctx
  if (ctx.closed) return
  if (res.headersSent) {
    // Mid-body: the only honest signal left is a broken connection.
    res.destroy()
    return
  }
  if (error instanceof BadRequestError) {
    sendJson(res, 400, { status: 400, message: error.message })
    return
  }
  sendJson(res, 500, { status: 500, message: error instanceof Error ? error.message : String(error) })
}

function run(ctx: RouteContext, route: RouteDefinition): void {
  try {
    const pending = route.handle(ctx)
    if (pending) pending.catch((error: unknown) => fail(ctx, error))
  } catch (error) {
    fail(ctx, error)
  }
}

/**
 * Creates the chaos routes as a request handler, for mounting in another
 * server (the playground's Vite dev server) or wrapping in `node:http`.
 *
 * @example
 * // vite.config.ts
 * const chaos = createChaosHandler({ basePath: '/chaos' })
 * export default defineConfig({
 *   plugins: [{ name: 'chaos', configureServer: (server) => void server.middlewares.use(chaos.handle) }],
 * })
 */
export function createChaosHandler(options: ChaosHandlerOptions = {}): ChaosHandler {
  const basePath = normalizeBasePath(options.basePath)
  const recorder = createStatsRecorder(options)
  const state = createState(recorder, options.now)
  const router = createRouter(ROUTES)

  const record = (route: string, req: IncomingMessage, path: string, query: Record<string, string>): void => {
    if (!recorder.recording) return recorder.tally(route)
    recorder.record({
      route,
      method: req.method ?? 'GET',
      path,
      query,
      headers: flatHeaders(req),
      time: performance.timeOrigin + performance.now(),
    })
  }

  const handle = (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void => {
    const url = req.url ?? '/'
    const at = url.indexOf('?')
    let path = at === -1 ? url : url.slice(0, at)
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`)) {
        if (next) return next()
        return sendJson(res, 404, { status: 404, message: `Outside ${basePath}: ${path}` })
      }
      path = path.slice(basePath.length) || '/'
    }
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1)
    const query = parseQuery(at === -1 ? '' : url.slice(at + 1))
    const method = req.method ?? 'GET'
    // A write racing a client abort must not surface as an unhandled 'error'.
    res.on('error', () => {})
    applyCors(req, res)

    const introspection = path === STATS_PATH || path === RESET_PATH
    if (isPreflight(req)) {
      if (!introspection) record('preflight', req, path, query)
      return answerPreflight(req, res)
    }
    if (introspection) {
      serveIntrospection(path, query, res, state)
      return
    }

    const match = router.match(method, path)
    if (!match) {
      record('not-found', req, path, query)
      return sendJson(res, 404, { status: 404, message: `No route for ${method} ${path}; GET ${basePath}/ lists them` })
    }
    const { route, params } = match
    record(route.name, req, path, query)
    res.setHeader('X-Chaos-Route', route.name)
    if (!match.allowed) {
      const allow = [...route.methods, 'OPTIONS'].join(', ')
      // A plain OPTIONS (no preflight headers) asks what is allowed; answer it instead of 405.
      if (method === 'OPTIONS') return sendJson(res, 204, null, { Allow: allow })
      const message = `${method} is not allowed on ${route.path}; allowed: ${allow}`
      return sendJson(res, 405, { status: 405, message }, { Allow: allow })
    }
    run(createContext({ req, res, path, basePath, query, params, state }), route)
  }

  return {
    handle,
    stats: recorder.stats,
    reset: () => state.reset(),
  }
}
