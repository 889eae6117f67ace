import type { ServerResponse } from 'node:http'
import { sendJson } from './respond.js'
import type { Hit } from './stats.js'
import type { ChaosState } from './state.js'

/** Paths of the introspection endpoints, below the basePath. Never recorded as hits. */
export const STATS_PATH = '/__stats'
/** @see STATS_PATH */
export const RESET_PATH = '/__reset'

/** The body of `GET /__stats`. */
export interface StatsResponse {
  hits: Hit[]
  count: number
  concurrency: { current: number; max: number }
}

/**
 * Serves `/__stats` and `/__reset` for pages and processes that cannot reach
 * the `ChaosServer` object (a browser under Playwright, a bench child process).
 * Returns false for any other path.
 *
 * - `GET /__stats?route=json&key=default` -> `{ hits, count, concurrency }`
 *   (`route` filters hits and count; `key` picks the `/concurrency` key).
 * - `POST /__reset` (GET works too) -> `{ ok: true }` after resetting.
 */
export function serveIntrospection(
  path: string,
  query: Readonly<Record<string, string>>,
  res: ServerResponse,
  state: ChaosState,
): boolean {
  const { stats } = state.recorder
  if (path === STATS_PATH) {
    const route = query.route
    const body: StatsResponse = {
      hits: route === undefined ? [...stats.hits] : stats.byRoute(route),
      count: stats.count(route),
      concurrency: stats.concurrency(query.key),
    }
    res.setHeader('Cache-Control', 'no-store')
    sendJson(res, 200, body)
    return true
  }
  if (path === RESET_PATH) {
    state.reset()
    res.setHeader('Cache-Control', 'no-store')
    sendJson(res, 200, { ok: true })
    return true
  }
  return false
}
