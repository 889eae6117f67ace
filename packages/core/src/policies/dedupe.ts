import { AbortToken } from '../call/abort-token.js'
import { checkOptions, isFunction, isStrings, type Rules } from '../options/option-check.js'
import type { AttemptContext, Policy } from './policy.js'
import { NULL_BODY_STATUSES } from '../call/send.js'
import type { BodyObserver, PhaseTimings, Transport, TransportAttempt } from '../runtime/transport.js'

/** What a dedupe key function sees of a request. */
export interface DedupeRequest {
  readonly method: string
  readonly url: string
  readonly headers: Headers
}

/** Options of {@link dedupe}. */
export interface DedupeOptions {
  /** Methods whose identical requests are shared (never requests with a body). @default ['GET', 'HEAD'] */
  methods?: readonly string[]
  /**
   * Headers that make two requests different, besides the method and the URL: these are added to
   * `accept`, `accept-language`, `authorization` and `cookie`.
   */
  headers?: readonly string[]
  /** The key of a request instead of method + URL + headers; undefined: never share this one. */
  key?: (request: DedupeRequest) => string | undefined
}

/** A dedupe policy: for `use`, and the number of shared requests in flight now. */
export interface Dedupe extends Policy {
  readonly name: 'dedupe'
  /** Requests in flight that identical calls may still join. */
  readonly inFlight: number
}

const OPTIONS: Rules = { methods: isStrings, headers: isStrings, key: isFunction }
const VARY = ['accept', 'accept-language', 'authorization', 'cookie']

/** One shared request until its headers arrive: who waits for it, and how to abort it. */
interface Shared {
  readonly token: AbortToken
  /** The attempts waiting for the response; an aborted one leaves. */
  readonly waiting: Set<Joiner>
  /** Timings the transport reported, for each joiner's meta. */
  timings: PhaseTimings | undefined
}

interface Joiner {
  readonly attempt: TransportAttempt
  resolve(response: Response): void
  reject(reason: unknown): void
}

/** Reads `source` once and gives each of `count` branches every chunk; one branch's cancel leaves the others reading. */
function fanOut(source: ReadableStream<Uint8Array>, count: number): ReadableStream<Uint8Array>[] {
  const reader = source.getReader()
  const controllers: (ReadableStreamDefaultController<Uint8Array> | undefined)[] = []
  let open = count
  let pulling = false
  const pump = async (): Promise<void> => {
    if (pulling) return
    pulling = true
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) {
          for (const controller of controllers) controller?.close()
          return
        }
        for (const controller of controllers) controller?.enqueue(value)
        // Read on only while some branch wants more (the slowest live branch sets the pace).
        if (!controllers.some((c) => c !== undefined && (c.desiredSize ?? 0) > 0)) return
      }
    } catch (error) {
      for (const controller of controllers) controller?.error(error)
    } finally {
      pulling = false
    }
  }
  return Array.from({ length: count }, (_, i) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controllers[i] = controller
      },
      pull: () => pump(),
      cancel(reason) {
        controllers[i] = undefined
        if (--open === 0) void reader.cancel(reason).catch(() => {})
      },
    }),
  )
}

/** A Response of its own for one caller, with the shared one's status, headers and URL. */
function copy(response: Response, body: ReadableStream<Uint8Array> | null): Response {
  const own = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  if (response.url) Object.defineProperty(own, 'url', { value: response.url })
  if (response.redirected) Object.defineProperty(own, 'redirected', { value: true })
  return own
}

/**
 * In-flight dedupe (docs/DESIGN.md#dedupe): identical GETs (same method, URL and the headers that
 * make answers differ, or your `key`) in flight at once share one request. Each caller gets a
 * response of its own, with a body stream of its own, and parses, times out and retries on its
 * own; one caller's abort leaves the others' request alone, and the request is aborted only when
 * every caller has left. A call joins a request only until its response headers arrive. Each
 * call still passes its own admission (pool slot, rate-limit token): limits count callers.
 *
 * @example
 * const api = createClient({ use: [dedupe()] })
 * const [a, b] = await Promise.all([api.get('/config'), api.get('/config')]) // one request
 */
export function dedupe(options: DedupeOptions = {}): Dedupe {
  checkOptions('dedupe()', options, OPTIONS)
  const { methods = ['GET', 'HEAD'], headers = [], key } = options
  const shared = new Set(methods.map((m) => m.toUpperCase()))
  const vary = [...new Set([...VARY, ...headers.map((h) => h.toLowerCase())])]
  const flights = new Map<string, Shared>()

  const keyOf = (input: string | URL | Request, init: RequestInit): string | undefined => {
    const method = (init.method ?? 'GET').toUpperCase()
    if (!shared.has(method) || (init.body !== undefined && init.body !== null) || input instanceof Request) return undefined
    const url = String(input)
    const headers = new Headers(init.headers)
    if (key) return key({ method, url, headers })
    let id = `${method} ${url}`
    for (const name of vary) id += `\n${headers.get(name) ?? ''}`
    return id
  }

  /** Starts the request all joiners of `id` share, with an attempt of its own that only they abort. */
  const start = (id: string, transport: Transport, input: string | URL | Request, init: RequestInit): Shared => {
    const flight: Shared = { token: new AbortToken(), waiting: new Set(), timings: undefined }
    const sink: BodyObserver = { waiting() {}, chunk: () => undefined, end() {}, error: (cause) => cause, cancel() {} }
    const attempt: TransportAttempt = {
      signal: flight.token,
      connectTimeout: undefined,
      timings: (timings) => (flight.timings = timings),
      uploaded: undefined,
      observe: () => sink,
    }
    const request = { ...init }
    if (!transport.usesAttemptSignal) request.signal = flight.token.signal
    const done = (): Set<Joiner> => {
      if (flights.get(id) === flight) flights.delete(id)
      return flight.waiting
    }
    transport(input, request, attempt).then(
      (response) => {
        const joiners = [...done()]
        if (joiners.length === 0) return void response.body?.cancel().catch(() => {})
        const bodies = response.body && !NULL_BODY_STATUSES.has(response.status) ? (joiners.length === 1 ? [response.body] : fanOut(response.body, joiners.length)) : undefined
        joiners.forEach((joiner, i) => {
          if (flight.timings) joiner.attempt.timings(flight.timings)
          joiner.resolve(joiners.length === 1 && bodies ? response : copy(response, bodies?.[i] ?? null))
        })
      },
      (error: unknown) => {
        for (const joiner of done()) joiner.reject(error)
      },
    )
    flights.set(id, flight)
    return flight
  }

  const join = (flight: Shared, attempt: AttemptContext & TransportAttempt): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const { signal } = attempt
      const leave = (): void => {
        flight.waiting.delete(joiner)
        reject(signal.reason)
        // The last caller to leave takes the request down with it.
        if (flight.waiting.size === 0) flight.token.abort(signal.reason)
      }
      const joiner: Joiner = {
        attempt,
        resolve: (response) => (signal.removeEventListener('abort', leave), resolve(response)),
        reject: (reason) => (signal.removeEventListener('abort', leave), reject(reason)),
      }
      if (signal.aborted) return reject(signal.reason)
      flight.waiting.add(joiner)
      signal.addEventListener('abort', leave)
      if (flight.waiting.size > 1) attempt.emit({ type: 'shared', attempt: attempt.number, callers: flight.waiting.size })
    })

  return {
    name: 'dedupe',
    get inFlight() {
      return flights.size
    },
    prepare(attempt: AttemptContext): void {
      const transport = attempt.transport
      const deduping: Transport = Object.assign(
        (input: string | URL | Request, init: RequestInit = {}, own?: TransportAttempt): Promise<Response> => {
          const id = keyOf(input, init)
          if (id === undefined) return transport(input, init, own)
          const flight = flights.get(id)
          // Only the attempt that starts the request sends one: the others are answered by it.
          if (flight) attempt.share()
          return join(flight ?? start(id, transport, input, init), attempt as AttemptContext & TransportAttempt)
        },
        { usesAttemptSignal: transport.usesAttemptSignal === true, reportsUpload: transport.reportsUpload === true },
      )
      attempt.transport = deduping
    },
  }
}
