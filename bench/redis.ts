/**
 * Shared rate limits and leases on Redis (issue 14): the cost of one rate-limit take and one pool
 * lease (acquire + release) through `@volley/redis` on loopback, next to the in-memory store and
 * pool of `@volley/core` and to bottleneck's Redis mode (`datastore: 'ioredis'`), each variant in
 * its own process, rotated per round. Starts its own redis-server (`REDIS_URL` to use another).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CONFIG, QUICK, rotate } from './lib/config.js'
import { runWorker, shortError } from './lib/child.js'
import { fmt, type Section } from './lib/report.js'
import { median } from './lib/stats.js'
import type { RedisVariant, RedisWorkerArgs, RedisWorkerResult } from './workers/redis-worker.js'

const VARIANTS: readonly RedisVariant[] = ['memory-take', 'redis-take', 'ioredis-take', 'memory-lease', 'redis-lease', 'bottleneck']
const LABELS: Record<RedisVariant, string> = {
  'memory-take': 'take: `createRateLimiter` + memory store (core)',
  'redis-take': 'take: `createRedisStore` (node-redis client)',
  'ioredis-take': 'take: `createRedisStore` (ioredis client)',
  'memory-lease': 'lease: `createPool` acquire + release (core)',
  'redis-lease': 'lease: `createRedisPool` acquire + release (node-redis)',
  bottleneck: 'bottleneck `schedule(fn)`, `datastore: ioredis`',
}
const SIZES = { sequential: QUICK ? 500 : 3000, concurrent: QUICK ? 2000 : 10_000 }

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A redis-server of the bench's own, or `REDIS_URL`; undefined when neither is available. */
export async function startRedis(): Promise<{ url: string; version: string; stop: () => Promise<void> } | undefined> {
  const binary = process.env.REDIS_SERVER ?? 'redis-server'
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.match(/v=(\S+)/)?.[1] ?? 'unknown'
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, version: 'REDIS_URL', stop: async () => {} }
  if (spawnSync(binary, ['--version']).status !== 0) return undefined
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'volley-bench-redis-'))
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
  for (let i = 0; i < 100; i++) {
    const up = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG'
    if (up) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    version,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      process.kill(child.pid as number, 'SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function redisSection(log: (line: string) => void): Promise<Section> {
  const title = 'Redis: one rate-limit take and one pool lease (issue 14)'
  const redis = await startRedis()
  if (redis === undefined) {
    log('  redis-server not found (install it, or set REDIS_SERVER or REDIS_URL): section skipped')
    return { title, intro: 'Skipped: no redis-server on this machine (set `REDIS_SERVER` or `REDIS_URL`).', tables: [], notes: [], checks: [] }
  }
  const samples = new Map<RedisVariant, { us: number[]; ops: number[]; errors: string[] }>(VARIANTS.map((v) => [v, { us: [], ops: [], errors: [] }]))
  try {
    for (let round = 0; round < CONFIG.rounds; round++) {
      for (const variant of rotate(VARIANTS, round)) {
        const entry = samples.get(variant) as { us: number[]; ops: number[]; errors: string[] }
        const prefix = `  round ${round + 1}/${CONFIG.rounds} ${variant.padEnd(13)}`
        try {
          const args: RedisWorkerArgs = { variant, url: redis.url, ...SIZES }
          const r = await runWorker<RedisWorkerResult>('workers/redis-worker.ts', args)
          entry.us.push(r.usPerOp)
          entry.ops.push(r.opsPerSecond)
          log(`${prefix} ${r.usPerOp.toFixed(1)} µs/op sequential, ${fmt.int(r.opsPerSecond)} ops/s at 64 in flight`)
        } catch (error) {
          entry.errors.push(shortError(error))
          log(`${prefix} failed: ${shortError(error)}`)
        }
      }
    }
  } finally {
    await redis.stop()
  }
  const us = (v: RedisVariant): number => median(samples.get(v)?.us ?? [])
  const ops = (v: RedisVariant): number => median(samples.get(v)?.ops ?? [])
  const row = (v: RedisVariant, memory: RedisVariant): string[] => [
    LABELS[v],
    Number.isFinite(us(v)) ? us(v).toFixed(1) : `n/a (${samples.get(v)?.errors[0] ?? 'no result'})`,
    fmt.int(ops(v)),
    fmt.ratio(us(v) / us(memory)),
    fmt.ratio(us(v) / us('bottleneck')),
  ]
  return {
    title,
    intro:
      `Loopback redis-server ${redis.version}, one client connection per process. µs/op: ${fmt.int(SIZES.sequential)} operations one after another (the latency one call pays); ` +
      `ops/s: ${fmt.int(SIZES.concurrent)} operations with 64 in flight (what one process pushes through; node-redis and ioredis pipeline them). ` +
      `Limits so high that nothing waits: only the cost of asking. Median of ${CONFIG.rounds} round(s), each variant in its own process.`,
    tables: [
      {
        headers: ['operation', 'µs/op (sequential)', 'ops/s (64 in flight)', 'µs vs in-memory', 'µs vs bottleneck'],
        rows: [
          row('memory-take', 'memory-take'),
          row('redis-take', 'memory-take'),
          row('ioredis-take', 'memory-take'),
          row('memory-lease', 'memory-lease'),
          row('redis-lease', 'memory-lease'),
          row('bottleneck', 'memory-take'),
        ],
      },
    ],
    notes: [
      'A take is one `EVALSHA` (GCRA on the server clock); a lease is two (acquire, then release with a `PUBLISH`). bottleneck\'s `schedule()` takes a rate and a concurrency slot together, in several round trips (register, submit, free).',
      'The in-memory rows are there for scale: they never leave the process, so every Redis row is dominated by the loopback round trip.',
    ],
    checks: [],
  }
}
