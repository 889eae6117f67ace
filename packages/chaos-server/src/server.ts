import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { createChaosHandler, type ChaosHandlerOptions } from './handler.js'
import type { ChaosStats, RecordOptions } from './stats.js'

/** Options of {@link startChaosServer}. */
export interface ChaosServerOptions extends RecordOptions, Pick<ChaosHandlerOptions, 'now'> {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number
  /** Interface to bind. @default '127.0.0.1' */
  host?: string
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer }
}

/** A running chaos server. */
export interface ChaosServer {
  /** Base URL without a trailing slash, e.g. `'http://127.0.0.1:43121'`. */
  readonly url: string
  readonly port: number
  /** Same as `url` (it has no path): the origin pages compare against. */
  readonly origin: string
  /**
   * The same server under the other loopback name (`localhost` for
   * `127.0.0.1` and back): a different origin, for CORS and cross-origin
   * redirect tests.
   */
  readonly altUrl: string
  readonly stats: ChaosStats
  /** TCP connections accepted since the server started: how many sockets clients opened (connection reuse tests). */
  readonly connections: number
  /** Forgets hits, flaky/retry counters, rate-limit buckets and concurrency records. */
  reset(): void
  /** Stops listening and destroys every open connection, stalled ones included. */
  close(): Promise<void>
}

function urlHost(host: string): string {
  // Wildcard binds are reachable on loopback; IPv6 literals need brackets in URLs.
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

function alternateHost(host: string): string {
  return host === 'localhost' ? '127.0.0.1' : 'localhost'
}

/**
 * Starts the chaos server. Tests use port 0 and close it in `afterAll`.
 *
 * @example
 * let server: ChaosServer
 * beforeAll(async () => { server = await startChaosServer() })
 * afterAll(() => server.close())
 *
 * it('retries a 503', async () => {
 *   const res = await fetch(`${server.url}/flaky?key=retry-503&fail=1`)
 *   expect(res.status).toBe(503)
 * })
 */
export async function startChaosServer(options: ChaosServerOptions = {}): Promise<ChaosServer> {
  const { port = 0, host = '127.0.0.1', tls } = options
  const handler = createChaosHandler(options)
  const server: Server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler.handle)
    : createHttpServer(handler.handle)

  // Tracked so close() can end stalled responses and idle keep-alive
  // connections at once instead of waiting for clients to let go.
  const sockets = new Set<Socket>()
  let connections = 0
  server.on('connection', (socket: Socket) => {
    connections++
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  // A client vanishing mid-request is routine here, not a server error.
  server.on('clientError', (_error, socket: Socket) => socket.destroy())
  // Node closes an idle keep-alive connection after 5 s; a client that sends on it at that moment
  // gets ECONNRESET, and a POST with a stream body cannot be resent. On a loaded machine a test
  // can sit idle that long between two calls, so idle connections stay open for a minute here
  // (close() still ends them at once).
  server.keepAliveTimeout = 60_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })

  const actualPort = (server.address() as AddressInfo).port
  const scheme = tls ? 'https' : 'http'
  const url = `${scheme}://${urlHost(host)}:${actualPort}`
  let closing: Promise<void> | undefined

  return {
    url,
    port: actualPort,
    origin: url,
    altUrl: `${scheme}://${alternateHost(host)}:${actualPort}`,
    stats: handler.stats,
    get connections() {
      return connections
    },
    reset: handler.reset,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Destroying sockets emits 'close' on their responses, which clears every route timer.
        for (const socket of sockets) socket.destroy()
        server.closeAllConnections()
      })
      return closing
    },
  }
}
