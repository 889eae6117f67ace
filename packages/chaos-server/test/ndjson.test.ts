import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ndjsonLine, startChaosServer, type ChaosServer } from '../src/index.js'
import { readChunks } from './helpers.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

describe('GET /ndjson', () => {
  it('streams count lines that split across chunk boundaries', async () => {
    const res = await fetch(`${server.url}/ndjson?count=20&chunkSize=7&interval=1`)
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/)
    const chunks = (await readChunks(res)).map((chunk) => new TextDecoder().decode(chunk))
    expect(chunks.length).toBeGreaterThan(1)
    expect(chunks.some((chunk) => !chunk.endsWith('\n'))).toBe(true)

    const lines = chunks.join('').split('\n').filter(Boolean)
    expect(lines.map((line) => JSON.parse(line))).toEqual(
      Array.from({ length: 20 }, (_, i) => ({ i, text: `line ${i}` })),
    )
  })

  it('sends whole lines when chunkSize exceeds the body', async () => {
    const text = await (await fetch(`${server.url}/ndjson?count=3&chunkSize=1000`)).text()
    expect(text).toBe(ndjsonLine(0) + ndjsonLine(1) + ndjsonLine(2))
  })

  it('sends an empty body for count=0', async () => {
    expect(await (await fetch(`${server.url}/ndjson?count=0`)).text()).toBe('')
  })
})
