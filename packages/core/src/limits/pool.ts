import type { AbortSignalLike } from '../runtime/transport.js'
import type { Clock } from '../runtime/clock.js'
import type { Admission, Policy, Release } from '../policies/policy.js'
import { AbortError } from '../errors/abort-error.js'
import { QueueFullError } from '../errors/queue-full-error.js'
import { IndexedHeap } from './pool/indexed-heap.js'
import { Lane, Waiter, laneBefore, type WaiterOwner } from './pool/lane.js'
import { describe } from '../options/describe.js'
import { resolvePoolOptions, type PoolOptions } from './pool/resolve-pool-options.js'

export type { PoolOptions }

/** Options of {@link Pool.acquire} and {@link Pool.run}. */
export interface AcquireOptions {
  /**
   * Origin the slot is for, counted against `perOrigin`.
   * @default undefined (not subject to `perOrigin`)
   */
  origin?: string
  /**
   * Higher runs first; FIFO within one priority. Any number but NaN.
   * @default 0
   */
  priority?: number
  /**
   * Aborting while queued removes the waiter at once (O(1)) and rejects with `signal.reason`;
   * an already aborted signal rejects without queueing, even when a slot is free.
   * @default undefined
   */
  signal?: AbortSignalLike
}

export type { Release }

/** A snapshot of a pool's counters. */
export interface PoolStats {
  /** Slots held right now. */
  active: number
  /** Tasks waiting for a slot. */
  queued: number
  /** Slots released as completed (the default outcome). */
  completed: number
  /** Slots released as failed. */
  failed: number
  /** The highest `active` seen since the pool was created. */
  maxActive: number
  /** True between `pause()` and `resume()`. */
  paused: boolean
  /** The pool's `concurrency`. */
  concurrency: number
}

/** A concurrency pool: slots, a priority queue of waiters, per-origin caps (docs/DESIGN.md#concurrency-pool). */
export interface Pool {
  /** Resolves with a {@link Release} once a slot is held. Rejects with `QueueFullError`, or `signal.reason` on abort, or `AbortError` on `clear()`. */
  acquire(options?: AcquireOptions): Promise<Release>
  /** Acquires a slot, runs `task`, and releases the slot when it settles (`'failed'` if it throws). */
  run<T>(task: () => Promise<T> | T, options?: AcquireOptions): Promise<T>
  /** Hands out no new slot until `resume()`; tasks holding a slot carry on. */
  pause(): void
  /** Undoes `pause()` and hands free slots to waiters at once. */
  resume(): void
  /** Rejects every queued waiter with `new AbortError({ reason })`; held slots are untouched. */
  clear(reason?: unknown): void
  /** Resolves when `active === 0` and `queued === 0` (at once if already). */
  onIdle(): Promise<void>
  /** Resolves when `queued === 0` (at once if already). */
  onDrained(): Promise<void>
  /** A live snapshot; each read returns a new object. */
  readonly stats: PoolStats
}

/** The pool {@link createPool} makes: a {@link Pool}, and a policy a client composes (`pool: createPool()`). */
export interface PoolPolicy extends Pool, Policy {
  readonly name: 'pool'
  /** A client's admission: the release at once when a slot is free (no promise), else a promise of it. */
  admit(admission: Admission): Release | Promise<Release>
}

/**
 * Creates a concurrency pool. A freed slot goes, synchronously within `release()`, to the waiter
 * with the highest priority (the oldest within it) whose origin is under `perOrigin`; waiters of
 * an origin at its cap never hold back waiters of other origins. Each acquire, release and abort
 * is O(1) with one priority and no `perOrigin`, O(log origins) with them.
 *
 * @example
 * const pool = createPool({ concurrency: 6, perOrigin: 2 })
 * const user = await pool.run(() => fetch('https://api.a.com/user'), { origin: 'https://api.a.com' })
 *
 * const release = await pool.acquire({ priority: 1, signal })
 * try { await work() } finally { release() }
 */
export function createPool(options: PoolOptions = {}): PoolPolicy {
  const { concurrency, perOrigin, maxQueue } = resolvePoolOptions(options)

  let active = 0
  let queued = 0
  let completed = 0
  let failed = 0
  let maxActive = 0
  let paused = false
  let seq = 0
  let idleWaiters: Array<() => void> = []
  let drainedWaiters: Array<() => void> = []
  /** Requests without an origin, or every request when there is no `perOrigin` cap. */
  const shared = newLane(undefined, Infinity)
  /** One lane per origin with slots held or waiters; deleted when it has neither (a crawl of a million origins keeps only the busy ones). */
  const lanes = new Map<string, Lane>()
  /** Lanes that have waiters and are under their cap. */
  const ready = new IndexedHeap<Lane>(laneBefore)

  const laneFor = (origin: string | undefined): Lane => {
    if (origin === undefined || perOrigin === Infinity) return shared
    let lane = lanes.get(origin)
    if (lane === undefined) {
      lane = newLane(origin, perOrigin)
      lanes.set(origin, lane)
    }
    return lane
  }

  /** Puts `lane` in, moves it within, or takes it out of the ready heap after any change. */
  const sync = (lane: Lane): void => {
    if (lane.queue.size > 0 && lane.active < lane.cap) {
      if (lane.heapIndex < 0) ready.push(lane)
      else ready.update(lane)
    } else {
      if (lane.heapIndex >= 0) ready.remove(lane)
      if (lane.active === 0 && lane.queue.size === 0 && lane !== shared) lanes.delete(lane.origin as string)
    }
  }

  const hold = (lane: Lane): void => {
    lane.active++
    if (++active > maxActive) maxActive = active
  }

  const notify = (): void => {
    if (queued !== 0) return
    if (drainedWaiters.length > 0) {
      const waiters = drainedWaiters
      drainedWaiters = []
      for (const resolve of waiters) resolve()
    }
    if (active === 0 && idleWaiters.length > 0) {
      const waiters = idleWaiters
      idleWaiters = []
      for (const resolve of waiters) resolve()
    }
  }

  /** Hands free slots to the best ready waiters. Calls no user code, so it cannot be re-entered. */
  const dispatch = (): void => {
    while (!paused && active < concurrency && ready.size > 0) {
      const lane = ready.peek() as Lane
      const waiter = lane.queue.shift() as Waiter
      queued--
      hold(lane)
      sync(lane)
      waiter.signal?.removeEventListener('abort', waiter)
      waiter.resolve(waiter.task === undefined ? makeRelease(lane) : waiter)
    }
  }

  const finish = (lane: Lane, outcome: 'completed' | 'failed' | 'refused'): void => {
    active--
    lane.active--
    if (outcome === 'failed') failed++
    else if (outcome !== 'refused') completed++
    sync(lane)
    dispatch()
    notify()
  }

  const makeRelease = (lane: Lane): Release => {
    let released = false
    return (outcome) => {
      if (released) return
      released = true
      finish(lane, outcome ?? 'completed')
    }
  }

  function newLane(origin: string | undefined, cap: number): Lane {
    const lane = new Lane(origin, cap)
    lane.onFulfilled = (value) => {
      finish(lane, 'completed')
      return value
    }
    lane.onRejected = (error) => {
      finish(lane, 'failed')
      throw error
    }
    return lane
  }

  const owner: WaiterOwner = {
    abort(waiter) {
      if (waiter.bucket === undefined) return // already granted or cleared
      const signal = waiter.signal as AbortSignalLike
      signal.removeEventListener('abort', waiter)
      waiter.lane.queue.remove(waiter)
      queued--
      sync(waiter.lane)
      waiter.reject(signal.reason)
      notify()
    },
  }

  /** A lane when a slot is held at once, otherwise a promise of the granted waiter (run) or a release (acquire). */
  const admit = (options: AcquireOptions | undefined, task: (() => unknown) | undefined): Lane | Promise<unknown> => {
    const signal = options?.signal
    if (signal?.aborted) return Promise.reject(signal.reason)
    const priority = options?.priority ?? 0
    if (typeof priority !== 'number' || Number.isNaN(priority)) {
      return Promise.reject(new TypeError(`pool.acquire: priority must be a number, got ${describe(priority)}`))
    }
    const lane = laneFor(options?.origin)
    // A free slot with waiters behind it can only exist while paused or for capped origins, so
    // taking it here never jumps ahead of a waiter that could have had it.
    if (!paused && active < concurrency && lane.active < lane.cap) {
      hold(lane)
      return lane
    }
    if (queued >= maxQueue) {
      sync(lane) // drops a lane created for this call only
      return Promise.reject(new QueueFullError({ maxQueue }))
    }
    const waiter = new Waiter(owner, lane, priority, seq++, signal, task)
    const promise = new Promise<unknown>((resolve, reject) => {
      waiter.resolve = resolve
      waiter.reject = reject
    })
    lane.queue.push(waiter)
    queued++
    sync(lane)
    signal?.addEventListener('abort', waiter)
    return promise
  }

  /** Runs `task` on a held slot of `lane` and releases the slot when it settles. */
  const execute = (lane: Lane, task: () => unknown): Promise<unknown> => {
    let result: unknown
    try {
      result = task()
    } catch (error) {
      finish(lane, 'failed')
      return Promise.reject(error)
    }
    return Promise.resolve(result).then(lane.onFulfilled, lane.onRejected)
  }

  // A queued task starts one microtask after its grant, never inside the caller's release().
  const executeGranted = (waiter: unknown): Promise<unknown> =>
    execute((waiter as Waiter).lane, (waiter as Waiter).task as () => unknown)

  return {
    name: 'pool',
    grantsSlot: true,
    admit(admission) {
      const admitted = admit(admission, undefined)
      return (admitted instanceof Lane ? makeRelease(admitted) : admitted) as Release | Promise<Release>
    },
    acquire(options) {
      const admitted = admit(options, undefined)
      return (admitted instanceof Lane ? Promise.resolve(makeRelease(admitted)) : admitted) as Promise<Release>
    },
    run<T>(task: () => Promise<T> | T, options?: AcquireOptions): Promise<T> {
      const admitted = admit(options, task)
      return (admitted instanceof Lane ? execute(admitted, task) : admitted.then(executeGranted)) as Promise<T>
    },
    pause() {
      paused = true
    },
    resume() {
      if (!paused) return
      paused = false
      dispatch()
      notify()
    },
    clear(reason) {
      for (const lane of [shared, ...lanes.values()]) {
        for (let waiter = lane.queue.shift(); waiter !== undefined; waiter = lane.queue.shift()) {
          queued--
          waiter.signal?.removeEventListener('abort', waiter)
          waiter.reject(new AbortError({ reason }))
        }
        sync(lane)
      }
      notify()
    },
    onIdle() {
      if (active === 0 && queued === 0) return Promise.resolve()
      return new Promise<void>((resolve) => idleWaiters.push(resolve))
    },
    onDrained() {
      if (queued === 0) return Promise.resolve()
      return new Promise<void>((resolve) => drainedWaiters.push(resolve))
    },
    get stats(): PoolStats {
      return { active, queued, completed, failed, maxActive, paused, concurrency }
    },
  }
}
