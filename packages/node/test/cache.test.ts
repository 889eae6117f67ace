import { describe, expect, it } from 'vitest'
import { cache, circuitBreaker, createClient, createManualClock } from '@volley/node'
import { uniqueKey, useChaosServer } from '../../core/test/helpers/chaos.js'

const server = useChaosServer()

/** cache() on the Node entry: the undici transport reads its own body and reports it (observe()). */
function setup(extra: Parameters<typeof createClient>[0] = {}) {
  const clock = createManualClock(Date.now())
  const policy = cache()
  const api = createClient({ baseURL: server().url, clock, retry: 0, ...extra, use: [policy, ...((extra.use as []) ?? [])] })
  const served = (id: string) => server().stats.byRoute('cacheable').filter((hit) => hit.path === `/cacheable/${id}`).length
  return { api, clock, policy, served }
}

describe('cache() on @volley/node', () => {
  it('stores a body the undici transport read, and answers the next call from it (RFC 9111 §3, §4.2.1)', async () => {
    const { api, served } = setup()
    const id = uniqueKey('node')
    const first = await api.raw<{ id: string }>(`/cacheable/${id}`)
    const second = await api.raw<{ id: string }>(`/cacheable/${id}`)
    expect([first.meta.cache, second.meta.cache]).toEqual(['miss', 'hit'])
    expect(second.data).toEqual(first.data)
    expect(served(id)).toBe(1)
  })

  it('tees a stream response into the store under the size limit and serves it as a stream', async () => {
    const { api, served } = setup()
    const id = uniqueKey('stream')
    const first = await api.get<ReadableStream<Uint8Array>>(`/cacheable/${id}?pad=200000`, { responseType: 'stream' })
    const text = await new Response(first).text()
    const second = await api.raw<ReadableStream<Uint8Array>>(`/cacheable/${id}?pad=200000`, { responseType: 'stream' })
    expect(second.meta.cache).toBe('hit')
    expect(await new Response(second.data).text()).toBe(text)
    expect(served(id)).toBe(1)
  })

  it('revalidates with a conditional request through undici (§4.3.1, §4.3.4) and in the background (RFC 5861 §3)', async () => {
    const { api, clock, policy, served } = setup()
    const id = uniqueKey('reval')
    await api.get(`/cacheable/${id}?cc=max-age%3D10`)
    await clock.advance(11_000)
    expect((await api.raw(`/cacheable/${id}?cc=max-age%3D10`)).meta.cache).toBe('revalidated')
    const swr = uniqueKey('swr')
    await api.get(`/cacheable/${swr}?cc=max-age%3D1,stale-while-revalidate%3D30`)
    await clock.advance(2_000)
    expect((await api.raw(`/cacheable/${swr}?cc=max-age%3D1,stale-while-revalidate%3D30`)).meta.cache).toBe('stale')
    await policy.idle()
    expect(served(swr)).toBe(2)
    expect((await api.raw(`/cacheable/${swr}?cc=max-age%3D1,stale-while-revalidate%3D30`)).meta.cache).toBe('hit')
  })

  it('serves stale over an open breaker where stale-if-error allows (RFC 5861 §4)', async () => {
    const breaker = circuitBreaker({ failures: 1 })
    const { api, clock } = setup({ use: [breaker] })
    const id = uniqueKey('open')
    await api.get(`/cacheable/${id}?cc=max-age%3D1,stale-if-error%3D60`)
    await api.get('/status/503').catch(() => {})
    await clock.advance(2_000)
    expect((await api.raw(`/cacheable/${id}?cc=max-age%3D1,stale-if-error%3D60`)).meta.cache).toBe('stale')
  })
})
