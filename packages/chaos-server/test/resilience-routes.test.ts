import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'
import { waitFor } from './helpers.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('ANY /tail', () => {
  it('makes exactly every n-th request of a key slow', async () => {
    const answers: { n: number; slow: boolean }[] = []
    for (let i = 0; i < 12; i++) answers.push((await (await fetch(`${server.url}/tail?key=t&every=4&slow=20`)).json()) as { n: number; slow: boolean })
    expect(answers.filter((a) => a.slow).map((a) => a.n)).toEqual([4, 8, 12])
  })

  it('holds a slow answer for `slow` ms and lets go of it when the client aborts', async () => {
    const controller = new AbortController()
    const call = fetch(`${server.url}/tail?key=abort&every=1&slow=60000`, { signal: controller.signal }).catch((e: unknown) => e)
    // Aborted once the server holds it (a handshake), so the next request is surely counted after it.
    await waitFor(() => server.stats.byRoute('tail').some((hit) => hit.query.key === 'abort'))
    controller.abort()
    expect(await call).toBeInstanceOf(Error)
    // The next request of the key is counted after the aborted one: the server is free again.
    const next = await fetch(`${server.url}/tail?key=abort&every=2&slow=0`)
    expect(((await next.json()) as { n: number }).n).toBe(2)
  })

  it('rejects a malformed parameter with 400', async () => {
    expect((await fetch(`${server.url}/tail?every=0`)).status).toBe(400)
  })
})

describe('ANY /flap', () => {
  it('goes round `up` healthy answers then `down` failures, per key', async () => {
    const statuses: number[] = []
    const phases: (string | null)[] = []
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${server.url}/flap?key=f&up=2&down=3&status=502`)
      statuses.push(res.status)
      phases.push(res.headers.get('x-flap'))
      await res.arrayBuffer()
    }
    expect(statuses).toEqual([200, 200, 502, 502, 502, 200, 200])
    expect(phases).toEqual(['up', 'up', 'down', 'down', 'down', 'up', 'up'])
    expect((await fetch(`${server.url}/flap?key=other&up=0&down=1`)).status).toBe(503)
  })

  it('with unit=ms, flaps in time from `since`: up, then down, then up again', async () => {
    const now = Date.now()
    const at = async (since: number) => (await fetch(`${server.url}/flap?key=t&unit=ms&up=60000&down=60000&since=${since}`)).status
    // Positions in the 2-minute cycle, far from its edges: nothing here depends on timing.
    expect(await at(now - 30_000)).toBe(200)
    expect(await at(now - 90_000)).toBe(503)
    expect(await at(now - 150_000)).toBe(200)
    expect(await at(now + 60_000)).toBe(200)
  })

  it("with unit=ms and no `since`, starts at the key's first request", async () => {
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${server.url}/flap?key=first&unit=ms&up=60000&down=1`)).status)
    expect(statuses).toEqual([200, 200, 200])
    const down = await fetch(`${server.url}/flap?key=first2&unit=ms&up=0&down=60000`)
    expect([down.status, down.headers.get('x-flap')]).toEqual([503, 'down'])
    expect((await fetch(`${server.url}/flap?unit=seconds`)).status).toBe(400)
  })
})
