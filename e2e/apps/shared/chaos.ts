/**
 * The chaos server's URL, given to every fixture page as `?chaos=<url>` by the specs. It runs on its
 * own port, so every request from a page is cross-origin and CORS is exercised.
 */
export function chaosUrl(search: string = location.search): string {
  const url = new URLSearchParams(search).get('chaos')
  if (!url) throw new Error('volley e2e: open this page with ?chaos=<chaos server URL> (the specs do)')
  return url.replace(/\/+$/, '')
}

/** A query parameter of the page (`?key=...`), or `fallback`. */
export function pageParam(name: string, fallback: string, search: string = location.search): string {
  return new URLSearchParams(search).get(name) ?? fallback
}

/** The body of the chaos server's `GET /__stats` (chaos-server README, "Introspection over HTTP"). */
export interface ChaosStats {
  hits: { route: string; method: string; path: string; query: Record<string, string>; headers: Record<string, string>; time: number }[]
  count: number
  concurrency: { current: number; max: number }
}

/** Reads the server's stats from the page, over plain fetch (never through volley, which is under test). */
export async function chaosStats(chaos: string, params: { route?: string; key?: string }): Promise<ChaosStats> {
  const query = new URLSearchParams()
  if (params.route) query.set('route', params.route)
  if (params.key) query.set('key', params.key)
  const response = await fetch(`${chaos}/__stats?${query}`, { cache: 'no-store' })
  if (!response.ok) throw new Error(`volley e2e: GET /__stats answered ${response.status}`)
  return (await response.json()) as ChaosStats
}
