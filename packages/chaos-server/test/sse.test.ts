import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

interface Block {
  id?: string
  event?: string
  data?: string
  retry?: string
}

/** Minimal SSE block parser, enough to check what the server framed. */
function parse(text: string): Block[] {
  return text
    .split('\n\n')
    .filter((block) => block.length > 0)
    .map((block) => {
      const fields: Record<string, string> = {}
      for (const line of block.split('\n')) {
        const colon = line.indexOf(': ')
        fields[line.slice(0, colon)] = line.slice(colon + 2)
      }
      return fields
    })
}

/** Reads as much of the stream as arrives, stopping at the end or at a broken connection. */
async function readAll(res: Response): Promise<{ text: string; broken: boolean }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let text = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { text, broken: false }
      text += value
    }
  } catch {
    return { text, broken: true }
  }
}

describe('GET /sse', () => {
  it('sends count events with ids and JSON data, then ends', async () => {
    const res = await fetch(`${server.url}/sse?count=4&interval=5`)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const { text, broken } = await readAll(res)
    expect(broken).toBe(false)
    expect(parse(text)).toEqual([1, 2, 3, 4].map((i) => ({ id: String(i), data: JSON.stringify({ i }) })))
  })

  it('sends the retry field first and names events with event=', async () => {
    const { text } = await readAll(await fetch(`${server.url}/sse?count=2&interval=1&retry=150&event=tick`))
    const blocks = parse(text)
    expect(blocks[0]).toEqual({ retry: '150' })
    expect(blocks.slice(1).map((b) => b.event)).toEqual(['tick', 'tick'])
  })

  it('drops the first connection of a key after event k and resumes from Last-Event-ID', async () => {
    server.reset()
    const url = `${server.url}/sse?count=5&interval=5&key=drop&dropAfter=2`
    const first = await readAll(await fetch(url))
    expect(first.broken).toBe(true)
    const ids = parse(first.text).map((b) => b.id)
    expect(ids).toEqual(['1', '2'])

    const resumed = await readAll(await fetch(url, { headers: { 'Last-Event-ID': '2' } }))
    expect(resumed.broken).toBe(false)
    expect(parse(resumed.text).map((b) => b.id)).toEqual(['3', '4', '5'])
    expect(server.stats.byRoute('sse').map((hit) => hit.headers['last-event-id'])).toEqual([undefined, '2'])
  })

  it('with partial=1 breaks inside event k + 1, after its id line', async () => {
    server.reset()
    const first = await readAll(await fetch(`${server.url}/sse?count=5&interval=5&key=partial&dropAfter=2&partial=1`))
    expect(first.broken).toBe(true)
    expect(first.text.endsWith('\n\nid: 3\ndata: {"i":')).toBe(true)
    expect(parse(first.text).map((b) => b.id)).toEqual(['1', '2', '3'])
  })

  it('with gate=name holds the break at a barrier that a request of /concurrency?until=2 opens', async () => {
    server.reset()
    const res = await fetch(`${server.url}/sse?count=5&interval=1&key=gated&dropAfter=2&gate=g1`)
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    while (!text.includes('id: 2\n')) {
      const { done, value } = await reader.read()
      if (done) throw new Error(`the stream ended before event 2: ${text}`)
      text += value
    }
    // The gate request answers only once the stream waits at the barrier with it: without the
    // gate this request would wait for a second one forever.
    const opened = await fetch(`${server.url}/concurrency?until=2&ms=0&key=g1`)
    expect(opened.status).toBe(200)
    // Then the break: the connection is cut after event 2, never ended cleanly.
    await expect((async () => { for (;;) if ((await reader.read()).done) return 'ended' })()).rejects.toThrow()
    expect(text).not.toContain('id: 3')
  })

  it('answers 204 when Last-Event-ID is already the last event, so EventSource stops', async () => {
    const res = await fetch(`${server.url}/sse?count=3`, { headers: { 'Last-Event-ID': '3' } })
    expect(res.status).toBe(204)
  })
})
