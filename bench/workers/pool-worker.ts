/**
 * Pool scheduling in its own process (run with --expose-gc). `time`: N no-op tasks submitted at
 * once through one scheduler at concurrency 64 and awaited, wall and CPU ns per task, median of several
 * iterations after a warm-up one (a GC before each, so no iteration pays for the previous one's
 * garbage). `memory`: N tasks queued behind a paused pool / a fully blocked limit; heap growth
 * after a full GC, divided by N. The array holding the returned promises is allocated before the
 * baseline, so only the schedulers' own per-waiter cost (promise included) is counted; the
 * acquire variant queues bare `pool.acquire()` calls there (the caller's async wrapper is not the
 * pool's cost).
 */
import { VOLLEY_TIMEOUTS } from '../lib/clients.js'
import { median } from '../lib/stats.js'
import { collect, runAsWorker } from '../lib/worker.js'

export type PoolVariant = 'volley-run' | 'volley-acquire' | 'p-limit' | 'p-queue' | 'volley-client'

export interface PoolWorkerArgs {
  variant: PoolVariant
  mode: 'time' | 'memory'
  tasks: number
  concurrency: number
  iterations: number
}

export interface PoolWorkerResult {
  /** Wall-clock ns per task. */
  nsPerTask: number | undefined
  /** CPU (user + system) ns per task: barely moved by other processes competing for the cores. */
  cpuNsPerTask: number | undefined
  bytesPerWaiter: number | undefined
}

/** Submits one task; `queued()` says how many wait (to prove the memory test queued them all). */
interface Scheduler {
  submit(): Promise<unknown>
  queued(): number
}

const task = async (): Promise<void> => {}

async function scheduler(variant: PoolVariant, concurrency: number, paused: boolean): Promise<Scheduler> {
  switch (variant) {
    case 'volley-run':
    case 'volley-acquire':
    case 'volley-client': {
      const core = await import('@volley/core')
      const pool = core.createPool({ concurrency })
      if (paused) pool.pause()
      const queued = (): number => pool.stats.queued
      if (variant === 'volley-run') return { submit: () => pool.run(task), queued }
      if (variant === 'volley-acquire' && paused) return { submit: () => pool.acquire(), queued }
      if (variant === 'volley-acquire') {
        return {
          submit: async () => {
            const release = await pool.acquire()
            try {
              await task()
            } finally {
              release()
            }
          },
          queued,
        }
      }
      // A whole client call waiting for a slot: options, deadline timer, signals, meta, waiter.
      const client = core.createClient({ pool, timeout: VOLLEY_TIMEOUTS })
      return { submit: () => client.get('http://127.0.0.1:9/json'), queued }
    }
    case 'p-limit': {
      const { default: pLimit } = await import('p-limit')
      const limit = pLimit(concurrency)
      if (paused) for (let i = 0; i < concurrency; i++) void limit(() => new Promise<void>(() => {}))
      return { submit: () => limit(task), queued: () => limit.pendingCount }
    }
    case 'p-queue': {
      const { default: PQueue } = await import('p-queue')
      const queue = new PQueue({ concurrency })
      if (paused) queue.pause()
      return { submit: () => queue.add(task), queued: () => queue.size }
    }
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

async function time(variant: PoolVariant, tasks: number, concurrency: number, iterations: number): Promise<{ wall: number; cpu: number }> {
  const s = await scheduler(variant, concurrency, false)
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i <= iterations; i++) {
    const promises = new Array<Promise<unknown>>(tasks)
    collect()
    const cpuStart = process.cpuUsage()
    const start = process.hrtime.bigint()
    for (let t = 0; t < tasks; t++) promises[t] = s.submit()
    await Promise.all(promises)
    const elapsed = Number(process.hrtime.bigint() - start)
    const used = process.cpuUsage(cpuStart)
    if (i === 0) continue // the first iteration warms the JIT
    wall.push(elapsed / tasks)
    cpu.push(((used.user + used.system) * 1000) / tasks)
  }
  return { wall: median(wall), cpu: median(cpu) }
}

async function memory(variant: PoolVariant, tasks: number, concurrency: number): Promise<number> {
  const s = await scheduler(variant, concurrency, true)
  const held = new Array<Promise<unknown> | undefined>(tasks).fill(undefined)
  await turn()
  collect()
  const before = process.memoryUsage().heapUsed
  for (let t = 0; t < tasks; t++) held[t] = s.submit()
  await turn() // let async submitters (acquire, client calls) reach the queue
  collect()
  const after = process.memoryUsage().heapUsed
  if (s.queued() !== tasks) throw new Error(`${variant}: expected ${tasks} queued, found ${s.queued()}`)
  if (held.length !== tasks) throw new Error('unreachable: keeps `held` alive until after the measurement')
  return (after - before) / tasks
}

runAsWorker<PoolWorkerArgs, PoolWorkerResult>(async ({ variant, mode, tasks, concurrency, iterations }) => {
  if (mode === 'memory') return { nsPerTask: undefined, cpuNsPerTask: undefined, bytesPerWaiter: await memory(variant, tasks, concurrency) }
  const { wall, cpu } = await time(variant, tasks, concurrency, iterations)
  return { nsPerTask: wall, cpuNsPerTask: cpu, bytesPerWaiter: undefined }
})
