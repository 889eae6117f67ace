import { expect, test } from './fixtures.js'

test.describe('cache()', () => {
  test('answers fresh pages from the store as every response type, revalidates with a 304, and serves stale while revalidating once', async ({ vanilla, chaos, key }) => {
    const report = await vanilla.run('cacheScenario', { key })
    expect(report.statuses).toEqual(['miss', 'hit', 'hit', 'hit', 'hit', 'hit', 'miss', 'revalidated', 'miss', 'stale', 'hit'])
    expect(report.sameBodies).toBe(true)
    const hits = await chaos.hits('cacheable', key)
    const byPage = (page: string) => hits.filter((hit) => hit.path.endsWith(`-${page}`) && hit.method === 'GET')
    // RFC 9111 §4.2: the fresh page reached the server once, for six calls.
    expect(byPage('fresh')).toHaveLength(1)
    // §4.3.1: the no-cache page's second call was a conditional request.
    expect(byPage('nocache').map((hit) => hit.headers['if-none-match'] ?? null)).toEqual([null, `"${key}-nocache-v1"`])
    // RFC 5861 §3: one background revalidation for the stale page.
    expect(byPage('swr')).toHaveLength(2)
    expect(report.etag).toBe(`"${key}-fresh-v1"`)
  })
})
