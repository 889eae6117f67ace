import { BROWSER_NETWORK_FAILURES, clientFactory, type Client, type VolleyOptions } from '@volley/core'

const browserClient = /* @__PURE__ */ clientFactory({ networkFailures: BROWSER_NETWORK_FAILURES })

/**
 * Creates a client for browsers: core's `createClient`, classifying failures with what browser
 * engines throw (`BROWSER_NETWORK_FAILURES`, measured in Chromium, Firefox and WebKit) instead of
 * every platform's table, so the bundle carries no Node or undici socket codes
 * (docs/DESIGN.md#classification-per-platform). Everything else is core's.
 *
 * @example
 * import { createClient } from '@volley/browser'
 * const api = createClient({ baseURL: 'https://api.example.com', timeout: 10_000 })
 * const user = await api.get<User>('/users/1')
 */
export function createClient(options: VolleyOptions = {}): Client {
  return browserClient(options)
}

/**
 * A ready-made client with the browser defaults.
 *
 * @example
 * import { volley } from '@volley/browser'
 * const todo = await volley.get<Todo>('https://api.example.com/todos/1')
 */
export const volley: Client = /* @__PURE__ */ createClient()
