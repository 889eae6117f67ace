/**
 * What the chaos server saw of a run, read from its `GET /__stats`: the other side of the
 * client's metrics (how many requests really arrived, how many were in flight at once).
 */
import type { Plan } from './plan.js'

export interface ServerView {
  /** Requests of this run that reached the route. */
  readonly hits: number
  /** Peak in flight at the server, for `/concurrency`. */
  readonly maxInFlight: number | undefined
}

interface StatsBody {
  hits: { query: Record<string, string> }[]
  concurrency: { current: number; max: number }
}

/** Reads the server's view of a run, or undefined when the route has no key to tell runs apart. */
export async function fetchServerView(plan: Plan): Promise<ServerView | undefined> {
  const { mode, value } = plan.key
  if (mode === 'none') return undefined
  const route = plan.path.split('/')[1] ?? ''
  const query = new URLSearchParams({ route, key: value })
  // Introspection is never cached, and never counted as a hit by the server.
  const response = await fetch(`${plan.options.baseURL}/__stats?${query}`, { cache: 'no-store' })
  if (!response.ok) throw new Error(`GET /__stats answered ${response.status}`)
  const body = (await response.json()) as StatsBody
  const ours = (key: string | undefined): boolean => (mode === 'shared' ? key === value : key?.startsWith(`${value}-`) === true)
  return {
    hits: body.hits.filter((hit) => ours(hit.query.key)).length,
    maxInFlight: route === 'concurrency' ? body.concurrency.max : undefined,
  }
}
