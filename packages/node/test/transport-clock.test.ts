import { buildConnector } from 'undici'
import { describe, expect, it, vi } from 'vitest'
import { createClient, createManualClock, createNodeTransport, type TimeoutError } from '@volley/node'
import { failure } from '../../core/test/helpers/failure.js'
import { handshake } from '../../core/test/helpers/handshake.js'
import { useChaosServer } from './helpers/servers.js'
import { UNREACHED, stalledConnector } from './helpers/stalled-connector.js'

/*
 * The transport's own timers and time readings run on its clock (docs/DESIGN.md#conventions), so
 * a manual clock decides them exactly. The deadlines here are a minute long: were a timer on the
 * real clock, the call would still be pending at the test's 20 s timeout and the test would fail.
 */

const server = useChaosServer()

describe('the Node transport on its clock', () => {
  it("times a custom connect out when the transport's clock reaches connectTimeout, and not before", async () => {
    const clock = createManualClock()
    const connect = stalledConnector()
    const transport = createNodeTransport({ connect, connectTimeout: 60_000, clock })
    // timeout: false leaves the connector's deadline the only timer of the call.
    const client = createClient({ transport, clock, retry: false, timeout: false })
    const failed = failure<TimeoutError>(client.get(UNREACHED))
    await vi.waitFor(() => expect(connect.calls).toBe(1), handshake)
    await clock.advance(59_999)
    expect(clock.pending).toBe(1)
    await clock.advance(1)
    expect(await failed).toMatchObject({ name: 'TimeoutError', phase: 'connect', limit: 60_000 })
    expect(clock.pending).toBe(0)
    await transport.close()
  })

  it("times a call's shorter timeout.connect out on the transport's clock", async () => {
    const clock = createManualClock()
    const connect = stalledConnector()
    const transport = createNodeTransport({ connect, connectTimeout: false, clock })
    const client = createClient({ transport, clock, retry: false, timeout: { total: false, connect: 60_000 } })
    const failed = failure<TimeoutError>(client.get(UNREACHED))
    await vi.waitFor(() => expect(connect.calls).toBe(1), handshake)
    await clock.advance(60_000)
    expect(await failed).toMatchObject({ name: 'TimeoutError', phase: 'connect', limit: 60_000 })
    expect(clock.pending).toBe(0)
    // The socket attempt itself never ends: tear it down.
    await transport.dispatcher.destroy()
  })

  it("reads connection phases on the transport's clock: the 25 ms it moves while the socket opens are connectMs", async () => {
    const clock = createManualClock()
    const real = buildConnector({})
    let open: (() => void) | undefined
    const gated: buildConnector.connector = (options, callback) => void (open = () => real(options, callback))
    const client = createClient({ transport: createNodeTransport({ connect: gated, clock }), clock, retry: false })
    try {
      const call = client.raw.get(`${server().url}/json`)
      await vi.waitFor(() => expect(open).toBeDefined(), handshake)
      await clock.advance(25)
      open!()
      const [first] = (await call).meta.timings
      expect(first).toMatchObject({ connectMs: 25, tlsMs: undefined, reusedSocket: false })
    } finally {
      await client.close()
    }
  })

  it("gets the Node client's clock for the transport the client builds", async () => {
    // The manual clock stands still while a real socket opens: 0 ms on it, however long it took.
    const client = createClient({ clock: createManualClock(), retry: false })
    try {
      const [first] = (await client.raw.get(`${server().url}/json`)).meta.timings
      expect(first).toMatchObject({ connectMs: 0, reusedSocket: false })
    } finally {
      await client.close()
    }
  })

  it('rejects a clock that is not one with a TypeError naming what is missing', () => {
    expect(() => createNodeTransport({ clock: 5 as never })).toThrow(new TypeError('volley: `clock` must be a Clock ({ now, setTimeout, clearTimeout }), got 5'))
    expect(() => createNodeTransport({ clock: null as never })).toThrow(new TypeError('volley: `clock` must be a Clock ({ now, setTimeout, clearTimeout }), got null'))
    const { now, setTimeout } = createManualClock()
    expect(() => createNodeTransport({ clock: { now, setTimeout } as never })).toThrow(new TypeError('volley: `clock.clearTimeout` must be a function, got undefined'))
    expect(() => createClient({ clock: { now } as never })).toThrow(new TypeError('volley: `clock.setTimeout` must be a function, got undefined'))
  })
})
