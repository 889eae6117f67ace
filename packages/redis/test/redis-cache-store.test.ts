import { cache, createClient, createManualClock, type Cache } from '@volley/core'
import { describe, expect, it } from 'vitest'
import { createRedisCacheStore } from '../src/index.js'
import { CLIENT_KINDS, useRedisClient, useRedisServer } from './helpers/redis-server.js'
import { useChaosServer } from '../../core/test/helpers/chaos.js'

const redis = useRedisServer()
const server = useChaosServer()

let unique = 0
const id = (): string => `redis-cache-${process.pid}-${++unique}`
/** A clock that never moves, for a store whose Redis calls must not time out however slowly a loaded machine lets Redis answer. */
const patient = () => createManualClock()
const served = (name: string): number => server().stats.byRoute('cacheable').filter((hit) => hit.path === `/cacheable/${name}`).length

describe.each(CLIENT_KINDS)('createRedisCacheStore with a %s client', (kind) => {
  const a = useRedisClient(kind, redis)
  const b = useRedisClient(kind, redis)

  /** Two "processes": clients with caches of their own on their own Redis connections. */
  const fleet = () => {
    const clock = createManualClock(Date.now())
    const make = (client: object): { api: ReturnType<typeof createClient>; policy: Cache } => {
      const policy = cache({ shared: true, store: createRedisCacheStore({ client, clock: patient() }) })
      return { api: createClient({ baseURL: server().url, clock, retry: 0, use: [policy] }), policy }
    }
    return { clock, one: make(a.client), two: make(b.client) }
  }

  it('lets a fleet share one cache: what one process stored, another answers from (RFC 9111 §4.2)', async () => {
    const { one, two } = fleet()
    const name = id()
    expect((await one.api.raw(`/cacheable/${name}?cc=s-maxage%3D60`)).meta.cache).toBe('miss')
    // The entry is written once the body was read; idle() waits for that write.
    await one.policy.idle()
    const hit = await two.api.raw<{ id: string }>(`/cacheable/${name}?cc=s-maxage%3D60`)
    expect([hit.meta.cache, hit.data.id]).toEqual(['hit', name])
    expect(served(name)).toBe(1)
  })

  it('a 304 one process got freshens the entry for all (§4.3.4), and an unsafe method invalidates it for all (§4.4)', async () => {
    const { clock, one, two } = fleet()
    const name = id()
    const path = `/cacheable/${name}?cc=max-age%3D10`
    await one.api.get(path)
    await one.policy.idle()
    await clock.advance(11_000)
    expect((await two.api.raw(path)).meta.cache).toBe('revalidated')
    await two.policy.idle()
    expect((await one.api.raw(path)).meta.cache).toBe('hit')
    await two.api.delete(path)
    expect((await one.api.raw(path)).meta.cache).toBe('miss')
    expect(served(name)).toBe(4)
  })

  it('keys entries under the URL as the hash tag, and lets Redis expire them when they are of no more use', async () => {
    const name = id()
    const store = createRedisCacheStore({ client: a.client, prefix: 'fleet:', clock: patient() })
    const entry = { url: `http://x.test/${name}`, status: 200, statusText: 'OK', headers: [['etag', '"1"']] as [string, string][], body: new Uint8Array([1, 2, 3]), vary: {}, requestTime: 1, responseTime: 2 }
    await store.set(entry.url, entry, 60_000)
    expect(await store.get(entry.url)).toEqual(entry)
    const raw = a.client as { pTTL?: (key: string) => Promise<number>; pttl?: (key: string) => Promise<number> }
    const ttl = await (kind === 'redis' ? raw.pTTL!(`fleet:cache:{${entry.url}}`) : raw.pttl!(`fleet:cache:{${entry.url}}`))
    expect(ttl).toBeGreaterThan(50_000)
    expect(ttl).toBeLessThanOrEqual(60_000)
    await store.delete(entry.url)
    expect(await store.get(entry.url)).toBeUndefined()
  })
})

describe('createRedisCacheStore when Redis is down', () => {
  // A server of its own, which this block stops.
  const down = useRedisServer()
  const connection = useRedisClient('ioredis', down)

  it('turns reads into misses and drops writes: the call goes to the origin', async () => {
    // On a manual clock that never moves, timeoutMs never ends a call: each read and write ends as
    // the client fails it, ioredis refusing commands it cannot send once reconnecting fails (the
    // timeout's own path is in redis-clock.test.ts).
    const clock = patient()
    const store = createRedisCacheStore({ client: connection.client, clock })
    const policy = cache({ store })
    await down().stop()
    const api = createClient({ baseURL: server().url, retry: 0, use: [policy] })
    const name = id()
    expect((await api.raw(`/cacheable/${name}`)).meta.cache).toBe('miss')
    await policy.idle() // the write, dropped
    expect((await api.raw(`/cacheable/${name}`)).meta.cache).toBe('miss')
    await policy.idle()
    expect(served(name)).toBe(2)
    expect(clock.pending).toBe(0) // no timer outlives its call
  })

  it('rejects bad options with a TypeError that says what was expected', () => {
    expect(() => createRedisCacheStore({} as never)).toThrow(TypeError)
    expect(() => createRedisCacheStore({ client: {}, prefix: 'a{b' } as never)).toThrow(/prefix/)
  })
})
