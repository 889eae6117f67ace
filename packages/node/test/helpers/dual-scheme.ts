import { createChaosHandler } from '@volley/chaos-server'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'

/** A chaos server answering http and https on one port: two origins that differ only by scheme. */
export interface DualSchemeServer {
  readonly httpUrl: string
  readonly httpsUrl: string
  close(): Promise<void>
}

/**
 * Starts a chaos handler behind one TCP port that looks at each connection's first byte: a TLS
 * handshake record (0x16, RFC 8446 §5.1) goes to the https server, anything else to the http one.
 * For scheme-downgrade tests (`https://127.0.0.1:p` → `http://127.0.0.1:p`).
 */
export async function startDualSchemeServer(tls: { key: string; cert: string }): Promise<DualSchemeServer> {
  const { handle } = createChaosHandler()
  const http = createHttpServer(handle)
  const https = createHttpsServer(tls, handle)
  const sockets = new Set<Socket>()
  const net = createNetServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null
      if (!first) return void socket.destroy()
      socket.unshift(first)
      ;(first[0] === 0x16 ? https : http).emit('connection', socket)
    })
  })
  await new Promise<void>((resolve) => net.listen(0, '127.0.0.1', resolve))
  const { port } = net.address() as AddressInfo
  return {
    httpUrl: `http://127.0.0.1:${port}`,
    httpsUrl: `https://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => net.close(() => resolve()))
    },
  }
}
