/**
 * One crawl of bench/cache.ts in its own process: `urls` in order, `concurrency` at a time, on
 * the Node entry, with no cache, `cache()` in memory, or `cache()` on Redis. Reports the wall
 * time and how the cache served the calls; the parent reads the requests the server saw.
 */
import { cache, createClient, createMetrics, map, type Cache } from '@volley/node'
import { createRedisCacheStore } from '@volley/redis'
import { createClient as createRedisClient } from 'redis'
import { CRAWL, crawl } from '../lib/crawl.js'
import { runAsWorker } from '../lib/worker.js'

export type CacheVariant = 'none' | 'memory' | 'redis'

export interface CacheWorkerArgs {
  variant: CacheVariant
  server: string
  redis: string | undefined
  /** Names the crawl's pages, so no run finds another's entries. */
  run: string
}

export interface CacheWorkerResult {
  ms: number
  hit: number
  stale: number
  revalidated: number
  miss: number
  errors: number
}

runAsWorker<CacheWorkerArgs, CacheWorkerResult>(async ({ variant, server, redis, run }) => {
  const urls = crawl(run)
  const concurrency = CRAWL.concurrency
  const redisClient = variant === 'redis' ? await createRedisClient({ url: redis }).connect() : undefined
  const policy: Cache | undefined =
    variant === 'none' ? undefined : variant === 'memory' ? cache() : cache({ shared: true, store: createRedisCacheStore({ client: redisClient as object }) })
  const metrics = createMetrics()
  const api = createClient({ baseURL: server, metrics, retry: 0, use: policy ? [policy] : [] })
  let errors = 0
  const started = performance.now()
  await map(urls, (url) => api.get(url).catch(() => void errors++), { concurrency })
  await policy?.idle()
  const ms = performance.now() - started
  const counts = metrics.snapshot().cache ?? { hit: 0, stale: 0, revalidated: 0, miss: urls.length }
  await api.close()
  await redisClient?.quit()
  return { ms, hit: counts.hit, stale: counts.stale, revalidated: counts.revalidated, miss: counts.miss, errors }
})
