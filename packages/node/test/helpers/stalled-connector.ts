import type { buildConnector } from 'undici'

/**
 * A connect that never completes, deterministically and offline: on loopback the kernel completes
 * the TCP handshake even for a server that never accepts, so a real socket cannot stall there.
 * Instead the connector (undici's `connect` hook, which opens every socket) never calls back, which
 * is exactly what a blackholed SYN looks like to the client. `calls` counts the sockets asked for.
 */
export function stalledConnector(): buildConnector.connector & { calls: number } {
  const connect = Object.assign((_options: buildConnector.Options, _callback: buildConnector.Callback) => {
    connect.calls++
  }, { calls: 0 })
  return connect
}

/** TEST-NET-1 (RFC 5737): never reached, a stalled connector decides everything. */
export const UNREACHED = 'http://192.0.2.1/'
