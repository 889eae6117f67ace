import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, download, isNetworkError, isProtocolError, MAX_DOWNLOAD_RESTARTS } from '@volley/node'
import { failure } from '../../core/test/helpers/failure.js'

// A purpose-built server that answers ranges wrongly on purpose (the chaos server's /file answers
// them right). Each route records the Range header of every request it got.
const seen = new Map<string, (string | undefined)[]>()
const ROUTES: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  // A 206 for a range nobody asked for, whatever was asked.
  '/always-206'(_req, res) {
    res.writeHead(206, { 'content-range': 'bytes 5-9/100', 'content-length': '5', etag: '"v1"' }).end('fghij')
  },
  // A 206 (the whole file as a range) to a request without Range.
  '/206-without-range'(_req, res) {
    res.writeHead(206, { 'content-range': 'bytes 0-9/10', 'content-length': '10', etag: '"v1"' }).end('abcdefghij')
  },
  // 2,000 bytes announced, 1,000 sent, then silence; the resume says "to 1999 of
  // an unknown total" and ends cleanly after 10 bytes.
  '/truncated-resume'(req, res) {
    if (!req.headers.range) {
      res.writeHead(200, { 'content-length': '2000', etag: '"v1"' })
      stallAfter(res, Buffer.alloc(1000, 97))
      return
    }
    res.writeHead(206, { 'content-range': 'bytes 1000-1999/*', etag: '"v1"' }).end(Buffer.alloc(10, 98))
  },
  // The resume claims another total than the first answer announced, under the same validator.
  '/changed-total'(req, res) {
    if (!req.headers.range) {
      res.writeHead(200, { 'content-length': '2000', etag: '"v1"' })
      stallAfter(res, Buffer.alloc(1000, 97))
      return
    }
    res.writeHead(206, { 'content-range': 'bytes 1000-2999/3000', 'content-length': '2000', etag: '"v1"' }).end(Buffer.alloc(2000, 98))
  },
}

/**
 * Sends `bytes` of the announced body, then falls silent: the client's idle timeout ends the
 * transfer with every byte delivered (a closed connection could error the body stream before
 * its last chunk is read). The socket is destroyed in afterAll.
 */
function stallAfter(res: ServerResponse, bytes: Buffer): void {
  res.write(bytes)
}

// Long enough for a loaded machine to deliver the first 1,000 bytes; ends each stall above.
const IDLE = { total: false, idle: 1000 } as const

let server: Server
let base: string
const sockets = new Set<Socket>()
const dir = mkdtempSync(join(tmpdir(), 'volley-download-hostile-'))
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    seen.set(path, [...(seen.get(path) ?? []), req.headers.range])
    const route = ROUTES[path]
    if (route) route(req, res)
    else res.writeHead(404).end()
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  rmSync(dir, { recursive: true, force: true })
})

const client = createClient({ retry: { limit: 3, delay: 1 } })
afterAll(() => client.close())

describe('download() against a server that answers ranges wrongly', () => {
  it('fails with a ProtocolError when every answer is a 206 for a range nobody asked for, after a bounded number of restarts', async () => {
    const path = join(dir, 'always-206.bin')
    const error = await failure(download(`${base}/always-206`, path, { client }))
    expect(isProtocolError(error)).toBe(true)
    expect(error.message).toMatch(/answered 206 bytes 5-9\/100 to Range: none, again after 2 restarts from zero/)
    // Not retried by the retry policy either: one transfer, 1 + MAX_DOWNLOAD_RESTARTS requests.
    expect(seen.get('/always-206')).toHaveLength(1 + MAX_DOWNLOAD_RESTARTS)
    expect(error.attempts).toBe(1)
    expect(existsSync(path)).toBe(false)
  })

  it('treats a 206 to a request without Range as a range not asked for', async () => {
    const path = join(dir, 'no-range.bin')
    const error = await failure(download(`${base}/206-without-range`, path, { client }))
    expect(isProtocolError(error)).toBe(true)
    expect(seen.get('/206-without-range')).toEqual([undefined, undefined, undefined])
    expect(existsSync(path)).toBe(false)
  })

  it('never accepts a truncated resume: the resumed bytes are checked against the total first announced', async () => {
    const path = join(dir, 'truncated.bin')
    const error = await failure(download(`${base}/truncated-resume`, path, { client, retry: 1, timeout: IDLE }))
    expect(isNetworkError(error)).toBe(true)
    expect(error.message).toMatch(/ended at byte 1010 of 2000/)
    expect(seen.get('/truncated-resume')).toEqual([undefined, 'bytes=1000-'])
    expect(existsSync(path)).toBe(false)
  })

  it('fails with a ProtocolError when a resume contradicts the total first announced', async () => {
    const path = join(dir, 'changed.bin')
    const error = await failure(download(`${base}/changed-total`, path, { client, timeout: IDLE }))
    expect(isProtocolError(error)).toBe(true)
    expect(error.message).toMatch(/total of 3000 bytes, but announced 2000 first/)
    expect(existsSync(path)).toBe(false)
  })
})
