/**
 * Large download (issue 4 and issue 7): /bytes/N (1 GiB in the full run, with Content-Length,
 * 64 KiB server writes) streamed and discarded by each client in its own process, beside a raw
 * `response.body` read in the same run (interleaved, rotated, median of rounds). Reports MB/s,
 * the ratio to the raw read, and peak RSS growth sampled every 10 ms in the client process.
 */
import { CONFIG, rotate } from './lib/config.js'
import { runWorker, shortError } from './lib/child.js'
import { atLeast, atMost, fmt, type Check, type Section } from './lib/report.js'
import { median } from './lib/stats.js'
import type { DownloadClient, DownloadWorkerArgs, DownloadWorkerResult } from './workers/download-worker.js'

const CLIENTS: readonly DownloadClient[] = ['fetch', 'undici', 'volley-core', 'volley-node']
const LABELS: Record<DownloadClient, string> = {
  fetch: 'raw `fetch` body read',
  undici: '`undici.request` body (reference)',
  'volley-core': 'volley core, stream + progress',
  'volley-node': 'volley Node entry, stream + progress',
}
const RSS_BUDGET = 64 * 2 ** 20

interface Summary {
  mbPerSec: number[]
  rss: number[]
  cpu: number[]
  events: number[]
  errors: string[]
  config: string | undefined
}

export async function downloadSection(url: string, log: (line: string) => void): Promise<Section> {
  const { bytes, warmupBytes } = CONFIG.download
  const summaries = new Map<DownloadClient, Summary>(CLIENTS.map((c) => [c, { mbPerSec: [], rss: [], cpu: [], events: [], errors: [], config: undefined }]))
  for (let round = 0; round < CONFIG.rounds; round++) {
    for (const client of rotate(CLIENTS, round)) {
      const s = summaries.get(client) as Summary
      const args: DownloadWorkerArgs = { client, url, bytes, warmupBytes }
      try {
        const r = await runWorker<DownloadWorkerResult>('workers/download-worker.ts', args, { nodeFlags: ['--expose-gc'] })
        s.mbPerSec.push(r.mbPerSec)
        s.rss.push(r.peakRssGrowth)
        s.cpu.push(r.cpuMs)
        if (r.progressEvents !== undefined) s.events.push(r.progressEvents)
        s.config = r.config
        log(`  round ${round + 1}/${CONFIG.rounds} ${client.padEnd(12)} ${fmt.int(r.mbPerSec).padStart(5)} MB/s  peak RSS +${fmt.mib(r.peakRssGrowth)}  cpu ${fmt.int(r.cpuMs)} ms`)
      } catch (error) {
        s.errors.push(shortError(error))
        log(`  round ${round + 1}/${CONFIG.rounds} ${client.padEnd(12)} failed: ${shortError(error)}`)
      }
    }
  }

  const base = median((summaries.get('fetch') as Summary).mbPerSec)
  const ratio = (client: DownloadClient): number => median((summaries.get(client) as Summary).mbPerSec) / base
  const peak = (client: DownloadClient): number => {
    const values = (summaries.get(client) as Summary).rss
    return values.length > 0 ? Math.max(...values) : Number.NaN
  }
  const rows = CLIENTS.map((client) => {
    const s = summaries.get(client) as Summary
    if (s.mbPerSec.length === 0) return [LABELS[client], `n/a (${s.errors[0] ?? 'no result'})`, '', '', '', '', '']
    return [
      LABELS[client],
      fmt.int(median(s.mbPerSec)),
      fmt.ratio(ratio(client)),
      fmt.int(median(s.cpu)),
      fmt.mib(median(s.rss)),
      fmt.mib(peak(client)),
      s.events.length > 0 ? fmt.int(median(s.events)) : '-',
    ]
  })
  const checks: Check[] = (['volley-core', 'volley-node'] as const).flatMap((client) => [
    { goal: `download: ${LABELS[client]} >= 0.95x raw body read`, value: fmt.ratio(ratio(client)), met: atLeast(ratio(client), 0.95) },
    {
      goal: `download: ${LABELS[client]} peak RSS growth < 64 MiB`,
      value: fmt.mib(peak(client)),
      met: atMost(peak(client), RSS_BUDGET),
    },
  ])
  return {
    title: `Download: ${fmt.mib(bytes)} streamed and discarded`,
    intro:
      `GET /bytes/${bytes} (Content-Length, 64 KiB server writes) after an untimed ${fmt.mib(warmupBytes)} warm-up download; ` +
      `median of ${CONFIG.rounds} round(s). Peak RSS growth: highest \`process.memoryUsage.rss()\` sampled every 10 ms during the download, ` +
      'minus the RSS after a forced GC right before it (median and worst round). Client CPU: user + system time of the client process during the download.',
    tables: [{ headers: ['client', 'MB/s', 'vs fetch body', 'client CPU ms', 'peak RSS growth', 'worst round', 'progress events'], rows }],
    notes: CLIENTS.map((client) => `${LABELS[client]}: ${(summaries.get(client) as Summary).config ?? 'n/a'}.`),
    checks,
  }
}
