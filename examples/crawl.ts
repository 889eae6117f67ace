/**
 * A polite crawl: 50 pages, a pool of 5, at most 10 starts per second, a 429 pausing the
 * whole site for everyone, and results in input order with the ones that failed kept.
 * Run: npm run example -- examples/crawl.ts
 */
import { startChaosServer } from '@volley/chaos-server'
import { createClient, createMetrics, createPool, createRateLimiter, settle } from 'volley'
import { plural, printTable } from './lib/table.js'

const pool = 5
const rate = { limit: 10, interval: 1_000 }
const metrics = createMetrics()
const server = await startChaosServer()
const crawler = createClient({
  baseURL: server.url,
  pool: createPool({ concurrency: pool }),
  rateLimit: createRateLimiter(rate),
  metrics,
  timeout: { total: 20_000, attempt: 5_000 },
})

const pages = Array.from({ length: 50 }, (_, i) => `/concurrency?ms=${40 + ((i * 53) % 120)}&key=crawl&page=${i + 1}`)
// One page answers 429 once: the limiter then holds every request to the site for Retry-After.
pages[20] = '/retry-after?mode=seconds&value=1&status=429&key=crawl-429&fail=1'

// As many pages in hand at once as the pool has slots (what `client.settle` did before 0.2).
const results = await settle(pages, (page, _, signal) => crawler.get(page, { signal }), { concurrency: pool })
const ok = results.filter((r) => r.ok).length
const snapshot = metrics.snapshot()
const ms = (value: number | undefined): string | undefined => (value === undefined ? undefined : `${Math.round(value)} ms`)
printTable([
  { pages: pages.length, ok, retries: snapshot.retries, p50: ms(snapshot.latency.p50), p99: ms(snapshot.latency.p99), 'max in flight at server': server.stats.concurrency('crawl').max },
])
const maxSeen = server.stats.concurrency('crawl').max
console.log(`\n  ${ok}/${plural(pages.length, 'page')} ok after ${plural(snapshot.retries, 'retry', 'retries')}`)
console.log(`  configured: a pool of ${pool} (at most ${pool} in flight) and a rate limit of ${rate.limit} starts per ${rate.interval / 1000} s`)
console.log(
  maxSeen < pool
    ? `  the server saw at most ${maxSeen} in flight: the rate limit holds it below the pool's ${pool} (pages take 40-160 ms, and only ${rate.limit} start per second)`
    : `  the server saw at most ${maxSeen} in flight: the pool's cap of ${pool} holds it`,
)
await server.close()
