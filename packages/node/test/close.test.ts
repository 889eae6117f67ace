import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient, createNodeTransport, isClientClosedError } from '@volley/node'
import { startCountingServer, useChaosServer, type CountingServer } from './helpers/servers.js'
import { handshake } from '../../core/test/helpers/handshake.js'
import { holdAtServer } from '../../core/test/helpers/chaos.js'

const chaos = useChaosServer()
let server: CountingServer
beforeAll(async () => {
  server = await startCountingServer()
})
afterAll(() => server?.close())

describe('closing', () => {
  it('client.close() closes the sockets of the transport the client created', async () => {
    const client = createClient()
    await Promise.all([client.get(server.url), client.get(server.url), client.get(server.url)])
    expect(server.openSockets).toBeGreaterThan(0)
    await client.close()
    expect(client.closed).toBe(true)
    await vi.waitFor(() => expect(server.openSockets).toBe(0), handshake)
    expect(isClientClosedError(await client.get(server.url).catch((e: unknown) => e))).toBe(true)
  })

  it('drains a call in flight before closing the transport', async () => {
    const client = createClient()
    // The server holds the call until the test lets it answer, which it does only once close() began.
    const held = holdAtServer(chaos)
    const inFlight = client.get<{ key: string }>(`${chaos().url}${held.path}`)
    await vi.waitFor(() => expect(chaos().stats.concurrency(held.key).current).toBe(1), handshake)
    const closing = client.close()
    await held.release()
    await closing
    expect(await inFlight).toMatchObject({ key: held.key })
  })

  it('transport.close() closes its agent, and later requests fail with ClientClosedError', async () => {
    const transport = createNodeTransport()
    expect((await transport(server.url)).status).toBe(200)
    await transport.close()
    await transport.close() // idempotent
    expect((transport.dispatcher as Agent).closed).toBe(true)
    expect(isClientClosedError(await transport(server.url).catch((e: unknown) => e))).toBe(true)
  })

  it('leaves a dispatcher of the caller open', async () => {
    const dispatcher = new Agent()
    const transport = createNodeTransport({ dispatcher })
    expect((await transport(server.url)).status).toBe(200)
    await transport[Symbol.asyncDispose]()
    expect(dispatcher.closed).toBe(false)
    await dispatcher.close()
  })

  it('opens nothing until the first request', async () => {
    const transport = createNodeTransport()
    await transport.close()
    expect(isClientClosedError(await transport(server.url).catch((e: unknown) => e))).toBe(true)
  })
})
