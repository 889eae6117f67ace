import { createMemoryStore, type Clock, type RateLimitConfig, type RateLimitStore, type RateLimitStoreState } from '@volley/core'
import { adaptClient, type RedisLikeClient } from './redis-client.js'
import { createRedisHealth, type RedisState, type StateChangeListener, type StoreErrorPolicy } from './redis-health.js'
import { randomUUID } from 'node:crypto'
import { PAUSE, READ, TAKE, TAKE_QUEUED } from './store-scripts.js'
import { StoreUnavailableError } from './store-unavailable-error.js'
import { checkClock, checkPolicy, checkPrefix, invalid, isPositive, rejectUnknown, requireObject } from './validate-options.js'

/** One limit of a weighted or multi-limit take, as core's limiter passes it to `takeMany`. */
export type RateLimitTake = Parameters<NonNullable<RateLimitStore['takeMany']>>[2][number]

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** A connected client of `redis` (node-redis v4+) or `ioredis`. The store never closes it. */
  client: RedisLikeClient
  /**
   * Prepended to every key; a key is `<prefix>{<limiter key>}:b:<limit name>` (its bucket) or
   * `<prefix>{<limiter key>}:p` (its pause), so all keys of one origin share a Cluster hash tag.
   * No `{` or `}`.
   * @default 'volley:'
   */
  prefix?: string
  /**
   * Longest wait for Redis on each call, in ms; beyond it the call counts as a failure.
   * @default 500
   */
  timeoutMs?: number
  /**
   * What a take does when Redis fails or times out: `'fail-closed'` rejects it with
   * `StoreUnavailableError` (the budget is never exceeded; calls fail), `'fail-open'` grants it
   * (calls go on with no limit), `'local'` asks an in-memory store instead (each process keeps the
   * full budget to itself). Pauses are kept in the local store too under `'local'`.
   * @default 'fail-closed'
   */
  onStoreError?: StoreErrorPolicy
  /**
   * While degraded, how often one call tries Redis again (the others use the policy meanwhile).
   * @default 1000
   */
  recoverAfterMs?: number
  /**
   * Called when the store goes `'degraded'` (with the error) and back to `'ok'`.
   * @default undefined
   */
  onStateChange?: StateChangeListener
  /**
   * Serve the waiting callers of every process in the order they first asked (core's limiter
   * passes that as `since`): a caller that has to wait leaves a ticket in Redis, and a caller
   * with an older ticket of another process ahead of it waits one more step even when a token
   * is there. Only the head of each process's line holds a ticket. Costs two more keys per
   * origin and a little more work per take.
   * @default false
   */
  fairQueue?: boolean
  /**
   * With `fairQueue`, how long a ticket outlives its caller's next expected ask, in ms: the
   * longest a caller that went away (aborted, or its process died) holds back younger ones.
   * @default 1000
   */
  ticketGraceMs?: number
  /**
   * The clock of the limiters using this store: `pause(key, until)` reads `until` on it, and the
   * `timeoutMs` and `recoverAfterMs` waits run on it. Give the store the same clock you give the
   * limiter (tests pass `createManualClock()`).
   * @default systemClock (core's; what a limiter uses unless told otherwise)
   */
  clock?: Clock
}

/** A {@link RateLimitStore} on Redis (see {@link createRedisStore}). */
export interface RedisRateLimitStore extends RateLimitStore {
  take(key: string, now: number, config: RateLimitConfig, since?: number): Promise<number>
  takeMany(key: string, now: number, takes: readonly RateLimitTake[], since?: number): Promise<number>
  pause(key: string, until: number): Promise<void>
  read(key: string, now: number, config: RateLimitConfig): Promise<RateLimitStoreState>
  /** `'ok'` while Redis answers, `'degraded'` while the policy stands in for it. */
  readonly state: RedisState
  /** The policy in force. */
  readonly onStoreError: StoreErrorPolicy
}

const FN = 'createRedisStore'
const KNOWN = ['client', 'prefix', 'timeoutMs', 'onStoreError', 'recoverAfterMs', 'onStateChange', 'fairQueue', 'ticketGraceMs', 'clock']

/**
 * A rate-limit store on Redis: every process whose limiters use a store on the same Redis (and
 * prefix) shares one budget per key. Each take is one Lua script, atomic on the server and timed
 * by the server's clock (`TIME`), so clock skew between processes does not matter. The `now`
 * that core passes is used only by the `'local'` fallback.
 *
 * Pauses (a 429's `Retry-After`): `pause(key, until)` turns `until` into "ms from now" on the
 * caller's own clock (`clock`, by default core's `systemClock` like the limiter) and the script adds
 * that to the server's time. So a pause lasts as long as the server asked, whatever the skew
 * between hosts; the network delay of the pause call only makes it end that much later, never
 * earlier.
 *
 * @example
 * import { createClient as createRedis } from 'redis'
 * import { createClient, createRateLimiter } from '@volley/core'
 * import { createRedisStore } from '@volley/redis'
 *
 * const redis = await createRedis({ url: process.env.REDIS_URL }).connect()
 * const store = createRedisStore({ client: redis, onStoreError: 'local' })
 * const api = createClient({ rateLimit: createRateLimiter({ limit: 20, interval: 1000, store }) })
 */
export function createRedisStore(options: RedisStoreOptions): RedisRateLimitStore {
  requireObject(FN, options)
  rejectUnknown(FN, options, KNOWN)
  const adapter = adaptClient(options.client)
  const prefix = checkPrefix(FN, options.prefix ?? 'volley:')
  const timeoutMs = options.timeoutMs ?? 500
  const recoverAfterMs = options.recoverAfterMs ?? 1000
  const policy = checkPolicy(FN, options.onStoreError ?? 'fail-closed')
  if (!isPositive(timeoutMs)) throw invalid(FN, 'timeoutMs', 'a positive number of ms', timeoutMs)
  if (!isPositive(recoverAfterMs)) throw invalid(FN, 'recoverAfterMs', 'a positive number of ms', recoverAfterMs)
  if (options.onStateChange !== undefined && typeof options.onStateChange !== 'function') {
    throw invalid(FN, 'onStateChange', 'a function', options.onStateChange)
  }
  const clock = checkClock(FN, options.clock)
  const fairQueue = options.fairQueue ?? false
  const ticketGraceMs = options.ticketGraceMs ?? 1000
  if (typeof fairQueue !== 'boolean') throw invalid(FN, 'fairQueue', 'a boolean', fairQueue)
  if (!isPositive(ticketGraceMs)) throw invalid(FN, 'ticketGraceMs', 'a positive number of ms', ticketGraceMs)
  /** Tells this store's tickets from other processes' ones. */
  const instance = randomUUID()
  const health = createRedisHealth({ timeoutMs, recoverAfterMs, onStateChange: options.onStateChange, clock })
  const local = policy === 'local' ? createMemoryStore() : undefined

  const pauseKey = (key: string): string => `${prefix}{${key}}:p`
  const bucketKey = (key: string, name: string): string => `${prefix}{${key}}:b:${name}`

  const refuse = (cause: unknown): never => {
    throw new StoreUnavailableError({ operation: 'rate-limit', cause })
  }

  const takeMany = (key: string, now: number, takes: readonly RateLimitTake[], since?: number): Promise<number> => {
    const queued = fairQueue && typeof since === 'number' && Number.isFinite(since)
    const keys = queued ? [pauseKey(key), `${prefix}{${key}}:q`, `${prefix}{${key}}:qx`] : [pauseKey(key)]
    // The caller's age, not its clock: `now` and `since` are on the same clock, the script adds the server's.
    const args: string[] = queued ? [`${instance}:${since}`, String(Math.max(0, now - (since as number))), String(ticketGraceMs)] : []
    for (const { name, config, cost } of takes) {
      keys.push(bucketKey(key, name))
      args.push(String(config.interval / config.limit), String(config.capacity), String(cost))
    }
    return health.run(
      async () => Number(await adapter.run(queued ? TAKE_QUEUED : TAKE, keys, args)),
      (error) => (local ? local.takeMany(key, now, takes) : policy === 'fail-open' ? 0 : refuse(error)),
    )
  }

  return {
    get state() {
      return health.state
    },
    onStoreError: policy,
    take(key, now, config, since) {
      return takeMany(key, now, [{ name: '', config, cost: 1 }], since)
    },
    takeMany,
    async pause(key, until) {
      local?.pause(key, until)
      const ms = until - clock.now()
      if (!(ms > 0)) return
      await health.run(
        async () => void (await adapter.run(PAUSE, [pauseKey(key)], [String(ms)])),
        // Under every policy a lost pause is only a lost hint: the server answers 429 again.
        () => undefined,
      )
    },
    read(key, now, config) {
      return health.run(
        async () => {
          const [tokens, pausedMs] = (await adapter.run(READ, [pauseKey(key), bucketKey(key, '')], [String(config.interval / config.limit), String(config.capacity)])) as [string, string]
          const left = Number(pausedMs)
          return { tokens: Number(tokens), pausedUntil: left > 0 ? now + left : 0 }
        },
        () => (local ? local.read(key, now, config) : { tokens: NaN, pausedUntil: NaN }),
      )
    },
  }
}
