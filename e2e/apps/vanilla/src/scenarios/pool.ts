import { createClient, createPool, createRateLimiter } from 'volley'
import { chaosUrl } from '../../../shared/chaos.js'

/** What `/concurrency` answers. */
interface Held {
  current: number
  max: number
  key: string
}

/**
 * `requests` calls through a client with `concurrency` slots, each held by the server `ms` ms.
 * The server counts how many it holds at once; the spec reads its highest count.
 */
export async function pool(args: { key: string; requests: number; concurrency: number; ms: number }): Promise<{
  answered: number
  highestCurrentSeen: number
  poolAfter: { active: number; queued: number; completed: number; failed: number } | undefined
}> {
  const client = createClient({ baseURL: chaosUrl(), pool: createPool({ concurrency: args.concurrency }), timeout: 30_000 })
  const answers = await Promise.all(
    Array.from({ length: args.requests }, (_, i) => client.get<Held>(`/concurrency?ms=${args.ms}&key=${args.key}&i=${i}`)),
  )
  const stats = client.pool?.stats
  return {
    answered: answers.length,
    highestCurrentSeen: Math.max(...answers.map((a) => a.current)),
    poolAfter: stats && { active: stats.active, queued: stats.queued, completed: stats.completed, failed: stats.failed },
  }
}

/** `requests` calls through a client limited to `limit` starts per `interval` ms (plus `burst`). */
export async function rateLimit(args: { key: string; requests: number; limit: number; interval: number; burst: number }): Promise<{ answered: number }> {
  const chaos = chaosUrl()
  // Open the connections first (plain fetch, not counted: no key), so that connection setup does
  // not delay the first measured arrivals and shrink the span the spec measures.
  await Promise.all(Array.from({ length: args.burst + 1 }, () => fetch(`${chaos}/json`).then((r) => r.arrayBuffer())))
  const client = createClient({
    baseURL: chaos,
    rateLimit: createRateLimiter({ limit: args.limit, interval: args.interval, burst: args.burst }),
    timeout: 30_000,
  })
  const answers = await Promise.all(Array.from({ length: args.requests }, (_, i) => client.get(`/json?key=${args.key}&i=${i}`)))
  return { answered: answers.length }
}
