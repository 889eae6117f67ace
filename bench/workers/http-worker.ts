/**
 * Load for one client in its own process (throughput and latency share it): `concurrency` loops
 * pull request numbers from one counter until `requests` are done, each awaiting a GET of the
 * small JSON and checking the parsed body, so every client does the same work: send, read the
 * whole body, parse JSON. A warm-up (not timed) opens the keep-alive sockets and warms the JIT.
 */
import type { HttpClientName } from '../lib/clients.js'
import { latencySummary } from '../lib/stats.js'
import { runAsWorker } from '../lib/worker.js'
import { createHttpClient, type HttpClient } from './http-clients.js'

export interface HttpWorkerArgs {
  client: HttpClientName
  url: string
  requests: number
  warmup: number
  concurrency: number
  /** Slots of volley's pool. */
  poolSize: number
}

export interface HttpWorkerResult {
  reqPerSec: number
  p50: number
  p99: number
  /** CPU time (user + system) the client process spent per request, in µs: its own cost, less sensitive than req/s to whatever else the machine runs. */
  cpuPerRequest: number
  failures: number
  firstError: string | undefined
  config: string
  recordedCalls: number | undefined
}

interface Drive {
  failures: number
  firstError: string | undefined
}

async function drive(client: HttpClient, url: string, requests: number, concurrency: number, latencies: Float64Array | undefined): Promise<Drive> {
  const outcome: Drive = { failures: 0, firstError: undefined }
  let next = 0
  const loop = async (): Promise<void> => {
    while (next < requests) {
      const i = next++
      const start = performance.now()
      try {
        const body = (await client.get(url)) as { hello?: unknown } | undefined
        if (body?.hello !== 'world') throw new Error(`unexpected body: ${JSON.stringify(body)?.slice(0, 80)}`)
      } catch (error) {
        outcome.failures++
        outcome.firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      }
      if (latencies) latencies[i] = performance.now() - start
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop))
  return outcome
}

runAsWorker<HttpWorkerArgs, HttpWorkerResult>(async ({ client: name, url, requests, warmup, concurrency, poolSize }) => {
  const client = await createHttpClient(name, poolSize)
  const warm = await drive(client, url, warmup, concurrency, undefined)
  if (warm.failures > 0) throw new Error(`${name}: ${warm.failures}/${warmup} warm-up requests failed; first: ${warm.firstError}`)

  const latencies = new Float64Array(requests)
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  const run = await drive(client, url, requests, concurrency, latencies)
  const elapsed = performance.now() - start
  const cpu = process.cpuUsage(cpuStart)
  const recordedCalls = client.recordedCalls?.()
  await client.close()
  const { p50, p99 } = latencySummary(latencies)
  const cpuPerRequest = (cpu.user + cpu.system) / requests
  return { reqPerSec: (requests / elapsed) * 1000, p50, p99, cpuPerRequest, ...run, config: client.config, recordedCalls }
})
