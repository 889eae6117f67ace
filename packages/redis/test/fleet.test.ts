import { spawn, type ChildProcess } from 'node:child_process'
import * as esbuild from 'esbuild'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisPool } from '../src/index.js'
import { useChaosServer } from '../../core/test/helpers/chaos.js'
import { connectClient, useRedisServer } from './helpers/redis-server.js'

// Four processes share 20 requests/s and 8 in flight through one Redis. Everything is asserted
// from the chaos server's view: when each request arrived and how many were in flight at once.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/fleet-worker.ts')
// Bundled once (from src/, like the tests) so four processes start in milliseconds on a busy machine;
// under node_modules so that `redis` and `ioredis` resolve from the bundle.
const WORKER = join(ROOT, 'node_modules/.cache/volley-redis/fleet-worker.mjs')
const LIMIT = 20
const CONCURRENCY = 8
// Renewed every third of it (real time, in four processes): 3 s leaves a worker 2 s of stalled event
// loop on a loaded machine before a lease it still holds could lapse.
const LEASE_MS = 3000

const redis = useRedisServer()
const server = useChaosServer()
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
})
afterAll(async () => {
  // A worker that failed to finish must not outlive the file (after-hooks run in reverse: this
  // one before the servers stop).
  for (const child of children) if (child.exitCode === null && child.signalCode === null) process.kill(child.pid as number, 'SIGKILL')
})

interface Worker {
  readonly child: ChildProcess
  readonly ready: Promise<void>
  /** Codes of the calls that failed so far, as the worker reports them. */
  readonly errors: string[]
  /** Asks the worker to finish the calls in progress and report. */
  stop(): void
  readonly result: Promise<{ ok: number; errors: Record<string, number> } | undefined>
}

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, [WORKER], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(child)
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> })
  const errors: string[] = []
  let onReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => (onReady = resolve))
  const result = new Promise<Worker['result'] extends Promise<infer R> ? R : never>((resolve) => {
    lines.on('line', (line) => {
      if (line === 'ready') onReady()
      else if (line.startsWith('error ')) errors.push(line.slice(6))
      else if (line.startsWith('{')) resolve(JSON.parse(line))
    })
    child.on('exit', () => {
      onReady()
      resolve(undefined)
    })
  })
  child.stdin?.on('error', () => {}) // a worker that already exited
  return { child, ready, errors, stop: () => void child.stdin?.end('stop\n'), result }
}

const hits = (key: string) => server().stats.byRoute('concurrency').filter((hit) => hit.query.key === key)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Waits until `check` holds: a handshake with the processes, bounded only by the test's own
 * timeout, never a guess at how long they need on a loaded machine (docs/DESIGN.md#tests).
 */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(10)
}

/**
 * The rate limit's promise over a whole run, in a form that delivery delays cannot break: `n`
 * starts at `LIMIT` a second with no burst are granted at least `1000 / LIMIT` ms apart on Redis's
 * clock (the machine's clock: Redis runs here), so the last arrives at least `(n - 1) * 1000 /
 * LIMIT` ms after the test began; a delay only makes that later. Four processes that did not share
 * one bucket would finish up to four times sooner. The per-window bound itself is GCRA's, held
 * exactly on a manual clock by the store's own tests; arrival times at a server cannot show it
 * without a guess at the delivery jitter, which a loaded machine exceeds.
 */
function expectPacedSince(startedAt: number, arrivals: readonly number[]): void {
  expect(Math.max(...arrivals) - startedAt).toBeGreaterThanOrEqual(((arrivals.length - 1) * 1000) / LIMIT)
}

describe('a fleet of four processes sharing one Redis', () => {
  it('never goes above 20 requests per second or 8 in flight, and gets back the slots of a process killed with SIGKILL within the lease', async () => {
    const key = 'fleet-kill'
    const startedAt = Date.now()
    const workers = ['redis', 'ioredis', 'redis', 'ioredis'].map((kind, i) =>
      startWorker({
        KIND: kind,
        REDIS_URL: redis().url,
        PREFIX: 'fleet-kill:',
        TARGET: `${server().url}/concurrency?ms=500&key=${key}&worker=${i}`,
        COUNT: '16',
        LEASE_MS: String(LEASE_MS),
      }),
    )
    await Promise.all(workers.map((w) => w.ready))
    const victim = workers[0] as Worker
    // Killed once it has requests out, so it dies holding slots.
    await until(() => hits(key).filter((hit) => hit.query.worker === '0').length >= 2)
    victim.child.kill('SIGKILL')
    const killedAt = Date.now()
    const results = await Promise.all(workers.slice(1).map((w) => w.result))

    // The survivors finished every request: the victim's slots did not stay taken.
    expect(results).toEqual([
      { ok: 16, errors: {} },
      { ok: 16, errors: {} },
      { ok: 16, errors: {} },
    ])
    expect(server().stats.concurrency(key).max).toBeLessThanOrEqual(CONCURRENCY)
    expectPacedSince(startedAt, hits(key).map((hit) => hit.time))

    // Whatever the victim still held expires within the lease, on Redis's clock (the machine's):
    // waiting past it can only make the expiry surer.
    await sleep(Math.max(0, killedAt + LEASE_MS + 100 - Date.now()))
    const probe = await connectClient('ioredis', redis().url)
    expect(await createRedisPool({ client: probe.client, concurrency: CONCURRENCY, prefix: 'fleet-kill:' }).fleetActive()).toBe(0)
    await probe.close()
  }, 60_000)

  it('holds the fail-closed policy while Redis is down and recovers when it is back', async () => {
    const key = 'fleet-outage'
    const startedAt = Date.now()
    const workers = ['redis', 'ioredis', 'redis', 'ioredis'].map((kind) =>
      startWorker({ KIND: kind, REDIS_URL: redis().url, PREFIX: 'fleet-outage:', TARGET: `${server().url}/concurrency?ms=200&key=${key}`, LOOPS: '3' }),
    )
    await Promise.all(workers.map((w) => w.ready))
    await until(() => hits(key).length >= LIMIT)
    await redis().stop()
    const outage = hits(key).length
    // The fleet has noticed the outage once a call failed for it.
    await until(() => workers.some((w) => w.errors.length > 0))
    // While Redis is down and the policy is fail-closed, nothing new is sent.
    const sentDuringOutage = hits(key).length - outage
    await redis().start()
    const restarted = hits(key).length
    // The fleet recovered once requests reach the server again.
    await until(() => hits(key).length >= restarted + LIMIT)
    for (const worker of workers) worker.stop()
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
    expect(total).toBeGreaterThan(LIMIT)
    expect(server().stats.concurrency(key).max).toBeLessThanOrEqual(CONCURRENCY)
    expectPacedSince(startedAt, hits(key).map((hit) => hit.time))
  }, 60_000)
})
