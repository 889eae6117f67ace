import { expect, test } from './fixtures.js'

test.describe('concurrency pool and rate limiter', () => {
  test('40 requests through concurrency: 4 never have more than 4 in flight at the server', async ({ vanilla, chaos, key }) => {
    const result = await vanilla.run('pool', { key, requests: 40, concurrency: 4, ms: 100 })
    expect(result.answered).toBe(40)
    expect(result.highestCurrentSeen).toBe(4)
    expect(result.poolAfter).toEqual({ active: 0, queued: 0, completed: 40, failed: 0 })
    // The server's own count: the cap was reached and never passed.
    expect(await chaos.concurrency(key)).toEqual({ current: 0, max: 4 })
    expect(await chaos.hits('concurrency', key)).toHaveLength(40)
  })

  test('the rate limiter holds its rate, by the server’s timestamps', async ({ vanilla, chaos, key }) => {
    // 4 starts per second with a burst of 1: 2 at once, then one every 250 ms (the last at 1.5 s).
    // A wide spacing, so that a late timer on a busy CI machine is small next to it.
    const limit = 4
    const interval = 1_000
    const burst = 1
    const requests = 8
    const spacing = interval / limit
    const result = await vanilla.run('rateLimit', { key, requests, limit, interval, burst })
    expect(result.answered).toBe(requests)

    const hits = await chaos.hits('json', key)
    expect(hits).toHaveLength(requests)
    // The limiter is FIFO, so request i took token i; from i = burst + 1 on, each waited for a
    // refill. Between the first of those and the last, (requests - 2 - burst) refills happened:
    // 1250 ms. Without the limiter it would be a few ms. The bound is one refill short, because a
    // token is taken before its request is sent, and a busy page may send the first one late.
    const arrival = new Map(hits.map((hit) => [Number(hit.query.i), hit.time]))
    const span = arrival.get(requests - 1)! - arrival.get(burst + 1)!
    test.info().annotations.push({ type: 'server-side span', description: `${span.toFixed(0)} ms (ideal ${(requests - 2 - burst) * spacing} ms)` })
    expect(span).toBeGreaterThanOrEqual((requests - 3 - burst) * spacing)

    // And no window shorter than `interval` saw more than limit + burst + 1 starts (the +1: a refill
    // at the edge), one spacing of slack again.
    const times = hits.map((hit) => hit.time).sort((a, b) => a - b)
    const most = limit + burst + 1
    for (let i = 0; i + most < times.length; i++) {
      expect(times[i + most]! - times[i]!, `hits ${i}..${i + most}`).toBeGreaterThanOrEqual(interval - spacing)
    }
  })
})
