/**
 * One process of the fleet example (see main.ts): a volley client whose rate limit (10 requests/s)
 * and pool (4 in flight) live in Redis, shared with the other workers. Sends COUNT requests and
 * reports how many succeeded on stdout as JSON.
 */
import { createClient, createRateLimiter } from '@volley/core'
import { createRedisPool, createRedisStore } from '@volley/redis'
import { createClient as createRedis } from 'redis'

const { REDIS_URL, TARGET, WORKER = 'worker', COUNT = '20' } = process.env
if (!REDIS_URL || !TARGET) throw new Error('fleet worker: REDIS_URL and TARGET are set by main.ts')

const redis = createRedis({ url: REDIS_URL, disableOfflineQueue: true })
redis.on('error', (error: Error) => console.error(`${WORKER}: redis: ${error.message}`))
await redis.connect()

const pool = createRedisPool({ client: redis, prefix: 'fleet-example:', concurrency: 4, leaseMs: 5_000, onStoreError: 'local' })
const api = createClient({
  rateLimit: createRateLimiter({ limit: 10, interval: 1000, store: createRedisStore({ client: redis, prefix: 'fleet-example:', onStoreError: 'local' }) }),
  pool,
  headers: { 'x-worker': WORKER },
})

const outcomes = await Promise.allSettled(Array.from({ length: Number(COUNT) }, () => api.get(TARGET)))
await pool.close()
redis.destroy()
console.log(JSON.stringify({ worker: WORKER, ok: outcomes.filter((o) => o.status === 'fulfilled').length, failed: outcomes.filter((o) => o.status === 'rejected').length }))
