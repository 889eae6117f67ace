import { createClient, createPool, streamLines, streamNdjson, streamSSE } from 'volley'
import { chaosStats, chaosUrl } from '../../../shared/chaos.js'
import { reportError, type ErrorReport } from '../../../shared/report.js'

/** One event of the chaos server's `/sse`. */
interface Tick {
  i: number
}

/** One line of the chaos server's `/ndjson`. */
interface Row {
  i: number
  text: string
}

/** What a broken-off loop leaves behind: the pool must be free again, so the body was cancelled. */
interface AfterBreak {
  poolActive: number | undefined
  /** A follow-up call through the same one-slot client; it would time out in the queue if the slot leaked. */
  followUp: { ok: true } | { ok: false; error: ErrorReport }
}

async function afterBreak(client: ReturnType<typeof createClient>): Promise<AfterBreak> {
  const poolActive = client.pool?.stats.active
  const followUp = await client.get('/json', { timeout: { queue: 3_000, total: 5_000 } }).then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error: reportError(error) }),
  )
  return { poolActive, followUp }
}

/** One reconnection of `streamSSE`, and how many events had been delivered before it. */
export interface Reconnect {
  attempt: number
  lastEventId: string | undefined
  delay: number
  deliveredBefore: number
}

/**
 * SSE across a dropped connection: the server sends `retry: 50`, then events 1, 2, 3 (`interval`
 * ms apart) and breaks the connection. `streamSSE` reconnects with `Last-Event-ID` after the
 * server's delay and the events continue after the last one it delivered, each once. The loop
 * stops at the last event (leaving it cancels the body).
 */
export async function sseReconnect(args: { key: string; count: number; dropAfter: number; interval: number }): Promise<{
  events: { id: string | undefined; event: string; data: Tick }[]
  reconnects: Reconnect[]
  lastEventIds: (string | undefined)[]
}> {
  const chaos = chaosUrl()
  const client = createClient({ baseURL: chaos })
  const events: { id: string | undefined; event: string; data: Tick }[] = []
  const reconnects: Reconnect[] = []
  // The break waits until the page has read event `dropAfter` (the `gate` handshake), so the
  // resume point does not depend on how fast a loaded machine hands the bytes over.
  const gate = `${args.key}:drop`
  const path = `/sse?count=${args.count}&interval=${args.interval}&retry=50&dropAfter=${args.dropAfter}&gate=${gate}&key=${args.key}`
  const stream = streamSSE(client, path, {
    onReconnect: ({ attempt, lastEventId, delay }) => {
      reconnects.push({ attempt, lastEventId, delay, deliveredBefore: events.length })
    },
  })
  for await (const message of stream) {
    events.push({ id: message.id, event: message.event, data: JSON.parse(message.data) as Tick })
    if (message.id === String(args.dropAfter)) void fetch(`${chaos}/concurrency?until=2&ms=0&key=${gate}`)
    if (message.id === String(args.count)) break
  }
  const hits = (await chaosStats(chaos, { route: 'sse' })).hits.filter((hit) => hit.query.key === args.key)
  return { events, reconnects, lastEventIds: hits.map((hit) => hit.headers['last-event-id']) }
}

/** Leaving an endless SSE loop early cancels the body: the client's only pool slot is free again. */
export async function sseBreak(args: { key: string }): Promise<{ received: number } & AfterBreak> {
  const client = createClient({ baseURL: chaosUrl(), pool: createPool({ concurrency: 1 }) })
  let received = 0
  for await (const message of streamSSE(client, `/sse?count=100000&interval=10&key=${args.key}`)) {
    if (message.data && ++received === 3) break
  }
  return { received, ...(await afterBreak(client)) }
}

/** NDJSON whose lines straddle 7-byte chunks: every value arrives whole and in order. */
export async function ndjsonAll(args: { count: number }): Promise<{ rows: Row[] }> {
  const client = createClient({ baseURL: chaosUrl(), timeout: 20_000 })
  const rows: Row[] = []
  for await (const row of streamNdjson<Row>(client, `/ndjson?count=${args.count}&chunkSize=7`)) rows.push(row)
  return { rows }
}

/** Leaving an endless NDJSON loop early cancels the body: the pool slot is free again. */
export async function ndjsonBreak(): Promise<{ rows: Row[] } & AfterBreak> {
  const client = createClient({ baseURL: chaosUrl(), pool: createPool({ concurrency: 1 }) })
  const rows: Row[] = []
  for await (const row of streamNdjson<Row>(client, '/ndjson?count=1000000&chunkSize=64&interval=5')) {
    rows.push(row)
    if (rows.length === 5) break
  }
  return { rows, ...(await afterBreak(client)) }
}

/** `streamLines` over the same body, as text. */
export async function linesAll(args: { count: number }): Promise<{ lines: string[] }> {
  const client = createClient({ baseURL: chaosUrl(), timeout: 20_000 })
  const lines: string[] = []
  for await (const line of streamLines(client, `/ndjson?count=${args.count}&chunkSize=5`)) lines.push(line)
  return { lines }
}
