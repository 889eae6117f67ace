import type { CacheStore, Pool, RateLimitStore } from '@volley/core'
import { cache, createClient, createRateLimiter } from '@volley/core'
import { Redis } from 'ioredis'
import { createClient as createRedis } from 'redis'
import { describe, expectTypeOf, it } from 'vitest'
import { createRedisCacheStore, createRedisPool, createRedisStore, type RedisCacheStore, type RedisPool, type RedisRateLimitStore, type StoreErrorPolicy } from '../src/index.js'

describe('@volley/redis types', () => {
  it('gives core a RateLimitStore and a Pool, from either client', () => {
    const store = createRedisStore({ client: createRedis() })
    const pool = createRedisPool({ client: new Redis({ lazyConnect: true }), concurrency: 4 })
    expectTypeOf(store).toExtend<RateLimitStore>()
    expectTypeOf(store).toEqualTypeOf<RedisRateLimitStore>()
    expectTypeOf(pool).toExtend<Pool>()
    expectTypeOf(pool).toEqualTypeOf<RedisPool>()
    expectTypeOf(store.state).toEqualTypeOf<'ok' | 'degraded'>()
    expectTypeOf(pool.fleetActive()).toEqualTypeOf<Promise<number>>()
    expectTypeOf<StoreErrorPolicy>().toEqualTypeOf<'fail-closed' | 'fail-open' | 'local'>()
    createClient({ pool, rateLimit: createRateLimiter({ limit: 1, store }) })
  })

  it('gives cache() a CacheStore, from either client', () => {
    const store = createRedisCacheStore({ client: new Redis({ lazyConnect: true }), prefix: 'app:', timeoutMs: 200 })
    expectTypeOf(store).toEqualTypeOf<RedisCacheStore>()
    expectTypeOf(store).toExtend<CacheStore>()
    createClient({ use: [cache({ shared: true, store: createRedisCacheStore({ client: createRedis() }) })] })
    // @ts-expect-error client is required
    createRedisCacheStore({})
  })

  it('requires a client, and a concurrency for the pool', () => {
    // @ts-expect-error client is required
    createRedisStore({})
    // @ts-expect-error concurrency is required
    createRedisPool({ client: createRedis() })
    // @ts-expect-error an unknown policy
    createRedisStore({ client: createRedis(), onStoreError: 'retry' })
  })
})
