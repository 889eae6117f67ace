import { randomUUID } from 'node:crypto'
import { AbortError, QueueFullError, createPool, type AbortSignalLike, type AcquireOptions, type Clock, type Pool, type PoolStats, type Release, type TimerHandle } from '@volley/core'
import { adaptClient, describe, type RedisLikeClient, type RedisSubscription } from './redis-client.js'
import { createRedisHealth, type RedisState, type StateChangeListener, type StoreErrorPolicy } from './redis-health.js'
import { ACQUIRE, COUNT, RELEASE, RENEW } from './pool-scripts.js'
import { StoreUnavailableError } from './store-unavailable-error.js'
import { checkClock, checkPolicy, checkPrefix, invalid, isPositive, rejectUnknown, requireObject } from './validate-options.js'

/** Options of {@link createRedisPool}. */
export interface RedisPoolOptions {
  /** A connected client of `redis` (node-redis v4+) or `ioredis`. The pool never closes it; it opens one `duplicate()` to listen for freed slots while calls wait. */
  client: RedisLikeClient
  /** Most slots held at once by the whole fleet (every process on this Redis and prefix): a positive integer. */
  concurrency: number
  /**
   * Most slots held at once by one origin, fleet-wide: a positive integer or `Infinity`.
   * @default Infinity
   */
  perOrigin?: number
  /**
   * How long a lease lives without renewal, in ms. A process renews its leases every
   * `leaseMs / 3` while it holds them, so the slots of a process that dies come back within
   * `leaseMs`. A slot held by a process that cannot reach Redis for `leaseMs` is lost too.
   * @default 15000
   */
  leaseMs?: number
  /**
   * Prepended to the pool's keys (`<prefix>{pool}:all`, `<prefix>{pool}:o:<origin>`) and channel.
   * Pools on one Redis with different prefixes are independent. No `{` or `}`.
   * @default 'volley:'
   */
  prefix?: string
  /**
   * Most calls waiting in this process (not fleet-wide); beyond it acquire rejects with `QueueFullError`.
   * @default Infinity
   */
  maxQueue?: number
  /**
   * Longest wait for Redis on each call, in ms.
   * @default 500
   */
  timeoutMs?: number
  /**
   * When Redis fails: `'fail-closed'` rejects waiting acquires with `StoreUnavailableError`,
   * `'fail-open'` grants them (no cap), `'local'` queues them in an in-memory pool with the same
   * `concurrency` and `perOrigin` (per process, so the fleet may then hold processes × concurrency).
   * @default 'fail-closed'
   */
  onStoreError?: StoreErrorPolicy
  /**
   * While degraded, how often one acquire tries Redis again.
   * @default 1000
   */
  recoverAfterMs?: number
  /**
   * Called when the pool goes `'degraded'` (with the error) and back to `'ok'`.
   * @default undefined
   */
  onStateChange?: StateChangeListener
  /**
   * The time source of the pool's timers: lease renewal, the wake-up at the soonest lease expiry,
   * `timeoutMs` and `recoverAfterMs` (the leases themselves expire on the Redis server's clock).
   * Give it the clock of the client it serves (tests pass `createManualClock()`).
   * @default systemClock
   */
  clock?: Clock
}

/** A {@link Pool} whose slots are Redis leases shared by a fleet (see {@link createRedisPool}). */
export interface RedisPool extends Pool {
  /** `'ok'` while Redis answers, `'degraded'` while the policy stands in for it. */
  readonly state: RedisState
  /** Unexpired leases of the whole fleet, read from Redis. */
  fleetActive(): Promise<number>
  /**
   * Rejects this process's waiters with `AbortError`, waits for releases on their way to Redis
   * and closes the subscriber connection. Held slots stay until released. Call it before closing
   * the Redis client.
   */
  close(): Promise<void>
}

interface Waiter {
  readonly origin: string | undefined
  readonly priority: number
  readonly seq: number
  readonly signal: AbortSignalLike | undefined
  resolve: (release: Release) => void
  reject: (error: unknown) => void
  onAbort: () => void
  done: boolean
}

type Lease = { id: string; keys: string[] }
/** What one acquire script answered: a lease, a refusal (by the pool or the origin cap, with ms until the soonest expiry), or a failure. */
type LeaseAnswer = { lease: Lease } | { scope: 'pool' | 'origin'; ms: number } | { error: unknown }

const FN = 'createRedisPool'
const KNOWN = ['client', 'concurrency', 'perOrigin', 'leaseMs', 'prefix', 'maxQueue', 'timeoutMs', 'onStoreError', 'recoverAfterMs', 'onStateChange', 'clock']
const MAX = '9007199254740991'

/**
 * A concurrency pool shared by every process that creates one on the same Redis and prefix: at
 * most `concurrency` slots (and `perOrigin` per origin) are held fleet-wide. Use it as
 * `createClient({ pool })`; it implements core's `Pool`.
 *
 * A slot is a lease in a Redis sorted set, scored by its expiry on the server's clock and taken
 * by one Lua script that first evicts expired leases. A timer renews this process's leases while
 * it holds any. Waiters sleep until a release is published on the pool's channel (a subscriber
 * connection, the client's `duplicate()`, open only while calls wait), with one fallback timer at
 * the soonest lease expiry; there is no polling.
 *
 * What differs from core's `createPool`: priorities and FIFO order hold among this process's
 * waiters only (across processes the first to ask after a release wins); `pause()`, `clear()`,
 * `onIdle()`, `onDrained()` and `stats` are about this process (`fleetActive()` reads the fleet);
 * `acquire` always takes one Redis round trip, so a slot is never granted synchronously.
 *
 * @example
 * const redis = await createRedis({ url: process.env.REDIS_URL }).connect()
 * const pool = createRedisPool({ client: redis, concurrency: 8, perOrigin: 4, leaseMs: 10_000 })
 * const api = createClient({ pool })
 */
export function createRedisPool(options: RedisPoolOptions): RedisPool {
  requireObject(FN, options)
  rejectUnknown(FN, options, KNOWN)
  const adapter = adaptClient(options.client)
  const { concurrency } = options
  const perOrigin = options.perOrigin ?? Infinity
  const leaseMs = options.leaseMs ?? 15_000
  const prefix = checkPrefix(FN, options.prefix ?? 'volley:')
  const maxQueue = options.maxQueue ?? Infinity
  const timeoutMs = options.timeoutMs ?? 500
  const recoverAfterMs = options.recoverAfterMs ?? 1000
  const policy = checkPolicy(FN, options.onStoreError ?? 'fail-closed')
  if (!(Number.isInteger(concurrency) && concurrency > 0)) throw invalid(FN, 'concurrency', 'a positive integer', concurrency)
  if (!((Number.isInteger(perOrigin) && perOrigin > 0) || perOrigin === Infinity)) throw invalid(FN, 'perOrigin', 'a positive integer or Infinity', perOrigin)
  if (!(Number.isInteger(leaseMs) && leaseMs >= 30)) throw invalid(FN, 'leaseMs', 'an integer number of ms, at least 30', leaseMs)
  if (!((Number.isInteger(maxQueue) && maxQueue >= 0) || maxQueue === Infinity)) throw invalid(FN, 'maxQueue', 'a non-negative integer or Infinity', maxQueue)
  if (!isPositive(timeoutMs)) throw invalid(FN, 'timeoutMs', 'a positive number of ms', timeoutMs)
  if (!isPositive(recoverAfterMs)) throw invalid(FN, 'recoverAfterMs', 'a positive number of ms', recoverAfterMs)
  if (options.onStateChange !== undefined && typeof options.onStateChange !== 'function') throw invalid(FN, 'onStateChange', 'a function', options.onStateChange)
  const clock = checkClock(FN, options.clock)

  const health = createRedisHealth({ timeoutMs, recoverAfterMs, onStateChange: options.onStateChange, clock })
  const allKey = `${prefix}{pool}:all`
  const channel = `${prefix}{pool}:free`
  const originKey = (origin: string): string => `${prefix}{pool}:o:${origin}`
  const renewEvery = Math.floor(leaseMs / 3)
  let local: Pool | undefined

  /** This process's waiters: priority high first, then oldest first. */
  const waiters: Waiter[] = []
  const held = new Map<string, Lease>()
  let active = 0
  let completed = 0
  let failed = 0
  let maxActive = 0
  let paused = false
  let seq = 0
  let pumping = false
  let again = false
  let wakeTimer: TimerHandle | undefined
  let renewTimer: TimerHandle | undefined
  let subscription: Promise<RedisSubscription | undefined> | undefined
  /** Releases on their way to Redis; `close()` waits for them. */
  const pending = new Set<Promise<void>>()
  let idleWaiters: Array<() => void> = []
  let drainedWaiters: Array<() => void> = []

  const notify = (): void => {
    if (waiters.length !== 0) return
    const drained = drainedWaiters
    drainedWaiters = []
    for (const resolve of drained) resolve()
    if (active !== 0) return
    const idle = idleWaiters
    idleWaiters = []
    for (const resolve of idle) resolve()
  }

  const leave = (waiter: Waiter): void => {
    waiter.done = true
    waiter.signal?.removeEventListener('abort', waiter.onAbort)
    const index = waiters.indexOf(waiter)
    if (index >= 0) waiters.splice(index, 1)
    if (waiters.length === 0) quiet()
  }

  /** Nobody waits: no timer, no subscriber connection. */
  const quiet = (): void => {
    if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer)
    wakeTimer = undefined
    const closing = subscription
    subscription = undefined
    void closing?.then((sub) => sub?.close()).catch(noop)
  }

  const listen = (): void => {
    if (subscription !== undefined) return
    subscription = adapter.subscribe(channel, () => void pump()).then(
      (sub) => {
        void pump() // a release published before the subscription was in place is not missed
        return sub
      },
      () => undefined, // the wake timer still covers
    )
  }

  /** Runs every `leaseMs / 3` while this process holds a lease (`hold` starts it, the last release stops it). */
  const renew = (): void => {
    renewTimer = clock.setTimeout(renew, renewEvery)
    const keys: string[] = []
    const args = [String(leaseMs)]
    for (const lease of held.values()) {
      for (const key of lease.keys) {
        keys.push(key)
        args.push(lease.id)
      }
    }
    void health.run(() => adapter.run(RENEW, keys, args), noop).catch(noop)
  }

  const hold = (lease: Lease | undefined): Release => {
    if (++active > maxActive) maxActive = active
    if (lease !== undefined) {
      held.set(lease.id, lease)
      renewTimer ??= clock.setTimeout(renew, renewEvery)
    }
    let released = false
    return (outcome) => {
      if (released) return
      released = true
      active--
      if (outcome === 'failed') failed++
      else completed++
      if (lease !== undefined) {
        held.delete(lease.id)
        if (held.size === 0 && renewTimer !== undefined) {
          clock.clearTimeout(renewTimer)
          renewTimer = undefined
        }
        // If Redis cannot be told, the lease expires by itself within leaseMs.
        void giveBack(lease)
      }
      notify()
    }
  }

  /** Sends a lease back to Redis and wakes the waiters of every process. */
  const giveBack = (lease: Lease): Promise<void> => {
    const done = health
      .run(() => adapter.run(RELEASE, lease.keys, [lease.id, channel]), noop)
      .catch(noop)
      .then(() => {
        pending.delete(done)
        if (waiters.length > 0) void pump()
      })
    pending.add(done)
    return done
  }

  /**
   * Asks Redis for a lease for `origin`: the lease, or why not and for how long at most. A lease
   * granted after the call timed out (the policy already answered) is given straight back.
   */
  const lease = (origin: string | undefined): Promise<LeaseAnswer> => {
    const keys = origin === undefined || perOrigin === Infinity ? [allKey] : [allKey, originKey(origin)]
    const id = randomUUID()
    let abandoned = false
    return health.run<LeaseAnswer>(
      async () => {
        const [status, ms] = (await adapter.run(ACQUIRE, keys, [id, String(leaseMs), String(concurrency), perOrigin === Infinity ? MAX : String(perOrigin)])) as [number, string]
        if (Number(status) !== 1) return { scope: Number(status) === 2 ? ('origin' as const) : ('pool' as const), ms: Number(ms) }
        if (abandoned) void giveBack({ id, keys })
        return { lease: { id, keys } }
      },
      (error) => {
        abandoned = true
        return { error }
      },
    )
  }

  /** Applies the Redis failure policy to one waiter, which leaves the Redis queue. */
  const fallBack = (waiter: Waiter, error: unknown): void => {
    leave(waiter)
    if (policy === 'fail-closed') return waiter.reject(new StoreUnavailableError({ operation: 'pool', cause: error }))
    if (policy === 'fail-open') return waiter.resolve(hold(undefined))
    local ??= createPool({ concurrency, perOrigin, clock })
    local.acquire({ origin: waiter.origin, priority: waiter.priority, signal: waiter.signal }).then((release) => {
      const counted = hold(undefined)
      waiter.resolve((outcome) => {
        release(outcome)
        counted(outcome)
      })
    }, waiter.reject)
  }

  /** Gives leases to waiters in order until Redis refuses; one pump runs at a time. */
  const pump = async (): Promise<void> => {
    if (pumping) {
      again = true
      return
    }
    pumping = true
    let soonest = Infinity
    try {
      do {
        again = false
        soonest = Infinity
        const blocked = new Set<string | undefined>()
        for (const waiter of [...waiters]) {
          if (paused) break
          if (waiter.done) continue
          const origin = perOrigin === Infinity ? undefined : waiter.origin
          if (blocked.has(origin)) continue
          const answer = await lease(origin)
          if ('error' in answer) {
            if (!waiter.done) fallBack(waiter, answer.error)
            continue
          }
          if ('lease' in answer) {
            if (waiter.done) void giveBack(answer.lease) // aborted while Redis answered
            else {
              leave(waiter)
              waiter.resolve(hold(answer.lease))
            }
            continue
          }
          soonest = Math.min(soonest, answer.ms)
          if (answer.scope === 'pool') break
          blocked.add(origin)
        }
      } while (again && waiters.length > 0)
    } finally {
      pumping = false
    }
    notify()
    if (waiters.length === 0 || paused) return
    listen()
    // The fallback for a missed message or a lease that expired without a release.
    if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer)
    wakeTimer = clock.setTimeout(
      () => {
        wakeTimer = undefined
        void pump()
      },
      Math.ceil(Math.min(Number.isFinite(soonest) ? soonest : leaseMs, leaseMs)) + 1,
    )
  }

  const acquire = (acquireOptions?: AcquireOptions): Promise<Release> => {
    const signal = acquireOptions?.signal
    if (signal?.aborted) return Promise.reject(signal.reason)
    const priority = acquireOptions?.priority ?? 0
    if (typeof priority !== 'number' || Number.isNaN(priority)) {
      return Promise.reject(new TypeError(`redisPool.acquire: priority must be a number, got ${describe(priority)}`))
    }
    if (waiters.length >= maxQueue && waiters.length > 0) return Promise.reject(new QueueFullError({ maxQueue }))
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { origin: acquireOptions?.origin, priority, seq: seq++, signal, resolve, reject, onAbort: noop, done: false }
      waiter.onAbort = () => {
        if (waiter.done) return
        leave(waiter)
        reject((signal as AbortSignalLike).reason)
        notify()
      }
      signal?.addEventListener('abort', waiter.onAbort, { once: true })
      let at = waiters.length
      while (at > 0 && (waiters[at - 1] as Waiter).priority < priority) at--
      waiters.splice(at, 0, waiter)
      void pump()
    })
  }

  return {
    acquire,
    async run(task, runOptions) {
      const release = await acquire(runOptions)
      try {
        const value = await task()
        release()
        return value
      } catch (error) {
        release('failed')
        throw error
      }
    },
    pause() {
      paused = true
      if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer)
      wakeTimer = undefined
    },
    resume() {
      if (!paused) return
      paused = false
      if (waiters.length > 0) void pump()
    },
    clear(reason) {
      for (const waiter of [...waiters]) {
        leave(waiter)
        waiter.reject(new AbortError({ reason }))
      }
      notify()
    },
    onIdle() {
      if (active === 0 && waiters.length === 0) return Promise.resolve()
      return new Promise<void>((resolve) => idleWaiters.push(resolve))
    },
    onDrained() {
      if (waiters.length === 0) return Promise.resolve()
      return new Promise<void>((resolve) => drainedWaiters.push(resolve))
    },
    get stats(): PoolStats {
      return { active, queued: waiters.length, completed, failed, maxActive, paused, concurrency }
    },
    get state() {
      return health.state
    },
    async fleetActive() {
      return Number(await adapter.run(COUNT, [allKey], []))
    },
    async close() {
      for (const waiter of [...waiters]) {
        leave(waiter)
        waiter.reject(new AbortError({ reason: 'redis pool closed' }))
      }
      quiet()
      notify()
      await Promise.all(pending)
    },
  }
}

function noop(): void {}
