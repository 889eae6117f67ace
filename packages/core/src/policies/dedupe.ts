import { AbortToken } from '../call/abort-token.js'
import { checkOptions, isFunction, isStrings, type Rules } from '../options/option-check.js'
import type { Policy, Ride } from './policy.js'
import type { CallRequest } from './call-request.js'
import { NULL_BODY_STATUSES } from '../call/send.js'
import type { AbortSignalLike, BodyObserver, PhaseTimings, Transport, TransportAttempt } from '../runtime/transport.js'

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

/**
 * One request that identical calls share, from the moment the first of them asks for admission
 * until its response headers arrive (or it fails, or its leader leaves without sending it).
 */
interface Flight {
  readonly id: string
  /** Aborts the shared request: fired only when every rider has left. */
  readonly token: AbortToken
  /** The calls waiting for the response (the leader's attempt once it sends, and every joiner). */
  readonly riders: Set<Rider>
  /** Joiners waiting for the leader to send: woken with true once it has, false if it left first. */
  readonly waiting: Set<(sent: boolean) => void>
  /** The leader handed the request to its transport. */
  sent: boolean
  /** Timings the transport reported, for each rider's meta. */
  timings: PhaseTimings | undefined
}

/** One call's part of a flight: its own copy of the response, once there is one. */
interface Rider {
  readonly response: Promise<Response>
  resolve(response: Response): void
  reject(reason: unknown): void
  /** The copy handed out, until the rider's attempt takes it (an abort before then cancels its body). */
  copy: Response | undefined
  /**
   * `waiting` for its copy; `took` it (the body is the attempt's now); or `left` the flight (its
   * promise rejected, its copy's body cancelled). Only a waiting rider can take or leave.
   */
  state: 'waiting' | 'took' | 'left'
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
 * make answers differ, or your `key`) in flight at once share one request. Sharing comes before
 * admission: the first call leads and takes the pool slot and rate-limit token; the others wait for
 * its request without taking either. Each caller gets a response of its own, with a body stream of
 * its own, and parses, times out and retries on its own; one caller's abort leaves the others'
 * request alone, and the request is aborted only when every caller has left. A call joins a request
 * only until its response headers arrive.
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
  const flights = new Map<string, Flight>()

  const keyOf = ({ method, url, headers, hasBody }: CallRequest): string | undefined => {
    if (!shared.has(method) || hasBody) return undefined
    if (key) return key({ method, url, headers })
    let id = `${method} ${url}`
    for (const name of vary) id += `\n${headers.get(name) ?? ''}`
    return id
  }

  /** The flight is over for newcomers: its headers came, it failed, or its leader left unsent. */
  const close = (flight: Flight): void => {
    if (flights.get(flight.id) === flight) flights.delete(flight.id)
  }

  const rider = (flight: Flight): Rider => {
    let resolve!: (response: Response) => void
    let reject!: (reason: unknown) => void
    const response = new Promise<Response>((yes, no) => ((resolve = yes), (reject = no)))
    // A rider that leaves early rejects a promise nobody may await any more.
    response.catch(() => {})
    const own: Rider = { response, resolve, reject, copy: undefined, state: 'waiting' }
    flight.riders.add(own)
    return own
  }

  /** `own` leaves the flight: the last rider to leave a sent request takes it down with it. */
  const leave = (flight: Flight, own: Rider, reason: unknown): void => {
    if (own.state !== 'waiting') return
    own.state = 'left'
    flight.riders.delete(own)
    own.reject(reason)
    void own.copy?.body?.cancel(reason).catch(() => {})
    if (flight.sent && flight.riders.size === 0) flight.token.abort(reason)
  }

  /** What a rider's attempt sends: nothing; it is answered with its copy of the shared response. */
  const ride = (flight: Flight, own: Rider): Transport => (_input, _init, attempt) => {
    const signal = attempt?.signal
    if (signal?.aborted) leave(flight, own, signal.reason)
    else signal?.addEventListener('abort', () => leave(flight, own, signal.reason))
    return own.response.then((response) => {
      if (own.state === 'waiting') own.state = 'took'
      if (flight.timings) attempt?.timings(flight.timings)
      return response
    })
  }

  /** Sends the shared request through `transport` with the flight's own abort, and answers every rider. */
  const send = (flight: Flight, transport: Transport, input: string | URL | Request, init: RequestInit): void => {
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
    let pending: Promise<Response>
    try {
      pending = transport(input, request, attempt)
    } catch (error) {
      pending = Promise.reject(error)
    }
    pending.then(
      (response) => {
        close(flight)
        const riders = [...flight.riders]
        if (riders.length === 0) return void response.body?.cancel().catch(() => {})
        const bodies = response.body && !NULL_BODY_STATUSES.has(response.status) ? (riders.length === 1 ? [response.body] : fanOut(response.body, riders.length)) : undefined
        riders.forEach((own, i) => {
          own.copy = riders.length === 1 && bodies ? response : copy(response, bodies?.[i] ?? null)
          own.resolve(own.copy)
        })
      },
      (error: unknown) => {
        close(flight)
        for (const own of flight.riders) own.reject(error)
      },
    )
  }

  return {
    name: 'dedupe',
    get inFlight() {
      return flights.size
    },
    share(request: CallRequest, attempt: number, signal: AbortSignalLike): Ride | undefined {
      const id = keyOf(request)
      if (id === undefined) return undefined
      const flight = flights.get(id)
      if (!flight) return lead(id)
      // Another call leads this request: wait for it without admission, as one more rider.
      const own = rider(flight)
      request.emit({ type: 'shared', attempt, callers: flight.riders.size + (flight.sent ? 0 : 1) })
      const joined = new Promise<Transport | undefined>((resolve, reject) => {
        const wake = (sent: boolean): void => {
          flight.waiting.delete(wake)
          signal.removeEventListener('abort', abort)
          if (sent) resolve(ride(flight, own))
          else {
            // The leader left before sending: this call goes on alone.
            flight.riders.delete(own)
            resolve(undefined)
          }
        }
        const abort = (): void => {
          flight.waiting.delete(wake)
          leave(flight, own, signal.reason)
          reject(signal.reason)
        }
        if (signal.aborted) return abort()
        signal.addEventListener('abort', abort)
        if (flight.sent) wake(true)
        else flight.waiting.add(wake)
      })
      // An attempt that never asked for its copy (a hook threw first) leaves, so its branch of the
      // body is cancelled rather than buffered.
      return { joined, done: () => leave(flight, own, new Error('the call no longer waits for this request')) }
    },
  }

  /** A new flight that this call leads: its first attempt's transport sends the request for all. */
  function lead(id: string): Ride {
    const flight: Flight = { id, token: new AbortToken(), riders: new Set(), waiting: new Set(), sent: false, timings: undefined }
    flights.set(id, flight)
    return {
      joined: undefined,
      lead: (transport) =>
        Object.assign(
          (input: string | URL | Request, init: RequestInit = {}, attempt?: TransportAttempt): Promise<Response> => {
            if (flight.sent) return transport(input, init, attempt)
            flight.sent = true
            const own = rider(flight)
            const answer = ride(flight, own)(input, init, attempt)
            send(flight, transport, input, init)
            for (const wake of [...flight.waiting]) wake(true)
            return answer
          },
          { usesAttemptSignal: transport.usesAttemptSignal === true, reportsUpload: transport.reportsUpload === true },
        ),
      done() {
        if (flight.sent) return
        close(flight)
        for (const wake of [...flight.waiting]) wake(false)
      },
    }
  }
}
