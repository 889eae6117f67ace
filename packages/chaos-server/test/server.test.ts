import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer, get, type IncomingMessage } from 'node:http'
import { get as httpsGet } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createChaosHandler, startChaosServer } from '../src/index.js'
import { waitFor } from './helpers.js'

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('startChaosServer', () => {
  it('listens on 127.0.0.1 with a random port and a localhost alternate URL', async () => {
    const server = await startChaosServer()
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
      expect(server.origin).toBe(server.url)
      expect(server.altUrl).toBe(`http://localhost:${server.port}`)
      expect((await fetch(`${server.altUrl}/json`)).status).toBe(200)
    } finally {
      await server.close()
    }
  })

  it('closes promptly with a stalled response open', async () => {
    const server = await startChaosServer()
    const res = await new Promise<IncomingMessage>((resolve) => {
      get(`${server.url}/stall?after=10`, resolve).on('error', () => {})
    })
    res.on('data', () => {})
    const clientSawEnd = new Promise((resolve) => res.once('close', resolve))
    await server.close()
    await clientSawEnd
    expect(res.complete).toBe(false)
  })

  it('clears a route timer when the client aborts', async () => {
    const server = await startChaosServer()
    // Spies that only watch: they record the route's timer and its clearing, and change nothing.
    const set = vi.spyOn(globalThis, 'setTimeout')
    const clear = vi.spyOn(globalThis, 'clearTimeout')
    try {
      const req = get(`${server.url}/delay/60000`, { agent: false }).on('error', () => {})
      await waitFor(() => set.mock.calls.some(([, ms]) => ms === 60_000))
      const timer = set.mock.results[set.mock.calls.findIndex(([, ms]) => ms === 60_000)]?.value
      expect(clear.mock.calls.some(([handle]) => handle === timer)).toBe(false)
      req.destroy()
      await waitFor(() => clear.mock.calls.some(([handle]) => handle === timer))
    } finally {
      set.mockRestore()
      clear.mockRestore()
      await server.close()
    }
  })

  it.skipIf(!hasOpenssl())('serves HTTPS with the given key and certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chaos-tls-'))
    const keyFile = join(dir, 'key.pem')
    const certFile = join(dir, 'cert.pem')
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', keyFile, '-out', certFile,
    ], { stdio: 'ignore' })
    const server = await startChaosServer({ tls: { key: readFileSync(keyFile), cert: readFileSync(certFile) } })
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      const body = await new Promise<string>((resolve, reject) => {
        httpsGet(`${server.url}/redirect-cross-origin`, { rejectUnauthorized: false }, (res) => {
          resolve(String(res.headers.location))
          res.resume()
        }).on('error', reject)
      })
      expect(body).toBe(`https://localhost:${server.port}/echo`)
    } finally {
      await server.close()
    }
  })
})

describe('createChaosHandler', () => {
  it('serves the routes under a basePath and hands other paths to next()', async () => {
    const chaos = createChaosHandler({ basePath: '/chaos' })
    const host = createServer((req, res) =>
      chaos.handle(req, res, () => {
        res.statusCode = 418
        res.end('app')
      }),
    )
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`
    try {
      expect((await (await fetch(`${base}/chaos/json`)).json()).hello).toBe('world')
      expect((await fetch(`${base}/json`)).status).toBe(418)
      const hop = await fetch(`${base}/chaos/redirect/1`, { redirect: 'manual' })
      expect(hop.headers.get('location')).toBe('/chaos/redirect/0')
      const echo = await (await fetch(`${base}/chaos/redirect/1`)).json()
      expect(echo.path).toBe('/echo')
      expect(chaos.stats.count('redirect')).toBe(3)
      expect((await (await fetch(`${base}/chaos/__stats?route=json`)).json()).count).toBe(1)
    } finally {
      host.closeAllConnections()
      await new Promise((resolve) => host.close(resolve))
    }
  })
})
