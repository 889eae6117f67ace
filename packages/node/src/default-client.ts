import type { Client } from '@volley/core'
import { createClient } from './create-client.js'

/**
 * A ready-made client with Node's defaults (its own undici transport, `timeout.connect` 10 s).
 *
 * @example
 * import { volley } from '@volley/node'
 * const todo = await volley.get<Todo>('https://api.example.com/todos/1')
 */
export const volley: Client = /* @__PURE__ */ createClient()
