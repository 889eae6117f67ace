import { ClientError, GraphQLClient, gql } from 'graphql-request'
import { describe, expect, it, vi } from 'vitest'
import { createClient, createPool, type VolleyEvent } from '@volley/node'
import { uniqueKey, useChaosServer } from '../../../core/test/helpers/chaos.js'
import { handshake } from '../../../core/test/helpers/handshake.js'

const server = useChaosServer()

const HELLO = gql`
  query Hello($name: String) {
    hello
  }
`

interface Hello {
  hello: string
  attempt: number
  variables: Record<string, unknown>
}

/** graphql-request against the chaos server's /graphql, sending through `client.fetch`. */
function setup(query = '') {
  const events: VolleyEvent[] = []
  // POST is not retried by default; these GraphQL queries are safe to repeat, so the client says so.
  const retry = { limit: 2, delay: 1, jitter: 'none', methods: ['POST'] } as const
  const volley = createClient({ retry, pool: createPool({ concurrency: 2 }), onEvent: (event) => events.push(event) })
  const client = new GraphQLClient(`${server().url}/graphql${query}`, { fetch: volley.fetch })
  return { client, events }
}

describe('graphql-request with fetch: client.fetch', () => {
  it("gets volley's retries: two 503s with Retry-After, then the data", async () => {
    const { client, events } = setup(`?key=${uniqueKey()}&fail=2&status=503&retryAfter=0`)
    const data = await client.request<Hello>(HELLO, { name: 'Ada' })
    expect(data).toEqual({ hello: 'world', attempt: 3, variables: { name: 'Ada' } })
    expect(server().stats.count('graphql')).toBe(3)
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { fromServer: boolean }).fromServer)).toEqual([true, true])
  })

  it("keeps within volley's pool at the server", async () => {
    const key = uniqueKey('pool')
    const { client } = setup(`?key=${key}&ms=20`)
    await Promise.all(Array.from({ length: 6 }, () => client.request<Hello>(HELLO)))
    expect(server().stats.count('graphql')).toBe(6)
    expect(server().stats.concurrency(key).max).toBe(2)
  })

  it('aborts with its signal, at the server too', async () => {
    const key = uniqueKey('abort')
    const { client } = setup(`?key=${key}&ms=60000`)
    const controller = new AbortController()
    const pending = client.request({ document: HELLO, signal: controller.signal })
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(1), handshake)
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    await vi.waitFor(() => expect(server().stats.concurrency(key).current).toBe(0), handshake)
    expect(server().stats.count('graphql')).toBe(1)
  })

  it('keeps its own error handling: GraphQL errors and error statuses as a ClientError', async () => {
    const { client } = setup()
    const graphqlError = (await client.request(HELLO, { error: 'no hello for you' }).catch((e: unknown) => e)) as ClientError
    expect(graphqlError).toBeInstanceOf(ClientError)
    expect(graphqlError.response.status).toBe(200)
    expect(graphqlError.response.errors).toEqual([{ message: 'no hello for you', path: ['hello'] }])
    const key = uniqueKey('down')
    const { client: down } = setup(`?key=${key}&fail=9&status=502`)
    const httpError = (await down.request(HELLO).catch((e: unknown) => e)) as ClientError
    expect(httpError).toBeInstanceOf(ClientError)
    expect(httpError.response.status).toBe(502)
    expect(httpError.response.errors).toEqual([{ message: 'Bad Gateway' }])
    expect(server().stats.count('graphql')).toBe(4)
  })
})
