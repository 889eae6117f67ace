import { describe, expect, it } from 'vitest'
import { cache, circuitBreaker, createClient, createManualClock, createMemoryCacheStore, createMetrics, createPool, isHTTPError, type Cache, type VolleyEvent } from '@volley/core'
import { holdAtServer, uniqueKey, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

const server = useChaosServer()

/** A client with a cache on a manual clock that starts now (the server's Date is real time). */
function setup(options: Parameters<typeof cache>[0] = {}, extra: Parameters<typeof createClient>[0] = {}) {
  const clock = createManualClock(Date.now())
  const policy = cache(options)
  const api = createClient({ baseURL: server().url, clock, retry: 0, ...extra, use: [policy, ...((extra.use as []) ?? [])] })
  const status = async (path: string, init: Parameters<typeof api.raw>[1] = {}) => (await api.raw(path, init)).meta.cache
  return { api, clock, policy, status, count: (id: string) => server().stats.byRoute('cacheable').filter((hit) => hit.path.includes(`/${id}`)).length }
}

describe('cache(): freshness (RFC 9111 §4.2)', () => {
  it('answers from the store while max-age holds, sending nothing (§4.2.1)', async () => {
    const { api, status, count } = setup()
    const id = uniqueKey('fresh')
    expect(await status(`/cacheable/${id}?cc=max-age%3D60`)).toBe('miss')
    const hit = await api.raw<{ id: string; count: number }>(`/cacheable/${id}?cc=max-age%3D60`)
    expect(hit.meta.cache).toBe('hit')
    expect(hit.data).toMatchObject({ id, count: 1 })
    expect(hit.meta.attempts).toBe(0)
    expect(hit.headers.get('age')).toBe('0')
    expect(count(id)).toBe(1)
  })

  it('does not reuse a response with max-age=0 or one whose Age already exceeds max-age (§4.2.1, §4.2.3; cache-tests freshness-max-age-0, freshness-max-age-age)', async () => {
    const { status, count } = setup()
    const zero = uniqueKey('zero')
    await status(`/cacheable/${zero}?cc=max-age%3D0&etag=0`)
    expect(await status(`/cacheable/${zero}?cc=max-age%3D0&etag=0`)).toBe('miss')
    expect(count(zero)).toBe(2)
    const aged = uniqueKey('aged')
    await status(`/cacheable/${aged}?cc=max-age%3D10&age=15&etag=0`)
    expect(await status(`/cacheable/${aged}?cc=max-age%3D10&age=15&etag=0`)).toBe('miss')
    expect(count(aged)).toBe(2)
  })

  it('goes stale when max-age has passed on the clock (§4.2.3 resident time)', async () => {
    const { clock, status, count } = setup()
    const id = uniqueKey('ages')
    const path = `/cacheable/${id}?cc=max-age%3D60&etag=0`
    await status(path)
    await clock.advance(59_000)
    expect(await status(path)).toBe('hit')
    await clock.advance(2_000)
    expect(await status(path)).toBe('miss')
    expect(count(id)).toBe(2)
  })

  it('uses Expires minus Date without max-age, and prefers max-age over a past Expires (§4.2.1, §5.3; cache-tests freshness-max-age-expires)', async () => {
    const { clock, status } = setup()
    const expires = uniqueKey('expires')
    await status(`/cacheable/${expires}?cc=&expires=30&etag=0`)
    expect(await status(`/cacheable/${expires}?cc=&expires=30&etag=0`)).toBe('hit')
    await clock.advance(31_000)
    expect(await status(`/cacheable/${expires}?cc=&expires=30&etag=0`)).toBe('miss')
    const both = uniqueKey('both')
    await status(`/cacheable/${both}?cc=max-age%3D3600&expires=-10000`)
    expect(await status(`/cacheable/${both}?cc=max-age%3D3600&expires=-10000`)).toBe('hit')
  })

  it('gives heuristic freshness from Last-Modified only where allowed (§4.2.2)', async () => {
    const { status } = setup()
    const id = uniqueKey('heur')
    await status(`/cacheable/${id}?cc=&etag=0&lastModified=1`)
    expect(await status(`/cacheable/${id}?cc=&etag=0&lastModified=1`)).toBe('hit')
    const off = setup({ heuristic: false })
    const id2 = uniqueKey('noheur')
    await off.status(`/cacheable/${id2}?cc=&etag=0&lastModified=1`)
    expect(await off.status(`/cacheable/${id2}?cc=&etag=0&lastModified=1`)).toBe('revalidated')
  })
})

describe('cache(): validation (RFC 9111 §4.3)', () => {
  it('turns a stale entry into a conditional request; a 304 serves the stored body and refreshes its headers (§4.3.1, §4.3.4)', async () => {
    const { api, clock, status, count } = setup()
    const id = uniqueKey('etag')
    const path = `/cacheable/${id}?cc=max-age%3D60`
    await status(path)
    await clock.advance(61_000)
    const revalidated = await api.raw<{ count: number }>(path)
    expect(revalidated.meta.cache).toBe('revalidated')
    expect(revalidated.status).toBe(200)
    expect(revalidated.data.count).toBe(1)
    const hits = server().stats.byRoute('cacheable').filter((hit) => hit.path.includes(id))
    expect(hits[1]?.headers['if-none-match']).toBe(`"${id}-v1"`)
    // The 304's Date and Cache-Control made the entry fresh again.
    expect(await status(path)).toBe('hit')
    expect(count(id)).toBe(2)
  })

  it('validates with If-Modified-Since when there is only Last-Modified (§4.3.1)', async () => {
    const { clock, status } = setup()
    const id = uniqueKey('lm')
    const path = `/cacheable/${id}?cc=max-age%3D1&etag=0&lastModified=1`
    await status(path)
    await clock.advance(2_000)
    expect(await status(path)).toBe('revalidated')
    const hits = server().stats.byRoute('cacheable').filter((hit) => hit.path.includes(id))
    expect(hits[1]?.headers['if-modified-since']).toBe('Wed, 01 Jan 2025 00:00:00 GMT')
  })

  it('replaces the entry when the representation changed (a 200 to a conditional request, §4.3.3)', async () => {
    const { api, clock } = setup()
    const id = uniqueKey('changed')
    const path = `/cacheable/${id}?cc=max-age%3D60&changeAfter=1`
    await api.get(path)
    await clock.advance(61_000)
    const changed = await api.raw<{ version: string }>(path)
    expect(changed.meta.cache).toBe('miss')
    expect(changed.data.version).toBe('v2')
    const again = await api.raw<{ version: string }>(path)
    expect([again.meta.cache, again.data.version]).toEqual(['hit', 'v2'])
  })

  it('validates a no-cache response every time, and honours a request no-cache and Pragma (§5.2.2.4, §5.2.1.4, §5.4)', async () => {
    const { status, count } = setup()
    const id = uniqueKey('nocache')
    const path = `/cacheable/${id}?cc=no-cache`
    await status(path)
    expect(await status(path)).toBe('revalidated')
    expect(await status(path)).toBe('revalidated')
    expect(count(id)).toBe(3)
    const other = uniqueKey('reqnocache')
    await status(`/cacheable/${other}`)
    expect(await status(`/cacheable/${other}`, { headers: { 'cache-control': 'no-cache' } })).toBe('revalidated')
    expect(await status(`/cacheable/${other}`, { headers: { pragma: 'no-cache' } })).toBe('revalidated')
    expect(await status(`/cacheable/${other}`)).toBe('hit')
  })

  it('narrows freshness with a request max-age and min-fresh, widens it with max-stale, never past must-revalidate (§5.2.1.1-3)', async () => {
    const { clock, status } = setup()
    const id = uniqueKey('reqdir')
    await status(`/cacheable/${id}?cc=max-age%3D60`)
    await clock.advance(10_000)
    expect(await status(`/cacheable/${id}?cc=max-age%3D60`, { headers: { 'cache-control': 'max-age=5' } })).toBe('revalidated')
    await clock.advance(10_000)
    expect(await status(`/cacheable/${id}?cc=max-age%3D60`, { headers: { 'cache-control': 'min-fresh=55' } })).toBe('revalidated')
    await clock.advance(70_000)
    expect(await status(`/cacheable/${id}?cc=max-age%3D60`, { headers: { 'cache-control': 'max-stale=60' } })).toBe('hit')
    const strict = uniqueKey('strict')
    await status(`/cacheable/${strict}?cc=max-age%3D1,must-revalidate`)
    await clock.advance(5_000)
    expect(await status(`/cacheable/${strict}?cc=max-age%3D1,must-revalidate`, { headers: { 'cache-control': 'max-stale' } })).toBe('revalidated')
  })

  it('answers only-if-cached with a 504 when nothing is stored (§5.2.1.7)', async () => {
    const { api } = setup()
    const error = await api.get(`/cacheable/${uniqueKey('oic')}`, { headers: { 'cache-control': 'only-if-cached' } }).catch((e: unknown) => e)
    expect(isHTTPError(error) && error.status).toBe(504)
    expect(server().stats.count('cacheable')).toBe(0)
  })
})

describe('cache(): what may be stored (RFC 9111 §3, §4.1, §5.2)', () => {
  it('keeps one variant per URL and reuses it only for the same Vary header values (§4.1)', async () => {
    const { status, count } = setup()
    const id = uniqueKey('vary')
    const path = `/cacheable/${id}?vary=accept-language&etag=0`
    await status(path, { headers: { 'accept-language': 'en' } })
    expect(await status(path, { headers: { 'accept-language': 'en' } })).toBe('hit')
    expect(await status(path, { headers: { 'accept-language': 'fr' } })).toBe('miss')
    expect(await status(path, { headers: { 'accept-language': 'fr' } })).toBe('hit')
    expect(count(id)).toBe(2)
    const star = uniqueKey('star')
    await status(`/cacheable/${star}?vary=*`)
    expect(await status(`/cacheable/${star}?vary=*`)).toBe('miss')
  })

  it('never stores a no-store response or the answer to a no-store request (§5.2.2.5, §5.2.1.5)', async () => {
    const { status, count } = setup()
    const id = uniqueKey('nostore')
    await status(`/cacheable/${id}?cc=no-store`)
    expect(await status(`/cacheable/${id}?cc=no-store`)).toBe('miss')
    const req = uniqueKey('reqnostore')
    await status(`/cacheable/${req}`, { headers: { 'cache-control': 'no-store' } })
    expect(await status(`/cacheable/${req}`)).toBe('miss')
    expect(count(id) + count(req)).toBe(4)
  })

  it('stores private answers in a private cache only, and uses s-maxage only when shared (§5.2.2.7, §5.2.2.10)', async () => {
    const mine = setup()
    const shared = setup({ shared: true })
    const id = uniqueKey('private')
    await mine.status(`/cacheable/${id}?cc=private,max-age%3D60`)
    expect(await mine.status(`/cacheable/${id}?cc=private,max-age%3D60`)).toBe('hit')
    await shared.status(`/cacheable/${id}?cc=private,max-age%3D60&etag=0`)
    expect(await shared.status(`/cacheable/${id}?cc=private,max-age%3D60&etag=0`)).toBe('miss')
    const s = uniqueKey('smaxage')
    const path = `/cacheable/${s}?cc=max-age%3D0,s-maxage%3D60&etag=0`
    await shared.status(path)
    expect(await shared.status(path)).toBe('hit')
    await mine.status(path)
    expect(await mine.status(path)).toBe('miss')
  })

  it('in a shared cache, stores an answer to an authorized request only when the response allows it (§3.5)', async () => {
    const { status } = setup({ shared: true })
    const id = uniqueKey('auth')
    const auth = { headers: { authorization: 'Bearer secret' } }
    await status(`/cacheable/${id}?etag=0`, auth)
    expect(await status(`/cacheable/${id}?etag=0`, auth)).toBe('miss')
    const pub = uniqueKey('authpublic')
    await status(`/cacheable/${pub}?cc=public,max-age%3D60`, auth)
    expect(await status(`/cacheable/${pub}?cc=public,max-age%3D60`, auth)).toBe('hit')
  })

  it('caches GET and HEAD only; a HEAD is answered from a stored GET (§2, §9.3.2 of RFC 9110)', async () => {
    const { api, status, count } = setup()
    const id = uniqueKey('methods')
    await api.post(`/cacheable/${id}`, { body: { a: 1 } })
    await api.post(`/cacheable/${id}`, { body: { a: 1 } })
    expect(count(id)).toBe(2)
    await status(`/cacheable/${id}`)
    const head = await api.raw(`/cacheable/${id}`, { method: 'HEAD' })
    expect(head.meta.cache).toBe('hit')
    expect(head.headers.get('etag')).toBe(`"${id}-v1"`)
    expect(count(id)).toBe(3)
  })
})

describe('cache(): invalidation (RFC 9111 §4.4)', () => {
  it('forgets the URL, its Location and its Content-Location after an unsafe method, on the same origin only', async () => {
    const { api, status } = setup()
    const [a, b, c] = [uniqueKey('a'), uniqueKey('b'), uniqueKey('c')]
    for (const id of [a, b, c]) await status(`/cacheable/${id}`)
    await api.post(`/cacheable/${a}?location=${encodeURIComponent(`/cacheable/${b}`)}&contentLocation=${encodeURIComponent(`http://elsewhere.test/cacheable/${c}`)}`, { body: 'x' })
    // The POST's URL differs from a's GET URL by its query: invalidate a's exact URL with a DELETE.
    await api.delete(`/cacheable/${a}`)
    expect(await status(`/cacheable/${a}`)).toBe('miss')
    expect(await status(`/cacheable/${b}`)).toBe('miss')
    expect(await status(`/cacheable/${c}`)).toBe('hit')
  })

  it('keeps the entry when the unsafe method failed (§4.4: non-error status only)', async () => {
    const { api, status } = setup()
    const id = uniqueKey('failed')
    await status(`/cacheable/${id}`)
    await api.delete(`/cacheable/${id}?failAfter=0&failStatus=500`).catch(() => {})
    expect(await status(`/cacheable/${id}`)).toBe('hit')
  })
})

describe('cache(): stale answers (RFC 5861)', () => {
  it('serves stale within stale-while-revalidate and revalidates once in the background (§3)', async () => {
    const { api, clock, policy, status, count } = setup()
    const id = uniqueKey('swr')
    const path = `/cacheable/${id}?cc=max-age%3D1,stale-while-revalidate%3D60&changeAfter=1`
    await status(path)
    await clock.advance(2_000)
    const [first, second] = await Promise.all([api.raw<{ version: string }>(path), api.raw<{ version: string }>(path)])
    expect([first.meta.cache, second.meta.cache]).toEqual(['stale', 'stale'])
    expect(first.data.version).toBe('v1')
    await (policy as Cache).idle()
    expect(count(id)).toBe(2)
    const fresh = await api.raw<{ version: string }>(path)
    expect([fresh.meta.cache, fresh.data.version]).toEqual(['hit', 'v2'])
  })

  it('serves stale for a 5xx within stale-if-error, and the error once it is past (§4)', async () => {
    const { api, clock, status } = setup()
    const id = uniqueKey('sie')
    const path = `/cacheable/${id}?cc=max-age%3D1,stale-if-error%3D60&failAfter=1&etag=0`
    await status(path)
    await clock.advance(2_000)
    const stale = await api.raw<{ count: number }>(path)
    expect([stale.meta.cache, stale.status, stale.data.count]).toEqual(['stale', 200, 1])
    await clock.advance(60_000)
    const error = await api.get(path).catch((e: unknown) => e)
    expect(isHTTPError(error) && error.status).toBe(503)
  })

  it('never serves stale when must-revalidate says so (RFC 9111 §4.2.4, §5.2.2.2)', async () => {
    const { api, clock, status } = setup()
    const id = uniqueKey('mr')
    const path = `/cacheable/${id}?cc=max-age%3D1,must-revalidate,stale-if-error%3D60,stale-while-revalidate%3D60&failAfter=1`
    await status(path)
    await clock.advance(2_000)
    const error = await api.get(path).catch((e: unknown) => e)
    expect(isHTTPError(error) && error.status).toBe(503)
  })

  it('a stale answer that stale-if-error allows beats an open circuit breaker (§4)', async () => {
    const breaker = circuitBreaker({ failures: 1, cooldown: 60_000 })
    const { api, clock, status } = setup({}, { use: [breaker] })
    const id = uniqueKey('breaker')
    const path = `/cacheable/${id}?cc=max-age%3D1,stale-if-error%3D600&etag=0`
    await status(path)
    await api.get(`/status/500`).catch(() => {})
    expect(breaker.state(server().url)).toMatchObject({ state: 'open' })
    await clock.advance(2_000)
    const stale = await api.raw<{ count: number }>(path)
    expect([stale.meta.cache, stale.data.count]).toEqual(['stale', 1])
    expect(server().stats.byRoute('cacheable')).toHaveLength(1)
  })
})

describe('cache(): bodies, stores and reporting', () => {
  it('serves json, text, blob, arrayBuffer and stream responses from the store', async () => {
    const { api } = setup()
    const id = uniqueKey('types')
    const path = `/cacheable/${id}`
    const first = await api.get<{ id: string }>(path, { responseType: 'stream' })
    const text = await new Response(first as unknown as ReadableStream).text()
    expect(JSON.parse(text).id).toBe(id)
    expect((await api.raw(path, { responseType: 'text' })).meta.cache).toBe('hit')
    expect(JSON.parse(await api.get<string>(path, { responseType: 'text' })).id).toBe(id)
    expect(await (await api.get<Blob>(path, { responseType: 'blob' })).text()).toBe(text)
    expect(new TextDecoder().decode(await api.get<ArrayBuffer>(path, { responseType: 'arrayBuffer' }))).toBe(text)
    expect((await api.get<{ id: string }>(path)).id).toBe(id)
    const streamed = await api.raw(path, { responseType: 'stream' })
    expect([streamed.meta.cache, await new Response(streamed.data as ReadableStream).text()]).toEqual(['hit', text])
    expect(server().stats.count('cacheable')).toBe(1)
  })

  it('does not keep a body past maxEntryBytes, and a store bounded by bytes drops the least recently used', async () => {
    const store = createMemoryCacheStore({ maxBytes: 6_000 })
    const { status } = setup({ store, maxEntryBytes: 4_000 })
    const big = uniqueKey('big')
    await status(`/cacheable/${big}?pad=5000`)
    expect(await status(`/cacheable/${big}?pad=5000`)).toBe('miss')
    const [a, b, c] = [uniqueKey('a'), uniqueKey('b'), uniqueKey('c')]
    await status(`/cacheable/${a}?pad=1500`)
    await status(`/cacheable/${b}?pad=1500`)
    expect(await status(`/cacheable/${a}?pad=1500`)).toBe('hit')
    await status(`/cacheable/${c}?pad=1500`)
    expect(store.bytes).toBeLessThanOrEqual(6_000)
    expect(await status(`/cacheable/${a}?pad=1500`)).toBe('hit')
    expect(await status(`/cacheable/${b}?pad=1500`)).toBe('miss')
  })

  it('answers a hit without a pool slot, and reports the cache in events and metrics', async () => {
    const pool = createPool({ concurrency: 1 })
    const events: VolleyEvent[] = []
    const metrics = createMetrics()
    const { api, status } = setup({}, { pool, metrics, onEvent: (e) => events.push(e) })
    const id = uniqueKey('slot')
    await status(`/cacheable/${id}`)
    // The slow call holds the only slot (held at the server) until the hit has been answered.
    const held = holdAtServer(server)
    const slow = api.get(held.path)
    await expect.poll(() => pool.stats.active, handshake).toBe(1)
    expect(await status(`/cacheable/${id}`)).toBe('hit')
    await held.release()
    await slow
    const hit = events.filter((e) => e.type === 'cache').map((e) => (e as { status: string }).status)
    // The slow call is a GET the cache saw too: a miss, reported when its answer came.
    expect(hit.sort()).toEqual(['hit', 'miss', 'miss'])
    expect(metrics.snapshot().cache).toEqual({ hit: 1, stale: 0, revalidated: 0, miss: 2, hitRatio: 1 / 3 })
  })

  it('treats a store that throws as a miss: the call goes to the origin and succeeds', async () => {
    const broken = { get: () => { throw new Error('down') }, set: () => Promise.reject(new Error('down')), delete: () => { throw new Error('down') } }
    const { api, status } = setup({ store: broken })
    const id = uniqueKey('broken')
    expect(await status(`/cacheable/${id}`)).toBe('miss')
    expect(await status(`/cacheable/${id}`)).toBe('miss')
    await api.delete(`/cacheable/${id}`)
  })

  it('rejects bad options with a TypeError that says what was expected', () => {
    expect(() => cache({ maxEntryBytes: -1 })).toThrow(/maxEntryBytes.*>= 0/)
    expect(() => cache({ store: {} as never })).toThrow(/get, set and delete/)
    expect(() => cache({ nope: 1 } as never)).toThrow(TypeError)
    expect(() => createMemoryCacheStore({ maxBytes: 0 })).toThrow(/positive/)
  })
})
