/**
 * Per-call cost with no network (issue 11): a transport that returns a ready `Response` with a
 * 200-byte JSON body, so what is measured is each library's own machinery, not the socket. Every
 * subject runs in this one process, interleaved and rotated per round, after an untimed warm-up;
 * CPU µs per call (user + system) is the median of the rounds. Side by side: fetch-shaped plain
 * code, ofetch on the same transport, a bare volley client, and volley with every policy on
 * (retry 2, total + idle timeouts, a pool of 64, metrics).
 */
import { CONFIG, QUICK, rotate } from './lib/config.js'
import { atMost, fmt, type Check, type Section } from './lib/report.js'
import { median, spread } from './lib/stats.js'

const BODY = JSON.stringify({ id: 1, title: 'x'.repeat(150), done: false, tags: ['a', 'b'] })
const HEADERS = { 'content-type': 'application/json', 'content-length': String(BODY.length) }
/** The no-network transport: fetch-shaped, ignores `init`, answers at once. */
const transport = async (_input: unknown, _init?: unknown): Promise<Response> => new Response(BODY, { headers: HEADERS })
const URL = 'http://api.example.test/todos/1'

type Subject = { readonly label: string; readonly call: () => Promise<unknown> }

async function subjects(): Promise<Record<string, Subject>> {
  const { createFetch } = await import('ofetch')
  const core = await import('@volley/core')
  const ofetch = createFetch({ fetch: transport as typeof fetch })
  const bare = core.createClient({ transport })
  const full = core.createClient({
    transport,
    retry: 2,
    timeout: { total: 30_000, idle: 5_000 },
    pool: core.createPool({ concurrency: 64 }),
    metrics: core.createMetrics(),
  })
  return {
    plain: { label: 'fetch-shaped plain code (`(await transport(url)).json()`)', call: async () => (await transport(URL)).json() },
    ofetch: { label: 'ofetch (`createFetch({ fetch: transport })`)', call: () => ofetch(URL) },
    bare: { label: 'volley, bare client (`createClient({ transport })`)', call: () => bare.get(URL) },
    full: { label: 'volley, every policy on (retry 2, total + idle timeouts, pool 64, metrics)', call: () => full.get(URL) },
  }
}

/** CPU µs per call over `n` sequential calls. */
async function measure(call: () => Promise<unknown>, n: number): Promise<number> {
  const start = process.cpuUsage()
  for (let i = 0; i < n; i++) await call()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / n
}

export async function perCallSection(log: (line: string) => void): Promise<Section> {
  const calls = QUICK ? 5_000 : 30_000
  const rounds = Math.max(CONFIG.rounds, 5)
  const all = await subjects()
  const names = Object.keys(all)
  const cpu = new Map<string, number[]>(names.map((name) => [name, []]))
  for (const name of names) await measure(all[name]!.call, 3_000) // warm-up, untimed
  for (let round = 0; round < rounds; round++) {
    for (const name of rotate(names, round)) {
      const us = await measure(all[name]!.call, calls)
      cpu.get(name)!.push(us)
    }
    log(`  round ${round + 1}/${rounds}: ${names.map((name) => `${name} ${cpu.get(name)!.at(-1)!.toFixed(1)} µs`).join(', ')}`)
  }
  const med = (name: string): number => median(cpu.get(name)!)
  const ofetch = med('ofetch')
  const rows = names.map((name) => [all[name]!.label, med(name).toFixed(1), fmt.pct(spread(cpu.get(name)!)), fmt.ratio(med(name) / ofetch)])
  const checks: Check[] = [
    { goal: 'per call, no network: volley with every policy on ≤ 1.25× ofetch CPU', value: fmt.ratio(med('full') / ofetch), met: atMost(med('full') / ofetch, 1.25) },
    { goal: 'per call, no network: bare volley client ≤ 1.1× ofetch CPU', value: fmt.ratio(med('bare') / ofetch), met: atMost(med('bare') / ofetch, 1.1) },
  ]
  return {
    title: 'Per-call cost, no network',
    intro: `A transport that returns a ready \`Response\` (${BODY.length}-byte JSON); ${calls.toLocaleString('en-US')} sequential calls per subject per round, ${rounds} rounds interleaved and rotated, in one process; CPU µs per call, median (spread) of the rounds, and the ratio to ofetch.`,
    tables: [{ headers: ['subject', 'CPU µs / call', 'spread', 'vs ofetch'], rows }],
    notes: ['On Node 20 every `AbortController` costs ~3 µs; volley builds one per attempt only when the transport reads `init.signal` (a real `fetch` does; this transport does not).'],
    checks,
  }
}
