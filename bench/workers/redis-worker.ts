/**
 * One rate-limit or pool variant in its own process (bench/redis.ts): `sequential` ops one after
 * another (µs per op: the latency a call pays), then `concurrent` ops with 64 in flight (ops/s: what
 * one process can push through). Limits are set so high that nothing ever waits: only the cost of
 * asking is measured.
 */
import { createPool, createRateLimiter, type Pool, type RateLimiter } from '@volley/core'
import { createRedisPool, createRedisStore } from '@volley/redis'
import Bottleneck from 'bottleneck'
import { Redis as IORedis } from 'ioredis'
import { createClient } from 'redis'
import { runAsWorker } from '../lib/worker.js'

export type RedisVariant = 'memory-take' | 'redis-take' | 'ioredis-take' | 'memory-lease' | 'redis-lease' | 'bottleneck'

export interface RedisWorkerArgs {
  variant: RedisVariant
  url: string
  sequential: number
  concurrent: number
}

export interface RedisWorkerResult {
  usPerOp: number
  opsPerSecond: number
}

const IN_FLIGHT = 64

async function setUp(variant: RedisVariant, url: string): Promise<{ op: () => Promise<unknown>; close: () => Promise<void> }> {
  const prefix = `bench-${process.pid}:`
  const limit = { limit: 1e9, interval: 1000, burst: 1e6 }
  if (variant === 'memory-take') {
    const limiter = createRateLimiter(limit)
    return { op: () => limiter.take({ key: 'https://api.example' }), close: async () => {} }
  }
  if (variant === 'memory-lease') {
    const pool: Pool = createPool({ concurrency: 1e6 })
    return { op: () => pool.acquire().then((release) => release()), close: async () => {} }
  }
  if (variant === 'bottleneck') {
    const host = new URL(url)
    const limiter = new Bottleneck({
      id: prefix,
      datastore: 'ioredis',
      clientOptions: { host: host.hostname, port: Number(host.port) },
      clearDatastore: true,
      maxConcurrent: 1e6,
      minTime: 0,
    })
    await limiter.ready()
    return { op: () => limiter.schedule(() => Promise.resolve()), close: () => limiter.disconnect(true).then(() => undefined) }
  }
  if (variant === 'ioredis-take') {
    const client = new IORedis(url)
    const limiter: RateLimiter = createRateLimiter({ ...limit, store: createRedisStore({ client, prefix }) })
    return { op: () => limiter.take({ key: 'https://api.example' }), close: async () => client.disconnect() }
  }
  const client = createClient({ url })
  await client.connect()
  if (variant === 'redis-take') {
    const limiter = createRateLimiter({ ...limit, store: createRedisStore({ client, prefix }) })
    return { op: () => limiter.take({ key: 'https://api.example' }), close: async () => void client.destroy() }
  }
  const pool = createRedisPool({ client, prefix, concurrency: 1e6 })
  return {
    op: () => pool.acquire().then((release) => release()),
    close: async () => {
      await pool.close()
      client.destroy()
    },
  }
}

runAsWorker<RedisWorkerArgs, RedisWorkerResult>(async ({ variant, url, sequential, concurrent }) => {
  const { op, close } = await setUp(variant, url)
  for (let i = 0; i < 200; i++) await op() // warm-up: JIT, script cache, connections
  let start = performance.now()
  for (let i = 0; i < sequential; i++) await op()
  const usPerOp = ((performance.now() - start) * 1000) / sequential
  start = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < concurrent) await op()
    }),
  )
  const opsPerSecond = concurrent / ((performance.now() - start) / 1000)
  await close()
  return { usPerOp, opsPerSecond }
})
