/**
 * `npm run demo`: volley's main jobs against the embedded chaos server, no network needed.
 *   1. fan-out: six concurrent POSTs, three attempts each, connect/total timeouts, a failing and a flaky endpoint
 *   2. crawl: 50 pages, a pool of 5 and a rate limit of 10 starts per second
 *   3. a download with a live progress bar
 */
import { startChaosServer } from '@volley/chaos-server'
import { createClient, createPool, createRateLimiter, isHTTPError, progress, isTimeoutError, type Progress, type SafeResult } from 'volley'
import { plural, printTable } from './lib/table.js'

const server = await startChaosServer()
const ms = (n: number | undefined) => (n === undefined ? '-' : `${Math.round(n)} ms`)

function outcome(result: SafeResult<unknown>): string {
  if (result.ok) return `${result.meta.status}`
  const { error } = result
  if (isHTTPError(error)) return `HTTPError ${error.status}`
  if (isTimeoutError(error)) return `TimeoutError(${error.phase})`
  return error.name
}

console.log('\n1. Fan-out: six concurrent POSTs, retries with Idempotency-Key, connect + total timeouts\n')
{
  const api = createClient({
    baseURL: server.url,
    timeout: { connect: 1_000, total: 2_500, attempt: 1_000 },
    retry: { limit: 2, delay: 100 },
    idempotencyKey: true,
  })
  const endpoints: Record<string, string> = {
    'fast': '/delay/80',
    'flaky (503 twice)': '/flaky?key=demo-flaky&fail=2&status=503',
    'failing (500)': '/status/500',
    'too slow': '/delay/5000',
    'rate limited (429, Retry-After: 1)': '/retry-after?mode=seconds&value=1&status=429&key=demo-429&fail=1',
    'echo': '/echo',
  }
  const rows = await Promise.all(
    Object.entries(endpoints).map(async ([name, path]) => {
      const result = await api.safe.post(path, { body: { prompt: 'hello' } })
      return { name, path, result }
    }),
  )
  printTable(rows.map(({ name, result }) => ({ endpoint: name, outcome: outcome(result), attempts: result.meta.attempts, duration: ms(result.meta.durationMs) })))
}

console.log('\n2. Crawl: 50 pages, a pool of 5, a rate limit of 10 starts per second\n')
{
  const pool = 5
  const rate = { limit: 10, interval: 1000 }
  const crawler = createClient({ baseURL: server.url, pool: createPool({ concurrency: pool }), rateLimit: createRateLimiter(rate), timeout: 10_000 })
  const pages = Array.from({ length: 50 }, (_, i) => `/concurrency?ms=${50 + ((i * 37) % 200)}&key=demo-crawl&page=${i + 1}`)
  const results = await Promise.all(pages.map((page) => crawler.safe.get<{ current: number; max: number }>(page)))
  const rows = results.map((r, i) => ({
    page: i + 1,
    status: outcome(r),
    'queue wait': ms(r.meta.queuedMs),
    duration: ms(r.meta.durationMs),
    'in flight at server': r.ok ? r.data.current : undefined,
  }))
  printTable(rows, { head: 8, tail: 3 })
  const maxSeen = Math.max(...results.map((r) => (r.ok ? r.data.max : 0)))
  const hits = server.stats.byRoute('concurrency').map((h) => h.time)
  const span = (hits.at(-1)! - hits[0]!) / 1000
  const meanMs = results.reduce((sum, r) => sum + r.meta.durationMs - (r.meta.queuedMs ?? 0), 0) / results.length
  console.log(`\n  ${results.filter((r) => r.ok).length}/${plural(results.length, 'page')} ok · ${plural(hits.length, 'start')} over ${span.toFixed(1)} s`)
  console.log(`  configured: a pool of ${pool} (at most ${pool} in flight) and a rate limit of ${rate.limit} starts per ${rate.interval / 1000} s`)
  const average = (rate.limit * meanMs) / rate.interval
  if (maxSeen < pool) {
    console.log(`  the server saw at most ${maxSeen} in flight: the rate limit is what holds it, not the pool:`)
    console.log(`  ${rate.limit} starts a second × ~${Math.round(meanMs)} ms per page ≈ ${average.toFixed(1)} in flight on average, below the pool's ${pool}.`)
  } else {
    console.log(`  the server saw at most ${maxSeen} in flight: the pool's cap of ${pool} is what holds it.`)
  }
}

console.log('\n3. Download with progress\n')
{
  const bar = (p: Progress): string => {
    const width = 30
    const filled = Math.round(((p.percent ?? 0) / 100) * width)
    return `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(p.percent ?? 0)).padStart(3)}%  ${(p.loaded / 1e6).toFixed(1)} MB  ${(p.bytesPerSecond / 1e6).toFixed(1)} MB/s  ${p.done ? 'done' : `eta ${ms(p.etaMs)}`}   `
  }
  const tty = process.stdout.isTTY
  let last = ''
  const blob = await createClient({ baseURL: server.url, use: [progress()] }).get<Blob>('/drip?bytes=8000000&duration=1500&chunks=60', {
    responseType: 'blob',
    onDownloadProgress: (p) => {
      last = bar(p)
      if (tty) process.stdout.write(`\r${last}`)
    },
  })
  console.log(tty ? '' : last)
  console.log(`  downloaded ${plural(blob.size, 'byte')}`)
}

await server.close()
