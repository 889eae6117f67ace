import { startChaosServer, type ChaosServer } from '@volley/chaos-server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient, createNodeTransport, type Client } from '@volley/node'

/**
 * Why back-to-back calls in Node use two connections (packages/node/README.md, "Connection
 * timings"): undici hands a socket back to its pool a full event-loop turn after a response ends
 * (it waits in case the server closes the connection after all). A call sent in the turn the
 * previous one settled finds that socket still busy, so the pool opens a second one; from then on
 * the two alternate, so reuse starts at the third call. Node's own fetch (undici too) does the
 * same; volley keeps undici's wait rather than reuse a socket the server may be closing.
 */
let server: ChaosServer
beforeEach(async () => {
  server = await startChaosServer()
})
afterEach(() => server.close())

async function reuseOfFiveCalls(client: Client, between?: () => Promise<void>): Promise<Array<boolean | undefined>> {
  const reused: Array<boolean | undefined> = []
  for (let i = 0; i < 5; i++) {
    const { meta } = await client.raw.get(`${server.url}/json`)
    reused.push(meta.timings[0]!.reusedSocket)
    await between?.()
  }
  return reused
}

const oneTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('connection reuse of sequential calls', () => {
  it('opens a second connection for a call sent in the turn the first ended, then alternates the two', async () => {
    const client = createClient({ retry: false })
    try {
      expect(await reuseOfFiveCalls(client)).toEqual([false, false, true, true, true])
      expect(server.connections).toBe(2)
    } finally {
      await client.close()
    }
  })

  it("is undici's behaviour: Node's global fetch opens the same second connection", async () => {
    for (let i = 0; i < 5; i++) await (await fetch(`${server.url}/json`)).arrayBuffer()
    expect(server.connections).toBe(2)
  })

  it('keeps one connection when a turn passes between calls', async () => {
    const client = createClient({ retry: false })
    try {
      expect(await reuseOfFiveCalls(client, oneTurn)).toEqual([false, true, true, true, true])
      expect(server.connections).toBe(1)
    } finally {
      await client.close()
    }
  })

  it('keeps one connection with connections: 1, where the next call waits for the socket instead', async () => {
    const client = createClient({ retry: false, transport: createNodeTransport({ connections: 1 }) })
    try {
      expect(await reuseOfFiveCalls(client)).toEqual([false, true, true, true, true])
      expect(server.connections).toBe(1)
    } finally {
      await client.close()
    }
  })
})
