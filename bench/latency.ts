/**
 * Latency (issue 7): the same clients, one request at a time (concurrency 1), 2,000 requests per
 * round. At concurrency 1 nothing overlaps, so p50/p99 show each client's own per-request cost
 * on top of the loopback round trip and the server. Same worker and rotation as throughput.ts.
 */
import { CONFIG } from './lib/config.js'
import { atMost, fmt, type Section } from './lib/report.js'
import { LOAD_HEADERS, loadTable, runLoad } from './throughput.js'

export async function latencySection(url: string, log: (line: string) => void): Promise<Section> {
  const settings = CONFIG.latency
  const summaries = await runLoad(url, settings, log)
  const { rows, p50 } = loadTable(summaries)
  const nodeP50 = p50('volley-node') / p50('fetch')
  return {
    title: `Latency: ${fmt.int(settings.requests)} sequential GETs of /json (concurrency 1)`,
    intro:
      `Same clients and configuration as the throughput table (volley's pool has 64 slots), ${fmt.int(settings.warmup)} untimed warm-up requests, ` +
      `median of ${CONFIG.rounds} round(s) of each number. Ratio: req/s over raw \`fetch\`'s (higher is better); CPU as in the throughput table.`,
    tables: [{ headers: LOAD_HEADERS, rows }],
    notes: [],
    checks: [{ goal: "latency at concurrency 1: volley Node entry p50 <= 0.5x raw fetch's", value: fmt.ratio(nodeP50), met: atMost(nodeP50, 0.5) }],
  }
}
