import { expect, test } from './fixtures.js'

test.describe('streaming: SSE, NDJSON and lines', () => {
  test('SSE reconnects after a drop with Last-Event-ID and delivers each event once', async ({ vanilla, key }) => {
    const result = await vanilla.run('sseReconnect', { key, count: 6, dropAfter: 3, interval: 150 })
    expect(result.events.map((event) => event.id)).toEqual(['1', '2', '3', '4', '5', '6'])
    expect(result.events.map((event) => event.data.i)).toEqual([1, 2, 3, 4, 5, 6])
    expect(result.events.every((event) => event.event === 'message')).toBe(true)

    // One reconnection, after the server's `retry: 50`, resuming after event 3: the server broke
    // the connection only once the page had read it (the scenario's gate handshake).
    expect(result.reconnects).toEqual([{ attempt: 1, lastEventId: '3', delay: 50, deliveredBefore: 3 }])
    // The server saw the second connection ask to resume there.
    expect(result.lastEventIds).toEqual([undefined, '3'])
  })

  test('leaving an SSE loop early cancels the body and frees the pool slot', async ({ vanilla, key }) => {
    const result = await vanilla.run('sseBreak', { key })
    expect(result).toEqual({ received: 3, poolActive: 0, followUp: { ok: true } })
  })

  test('NDJSON split across 7-byte chunks yields every value, in order', async ({ vanilla }) => {
    const count = 200
    const { rows } = await vanilla.run('ndjsonAll', { count })
    expect(rows).toEqual(Array.from({ length: count }, (_, i) => ({ i, text: `line ${i}` })))
  })

  test('leaving an NDJSON loop early cancels the body and frees the pool slot', async ({ vanilla }) => {
    const result = await vanilla.run('ndjsonBreak')
    expect(result.rows.map((row) => row.i)).toEqual([0, 1, 2, 3, 4])
    expect(result.poolActive).toBe(0)
    expect(result.followUp).toEqual({ ok: true })
  })

  test('lines() yields each line of a text body', async ({ vanilla }) => {
    const { lines } = await vanilla.run('linesAll', { count: 50 })
    expect(lines).toEqual(Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, text: `line ${i}` })))
  })
})
