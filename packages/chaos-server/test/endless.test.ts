import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

async function firstBytes(path: string, count: number): Promise<{ type: string | null; text: string }> {
  const response = await fetch(`${server.url}${path}`)
  const reader = response.body!.getReader()
  let text = ''
  while (text.length < count) {
    const { value, done } = await reader.read()
    if (done) break
    text += new TextDecoder().decode(value)
  }
  await reader.cancel()
  return { type: response.headers.get('content-type'), text }
}

describe('GET /endless', () => {
  it('grows one line without a newline for as long as the client reads', async () => {
    const { type, text } = await firstBytes('/endless?chunkSize=1000', 20_000)
    expect(type).toBe('text/plain')
    expect(text.length).toBeGreaterThanOrEqual(20_000)
    expect(text).not.toContain('\n')
  })

  it('grows one SSE data line, or one event of data lines without its blank line', async () => {
    const line = await firstBytes('/endless?kind=sse', 10_000)
    expect(line.type).toBe('text/event-stream')
    expect(line.text.startsWith('data: aaa')).toBe(true)
    expect(line.text).not.toContain('\n')
    const lines = await firstBytes('/endless?kind=sse-lines&chunkSize=100', 10_000)
    expect(lines.text.split('\n').slice(0, 3)).toEqual([`data: ${'a'.repeat(93)}`, `data: ${'a'.repeat(93)}`, `data: ${'a'.repeat(93)}`])
    expect(lines.text).not.toContain('\n\n')
  })
})
