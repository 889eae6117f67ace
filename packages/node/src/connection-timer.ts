import { Socket } from 'node:net'
import type { Clock, PhaseTimings } from '@volley/core'
import type { buildConnector } from 'undici'

/** What every request sent on a kept-alive connection reports: one shared object, nothing allocated per request. */
export const REUSED_SOCKET: PhaseTimings = Object.freeze({ reusedSocket: true })

/**
 * Times the connections a dispatcher opens (DNS + TCP connect, then the TLS handshake) and tells
 * each request whether it opened one, for `meta.timings[i].connectMs / tlsMs / reusedSocket`.
 *
 * undici's handler API never shows a request its socket, but undici writes the requests waiting
 * for a new connection synchronously inside the connector's callback (client.js `connect()` →
 * `resume()` → `writeH1`/`writeH2` → the handler's `onConnect`). So the timer publishes the new
 * connection's timings in {@link current} for exactly the duration of that callback: a handler
 * whose `onConnect` runs then was sent on the connection just opened; any other was sent on a
 * kept-alive one. One object per new connection, none per request. (test/phase-timings.test.ts
 * pins this ordering, so an undici upgrade that changed it would fail there.)
 */
export class ConnectionTimer {
  /** The timings of the connection being handed to undici right now, else undefined. */
  current: PhaseTimings | undefined = undefined
  /** Whether a connector was wrapped: a timer that never saw a connection knows nothing about reuse either. */
  attached = false

  readonly #clock: Clock

  /** `clock` is the transport's: phases are read on the clock that times the rest of the attempt. */
  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** `connect`, timed. Sockets that fail to open report nothing (the request fails anyway). */
  wrap(connect: buildConnector.connector): buildConnector.connector {
    this.attached = true
    return (options, callback) => {
      const start = this.#clock.now()
      let tcpAt: number | undefined
      const returned: unknown = connect(options, (error, socket) => {
        if (error !== null) {
          callback(error, null)
          return
        }
        const end = this.#clock.now()
        // A plain socket's callback runs on 'connect' itself; a TLS socket's on 'secureConnect',
        // after the 'connect' seen below. A custom connector that returns nothing shows only the
        // whole opening, reported as connectMs.
        const secure = options.protocol === 'https:' && tcpAt !== undefined
        this.current = { connectMs: (secure ? tcpAt! : end) - start, tlsMs: secure ? end - tcpAt! : undefined, reusedSocket: false }
        try {
          callback(null, socket)
        } finally {
          this.current = undefined
        }
      })
      // undici's connector returns the socket while it is still connecting (the type says void).
      if (returned instanceof Socket && returned.connecting) returned.prependOnceListener('connect', () => (tcpAt = this.#clock.now()))
      return returned as void
    }
  }
}
