import type { Clock } from '@volley/core'
import { Agent, EnvHttpProxyAgent, ProxyAgent, buildConnector, errors, type Dispatcher } from 'undici'
import type { ConnectionTimer } from './connection-timer.js'
import type { ResolvedTransportOptions } from './transport-options.js'

const PROXY_ENV = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const

/** True when any proxy variable is set (read when the dispatcher is built, i.e. at the first request). */
export function proxyFromEnvironment(): boolean {
  return PROXY_ENV.some((name) => Boolean(process.env[name]))
}

/**
 * Applies `timeout` to a custom connector, on the transport's clock: undici's own connector
 * enforces its `timeout`, but a function passed as `connect` knows nothing about it. Fails with
 * undici's own `ConnectTimeoutError`, so every connect timeout looks the same to the transport.
 */
function withConnectTimeout(connect: buildConnector.connector, timeout: number | undefined, clock: Clock): buildConnector.connector {
  if (timeout === undefined) return connect
  return (options, callback) => {
    let settled = false
    const timer = clock.setTimeout(() => {
      settled = true
      callback(new errors.ConnectTimeoutError(`Connect Timeout Error (attempted address: ${options.hostname}:${options.port}, timeout: ${timeout}ms)`), null)
    }, timeout)
    // Returned as is: a connector may return its socket, which ConnectionTimer listens on.
    return connect(options, (error, socket) => {
      if (settled) {
        // Too late: the request already failed. Do not leak the socket that arrived after all.
        socket?.destroy()
        return
      }
      settled = true
      clock.clearTimeout(timer)
      if (error) callback(error, null)
      else callback(null, socket!)
    })
  }
}

/**
 * Builds the undici dispatcher a transport owns: an `Agent`, or a `ProxyAgent` for an explicit
 * proxy, or an `EnvHttpProxyAgent` when proxy variables are set. Timeouts that volley owns
 * (headers, body) are switched off in undici (0), so that one clock decides them; the connect
 * timeout is undici's, because only the connector sees the socket being opened.
 *
 * Without a proxy, `timer` times the connections (`meta.timings[i].connectMs`, `tlsMs`,
 * `reusedSocket`). Through a proxy the sockets are opened by undici's tunnelling code, out of its
 * sight, so the timer stays detached and nothing is reported rather than something wrong.
 */
export function buildDispatcher(options: ResolvedTransportOptions, timer?: ConnectionTimer): Dispatcher {
  const { tls, connectTimeout, clock } = options
  const tlsOptions = { ...tls, timeout: connectTimeout ?? 0 }
  const base = {
    ...(options.connections !== undefined && { connections: options.connections }),
    keepAliveTimeout: options.keepAliveTimeout,
    pipelining: options.pipelining,
    allowH2: options.allowH2,
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: options.connect ? withConnectTimeout(options.connect, connectTimeout, clock) : tlsOptions,
  }
  if (options.proxy) {
    return new ProxyAgent({ ...base, uri: options.proxy, requestTls: tlsOptions, proxyTls: { timeout: connectTimeout ?? 0 } })
  }
  if (options.proxy === undefined && proxyFromEnvironment()) {
    return new EnvHttpProxyAgent({ ...base, requestTls: tlsOptions, proxyTls: { timeout: connectTimeout ?? 0 } })
  }
  if (!timer) return new Agent(base)
  // The connector undici would build from `tlsOptions` (its Client passes `allowH2` for the ALPN
  // list), built once here so it can be timed. One connector for every origin also shares its TLS
  // session cache among them, keyed by server name as before.
  const connect = typeof base.connect === 'function' ? base.connect : buildConnector({ ...tlsOptions, allowH2: options.allowH2 })
  return new Agent({ ...base, connect: timer.wrap(connect) })
}
