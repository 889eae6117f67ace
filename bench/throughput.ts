/**
 * Throughput (issue 7): 20,000 GETs of /json at concurrency 64 per client, every client in its
 * own process, clients interleaved and rotated per round, the median of the rounds reported as a
 * ratio to raw `fetch`. Fair because every client does the same work (send, read, parse, check
 * the body), on keep-alive sockets, after the same untimed warm-up, against the same server
 * process. Latency at concurrency 1 (latency.ts) reuses this runner.
 */
import { CONFIG, rotate } from './lib/config.js'
import { HTTP_CLIENTS, LABELS, type HttpClientName } from './lib/clients.js'
import { runWorker, shortError } from './lib/child.js'
import { atLeast, atMost, fmt, type Check, type Section } from './lib/report.js'
import { median, spread } from './lib/stats.js'
import type { HttpWorkerArgs, HttpWorkerResult } from './workers/http-worker.js'

export interface LoadSettings {
  requests: number
  warmup: number
  concurrency: number
}

export interface ClientSummary {
  client: HttpClientName
  reqPerSec: number[]
  p50: number[]
  p99: number[]
  cpu: number[]
  failures: number
  errors: string[]
  config: string | undefined
  recordedCalls: number | undefined
}

/** Runs every client once per round, rotating the order, each in a fresh worker process. */
export async function runLoad(url: string, settings: LoadSettings, log: (line: string) => void): Promise<Map<HttpClientName, ClientSummary>> {
  const summaries = new Map<HttpClientName, ClientSummary>(
    HTTP_CLIENTS.map((client) => [client, { client, reqPerSec: [], p50: [], p99: [], cpu: [], failures: 0, errors: [], config: undefined, recordedCalls: undefined }]),
  )
  for (let round = 0; round < CONFIG.rounds; round++) {
    for (const client of rotate(HTTP_CLIENTS, round)) {
      const summary = summaries.get(client) as ClientSummary
      const args: HttpWorkerArgs = { client, url: `${url}/json`, ...settings, poolSize: settings.concurrency === 1 ? 64 : settings.concurrency }
      try {
        const result = await runWorker<HttpWorkerResult>('workers/http-worker.ts', args)
        summary.reqPerSec.push(result.reqPerSec)
        summary.p50.push(result.p50)
        summary.p99.push(result.p99)
        summary.cpu.push(result.cpuPerRequest)
        summary.failures += result.failures
        if (result.firstError) summary.errors.push(result.firstError)
        summary.config = result.config
        summary.recordedCalls = result.recordedCalls
        log(`  round ${round + 1}/${CONFIG.rounds} ${client.padEnd(12)} ${fmt.int(result.reqPerSec).padStart(7)} req/s  p50 ${fmt.ms(result.p50)} ms  p99 ${fmt.ms(result.p99)} ms  cpu ${fmt.int(result.cpuPerRequest)} µs/req`)
      } catch (error) {
        summary.errors.push(shortError(error))
        log(`  round ${round + 1}/${CONFIG.rounds} ${client.padEnd(12)} failed: ${shortError(error)}`)
      }
    }
  }
  return summaries
}

export const LOAD_HEADERS = ['client', 'req/s', 'vs fetch', 'p50 ms', 'p99 ms', 'CPU µs/req', 'CPU vs fetch', 'spread (rounds)']

/** The table shared by throughput and latency: req/s, ratio to raw fetch, p50, p99, client CPU per request, spread. */
export function loadTable(summaries: Map<HttpClientName, ClientSummary>): {
  rows: string[][]
  ratio: (client: HttpClientName) => number
  cpu: (client: HttpClientName) => number
  p50: (client: HttpClientName) => number
} {
  const base = median((summaries.get('fetch') as ClientSummary).reqPerSec)
  const ratio = (client: HttpClientName): number => median((summaries.get(client) as ClientSummary).reqPerSec) / base
  const rows = HTTP_CLIENTS.map((client) => {
    const s = summaries.get(client) as ClientSummary
    if (s.reqPerSec.length === 0) return [LABELS[client], `n/a (${s.errors[0] ?? 'no result'})`, ...LOAD_HEADERS.slice(2).map(() => '')]
    const failed = s.failures > 0 ? ` (${s.failures} failed)` : ''
    return [
      LABELS[client],
      `${fmt.int(median(s.reqPerSec))}${failed}`,
      fmt.ratio(ratio(client)),
      fmt.ms(median(s.p50)),
      fmt.ms(median(s.p99)),
      fmt.int(median(s.cpu)),
      fmt.ratio(median(s.cpu) / median((summaries.get('fetch') as ClientSummary).cpu)),
      `${fmt.pct(spread(s.reqPerSec))} (${s.reqPerSec.length})`,
    ]
  })
  const cpu = (client: HttpClientName): number => median((summaries.get(client) as ClientSummary).cpu)
  const p50 = (client: HttpClientName): number => median((summaries.get(client) as ClientSummary).p50)
  return { rows, ratio, cpu, p50 }
}

/** Each client's configuration, for the notes. */
export function configNotes(summaries: Map<HttpClientName, ClientSummary>): string[] {
  return HTTP_CLIENTS.map((client) => {
    const s = summaries.get(client) as ClientSummary
    const calls = s.recordedCalls === undefined ? '' : ` Its metrics counted ${fmt.int(s.recordedCalls)} calls (warm-up included) in the last round.`
    return `${LABELS[client]}: ${s.config ?? 'n/a'}.${calls}`
  })
}

export async function throughputSection(url: string, log: (line: string) => void): Promise<Section> {
  const settings = CONFIG.throughput
  const summaries = await runLoad(url, settings, log)
  const { rows, ratio, cpu } = loadTable(summaries)
  const undiciCpu = cpu('volley-node') / cpu('undici')
  const checks: Check[] = [
    { goal: 'throughput: volley core >= 0.95x raw fetch (every policy on)', value: fmt.ratio(ratio('volley-core')), met: atLeast(ratio('volley-core'), 0.95) },
    { goal: 'throughput: volley Node entry >= 2.5x raw fetch (3x is the aim)', value: fmt.ratio(ratio('volley-node')), met: atLeast(ratio('volley-node'), 2.5) },
    { goal: "throughput: volley Node entry <= 1.6x `undici.request`'s CPU per request", value: fmt.ratio(undiciCpu), met: atMost(undiciCpu, 1.6) },
  ]
  return {
    title: `Throughput: ${fmt.int(settings.requests)} GETs of /json at concurrency ${settings.concurrency}`,
    intro:
      `Each client in its own process, after ${fmt.int(settings.warmup)} untimed warm-up requests; clients interleaved and rotated each round; ` +
      `median of ${CONFIG.rounds} round(s). Ratio: req/s over raw \`fetch\`'s (higher is better). p50/p99: per-request latency under that load, in ms. ` +
      'CPU: user + system time of the client process per request, in µs, and relative to raw `fetch` (lower is better); it depends much less than req/s on ' +
      'what else the machine runs. Spread: (max - min) / median of req/s over the rounds.',
    tables: [{ headers: LOAD_HEADERS, rows }],
    notes: configNotes(summaries),
    checks,
  }
}
