import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createChaosHandler } from '@volley/chaos-server'
import { afterAll, beforeAll } from 'vitest'

export { useChaosServer } from '../../../core/test/helpers/chaos.js'

/**
 * The chaos routes plus `GET /repeated-headers`, which sends one header field on several lines
 * (`X-Repeat: a` and `X-Repeat: b`) with mixed-case names: the chaos server has no route for it.
 * Returns the base URL; the server closes after the file.
 */
export function useRepeatedHeadersServer(): () => string {
  const chaos = createChaosHandler()
  const repeated = (res: ServerResponse): void => {
    res.setHeader('Access-Control-Allow-Origin', '*')
    res.setHeader('Access-Control-Expose-Headers', 'X-Repeat, X-Mixed-Case')
    res.setHeader('X-Repeat', ['a', 'b'])
    res.setHeader('X-Mixed-Case', 'Value Keeps Its Case')
    res.setHeader('Content-Type', 'text/plain')
    res.end('ok')
  }
  const server = createServer((req, res) => (req.url === '/repeated-headers' ? repeated(res) : chaos.handle(req, res)))
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return () => url
}
