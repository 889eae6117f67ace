/**
 * The MSW fixture app: volley calls answered by an MSW service worker (`setupWorker` from
 * `msw/browser`), through the fetch transport (a plain client) and through the XHR transport
 * (`progress()` with an upload body and `onUploadProgress`). The handlers mock the chaos server's
 * own URLs, so a request that escaped the worker would show up in the server's stats.
 *
 * The plain client is created at module load, BEFORE `worker.start()`: volley looks `fetch` up per
 * call, and the worker intercepts at the network layer anyway, so it is still mocked.
 */
import { http, HttpResponse } from 'msw'
import { setupWorker } from 'msw/browser'
import { createClient, progress, type Progress } from 'volley'
import { chaosUrl } from '../../shared/chaos.js'
import { reportError, type ErrorReport } from '../../shared/report.js'

const chaos = chaosUrl()

/** Made before the worker starts (see above). */
const early = createClient({ baseURL: chaos, timeout: 10_000 })

/** How many times each handler ran, by name. */
const handled: Record<string, number> = {}
const count = (name: string): number => (handled[name] = (handled[name] ?? 0) + 1)

/** XHRs the page sent: a spy that only watches, to tell the XHR transport from fetch. */
let xhrSends = 0
const send = XMLHttpRequest.prototype.send
XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
  xhrSends++
  return send.call(this, body)
}

const worker = setupWorker(
  http.get(`${chaos}/json`, () => {
    count('json')
    return HttpResponse.json({ via: 'msw' })
  }),
  http.get(`${chaos}/flaky`, ({ request }) => {
    const key = new URL(request.url).searchParams.get('key') ?? ''
    return count(`flaky:${key}`) === 1 ? new HttpResponse('busy', { status: 503 }) : HttpResponse.json({ via: 'msw', attempt: handled[`flaky:${key}`] })
  }),
  http.put(`${chaos}/upload`, async ({ request }) => {
    const key = new URL(request.url).searchParams.get('key') ?? ''
    const received = (await request.arrayBuffer()).byteLength
    if (count(`upload:${key}`) === 1) return new HttpResponse('busy', { status: 503 })
    return HttpResponse.json({ via: 'msw', received })
  }),
)

/** What a scenario reports: the answer, volley's account, the handler hits and the XHRs sent. */
export interface MswReport<T> {
  data?: T
  error?: ErrorReport
  attempts?: number
  handlerHits: number
  xhrSends: number
}

async function observed<T>(handler: string, run: () => Promise<{ data: T; meta: { attempts: number } }>): Promise<MswReport<T>> {
  const before = xhrSends
  try {
    const { data, meta } = await run()
    return { data, attempts: meta.attempts, handlerHits: handled[handler] ?? 0, xhrSends: xhrSends - before }
  } catch (error) {
    return { error: reportError(error), handlerHits: handled[handler] ?? 0, xhrSends: xhrSends - before }
  }
}

const scenarios = {
  /** The client made before `worker.start()`, over fetch. */
  earlyClient: (args: { key: string }) => observed('json', () => early.raw.get<{ via: string }>(`/json?key=${args.key}`)),

  /** A plain client over fetch: a mocked 503, then the 200 on the retry. */
  fetchRetry: (args: { key: string }) =>
    observed(`flaky:${args.key}`, () => early.raw.get<{ via: string; attempt: number }>(`/flaky?key=${args.key}`, { retry: { limit: 2, delay: 10, jitter: 'none' } })),

  /**
   * `progress()` with an upload body and `onUploadProgress`: the XHR transport. The worker answers
   * a 503 first, so the upload is retried (PUT is idempotent) and sent twice.
   */
  xhrUploadRetry: async (args: { key: string; size: number }) => {
    const events: Pick<Progress, 'loaded' | 'total' | 'done'>[] = []
    const api = createClient({ baseURL: chaos, timeout: 10_000, use: [progress()] })
    const report = await observed(`upload:${args.key}`, () =>
      api.raw.put<{ via: string; received: number }>(`/upload?key=${args.key}`, {
        body: new Uint8Array(args.size).fill(42),
        headers: { 'content-type': 'application/octet-stream' },
        retry: { limit: 2, delay: 10, jitter: 'none' },
        onUploadProgress: (p) => events.push({ loaded: p.loaded, total: p.total, done: p.done }),
      }),
    )
    return { ...report, events }
  },
}

/** The scenario functions, as the spec sees them. */
export type MswScenarios = typeof scenarios

declare global {
  interface Window {
    volleyMsw?: MswScenarios
  }
}

await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, onUnhandledRequest: 'bypass', quiet: true })
window.volleyMsw = scenarios
const state = document.querySelector('#state')
if (state) state.textContent = `worker started; chaos server: ${chaos}`
document.documentElement.dataset.ready = 'true'
