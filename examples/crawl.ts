/**
 * A polite crawl: 50 pages, at most 5 in flight, at most 10 starts per second, a 429 pausing the
 * whole site for everyone, and results in input order with the ones that failed kept.
 * Run: npm run example -- examples/crawl.ts
 */
import { startChaosServer } from '@volley/chaos-server'
import { createClient } from 'volley'

const server = await startChaosServer()
const crawler = createClient({
  baseURL: server.url,
  concurrency: 5,
  rateLimit: { limit: 10, interval: 1_000 },
  timeout: { total: 20_000, attempt: 5_000 },
})

const pages = Array.from({ length: 50 }, (_, i) => `/concurrency?ms=${40 + ((i * 53) % 120)}&key=crawl&page=${i + 1}`)
// One page answers 429 once: the limiter then holds every request to the site for Retry-After.
pages[20] = '/retry-after?mode=seconds&value=1&status=429&key=crawl-429&fail=1'

const results = await crawler.settle(pages, (page, _, signal) => crawler.get(page, { signal }))
const ok = results.filter((r) => r.ok).length
const snapshot = crawler.metrics.snapshot()
console.log(`${ok}/${pages.length} pages, ${snapshot.retries} retries, p50 ${snapshot.latency.p50?.toFixed(0)} ms, p99 ${snapshot.latency.p99?.toFixed(0)} ms`)
console.log(`highest in flight at the server: ${server.stats.concurrency('crawl').max} (cap 5)`)
await server.close()
