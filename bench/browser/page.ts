/**
 * The page script of the Chromium bench, bundled by esbuild from the BUILT `volley` browser entry.
 * `__bench.run` drives `requests` GETs of a cross-origin JSON URL with `concurrency` loops, with
 * raw `fetch` or a volley client (every policy on), and reports req/s and latency percentiles.
 */
import { createClient, createMetrics, createPool } from 'volley'
import { VOLLEY_TIMEOUTS } from '../lib/clients.js'

export type BrowserClient = 'fetch' | 'volley'

export interface BrowserRunArgs {
  client: BrowserClient
  url: string
  requests: number
  warmup: number
  concurrency: number
}

export interface BrowserRunResult {
  reqPerSec: number
  p50: number
  p99: number
  failures: number
  firstError: string | undefined
}

function getter(client: BrowserClient, concurrency: number): (url: string) => Promise<unknown> {
  if (client === 'fetch') return async (url) => (await fetch(url)).json()
  const api = createClient({ timeout: VOLLEY_TIMEOUTS, pool: createPool({ concurrency }), metrics: createMetrics() })
  return (url) => api.get(url)
}

async function drive(get: (url: string) => Promise<unknown>, url: string, requests: number, concurrency: number, latencies: number[]): Promise<{ failures: number; firstError: string | undefined }> {
  let next = 0
  let failures = 0
  let firstError: string | undefined
  const loop = async (): Promise<void> => {
    while (next < requests) {
      next++
      const start = performance.now()
      try {
        const body = (await get(url)) as { hello?: unknown } | undefined
        if (body?.hello !== 'world') throw new Error('unexpected body')
      } catch (error) {
        failures++
        firstError ??= String(error)
      }
      latencies.push(performance.now() - start)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop))
  return { failures, firstError }
}

async function run({ client, url, requests, warmup, concurrency }: BrowserRunArgs): Promise<BrowserRunResult> {
  const get = getter(client, concurrency)
  await drive(get, url, warmup, concurrency, [])
  const latencies: number[] = []
  const start = performance.now()
  const outcome = await drive(get, url, requests, concurrency, latencies)
  const elapsed = performance.now() - start
  latencies.sort((a, b) => a - b)
  const at = (p: number): number => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] as number
  return { reqPerSec: (requests / elapsed) * 1000, p50: at(50), p99: at(99), ...outcome }
}

;(globalThis as unknown as { __bench: { run: typeof run } }).__bench = { run }
