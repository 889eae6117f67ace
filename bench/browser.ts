/**
 * volley in Chromium (issue 7): a page served from its own origin (a tiny static server on
 * 127.0.0.1) sends 2,000 cross-origin GETs of /json to the chaos server at concurrency 6 (the
 * browser's per-host HTTP/1.1 connection cap), with raw `fetch` and with a volley client from
 * the built browser entry. A fresh browser context per run; runs interleaved and rotated; median
 * of rounds. Only simple GETs: the chaos server's preflight count proves no client added one.
 */
import { build } from 'esbuild'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import type { BrowserClient, BrowserRunArgs, BrowserRunResult } from './browser/page.js'
import { CONFIG, rotate } from './lib/config.js'
import { BENCH_DIR } from './lib/paths.js'
import { fmt, type Check, type Section } from './lib/report.js'
import { median } from './lib/stats.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const CLIENTS: readonly BrowserClient[] = ['fetch', 'volley']
const LABELS: Record<BrowserClient, string> = { fetch: 'raw `fetch`', volley: 'volley (`createClient` from `volley`, browser entry)' }

async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [join(BENCH_DIR, 'browser/page.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  const output = result.outputFiles[0]
  if (!output) throw new Error('esbuild produced no page script')
  return output.text
}

/** Serves the page and its script from an origin other than the chaos server's. */
async function serve(script: string): Promise<{ url: string; server: Server }> {
  const html = '<!doctype html><meta charset="utf-8"><title>volley bench</title><script src="/page.js"></script>'
  const server = createServer((req, res) => {
    const isScript = req.url === '/page.js'
    res.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(isScript ? script : html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }
}

async function preflights(chaosUrl: string): Promise<number> {
  const stats = (await (await fetch(`${chaosUrl}/__stats?route=preflight`)).json()) as { count: number }
  return stats.count
}

async function runOnce(browser: Browser, pageUrl: string, args: BrowserRunArgs): Promise<BrowserRunResult> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.goto(pageUrl)
    await page.waitForFunction(() => '__bench' in globalThis)
    return await page.evaluate((a) => (globalThis as unknown as { __bench: { run(a: BrowserRunArgs): Promise<BrowserRunResult> } }).__bench.run(a), args)
  } finally {
    await context.close()
  }
}

export async function browserSection(chaosUrl: string, log: (line: string) => void): Promise<Section> {
  const { requests, warmup, concurrency } = CONFIG.browser
  const title = `Chromium: ${fmt.int(requests)} cross-origin GETs of /json at concurrency ${concurrency}`
  if (!existsSync(CHROMIUM)) {
    const why = `skipped: no Chromium at ${CHROMIUM} (\`apt-get install -y chromium\`, or set CHROMIUM_PATH)`
    return { title, intro: why, tables: [], notes: [], checks: [{ goal: 'Chromium: volley vs raw fetch', value: 'not run', met: undefined }] }
  }
  const { chromium } = await import('playwright-core')
  const { url: pageUrl, server } = await serve(await bundlePage())
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  const results = new Map(CLIENTS.map((c) => [c, { reqPerSec: [] as number[], p50: [] as number[], p99: [] as number[], failures: 0, errors: [] as string[] }]))
  const preflightsBefore = await preflights(chaosUrl)
  let version = browser.version()
  try {
    for (let round = 0; round < CONFIG.rounds; round++) {
      for (const client of rotate(CLIENTS, round)) {
        const r = results.get(client) as NonNullable<ReturnType<typeof results.get>>
        try {
          const result = await runOnce(browser, pageUrl, { client, url: `${chaosUrl}/json`, requests, warmup, concurrency })
          r.reqPerSec.push(result.reqPerSec)
          r.p50.push(result.p50)
          r.p99.push(result.p99)
          r.failures += result.failures
          if (result.firstError) r.errors.push(result.firstError)
          log(`  round ${round + 1}/${CONFIG.rounds} ${client.padEnd(7)} ${fmt.int(result.reqPerSec).padStart(6)} req/s  p50 ${fmt.ms(result.p50)} ms  p99 ${fmt.ms(result.p99)} ms`)
        } catch (error) {
          r.errors.push(error instanceof Error ? error.message.split('\n')[0] ?? 'error' : String(error))
          log(`  round ${round + 1}/${CONFIG.rounds} ${client} failed: ${r.errors.at(-1)}`)
        }
      }
    }
  } finally {
    version = browser.version()
    await browser.close()
    server.close()
  }
  const preflightCount = (await preflights(chaosUrl)) - preflightsBefore

  const base = median(results.get('fetch')?.reqPerSec ?? [])
  const ratio = median(results.get('volley')?.reqPerSec ?? []) / base
  const rows = CLIENTS.map((client) => {
    const r = results.get(client) as NonNullable<ReturnType<typeof results.get>>
    if (r.reqPerSec.length === 0) return [LABELS[client], `n/a (${r.errors[0] ?? 'no result'})`, '', '', '']
    const failed = r.failures > 0 ? ` (${r.failures} failed: ${r.errors[0]})` : ''
    return [LABELS[client], `${fmt.int(median(r.reqPerSec))}${failed}`, fmt.ratio(median(r.reqPerSec) / base), fmt.ms(median(r.p50)), fmt.ms(median(r.p99))]
  })
  const checks: Check[] = [{ goal: 'Chromium: volley vs raw fetch (no target set; for information)', value: fmt.ratio(ratio), met: undefined }]
  return {
    title,
    intro:
      `Chromium ${version} (headless, Playwright ${'`'}playwright-core${'`'}), a fresh context per run, ${fmt.int(warmup)} untimed warm-up requests, ` +
      `median of ${CONFIG.rounds} round(s). The page comes from its own 127.0.0.1 port, so every request is cross-origin (CORS).`,
    tables: [{ headers: ['client', 'req/s', 'vs fetch', 'p50 ms', 'p99 ms'], rows }],
    notes: [
      `volley: \`createClient({ timeout: { total: 30_000, attempt: 10_000, idle: 5_000 }, concurrency: ${concurrency} })\`, retry default, the default browser transport (fetch).`,
      `CORS preflights the chaos server saw during this section: ${preflightCount} (0 means every request stayed a simple request).`,
      `Launch args: ${ARGS.map((a) => `\`${a}\``).join(' ')}.`,
    ],
    checks,
  }
}
