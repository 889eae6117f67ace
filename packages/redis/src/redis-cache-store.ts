import type { CacheStore, Clock, StoredResponse } from '@volley/core'
import { luaScript } from './lua-script.js'
import { adaptClient, type RedisLikeClient } from './redis-client.js'
import { checkClock, checkPrefix, invalid, isPositive, rejectUnknown, requireObject } from './validate-options.js'
import { withTimeout } from './redis-health.js'

/** Options of {@link createRedisCacheStore}. */
export interface RedisCacheStoreOptions {
  /** A connected client of `redis` (node-redis v4+) or `ioredis`. The store never closes it. */
  client: RedisLikeClient
  /**
   * Prepended to every key: an entry lives at `<prefix>cache:{<url>}`, the URL being the Cluster
   * hash tag. No `{` or `}`.
   * @default 'volley:'
   */
  prefix?: string
  /**
   * Longest wait for Redis, in ms. A read that fails or takes longer is a miss (the call goes to
   * the origin); a write or delete that fails is dropped.
   * @default 500
   */
  timeoutMs?: number
  /**
   * The time source of the `timeoutMs` wait (the entries' expiry is Redis's own, on the server's
   * clock). Tests pass `createManualClock()`.
   * @default systemClock
   */
  clock?: Clock
}

/** The Redis cache store: a {@link CacheStore} every process of a fleet shares. */
export interface RedisCacheStore extends CacheStore {
  readonly name: 'redis-cache'
}

const FN = 'createRedisCacheStore'
const OPTIONS = ['client', 'prefix', 'timeoutMs', 'clock']
const GET = luaScript(`return redis.call('GET', KEYS[1])`)
// PX: Redis drops the entry when the cache says it is of no more use (docs/DESIGN.md#http-cache).
const SET = luaScript(`return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])`)
const DEL = luaScript(`return redis.call('DEL', KEYS[1])`)

/** What is kept in Redis: the entry as JSON, its body as base64. */
interface Wire extends Omit<StoredResponse, 'body'> {
  readonly body: string
}

function encode(entry: StoredResponse): string {
  const wire: Wire = { ...entry, body: Buffer.from(entry.body.buffer, entry.body.byteOffset, entry.body.byteLength).toString('base64') }
  return JSON.stringify(wire)
}

function decode(text: string): StoredResponse | undefined {
  try {
    const wire = JSON.parse(text) as Wire
    const bytes = Buffer.from(wire.body, 'base64')
    return { ...wire, body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) }
  } catch {
    return undefined
  }
}

/**
 * A cache store on Redis, shared by every process of a fleet (docs/DESIGN.md#http-cache): one key
 * per URL, which expires (`PX`) when the entry stops being of use (fresh time left, then the stale
 * allowances). A process that revalidates an entry refreshes it for all of them. Redis being slow
 * or down never fails a call: a read is then a miss and a write is dropped.
 *
 * @example
 * import { cache, createClient } from 'volley'
 * import { createRedisCacheStore } from '@volley/redis'
 * const api = createClient({ use: [cache({ shared: true, store: createRedisCacheStore({ client: redis }) })] })
 */
export function createRedisCacheStore(options: RedisCacheStoreOptions): RedisCacheStore {
  const checked = requireObject<RedisCacheStoreOptions>(FN, options)
  rejectUnknown(FN, checked, OPTIONS)
  const prefix = checkPrefix(FN, checked.prefix ?? 'volley:')
  const redis = adaptClient(checked.client)
  const timeoutMs = checked.timeoutMs ?? 500
  if (!isPositive(timeoutMs)) throw invalid(FN, 'timeoutMs', 'a positive number of ms', timeoutMs)
  const clock = checkClock(FN, checked.clock)
  const keyOf = (key: string): string => `${prefix}cache:{${key}}`

  /** Runs a script, or rejects with a RedisTimeoutError after `timeoutMs` (redis-health.ts). */
  const run = (script: typeof GET, key: string, args: readonly string[]): Promise<unknown> => withTimeout(redis.run(script, [keyOf(key)], args), timeoutMs, clock)

  return {
    name: 'redis-cache',
    async get(key) {
      try {
        const text = await run(GET, key, [])
        return typeof text === 'string' ? decode(text) : undefined
      } catch {
        return undefined
      }
    },
    async set(key, entry, ttl) {
      if (!(ttl >= 1)) return
      try {
        await run(SET, key, [encode(entry), String(Math.ceil(ttl))])
      } catch {
        // A lost write costs a later call one request.
      }
    },
    async delete(key) {
      try {
        await run(DEL, key, [])
      } catch {
        // As above; an invalidation that could not reach Redis leaves the entry to its expiry.
      }
    },
  }
}
