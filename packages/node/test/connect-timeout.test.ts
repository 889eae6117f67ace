import { Agent } from 'undici'
import { describe, expect, it } from 'vitest'
import { createClient, createNodeTransport, isTimeoutError, type TimeoutError } from '@volley/node'
import { failure } from '../../core/test/helpers/failure.js'
import { UNREACHED, stalledConnector } from './helpers/stalled-connector.js'

describe('connect timeout', () => {
  it("fails a connect that never completes with TimeoutError phase 'connect'", async () => {
    const transport = createNodeTransport({ connect: stalledConnector(), connectTimeout: 100 })
    const client = createClient({ transport, retry: false })
    const error = await failure<TimeoutError>(client.get(UNREACHED))
    expect(isTimeoutError(error)).toBe(true)
    expect(error.phase).toBe('connect')
    expect(error.limit).toBe(100)
    expect(error.request?.url).toBe(UNREACHED)
    await transport.close()
  })

  it('retries a connect timeout as core policy says', async () => {
    const connect = stalledConnector()
    const transport = createNodeTransport({ connect, connectTimeout: 50 })
    const client = createClient({ transport, retry: { limit: 2, delay: 1 } })
    const error = await failure<TimeoutError>(client.get(UNREACHED))
    expect(error.phase).toBe('connect')
    expect(error.attempts).toBe(3)
    expect(connect.calls).toBe(3)
    await transport.close()
  })

  it("applies a call's shorter timeout.connect on top of the transport's", async () => {
    const transport = createNodeTransport({ connect: stalledConnector(), connectTimeout: 10_000 })
    const client = createClient({ transport, retry: false })
    const error = await failure<TimeoutError>(client.get(UNREACHED, { timeout: { connect: 80 } }))
    expect(error.phase).toBe('connect')
    expect(error.limit).toBe(80)
    // The socket attempt itself is still pending in undici: tear it down rather than wait 10 s.
    await transport.dispatcher.destroy()
  })

  it("enforces the call's connect deadline on a dispatcher of the caller's", async () => {
    const dispatcher = new Agent({ connect: stalledConnector() })
    const transport = createNodeTransport({ dispatcher })
    const client = createClient({ transport, retry: false, timeout: { connect: 60 } })
    const error = await failure<TimeoutError>(client.get(UNREACHED))
    expect(error.phase).toBe('connect')
    expect(error.limit).toBe(60)
    await transport.close()
    expect(dispatcher.closed).toBe(false)
    await dispatcher.destroy()
  })

  it('takes the 10 s default from the Node client', () => {
    expect(createClient().defaults.timeout.connect).toBe(10_000)
    expect(createClient({ timeout: 5_000 }).defaults.timeout).toMatchObject({ total: 5_000, connect: 10_000 })
    expect(createClient({ timeout: false }).defaults.timeout.connect).toBeUndefined()
  })
})
