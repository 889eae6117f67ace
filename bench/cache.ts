/**
 * The HTTP cache on a crawl (issue 25): 2,000 URLs of which 30% repeat one seen before, against
 * the chaos server's `/cacheable` route (ETags, `max-age`, some `must-revalidate`, a few ms of
 * origin latency), 16 at a time, with no cache, `cache()` in memory and `cache()` on Redis; each
 * variant in its own process, rotated per round. Requests sent are counted by the server.
 */
import { CONFIG, rotate } from './lib/config.js'
import { runWorker, shortError } from './lib/child.js'
import { fmt, type Section } from './lib/report.js'
import { median } from './lib/stats.js'
import { startRedis } from './redis.js'
import { CRAWL as SIZE } from './lib/crawl.js'
import type { CacheVariant, CacheWorkerArgs, CacheWorkerResult } from './workers/cache-worker.js'

const VARIANTS: readonly CacheVariant[] = ['none', 'memory', 'redis']
const LABELS: Record<CacheVariant, string> = {
  none: 'no cache',
  memory: '`cache()`, memory store',
  redis: '`cache({ shared: true })`, `createRedisCacheStore` (node-redis)',
}

async function served(server: string): Promise<number> {
  const response = await fetch(`${server}/__stats?route=cacheable`)
  return ((await response.json()) as { count: number }).count
}

export async function cacheSection(server: string, log: (line: string) => void): Promise<Section> {
  const title = 'HTTP cache: a crawl of 2,000 URLs, 30% repeated (issue 25)'
  const redis = await startRedis()
  const samples = new Map<CacheVariant, { ms: number[]; requests: number[]; last?: CacheWorkerResult; errors: string[] }>(VARIANTS.map((v) => [v, { ms: [], requests: [], errors: [] }]))
  try {
    for (let round = 0; round < CONFIG.rounds; round++) {
      for (const variant of rotate(VARIANTS, round)) {
        const entry = samples.get(variant) as { ms: number[]; requests: number[]; last?: CacheWorkerResult; errors: string[] }
        const prefix = `  round ${round + 1}/${CONFIG.rounds} ${variant.padEnd(7)}`
        if (variant === 'redis' && !redis) {
          entry.errors.push('no redis-server')
          continue
        }
        try {
          const before = await served(server)
          const args: CacheWorkerArgs = { variant, server, redis: redis?.url, run: `r${round}-${variant}-${process.pid}` }
          const r = await runWorker<CacheWorkerResult>('workers/cache-worker.ts', args)
          const requests = (await served(server)) - before
          entry.ms.push(r.ms)
          entry.requests.push(requests)
          entry.last = r
          log(`${prefix} ${fmt.int(r.ms)} ms, ${requests} requests sent (hit ${r.hit}, revalidated ${r.revalidated}, stale ${r.stale}, miss ${r.miss}, errors ${r.errors})`)
        } catch (error) {
          entry.errors.push(shortError(error))
          log(`${prefix} failed: ${shortError(error)}`)
        }
      }
    }
  } finally {
    await redis?.stop()
  }
  const ms = (v: CacheVariant): number => median(samples.get(v)?.ms ?? [])
  const requests = (v: CacheVariant): number => median(samples.get(v)?.requests ?? [])
  const row = (v: CacheVariant): string[] => {
    const s = samples.get(v)
    if (!s?.last) return [LABELS[v], `n/a (${s?.errors[0] ?? 'no result'})`, '', '', '', '']
    const { hit, stale, revalidated, miss } = s.last
    return [LABELS[v], fmt.int(requests(v)), fmt.int(ms(v)), fmt.ratio(ms(v) / ms('none')), v === 'none' ? '-' : `${hit} / ${revalidated} / ${stale} / ${miss}`, v === 'none' ? '-' : `${(((hit + stale + revalidated) / (hit + stale + revalidated + miss)) * 100).toFixed(0)}%`]
  }
  return {
    title,
    intro:
      `${fmt.int(SIZE.urls)} GETs, ${SIZE.repeated * 100}% of them a page seen before, ${SIZE.concurrency} at a time through \`map\` on the Node entry, against \`/cacheable\` ` +
      `(${SIZE.originMs} ms of origin latency, ETag, ~2 KB body; one page in five \`max-age=0, must-revalidate\`, the others \`max-age=300\`). ` +
      `Requests sent are counted by the chaos server. Median of ${CONFIG.rounds} round(s), each variant in its own process, rotated per round.`,
    tables: [
      {
        headers: ['client', 'requests sent', 'wall ms', 'vs no cache', 'hit / revalidated / stale / miss', 'hit ratio'],
        rows: VARIANTS.map(row),
      },
    ],
    notes: [
      'A repeat of a `max-age=300` page is a hit: answered before admission, nothing sent. A repeat of a `must-revalidate` page is a conditional request answered 304: still a request, but no body, and the stored body is served.',
      'With 16 in flight a repeat can start before the first visit of its page has stored the body (both miss); that is why the misses can exceed the unique pages.',
      'The Redis store pays one GET per cacheable call and one SET per stored body on loopback; entries are JSON with a base64 body.',
    ],
    checks: [],
  }
}
