import { get, type ClientRequest, type IncomingMessage } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FILE_LAST_MODIFIED, startChaosServer, type ChaosServer } from '../src/index.js'
import { expectBytes, rawRequest } from './helpers.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

const bodyOf = async (res: Response): Promise<Uint8Array> => new Uint8Array(await res.arrayBuffer())

describe('GET /file/:n', () => {
  it('serves the full file with validators and Accept-Ranges', async () => {
    const res = await fetch(`${server.url}/file/1000`)
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe('"v1-1000"')
    expect(res.headers.get('last-modified')).toBe(FILE_LAST_MODIFIED)
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expectBytes(await bodyOf(res), 1000)
  })

  it('answers an open range with 206 and Content-Range', async () => {
    const res = await fetch(`${server.url}/file/1000`, { headers: { Range: 'bytes=400-' } })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe('bytes 400-999/1000')
    expect(res.headers.get('content-length')).toBe('600')
    expectBytes(await bodyOf(res), 600, 400)
  })

  it('answers a closed range and a suffix range', async () => {
    const closed = await fetch(`${server.url}/file/1000`, { headers: { Range: 'bytes=10-19' } })
    expect(closed.headers.get('content-range')).toBe('bytes 10-19/1000')
    expectBytes(await bodyOf(closed), 10, 10)
    const suffix = await fetch(`${server.url}/file/1000`, { headers: { Range: 'bytes=-5' } })
    expect(suffix.headers.get('content-range')).toBe('bytes 995-999/1000')
  })

  it('answers 416 for a range past the end', async () => {
    const res = await fetch(`${server.url}/file/1000`, { headers: { Range: 'bytes=1000-' } })
    expect(res.status).toBe(416)
    expect(res.headers.get('content-range')).toBe('bytes */1000')
  })

  it('honours the range when If-Range matches the ETag or the date', async () => {
    const byTag = await fetch(`${server.url}/file/1000`, { headers: { Range: 'bytes=500-', 'If-Range': '"v1-1000"' } })
    expect(byTag.status).toBe(206)
    const byDate = await fetch(`${server.url}/file/1000`, { headers: { Range: 'bytes=500-', 'If-Range': FILE_LAST_MODIFIED } })
    expect(byDate.status).toBe(206)
  })

  it('sends the full 200 when If-Range does not match (the file changed)', async () => {
    const res = await fetch(`${server.url}/file/1000?etag=v2`, { headers: { Range: 'bytes=500-', 'If-Range': '"v1-1000"' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe('"v2"')
    expectBytes(await bodyOf(res), 1000)
  })

  it('ignores Range entirely with ignoreRange=1', async () => {
    const res = await fetch(`${server.url}/file/1000?ignoreRange=1`, { headers: { Range: 'bytes=500-' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('accept-ranges')).toBeNull()
    expectBytes(await bodyOf(res), 1000)
  })

  it('answers HEAD with the headers of the GET and no body', async () => {
    const res = await fetch(`${server.url}/file/1000`, { method: 'HEAD', headers: { Range: 'bytes=100-' } })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-length')).toBe('900')
    expect(await res.text()).toBe('')
  })

  it('breaks the first response after resetAfter bytes, then serves the next in full', async () => {
    const path = '/file/100000?key=file-reset&resetAfter=3000'
    const first = await rawRequest(server, path)
    expect(first.status).toBe(200)
    expect(first.headers['content-length']).toBe('100000')
    expect(first.body.length).toBe(3000)
    expectBytes(new Uint8Array(first.body), 3000)

    const second = await rawRequest(server, path)
    expect(second.body.length).toBe(100_000)
  })

  it('counts resetAfter from the start of a ranged body and repeats it resetTimes times', async () => {
    const path = '/file/10000?key=file-reset-range&resetAfter=100&resetTimes=2'
    const range = { Range: 'bytes=5000-' }
    for (let i = 0; i < 2; i++) {
      const broken = await rawRequest(server, path, range)
      expect(broken.status).toBe(206)
      expectBytes(new Uint8Array(broken.body), 100, 5000)
    }
    const whole = await rawRequest(server, path, range)
    expectBytes(new Uint8Array(whole.body), 5000, 5000)
  })

  it('holds the first response after stallAfter bytes until the client leaves, then serves the next in full', async () => {
    const path = `/file/100000?key=file-stall&stallAfter=3000`
    const { req, res } = await new Promise<{ req: ClientRequest; res: IncomingMessage }>((resolve) => {
      const req = get(`${server.url}${path}`, (res) => resolve({ req, res }))
    })
    expect(res.headers['content-length']).toBe('100000')
    const received: Buffer[] = []
    let count = 0
    await new Promise<void>((resolve) =>
      res.on('data', (chunk: Buffer) => {
        received.push(chunk)
        count += chunk.length
        if (count >= 3000) resolve()
      }),
    )
    const closed = new Promise((resolve) => res.once('close', resolve))
    req.destroy()
    await closed
    expectBytes(new Uint8Array(Buffer.concat(received)), 3000)
    expect(res.complete).toBe(false)

    const second = await rawRequest(server, path)
    expectBytes(new Uint8Array(second.body), 100_000)
  })

  it('makes fetch fail on the broken body', async () => {
    const res = await fetch(`${server.url}/file/100000?key=file-reset-fetch&resetAfter=10`)
    await expect(res.arrayBuffer()).rejects.toThrow()
  })
})
