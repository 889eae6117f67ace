import { spawn, type ChildProcess } from 'node:child_process'
import * as esbuild from 'esbuild'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { startChaosServer, type ChaosServer } from '@volley/chaos-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisPool } from '../src/index.js'
import { connectClient, startRedis, type TestRedis } from './helpers/redis-server.js'

// Four processes share 20 requests/s and 8 in flight through one Redis. Everything is asserted
// from the chaos server's view: when each request arrived and how many were in flight at once.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/fleet-worker.ts')
// Bundled once (from src/, like the tests) so four processes start in milliseconds on a busy machine;
// under node_modules so that `redis` and `ioredis` resolve from the bundle.
const WORKER = join(ROOT, 'node_modules/.cache/volley-redis/fleet-worker.mjs')
const LIMIT = 20
const CONCURRENCY = 8
const LEASE_MS = 1500

let redis: TestRedis
let server: ChaosServer
const children: ChildProcess[] = []
beforeAll(async () => {
  await esbuild.build({
    entryPoints: [SOURCE],
    outfile: WORKER,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@volley/source'],
    external: ['redis', 'ioredis'],
    logLevel: 'warning',
  })
  ;[redis, server] = await Promise.all([startRedis(), startChaosServer({ port: 0 })])
})
afterAll(async () => {
  // A worker that failed to finish must not outlive the file.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) process.kill(child.pid as number, 'SIGKILL')
  await Promise.all([redis.close(), server.close()])
})

interface Worker {
  readonly child: ChildProcess
  readonly ready: Promise<void>
  readonly result: Promise<{ ok: number; errors: Record<string, number> } | undefined>
}

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, [WORKER], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> })
  let onReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => (onReady = resolve))
  const result = new Promise<Worker['result'] extends Promise<infer R> ? R : never>((resolve) => {
    lines.on('line', (line) => {
      if (line === 'ready') onReady()
      else if (line.startsWith('{')) resolve(JSON.parse(line))
    })
    child.on('exit', () => {
      onReady()
      resolve(undefined)
    })
  })
  return { child, ready, result }
}

/** The most arrivals within any half-open window `[t, t + width)`. */
function busiestWindow(times: readonly number[], width: number): number {
  const sorted = [...times].sort((x, y) => x - y)
  let most = 0
  let from = 0
  for (let to = 0; to < sorted.length; to++) {
    while ((sorted[to] as number) - (sorted[from] as number) >= width) from++
    most = Math.max(most, to - from + 1)
  }
  return most
}

const arrivals = (key: string): number[] => server.stats.byRoute('concurrency').filter((hit) => hit.query.key === key).map((hit) => hit.time)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('a fleet of four processes sharing one Redis', () => {
  it('never goes above 20 requests per second or 8 in flight, and gets back the slots of a process killed with SIGKILL within the lease', async () => {
    const key = 'fleet-kill'
    const workers = ['redis', 'ioredis', 'redis', 'ioredis'].map((kind) =>
      startWorker({ KIND: kind, REDIS_URL: redis.url, PREFIX: 'fleet-kill:', TARGET: `${server.url}/concurrency?ms=500&key=${key}`, COUNT: '16', LEASE_MS: String(LEASE_MS) }),
    )
    await Promise.all(workers.map((w) => w.ready))
    const victim = workers[0] as Worker
    await sleep(1000)
    victim.child.kill('SIGKILL')
    const killedAt = Date.now()
    const results = await Promise.all(workers.slice(1).map((w) => w.result))

    // The survivors finished every request: the victim's slots did not stay taken.
    expect(results).toEqual([
      { ok: 16, errors: {} },
      { ok: 16, errors: {} },
      { ok: 16, errors: {} },
    ])
    expect(server.stats.concurrency(key).max).toBeLessThanOrEqual(CONCURRENCY)
    // 20/s with no burst: starts are 50 ms apart on Redis's clock; a window one step shorter than
    // a second leaves 50 ms for the delivery jitter between Redis granting and the server seeing.
    expect(busiestWindow(arrivals(key), 1000 - 1000 / LIMIT)).toBeLessThanOrEqual(LIMIT)

    // Whatever the victim still held expires within the lease.
    await sleep(Math.max(0, killedAt + LEASE_MS + 100 - Date.now()))
    const probe = await connectClient('ioredis', redis.url)
    expect(await createRedisPool({ client: probe.client, concurrency: CONCURRENCY, prefix: 'fleet-kill:' }).fleetActive()).toBe(0)
    await probe.close()
  }, 60_000)

  it('holds the fail-closed policy while Redis is down and recovers when it is back', async () => {
    const key = 'fleet-outage'
    const workers = ['redis', 'ioredis', 'redis', 'ioredis'].map((kind) =>
      startWorker({ KIND: kind, REDIS_URL: redis.url, PREFIX: 'fleet-outage:', TARGET: `${server.url}/concurrency?ms=200&key=${key}`, DURATION_MS: '4000', LOOPS: '3' }),
    )
    await Promise.all(workers.map((w) => w.ready))
    await sleep(1000)
    await redis.stop()
    const outage = server.stats.count('concurrency')
    await sleep(1000)
    // While Redis is down and the policy is fail-closed, nothing is sent.
    const sentDuringOutage = server.stats.count('concurrency') - outage
    await redis.start()
    const restartedAt = Date.now()
    const results = await Promise.all(workers.map((w) => w.result))

    // At most the requests already admitted when Redis went away reach the server.
    expect(sentDuringOutage).toBeLessThanOrEqual(CONCURRENCY)
    // Fail-closed: the only failure any process saw is the store's. A process whose loops all
    // waited for a lease through the whole outage may see none (seen once on a loaded CI box).
    for (const result of results) {
      for (const code of Object.keys(result?.errors ?? {})) expect(code).toBe('ERR_STORE_UNAVAILABLE')
    }
    expect(results.filter((result) => (result?.errors.ERR_STORE_UNAVAILABLE ?? 0) > 0).length).toBeGreaterThanOrEqual(1)
    const total = results.reduce((sum, result) => sum + (result?.ok ?? 0), 0)
    // About 1 s before the outage and 2 s after it at 20/s.
    expect(total).toBeGreaterThan(LIMIT)
    // Requests reached the server again after the restart: the fleet recovered.
    expect(arrivals(key).filter((time) => time > restartedAt).length).toBeGreaterThan(0)
    expect(server.stats.concurrency(key).max).toBeLessThanOrEqual(CONCURRENCY)
    expect(busiestWindow(arrivals(key), 1000 - 1000 / LIMIT)).toBeLessThanOrEqual(LIMIT)
  }, 60_000)
})
