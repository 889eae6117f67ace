import { createClient as createCoreClient, type Client, type VolleyOptions } from '@volley/core'
import { withDiagnostics } from './diagnostics.js'
import { createNodeTransport } from './transport.js'

/**
 * The connect deadline Node clients start from, in ms (docs/DESIGN.md#timeouts: Node clients add `connect`).
 *
 * @example
 * createClient({ timeout: { connect: DEFAULT_CONNECT_TIMEOUT / 5 } }) // 2 s for a LAN service
 */
export const DEFAULT_CONNECT_TIMEOUT = 10_000

/** `timeout` with `connect` defaulted for Node; `false` still turns every phase off. */
function withConnectDefault(timeout: VolleyOptions['timeout']): VolleyOptions['timeout'] {
  if (timeout === undefined) return { connect: DEFAULT_CONNECT_TIMEOUT }
  if (typeof timeout === 'number') return { total: timeout, connect: DEFAULT_CONNECT_TIMEOUT }
  if (typeof timeout === 'object' && timeout !== null && timeout.connect === undefined) return { ...timeout, connect: DEFAULT_CONNECT_TIMEOUT }
  return timeout
}

/**
 * Creates a client on Node's fast transport: core's `createClient` with an undici transport of its
 * own (keep-alive pool, proxy from the environment, transparent decompression) and
 * `timeout.connect` defaulting to 10 s. Everything else is core's (docs/DESIGN.md#architecture).
 *
 * The transport is created per client, on the client's `clock`, and closed by `client.close()`;
 * clients made with `extend()` share it. Pass `transport: createNodeTransport({ ... })` for proxy,
 * TLS or socket settings, or any fetch-compatible function to replace it.
 *
 * Every call's lifecycle events are published on `node:diagnostics_channel` (see `channels`),
 * at no cost while nobody subscribes; `onEvent` still receives them too.
 *
 * @example
 * import { createClient } from '@volley/node'
 * const api = createClient({ baseURL: 'https://api.example.com', timeout: { total: 10_000, connect: 2_000 }, concurrency: 16 })
 * const user = await api.get<User>('/users/1')
 */
export function createClient(options: VolleyOptions = {}): Client {
  const timeout = withConnectDefault(options.timeout)
  const connect = typeof timeout === 'object' && timeout !== null ? timeout.connect : undefined
  // Bun replaces `undici` with a partial shim that lacks the dispatcher API this transport is
  // built on; there the runtime's own fetch is used (the `volley` umbrella sends Bun to core anyway).
  // The transport's timers and connection timings run on the client's clock, as every other timer of its calls.
  const transport =
    options.transport ??
    (isBun()
      ? undefined
      : createNodeTransport({
          connectTimeout: typeof connect === 'number' && connect > 0 && connect !== Infinity ? connect : false,
          ...(options.clock !== undefined && { clock: options.clock }),
        }))
  // Anything but a function is left to core, which rejects it with a message that names it.
  const onEvent = options.onEvent === undefined || typeof options.onEvent === 'function' ? withDiagnostics(options.onEvent) : options.onEvent
  return createCoreClient({ ...options, timeout, ...(transport && { transport }), onEvent })
}

function isBun(): boolean {
  return typeof (process.versions as { bun?: string }).bun === 'string'
}
