/**
 * Three worker processes share one budget through Redis: 10 requests/s and 4 in flight, fleet-wide.
 * Then prints what the chaos server saw. Uses REDIS_URL, or starts its own redis-server.
 * Run: npm run example -- examples/fleet/main.ts
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startChaosServer } from '@volley/chaos-server'

const HERE = dirname(fileURLToPath(import.meta.url))
const WORKERS = ['alpha', 'beta', 'gamma']
const PER_WORKER = 20

/** REDIS_URL, or a redis-server of our own on a random port (stopped at the end). */
async function redisUrl(): Promise<{ url: string; stop: () => void }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: () => {} }
  const binary = process.env.REDIS_SERVER ?? 'redis-server'
  if (spawnSync(binary, ['--version']).status !== 0) {
    console.error(`fleet: no REDIS_URL and no \`${binary}\` found. Install Redis (Debian: apt-get install redis-server), set REDIS_SERVER to the binary, or set REDIS_URL.`)
    process.exit(1)
  }
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const dir = mkdtempSync(join(tmpdir(), 'volley-fleet-'))
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
  for (let i = 0; spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() !== 'PONG'; i++) {
    if (i > 100) throw new Error(`fleet: redis-server did not start on port ${port}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      process.kill(child.pid as number, 'SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function run(worker: string, env: Record<string, string>): Promise<{ worker: string; ok: number; failed: number }> {
  const child: ChildProcess = spawn(process.execPath, ['--conditions=@volley/source', '--import', 'tsx', join(HERE, 'worker.ts')], {
    env: { ...process.env, ...env, WORKER: worker },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout?.on('data', (chunk) => (out += chunk))
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() as string)) : reject(new Error(`${worker} exited with ${code}`)))),
  )
}

/** Prints rows as an aligned table with a header, and no index column. */
function printTable(rows: Array<Record<string, string | number>>): void {
  const headers = Object.keys(rows[0] ?? {})
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((row) => String(row[h]).length)))
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ')
  console.log(line(headers))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of rows) console.log(line(headers.map((h) => String(row[h]))))
}

const redis = await redisUrl()
const server = await startChaosServer()
try {
  const target = `${server.url}/concurrency?ms=300&key=fleet`
  console.log(`fleet: ${WORKERS.length} workers × ${PER_WORKER} requests, sharing 10 requests/s and 4 in flight through ${redis.url}\n`)
  const reports = await Promise.all(WORKERS.map((worker) => run(worker, { REDIS_URL: redis.url, TARGET: target, COUNT: String(PER_WORKER) })))

  const hits = server.stats.byRoute('concurrency')
  const times = hits.map((hit) => hit.time).sort((a, b) => a - b)
  const busiest = (width: number) => Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + width).length))
  printTable(
    reports.map(({ worker, ok, failed }) => {
      const own = hits.filter((hit) => hit.headers['x-worker'] === worker).map((hit) => hit.time)
      return {
        worker,
        'ok': ok,
        'failed': failed,
        'server saw': own.length,
        'first (s)': ((Math.min(...own) - (times[0] as number)) / 1000).toFixed(2),
        'last (s)': ((Math.max(...own) - (times[0] as number)) / 1000).toFixed(2),
      }
    }),
  )
  const span = ((times.at(-1) as number) - (times[0] as number)) / 1000
  // Starts are granted 100 ms apart on Redis's clock; the server sees them a few ms later, each
  // delayed differently, so a window of 1 s less one step (0.9 s) is the one that must hold <= 10.
  console.log(`\nserver: ${times.length} requests over ${span.toFixed(1)} s`)
  console.log(`  most starts in any 0.9 s window: ${busiest(900)} (limit 10 per second)`)
  console.log(`  most requests in flight at once: ${server.stats.concurrency('fleet').max} (limit 4)`)
} finally {
  await server.close()
  redis.stop()
}
