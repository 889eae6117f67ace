/**
 * Pool scheduling overhead (issue 3): volley's `createPool` (`pool.run(fn)`, and acquire/release
 * around the task) against p-limit and p-queue at the same concurrency, no-op tasks, each variant
 * in its own process, interleaved and rotated per round; and the memory of a queued waiter. The
 * goal is judged on CPU time per task, which other processes on the machine barely move (wall
 * time is shown too). The queued-client row is a whole `client.get()` waiting for a slot
 * (deadline timer, signal, meta): what a queued request really costs, for information.
 */
import { CONFIG, rotate } from './lib/config.js'
import { runWorker, shortError } from './lib/child.js'
import { atMost, fmt, type Check, type Section } from './lib/report.js'
import { median } from './lib/stats.js'
import type { PoolVariant, PoolWorkerArgs, PoolWorkerResult } from './workers/pool-worker.js'

const TIMED: readonly PoolVariant[] = ['volley-run', 'volley-acquire', 'p-limit', 'p-queue']
const MEASURED: readonly PoolVariant[] = ['volley-run', 'volley-acquire', 'p-limit', 'p-queue', 'volley-client']
const LABELS: Record<PoolVariant, string> = {
  'volley-run': 'volley `pool.run(fn)`',
  'volley-acquire': 'volley `await pool.acquire()` … `release()`',
  'p-limit': 'p-limit `limit(fn)`',
  'p-queue': 'p-queue `queue.add(fn)`',
  'volley-client': 'volley `client.get()` queued (whole call, for information)',
}
const MEMORY_LABELS: Partial<Record<PoolVariant, string>> = { 'volley-acquire': 'volley `pool.acquire()`' }

interface Samples {
  wall: number[]
  cpu: number[]
  bytes: number[]
  errors: string[]
}

async function collectRounds(mode: 'time' | 'memory', variants: readonly PoolVariant[], log: (line: string) => void): Promise<Map<PoolVariant, Samples>> {
  const { tasks, waiters, concurrency, iterations } = CONFIG.pool
  const results = new Map<PoolVariant, Samples>(variants.map((v) => [v, { wall: [], cpu: [], bytes: [], errors: [] }]))
  for (let round = 0; round < CONFIG.rounds; round++) {
    for (const variant of rotate(variants, round)) {
      const entry = results.get(variant) as Samples
      const args: PoolWorkerArgs = { variant, mode, tasks: mode === 'time' ? tasks : waiters, concurrency, iterations }
      const prefix = `  round ${round + 1}/${CONFIG.rounds} ${mode.padEnd(6)} ${variant.padEnd(15)}`
      try {
        const r = await runWorker<PoolWorkerResult>('workers/pool-worker.ts', args, { nodeFlags: ['--expose-gc'] })
        if (mode === 'time') {
          entry.wall.push(r.nsPerTask as number)
          entry.cpu.push(r.cpuNsPerTask as number)
          log(`${prefix} ${fmt.int(r.nsPerTask as number)} ns/task wall, ${fmt.int(r.cpuNsPerTask as number)} ns/task CPU`)
        } else {
          entry.bytes.push(r.bytesPerWaiter as number)
          log(`${prefix} ${fmt.int(r.bytesPerWaiter as number)} bytes/waiter`)
        }
      } catch (error) {
        entry.errors.push(shortError(error))
        log(`${prefix} failed: ${shortError(error)}`)
      }
    }
  }
  return results
}

export async function poolSection(log: (line: string) => void): Promise<Section> {
  const { tasks, waiters, concurrency, iterations } = CONFIG.pool
  const timed = await collectRounds('time', TIMED, log)
  const memory = await collectRounds('memory', MEASURED, log)
  const wall = (v: PoolVariant): number => median(timed.get(v)?.wall ?? [])
  const cpu = (v: PoolVariant): number => median(timed.get(v)?.cpu ?? [])
  const bytes = (v: PoolVariant): number => median(memory.get(v)?.bytes ?? [])
  const na = (samples: Samples | undefined): string => `n/a (${samples?.errors[0] ?? 'no result'})`

  const timeRows = TIMED.map((v) =>
    Number.isFinite(cpu(v))
      ? [LABELS[v], fmt.int(cpu(v)), fmt.ratio(cpu(v) / cpu('p-limit')), fmt.int(wall(v)), fmt.ratio(wall(v) / wall('p-limit'))]
      : [LABELS[v], na(timed.get(v)), '', '', ''],
  )
  const memoryRows = MEASURED.map((v) => [MEMORY_LABELS[v] ?? LABELS[v], Number.isFinite(bytes(v)) ? fmt.int(bytes(v)) : na(memory.get(v))])
  const versus = (v: PoolVariant): string => `${fmt.ratio(cpu(v) / cpu('p-limit'))} p-limit's CPU time`
  const checks: Check[] = [
    { goal: 'pool: `pool.run` no slower than p-limit (CPU ns/task)', value: versus('volley-run'), met: atMost(cpu('volley-run'), cpu('p-limit')) },
    { goal: 'pool: acquire/release no slower than p-limit (CPU ns/task)', value: versus('volley-acquire'), met: atMost(cpu('volley-acquire'), cpu('p-limit')) },
    { goal: 'pool: memory per queued waiter < 1 KB (`pool.run`)', value: `${fmt.int(bytes('volley-run'))} B`, met: atMost(bytes('volley-run'), 1000) },
    { goal: 'pool: memory per queued waiter < 1 KB (`pool.acquire`)', value: `${fmt.int(bytes('volley-acquire'))} B`, met: atMost(bytes('volley-acquire'), 1000) },
  ]
  return {
    title: `Pool scheduling: ${fmt.int(tasks)} no-op tasks at concurrency ${concurrency}`,
    intro:
      `All tasks submitted at once, then awaited. Per process: the median of ${iterations} timed iterations after a warm-up one; then the median of ${CONFIG.rounds} round(s). ` +
      'CPU ns/task (user + system time of the process) is the figure the goal is judged on; wall ns/task moves with whatever else the machine runs. ' +
      '"vs p-limit": relative to p-limit, lower is better. ' +
      `Memory: ${fmt.int(waiters)} waiters queued behind a paused pool (p-limit: ${concurrency} never-settling tasks holding every slot; p-queue: paused), ` +
      '`heapUsed` growth after a forced GC, per waiter, the returned promise included.',
    tables: [
      { headers: ['scheduler', 'CPU ns/task', 'CPU vs p-limit', 'wall ns/task', 'wall vs p-limit'], rows: timeRows },
      { headers: ['queued waiter', 'bytes each'], rows: memoryRows },
    ],
    notes: [
      'The task is `async () => {}`. Acquire/release runs `const release = await pool.acquire(); try { await fn() } finally { release() }` per task.',
      "The queued `client.get()` row uses `@volley/core` with a shared paused pool and the bench's timeouts `{ total, attempt, idle }`: it includes the call's options, deadline timer, abort signals and meta.",
    ],
    checks,
  }
}
