/**
 * One factory per client: each GETs a URL and resolves with the parsed JSON body, keep-alive on
 * (Node's and undici's defaults, explicit keep-alive agents for axios and got). Libraries are
 * imported lazily so a worker process loads only the client it measures.
 */
import type { HttpClientName } from '../lib/clients.js'
import { volleyPolicies, type VolleyFactories } from '../lib/clients.js'

export interface HttpClient {
  get(url: string): Promise<unknown>
  close(): Promise<void>
  /** The configuration, as printed in RESULTS.md. */
  readonly config: string
  /** Calls counted by the client's own metrics, when it has any (proves they recorded every call). */
  recordedCalls?(): number
}

interface VolleyLike {
  get(url: string): Promise<unknown>
  close?: () => Promise<void>
  metrics?: { snapshot(): { calls: number } }
}

const noClose = async (): Promise<void> => {}

export async function createHttpClient(name: HttpClientName, poolSize: number): Promise<HttpClient> {
  switch (name) {
    case 'fetch':
      return {
        get: async (url) => (await fetch(url)).json(),
        close: noClose,
        config: `global fetch (Node's bundled undici ${process.versions.undici}), default keep-alive`,
      }
    case 'undici': {
      const { request } = await import('undici')
      return {
        get: async (url) => (await request(url)).body.json(),
        close: noClose,
        config: 'undici.request on the default global Agent (keep-alive, no connection cap)',
      }
    }
    case 'ofetch': {
      const { ofetch } = await import('ofetch')
      return { get: (url) => ofetch(url), close: noClose, config: 'defaults (global fetch; retry 1 for GET; no timeout)' }
    }
    case 'ky': {
      const { default: ky } = await import('ky')
      return { get: (url) => ky.get(url).json(), close: noClose, config: 'defaults (global fetch; retry 2; timeout 10 s)' }
    }
    case 'axios': {
      const [{ default: axios }, http] = await Promise.all([import('axios'), import('node:http')])
      const instance = axios.create({ httpAgent: new http.Agent({ keepAlive: true }) })
      return {
        get: async (url) => (await instance.get(url)).data,
        close: noClose,
        config: 'node http adapter, `new http.Agent({ keepAlive: true })`, no retry (axios has none)',
      }
    }
    case 'got': {
      const [{ default: got }, http] = await Promise.all([import('got'), import('node:http')])
      const instance = got.extend({ agent: { http: new http.Agent({ keepAlive: true }) } })
      return { get: (url) => instance(url).json(), close: noClose, config: '`agent.http: new http.Agent({ keepAlive: true })`; defaults otherwise (retry 2)' }
    }
    case 'volley-core':
    case 'volley-node': {
      const entry = name === 'volley-core' ? '@volley/core' : '@volley/node'
      let api: VolleyFactories & { createClient: (options: object) => VolleyLike }
      try {
        api = (await import(entry)) as unknown as typeof api
      } catch (error) {
        throw new Error(`${entry} not built or not loadable: ${error instanceof Error ? error.message : String(error)}`)
      }
      const client = api.createClient(volleyPolicies(api, poolSize))
      const metrics = client.metrics ? 'metrics on (`metrics: createMetrics()`)' : 'no metrics in this build'
      return {
        get: (url) => client.get(url),
        close: async () => {
          await client.close?.()
        },
        ...(client.metrics && { recordedCalls: () => client.metrics?.snapshot().calls ?? Number.NaN }),
        config: `\`createClient({ timeout: { total: 30_000, attempt: 10_000, idle: 5_000 }, pool: createPool({ concurrency: ${poolSize} }), metrics: createMetrics() })\`, retry default (2); ${metrics}`,
      }
    }
  }
}
