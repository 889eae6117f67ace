import { createClient as createCoreClient, type Client, type VolleyOptions } from '@volley/core'
import { createBrowserTransport } from './transport.js'

/** One default transport shared by every browser client (it holds no state between requests). */
const defaultTransport = /* @__PURE__ */ createBrowserTransport()

/**
 * Creates a client, like core's `createClient`, whose default transport is
 * {@link createBrowserTransport}: fetch, or XHR for calls with `onUploadProgress` or a
 * `ReadableStream` body. Pass `transport` to choose yourself.
 *
 * @default `transport`: createBrowserTransport()
 * @example
 * import { createClient, createXhrTransport } from '@volley/browser'
 *
 * const api = createClient({ baseURL: '/api', timeout: { total: 10_000, idle: 5_000 } })
 * await api.post('/avatar', { body: file, onUploadProgress: (p) => console.log(p.percent) }) // via XHR
 * const data = await api.get('/me') // via fetch
 *
 * const xhrOnly = createClient({ transport: createXhrTransport() })
 */
export function createClient(options: VolleyOptions = {}): Client {
  return createCoreClient({ ...options, transport: options.transport ?? defaultTransport })
}

/**
 * A ready-made browser client with volley's defaults and the browser transport.
 *
 * @example
 * import { volley } from '@volley/browser'
 * const todo = await volley.get<Todo>('https://api.example.com/todos/1')
 */
export const volley: Client = /* @__PURE__ */ createClient()
