import type { ChaosServer } from '@volley/chaos-server'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { useChaosServer as useSharedChaosServer, type UseChaosServerOptions } from '../../../core/test/helpers/chaos.js'

export { closedPort, uniqueKey } from '../../../core/test/helpers/chaos.js'

/** One chaos server for the file; the node suites keep state across tests (no per-test reset). */
export function useChaosServer(options: UseChaosServerOptions['server'] = {}): () => ChaosServer {
  return useSharedChaosServer({ server: options, resetEachTest: false })
}

/** A plain node:http server that counts the TCP connections it accepted (for keep-alive checks). */
export interface CountingServer {
  readonly url: string
  readonly connections: number
  readonly openSockets: number
  close(): Promise<void>
}

/** Starts a {@link CountingServer} answering every request with a small JSON body. */
export async function startCountingServer(): Promise<CountingServer> {
  const sockets = new Set<Socket>()
  let connections = 0
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end('{"ok":true}')
  })
  server.on('connection', (socket: Socket) => {
    connections++
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections
    },
    get openSockets() {
      return sockets.size
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
