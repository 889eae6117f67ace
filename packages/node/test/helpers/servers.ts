import { startChaosServer, type ChaosServer } from '@volley/chaos-server'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterAll, beforeAll } from 'vitest'

/** One chaos server on 127.0.0.1 (port 0) for the current test file; read `server()` inside tests. */
export function useChaosServer(options: Parameters<typeof startChaosServer>[0] = {}): () => ChaosServer {
  let server: ChaosServer | undefined
  beforeAll(async () => {
    server = await startChaosServer({ port: 0, ...options })
  })
  afterAll(async () => {
    await server?.close()
  })
  return () => {
    if (!server) throw new Error('chaos server not started')
    return server
  }
}

/** A fresh key per test, so per-key server state never leaks between tests. */
export function uniqueKey(prefix = 'k'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`
}

/** A loopback port with nothing listening: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
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
