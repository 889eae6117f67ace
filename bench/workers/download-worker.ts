/**
 * One large download in its own process: the body is read chunk by chunk and discarded, never
 * buffered. Reports MB/s and the peak growth of the process's RSS over its post-warm-up
 * baseline, sampled every 10 ms. volley clients also get `onDownloadProgress`, and the final
 * progress event must account for every byte.
 */
import { VOLLEY_TIMEOUTS } from '../lib/clients.js'
import { collect, runAsWorker } from '../lib/worker.js'

export type DownloadClient = 'fetch' | 'undici' | 'volley-core' | 'volley-node'

export interface DownloadWorkerArgs {
  client: DownloadClient
  /** Server URL without a path. */
  url: string
  bytes: number
  warmupBytes: number
}

export interface DownloadWorkerResult {
  bytes: number
  ms: number
  mbPerSec: number
  peakRssGrowth: number
  baselineRss: number
  /** CPU time (user + system) of the client process during the download, in ms. */
  cpuMs: number
  progressEvents: number | undefined
  config: string
}

interface ProgressLike {
  loaded: number
  done: boolean
}
type Download = (url: string) => Promise<number>

/** Reads a WHATWG stream to the end, counting bytes, keeping nothing. */
async function drain(body: ReadableStream<Uint8Array>): Promise<number> {
  const reader = body.getReader()
  let bytes = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return bytes
    bytes += value.byteLength
  }
}

async function downloader(client: DownloadClient, progress: { events: number; last: ProgressLike | undefined }): Promise<{ run: Download; config: string }> {
  switch (client) {
    case 'fetch':
      return {
        run: async (url) => drain((await fetch(url)).body as ReadableStream<Uint8Array>),
        config: '`(await fetch(url)).body.getReader()` read to the end',
      }
    case 'undici': {
      const { request } = await import('undici')
      return {
        run: async (url) => {
          let bytes = 0
          for await (const chunk of (await request(url)).body) bytes += (chunk as Buffer).byteLength
          return bytes
        },
        config: '`for await (const chunk of (await undici.request(url)).body)` (reference for the Node entry)',
      }
    }
    case 'volley-core':
    case 'volley-node': {
      const entry = client === 'volley-core' ? '@volley/core' : '@volley/node'
      type Get = (url: string, options: object) => Promise<ReadableStream<Uint8Array>>
      type Entry = { createClient: (options: object) => { get: Get }; createPool: (options: object) => object; progress: () => object }
      const volley = (await import(entry)) as unknown as Entry
      // The total deadline must fit a slow 1 GiB; attempt and idle stay on.
      const api = volley.createClient({ timeout: { ...VOLLEY_TIMEOUTS, total: 600_000, attempt: 600_000 }, pool: volley.createPool({ concurrency: 64 }), use: [volley.progress()] })
      const onDownloadProgress = (event: ProgressLike): void => {
        progress.events++
        progress.last = event
      }
      return {
        run: async (url) => drain(await api.get(url, { responseType: 'stream', onDownloadProgress })),
        config: "`client.get(url, { responseType: 'stream', onDownloadProgress })` on `createClient({ pool: createPool({ concurrency: 64 }), use: [progress()] })`, the stream read to the end; timeouts total/attempt 600 s, idle 5 s; retry default",
      }
    }
  }
}

runAsWorker<DownloadWorkerArgs, DownloadWorkerResult>(async ({ client, url, bytes, warmupBytes }) => {
  const progress = { events: 0, last: undefined as ProgressLike | undefined }
  const { run, config } = await downloader(client, progress)
  const warm = await run(`${url}/bytes/${warmupBytes}`)
  if (warm !== warmupBytes) throw new Error(`warm-up read ${warm} of ${warmupBytes} bytes`)
  progress.events = 0

  collect()
  const baselineRss = process.memoryUsage.rss()
  let peakRss = baselineRss
  const sample = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss())
  }
  const sampler = setInterval(sample, 10)
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  const read = await run(`${url}/bytes/${bytes}`)
  const ms = performance.now() - start
  const cpu = process.cpuUsage(cpuStart)
  sample()
  clearInterval(sampler)

  if (read !== bytes) throw new Error(`read ${read} of ${bytes} bytes`)
  const volley = client.startsWith('volley')
  if (volley && !(progress.last?.done && progress.last.loaded === bytes)) {
    throw new Error(`the last progress event was ${JSON.stringify(progress.last)}, expected done with loaded = ${bytes}`)
  }
  return {
    bytes: read,
    ms,
    mbPerSec: read / 1e6 / (ms / 1000),
    peakRssGrowth: peakRss - baselineRss,
    baselineRss,
    cpuMs: (cpu.user + cpu.system) / 1000,
    progressEvents: volley ? progress.events : undefined,
    config,
  }
})
