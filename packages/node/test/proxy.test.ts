import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, createNodeTransport, type NodeTransport } from '@volley/node'
import { startTestProxy, type TestProxy } from './helpers/proxy.js'
import { useChaosServer } from './helpers/servers.js'

const server = useChaosServer()
let proxy: TestProxy
beforeAll(async () => {
  proxy = await startTestProxy()
})
afterAll(() => proxy?.close())

const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const

/** Runs `body` with exactly `variables` as the proxy environment, restoring the real one after. */
async function withProxyEnvironment(variables: Partial<Record<(typeof PROXY_VARIABLES)[number], string>>, body: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]))
  for (const name of PROXY_VARIABLES) delete process.env[name]
  Object.assign(process.env, variables)
  try {
    await body()
  } finally {
    for (const name of PROXY_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  }
}

async function getJson(transport: NodeTransport, url: string): Promise<unknown> {
  return createClient({ transport, retry: false }).get(`${url}/json`)
}

describe('proxy', () => {
  it('routes every request through an explicit proxy', async () => {
    const transport = createNodeTransport({ proxy: proxy.url })
    const before = proxy.seen.length
    expect(await getJson(transport, server().url)).toMatchObject({ hello: 'world' })
    expect(proxy.seen.slice(before)).toEqual([`CONNECT 127.0.0.1:${server().port}`])
    await transport.close()
  })

  it('honours HTTP_PROXY and NO_PROXY from the environment', async () => {
    await withProxyEnvironment({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost' }, async () => {
      const transport = createNodeTransport()
      const before = proxy.seen.length
      expect(await getJson(transport, server().url)).toMatchObject({ hello: 'world' })
      expect(proxy.seen.length).toBe(before + 1)
      // NO_PROXY names localhost: the same server under that name is reached directly.
      expect(await getJson(transport, server().altUrl)).toMatchObject({ hello: 'world' })
      expect(proxy.seen.length).toBe(before + 1)
      await transport.close()
    })
  })

  it('ignores the environment with proxy: false', async () => {
    await withProxyEnvironment({ HTTP_PROXY: proxy.url }, async () => {
      const transport = createNodeTransport({ proxy: false })
      const before = proxy.seen.length
      expect(await getJson(transport, server().url)).toMatchObject({ hello: 'world' })
      expect(proxy.seen.length).toBe(before)
      await transport.close()
    })
  })

  it('rejects a proxy that is not a URL', () => {
    expect(() => createNodeTransport({ proxy: 'not a url' })).toThrow(/`proxy` must be an absolute proxy URL or false, got "not a url"/)
  })
})
