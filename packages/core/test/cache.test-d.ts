import { describe, expectTypeOf, it } from 'vitest'
import {
  cache,
  createClient,
  createMemoryCacheStore,
  createMetrics,
  type Cache,
  type CacheCounts,
  type CacheOptions,
  type CacheStatus,
  type CacheStore,
  type CallRequest,
  type MemoryCacheStore,
  type Meta,
  type Policy,
  type StoredResponse,
  type VolleyEvent,
} from '@volley/core'

describe('cache() types', () => {
  it('is a policy for `use` with its store and idle()', () => {
    const policy = cache({ shared: true, store: createMemoryCacheStore({ maxBytes: 1024 }), maxEntryBytes: 512, heuristic: false, keepStale: 0, revalidateTimeout: 1000 })
    expectTypeOf(policy).toEqualTypeOf<Cache>()
    expectTypeOf(policy).toMatchTypeOf<Policy>()
    expectTypeOf(policy.store).toEqualTypeOf<CacheStore>()
    expectTypeOf(policy.idle()).toEqualTypeOf<Promise<void>>()
    createClient({ use: [policy] })
    // @ts-expect-error heuristic is a fraction or false
    cache({ heuristic: true })
    expectTypeOf<CacheOptions['store']>().toEqualTypeOf<CacheStore | undefined>()
  })

  it('takes any store with get, set and delete, sync or async', () => {
    const map = new Map<string, StoredResponse>()
    const sync: CacheStore = { get: (key) => map.get(key), set: (key, entry) => void map.set(key, entry), delete: (key) => void map.delete(key) }
    const async: CacheStore = { get: async (key) => map.get(key), set: async () => {}, delete: async () => {} }
    cache({ store: sync })
    cache({ store: async })
    expectTypeOf(createMemoryCacheStore()).toEqualTypeOf<MemoryCacheStore>()
    expectTypeOf<StoredResponse['body']>().toEqualTypeOf<Uint8Array>()
  })

  it('reports how a call was served in meta, events and metrics', () => {
    expectTypeOf<Meta['cache']>().toEqualTypeOf<CacheStatus | undefined>()
    expectTypeOf<CacheStatus>().toEqualTypeOf<'hit' | 'stale' | 'revalidated' | 'miss'>()
    expectTypeOf<Extract<VolleyEvent, { type: 'cache' }>['status']>().toEqualTypeOf<CacheStatus>()
    expectTypeOf(createMetrics().snapshot().cache).toEqualTypeOf<CacheCounts | undefined>()
  })

  it('lets any policy answer a call through the answer seam', () => {
    const answering: Policy = {
      name: 'canned',
      answer: (request: CallRequest) => (request.method === 'GET' ? new Response('{}') : undefined),
      rescue: async (_request: CallRequest, _error: unknown) => undefined,
    }
    createClient({ use: [answering] })
  })
})
