import { createHash } from 'node:crypto'
import { expectedSha256 } from '@volley/chaos-server'
import { describe, expect, it, vi } from 'vitest'
import { createClient, createManualClock, createXhrTransport, download, isAbortError, isHTTPError, isTimeoutError, type Progress } from '@volley/browser'
import { useChaosServer } from './helpers/chaos.js'
import { capturePageConsole } from './helpers/page-console.js'
import { handshake } from '../../core/test/helpers/handshake.js'
import { watchBytes } from '../../core/test/helpers/watch-bytes.js'

const server = useChaosServer()

async function digest(blob: Blob): Promise<string> {
  return createHash('sha256').update(new Uint8Array(await blob.arrayBuffer())).digest('hex')
}

describe('download', () => {
  it('downloads into a Blob with its Content-Type, meta and progress', async () => {
    const events: Progress[] = []
    const { blob, meta, filename } = await download(`${server().url}/bytes/100000`, { onProgress: (p) => events.push(p) })
    expect(blob.size).toBe(100000)
    expect(blob.type).toBe('application/octet-stream')
    expect(await digest(blob)).toBe(expectedSha256(100000))
    expect(meta).toMatchObject({ status: 200, attempts: 1, bytesIn: 100000 })
    expect(filename).toBeUndefined()
    expect(events[0]?.loaded).toBe(0)
    expect(events.at(-1)).toMatchObject({ loaded: 100000, total: 100000, done: true })
  })

  it('takes the file name from Content-Disposition', async () => {
    const { filename } = await download(`${server().url}/file/10?filename=annual%20report.pdf`)
    expect(filename).toBe('annual report.pdf')
  })

  it("uses the given client's baseURL and headers, and sends extra headers", async () => {
    const client = createClient({ baseURL: server().url, headers: { 'x-client': 'yes' } })
    const { blob } = await download('/echo', { client, headers: { 'x-call': 'yes' }, retry: false })
    const echo = JSON.parse(await blob.text()) as { headers: Record<string, string> }
    expect(echo.headers).toMatchObject({ 'x-client': 'yes', 'x-call': 'yes' })
  })

  it('rejects with typed errors: HTTP status, timeout, abort', async () => {
    const pageConsole = capturePageConsole()
    const http = await download(`${server().url}/status/404`).catch((e: unknown) => e)
    expect(isHTTPError(http) && http.status).toBe(404)

    // Over XHR: happy-dom's fetch ends an aborted body as if complete (a real browser errors it),
    // and core then sees a short body instead of the deadline. See the package report.
    // On the manual clock, the deadline passes once the first 10 bytes are in: it cuts the body,
    // never a request still waiting for its headers (happy-dom would log that abort too).
    const clock = createManualClock()
    const watch = watchBytes()
    const client = createClient({ clock, transport: createXhrTransport(), use: [watch.policy] })
    const cut = download(`${server().url}/stall?after=10&length=100`, { client, timeout: 200, retry: false }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(watch.received).toBe(10), handshake)
    await clock.advance(200)
    const timeout = await cut
    expect(isTimeoutError(timeout) && timeout.phase).toBe('total')

    const controller = new AbortController()
    const pending = download(`${server().url}/delay/5000`, { signal: controller.signal })
    // Aborted once the server holds the request, so there is a connection to close.
    await vi.waitFor(() => expect(server().stats.count('delay')).toBe(1), handshake)
    controller.abort()
    expect(isAbortError(await pending.catch((e: unknown) => e))).toBe(true)
    // happy-dom logs the 404 as devtools would, and the connection it closed on abort.
    await vi.waitFor(() =>
      expect(pageConsole()).toEqual([`GET ${server().url}/status/404 404 (Not Found)`, expect.stringMatching(/^Error: socket hang up/)]),
      handshake,
    )
  })
})
