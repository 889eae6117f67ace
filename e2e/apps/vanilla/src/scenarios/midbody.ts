import { createClient, createPool, createXhrTransport, isNetworkError, progress, streamSSE, type Progress } from 'volley'
import { chaosUrl } from '../../../shared/chaos.js'
import { reportError, type ErrorReport } from '../../../shared/report.js'

/**
 * Failures after the headers (docs/DESIGN.md#failures-after-the-headers). The chaos server's
 * `/reset?after=16384&length=65536` promises 64 KiB, sends 16 KiB and breaks the connection.
 */
const CUT = 'after=16384&length=65536'

/** What the engine itself threw (or reported), before volley saw it. */
export interface EngineReport {
  /** The thrown value's class name, `name` and `message`; `'no error'` when the read succeeded. */
  ctor: string
  name: string
  message: string
  /** XHR only: the events fired, in order (progress events collapsed into one). */
  events?: string[]
}

function engineReport(error: unknown): EngineReport {
  if (!(error instanceof Error) && !(error instanceof DOMException)) return { ctor: typeof error, name: typeof error, message: String(error) }
  return { ctor: error.constructor.name, name: error.name, message: error.message }
}

async function settle(run: () => Promise<unknown>): Promise<EngineReport> {
  try {
    await run()
    return { ctor: 'none', name: 'no error', message: '' }
  } catch (error) {
    return engineReport(error)
  }
}

/** An XHR download that breaks mid-body: which events fire (XHR hands pages no message). */
function xhrEvents(url: string): Promise<EngineReport> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest()
    const events: string[] = []
    const note = (type: string) => () => {
      if (events[events.length - 1] !== type || type !== 'progress') events.push(type)
    }
    for (const type of ['loadstart', 'progress', 'abort', 'timeout', 'load']) xhr.addEventListener(type, note(type))
    xhr.addEventListener('error', () => events.push('error'))
    xhr.addEventListener('loadend', () => {
      events.push('loadend')
      resolve({ ctor: 'XMLHttpRequest', name: `status ${xhr.status}`, message: `readyState ${xhr.readyState}`, events })
    })
    xhr.open('GET', url)
    xhr.responseType = 'arraybuffer'
    xhr.send()
  })
}

/**
 * What each engine throws for a body cut mid-way, read every way a page reads one: whole
 * (`arrayBuffer`, `text`, `blob`), chunk by chunk, after a TCP RST instead of a FIN, and through
 * XHR. The spec writes these down per engine; volley's classification is built from them.
 */
export async function engineMessages(args: { key: string }): Promise<Record<string, EngineReport>> {
  const chaos = chaosUrl()
  const url = (probe: string, extra = ''): string => `${chaos}/reset?${CUT}${extra}&key=${args.key}-${probe}`
  return {
    arrayBuffer: await settle(async () => (await fetch(url('arrayBuffer'))).arrayBuffer()),
    text: await settle(async () => (await fetch(url('text'))).text()),
    blob: await settle(async () => (await fetch(url('blob'))).blob()),
    reader: await settle(async () => {
      const reader = (await fetch(url('reader'))).body!.getReader()
      while (!(await reader.read()).done);
    }),
    rst: await settle(async () => (await fetch(url('rst', '&rst=1'))).arrayBuffer()),
    xhr: await xhrEvents(url('xhr')),
  }
}

/** A volley call that met a mid-body cut: its error, and the body-read messages on its chain. */
export interface MidBodyOutcome {
  error: ErrorReport
  isNetworkError: boolean
  /** The engine's message under volley's NetworkError (its `cause`). */
  engineMessage: string | undefined
}

function outcome(error: unknown): MidBodyOutcome {
  const cause = (error as { cause?: unknown }).cause
  return { error: reportError(error), isNetworkError: isNetworkError(error), engineMessage: cause instanceof Error ? cause.message : undefined }
}

/**
 * A GET whose body is cut mid-way on every attempt, read whole (`responseType`), through fetch
 * or through the XHR transport: volley retries it (a NetworkError) and fails after 3 attempts.
 */
export async function midBodyRetried(args: { key: string; responseType: 'arrayBuffer' | 'text' | 'json' | 'blob'; via: 'fetch' | 'xhr' }): Promise<MidBodyOutcome> {
  const client = createClient({
    baseURL: chaosUrl(),
    retry: { limit: 2, delay: 0 },
    ...(args.via === 'xhr' && { transport: createXhrTransport() }),
  })
  return client.get(`/reset?${CUT}&key=${args.key}`, { responseType: args.responseType }).then(
    () => {
      throw new Error('expected the cut body to fail')
    },
    outcome,
  )
}

/**
 * The issue's own case: an upload through XHR (`progress()` and `onUploadProgress`) whose answer
 * is cut mid-body. The chaos `/reset` route takes PUT for this.
 */
export async function midBodyUpload(args: { key: string }): Promise<MidBodyOutcome & { uploadDone: boolean }> {
  const client = createClient({ baseURL: chaosUrl(), retry: { limit: 2, delay: 0 }, use: [progress()] })
  let uploadDone = false
  return client
    .put(`/reset?${CUT}&key=${args.key}`, { body: new Uint8Array(4096), responseType: 'arrayBuffer', onUploadProgress: (p) => (uploadDone ||= p.done) })
    .then(
      () => {
        throw new Error('expected the cut body to fail')
      },
      (error: unknown) => ({ ...outcome(error), uploadDone }),
    )
}

/**
 * `responseType: 'stream'`: the caller reads the body and meets the cut. The read rejects with a
 * typed NetworkError and the pool slot is free again (a follow-up through the one-slot pool).
 */
export async function midBodyStream(args: { key: string }): Promise<{ read: MidBodyOutcome; bytesRead: number; poolActive: number | undefined; followUp: boolean }> {
  const client = createClient({ baseURL: chaosUrl(), pool: createPool({ concurrency: 1 }) })
  const body = await client.get<ReadableStream<Uint8Array>>(`/reset?${CUT}&key=${args.key}`, { responseType: 'stream' })
  const reader = body.getReader()
  let bytesRead = 0
  let read: MidBodyOutcome | undefined
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      bytesRead += value.byteLength
    }
  } catch (error) {
    read = outcome(error)
  }
  const poolActive = client.pool?.stats.active
  const followUp = await client.get('/json', { timeout: { queue: 3_000, total: 5_000 } }).then(
    () => true,
    () => false,
  )
  return { read: read ?? { error: reportError(new Error('no error')), isNetworkError: false, engineMessage: undefined }, bytesRead, poolActive, followUp }
}

/**
 * Download progress across retries of a cut body, then a clean body: what the caller's
 * `onDownloadProgress` saw. The call is retried twice on `/file` (which breaks its first two
 * answers after 16 KiB) and succeeds on the third.
 */
export async function progressAcrossRetries(args: { key: string; via: 'fetch' | 'xhr' }): Promise<{ loaded: number[]; done: boolean[]; size: number; attempts: number }> {
  const client = createClient({
    baseURL: chaosUrl(),
    retry: { limit: 2, delay: 0 },
    use: [progress()],
    ...(args.via === 'xhr' && { transport: createXhrTransport() }),
  })
  const events: Progress[] = []
  // `ignoreRange=1`: no Accept-Ranges, so Chromium's HTTP cache does not resume the cut body by
  // itself with Range requests (it does with them, and the server then sees five requests).
  const response = await client.raw.get<ArrayBuffer>(`/file/65536?resetAfter=16384&resetTimes=2&ignoreRange=1&key=${args.key}`, {
    responseType: 'arrayBuffer',
    cache: 'no-store',
    onDownloadProgress: (p) => events.push(p),
  })
  return { loaded: events.map((p) => p.loaded), done: events.map((p) => p.done), size: response.data.byteLength, attempts: response.meta.attempts }
}

/**
 * SSE cut inside an event, with `reconnectOnEnd: false`: a cut is not a clean end, so it still
 * reconnects (with Last-Event-ID of the last complete event) in every engine.
 */
export async function sseCutMidEvent(args: { key: string }): Promise<{ ids: (string | undefined)[]; reconnectErrors: (string | undefined)[]; deliveredBefore: number[] }> {
  const client = createClient({ baseURL: chaosUrl() })
  const ids: (string | undefined)[] = []
  const reconnectErrors: (string | undefined)[] = []
  const deliveredBefore: number[] = []
  // The server cuts after event 2 only once the page has read it (the `gate` handshake): a browser
  // drops what it had queued when a connection breaks, and the test is about the resume point.
  const gate = `${args.key}:cut`
  const stream = streamSSE(client, `/sse?count=5&interval=30&retry=20&dropAfter=2&partial=1&gate=${gate}&key=${args.key}`, {
    reconnectOnEnd: false,
    onReconnect: ({ error }) => {
      deliveredBefore.push(ids.length)
      reconnectErrors.push(error === undefined ? undefined : isNetworkError(error) ? 'NetworkError' : String(error))
    },
  })
  for await (const event of stream) {
    ids.push(event.id)
    if (event.id === '2') void fetch(`${chaosUrl()}/concurrency?until=2&ms=0&key=${gate}`)
    if (event.id === '5') break
  }
  return { ids, reconnectErrors, deliveredBefore }
}
