import { expectedBytes, expectedSha256 } from '@volley/chaos-server'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createClient, download, isAbortError, isChecksumError, type Progress } from '@volley/node'
import { uniqueKey, useChaosServer } from './helpers/servers.js'
import { failure } from '../../core/test/helpers/failure.js'

const server = useChaosServer()
const dir = mkdtempSync(join(tmpdir(), 'volley-download-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const client = createClient({ retry: { limit: 3, delay: 1 } })

const target = (name: string): string => join(dir, name)
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')
const fileHits = (key: string) => server().stats.byRoute('file').filter((hit) => hit.query.key === key)

describe('download', () => {
  it('writes the whole file, verified, and leaves nothing else behind', async () => {
    const path = target('whole.bin')
    const size = 3_000_000
    const result = await download(`${server().url}/file/${size}`, path, { client, checksum: { expected: expectedSha256(size) } })
    expect(result).toMatchObject({ path, bytes: size, resumedFrom: 0, checksum: expectedSha256(size) })
    expect(result.meta.status).toBe(200)
    expect(sha256(path)).toBe(expectedSha256(size))
    expect(existsSync(`${path}.part`)).toBe(false)
    expect(existsSync(`${path}.part.json`)).toBe(false)
  })

  it('resumes a broken transfer with Range and If-Range, and reports progress over the whole file', async () => {
    const path = target('resumed.bin')
    const size = 4_000_000
    const key = uniqueKey('resume')
    const events: Progress[] = []
    const result = await download(`${server().url}/file/${size}?key=${key}&resetAfter=1500000`, path, { client, onProgress: (p) => events.push(p) })
    expect(result.resumedFrom).toBeGreaterThan(0)
    expect(result.checksum).toBe(expectedSha256(size))
    expect(sha256(path)).toBe(expectedSha256(size))
    const [first, second] = fileHits(key)
    expect(first?.headers.range).toBeUndefined()
    expect(second?.headers).toMatchObject({ range: `bytes=${result.resumedFrom}-`, 'if-range': `"v1-${size}"` })
    const loaded = events.map((p) => p.loaded)
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b))
    expect(events.at(-1)).toMatchObject({ loaded: size, total: size, done: true, percent: 100 })
  })

  it('restarts from zero when the server ignores Range', async () => {
    const path = target('restarted.bin')
    const size = 2_000_000
    const key = uniqueKey('norange')
    const result = await download(`${server().url}/file/${size}?key=${key}&resetAfter=800000&ignoreRange=1`, path, { client })
    expect(result.resumedFrom).toBe(0)
    expect(sha256(path)).toBe(expectedSha256(size))
    expect(fileHits(key)).toHaveLength(2)
  })

  it('fails a wrong checksum and leaves no file', async () => {
    const path = target('corrupt.bin')
    const error = await failure(download(`${server().url}/file/100000`, path, { client, checksum: { algorithm: 'sha256', expected: '0'.repeat(64) } }))
    expect(isChecksumError(error)).toBe(true)
    expect(error).toMatchObject({ expected: '0'.repeat(64), actual: expectedSha256(100_000) })
    for (const leftover of [path, `${path}.part`, `${path}.part.json`]) expect(existsSync(leftover)).toBe(false)
  })

  it('leaves no file at the path when aborted, and a later call continues from the part', async () => {
    const path = target('aborted.bin')
    const size = 20_000_000
    // The server holds the first response after 2 MB, so the abort lands part-way however fast the transfer runs.
    const url = `${server().url}/file/${size}?chunkSize=65536&key=${uniqueKey('abort')}&stallAfter=2000000`
    const controller = new AbortController()
    const error = await failure(
      download(url, path, { client, signal: controller.signal, onProgress: (p) => p.loaded >= 2_000_000 && controller.abort() }),
    )
    expect(isAbortError(error)).toBe(true)
    expect(existsSync(path)).toBe(false)
    expect(existsSync(`${path}.part`)).toBe(true)
    const result = await download(url, path, { client })
    expect(result.resumedFrom).toBeGreaterThan(0)
    expect(sha256(path)).toBe(expectedSha256(size))
  })

  it('removes its part on failure with resume: false', async () => {
    const path = target('no-resume.bin')
    const controller = new AbortController()
    const error = await failure(
      download(`${server().url}/file/20000000?key=${uniqueKey('no-resume')}&stallAfter=100000`, path, {
        client,
        resume: false,
        signal: controller.signal,
        onProgress: (p) => p.loaded > 0 && controller.abort(),
      }),
    )
    expect(isAbortError(error)).toBe(true)
    for (const leftover of [path, `${path}.part`, `${path}.part.json`]) expect(existsSync(leftover)).toBe(false)
  })

  it('completes from a part that already holds the whole file (416)', async () => {
    const path = target('complete-part.bin')
    const size = 50_000
    const url = `${server().url}/file/${size}`
    writeFileSync(`${path}.part`, expectedBytes(size))
    writeFileSync(`${path}.part.json`, JSON.stringify({ url, etag: `"v1-${size}"` }))
    const result = await download(url, path, { client })
    expect(result).toMatchObject({ bytes: size, resumedFrom: size, checksum: expectedSha256(size) })
    expect(result.meta.status).toBe(416)
  })
})
