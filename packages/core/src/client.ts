import { execute, type LiveCall, type VolleyResponse } from './call/call.js'
import { clientFetch, type StandardFetch } from './client-fetch.js'
import { ClientClosedError, isHTTPError, type HTTPError, type VolleyError } from './errors/index.js'
import { toVolleyError } from './errors/to-volley-error.js'
import type { Meta } from './call/meta.js'
import type { Clock } from './runtime/clock.js'
import type { Metrics } from './observe/metrics.js'
import type { VolleyOptions } from './options/options.js'
import { checkBasePath, defaultsFor } from './options/origin-guard.js'
import type { Pool } from './limits/pool.js'
import type { RateLimiter } from './limits/rate-limiter.js'
import { redactUrl } from './observe/redact.js'
import type { NetworkFailureTable } from './errors/failure-table.js'
import { NETWORK_FAILURES } from './errors/network-failure.js'
import { mergeOptions, rootOptions, type ResolvedOptions } from './options/resolve-options.js'
import type { ResponseData, ResponseTypeData } from './options/response-data.js'

/** Options of one call: everything a client takes; a call's options win over its client's. */
export type CallOptions = VolleyOptions

/**
 * Options whose `responseType` names a non-JSON body literally (and that carry no `schema`): the
 * call's data is then that type whatever type argument the caller wrote (docs/reference.md, Results).
 */
export type LiteralResponseTypeOptions<K extends keyof ResponseTypeData> = CallOptions & { responseType: K; schema?: undefined }

/**
 * A request method of a client: resolves with the parsed body typed as `T`, or with what the
 * call's `responseType` gives (`'blob'` → `Blob`, `'text'` → `string`, ...). A literal non-JSON
 * `responseType` decides the type even when a type argument is given: `get<User>(url, {
 * responseType: 'blob' })` is a `Blob`, never a `User` (an explicit type argument fixes every type
 * parameter, so the options could not be inferred in one signature; hence one overload per type).
 */
export interface Fetcher {
  <T = string>(url: Input, options: LiteralResponseTypeOptions<'text'>): Promise<string>
  <T = Blob>(url: Input, options: LiteralResponseTypeOptions<'blob'>): Promise<Blob>
  <T = ArrayBuffer>(url: Input, options: LiteralResponseTypeOptions<'arrayBuffer'>): Promise<ArrayBuffer>
  <T = ReadableStream<Uint8Array>>(url: Input, options: LiteralResponseTypeOptions<'stream'>): Promise<ReadableStream<Uint8Array>>
  <T = unknown, O extends CallOptions = CallOptions>(url: Input, options?: O): Promise<ResponseData<O, T>>
}

/** A request method that resolves with the whole response: `data`, `meta`, status, headers. Typed as {@link Fetcher}. */
export interface RawFetcher {
  <T = string>(url: Input, options: LiteralResponseTypeOptions<'text'>): Promise<VolleyResponse<string>>
  <T = Blob>(url: Input, options: LiteralResponseTypeOptions<'blob'>): Promise<VolleyResponse<Blob>>
  <T = ArrayBuffer>(url: Input, options: LiteralResponseTypeOptions<'arrayBuffer'>): Promise<VolleyResponse<ArrayBuffer>>
  <T = ReadableStream<Uint8Array>>(url: Input, options: LiteralResponseTypeOptions<'stream'>): Promise<VolleyResponse<ReadableStream<Uint8Array>>>
  <T = unknown, O extends CallOptions = CallOptions>(url: Input, options?: O): Promise<VolleyResponse<ResponseData<O, T>>>
}

/** The outcome of a `safe` call: never thrown, always one of two shapes. */
export type SafeResult<T, E = unknown> =
  | { readonly ok: true; readonly data: T; readonly error: undefined; readonly response: VolleyResponse<T>; readonly meta: Meta }
  | {
      readonly ok: false
      readonly data: undefined
      /** An `HTTPError<E>` for error statuses; any other volley error otherwise. */
      readonly error: HTTPError<E> | VolleyError
      /** The error response, for HTTP errors. */
      readonly response: Response | undefined
      readonly meta: Meta
    }

/** A request method of `client.safe`: resolves with a {@link SafeResult}, never rejects. */
export interface SafeFetcher {
  <T = string, E = unknown>(url: Input, options: LiteralResponseTypeOptions<'text'>): Promise<SafeResult<string, E>>
  <T = Blob, E = unknown>(url: Input, options: LiteralResponseTypeOptions<'blob'>): Promise<SafeResult<Blob, E>>
  <T = ArrayBuffer, E = unknown>(url: Input, options: LiteralResponseTypeOptions<'arrayBuffer'>): Promise<SafeResult<ArrayBuffer, E>>
  <T = ReadableStream<Uint8Array>, E = unknown>(url: Input, options: LiteralResponseTypeOptions<'stream'>): Promise<SafeResult<ReadableStream<Uint8Array>, E>>
  <T = unknown, E = unknown, O extends CallOptions = CallOptions>(url: Input, options?: O): Promise<SafeResult<ResponseData<O, T>, E>>
}

/** The verbs every flavour of a client has. */
export interface Verbs<F> {
  get: F
  head: F
  options: F
  post: F
  put: F
  patch: F
  delete: F
}

/** `client.safe`: the same calls, returning `{ ok, data | error, meta }` instead of throwing. */
export type SafeClient = SafeFetcher & Verbs<SafeFetcher>

/**
 * A configured HTTP client. Call it like fetch (`client(url, options)`) or through a verb; add
 * `.raw` for the Response with `data` and `meta`, `.safe` for results that never throw.
 */
export interface Client extends Fetcher, Verbs<Fetcher> {
  /** Like the client itself, resolving with the Response, its parsed `data` and `meta`. */
  raw: RawFetcher & Verbs<RawFetcher>
  /** Every call returns `{ ok: true, data, response, meta } | { ok: false, error, meta }` and never throws. */
  safe: SafeClient
  /**
   * A standard `fetch` (`(input, init) => Promise<Response>`) through this client: its deadlines,
   * retries, pool, limiter and policies. Hand it to any library with a `fetch` option. Resolves with
   * the final Response, unread, error statuses included (after the retries); rejects as fetch does
   * for the caller's abort (the signal's reason) and network failures (a `TypeError` whose `cause`
   * is the `NetworkError`), and with volley's errors where fetch has no equivalent (a
   * `TimeoutError`, a `CircuitOpenError`, a `QueueFullError`...).
   * @example
   * import createOpenApiClient from 'openapi-fetch'
   * const api = createOpenApiClient<paths>({ baseUrl, fetch: client.fetch })
   */
  readonly fetch: StandardFetch
  /** A new client with `options` merged over this one's (sharing its pool and limiter unless replaced). */
  extend(options: VolleyOptions): Client
  /** The client's resolved, frozen options. */
  readonly defaults: ResolvedOptions
  /** The client's pool, if it has one. */
  readonly pool: Pool | undefined
  /** The client's rate limiter, if it has one. */
  readonly rateLimiter: RateLimiter | undefined
  /** The client's metrics (`metrics: createMetrics()`), if it has them. */
  readonly metrics: Metrics | undefined
  /**
   * Closes the client: queued calls reject with `ClientClosedError` at once; in-flight calls (and
   * calls riding on another call's request in flight, with `dedupe()`) are drained (`'drain'`, the
   * default) or aborted with `ClientClosedError` (`'abort'`); then the
   * transport's resources are released (the Node entry closes its sockets). Later calls fail
   * with `ClientClosedError`. Also runs on `await using client = createClient()`.
   */
  close(options?: { mode?: 'drain' | 'abort' }): Promise<void>
  /** True once `close()` was called. */
  readonly closed: boolean
  [Symbol.asyncDispose](): Promise<void>
}

const VERBS = ['get', 'head', 'options', 'post', 'put', 'patch', 'delete'] as const

/** The meta of a call that failed before it started (invalid options, an invalid URL): now on the client's clock. */
function emptyMeta(method: string, clock: Clock): Meta {
  return { method, url: '', startedAt: clock.now(), attempts: 0, retries: 0, hedges: 0, status: undefined, queuedMs: 0, ttfbMs: undefined, durationMs: 0, bytesIn: 0, bytesOut: 0, timings: [] }
}

/** What a call may target: a URL string, a `URL`, or a `Request` (its method, headers, body and signal are used). */
export type Input = string | URL | Request

function isRequest(input: unknown): input is Request {
  return typeof Request !== 'undefined' && input instanceof Request
}

/**
 * A `Request` as input (as fetch and ofetch take it): its method (unless the call names one),
 * headers (the call's win), and signal carry over; its body is sent as it is, cloned per attempt.
 */
function fromRequest(request: Request, method: string | undefined, options: CallOptions | undefined): CallOptions {
  const headers: Record<string, string> = {}
  request.headers.forEach((value, name) => (headers[name] = value))
  const own = options?.headers
  if (own) new Headers(own).forEach((value, name) => (headers[name] = value))
  return { ...options, method: options?.method ?? method ?? request.method, headers, signal: options?.signal ?? request.signal }
}

function toTarget(url: Input): string | Request {
  if (typeof url === 'string' || isRequest(url)) return url
  if (url instanceof URL) return url.href
  throw new TypeError(`volley: the URL must be a string, a URL or a Request, got ${url === null ? 'null' : typeof url}`)
}

/**
 * Creates a client. Options are resolved and validated once, here; each call merges its own
 * options over them.
 *
 * @example
 * const api = createClient({ baseURL: 'https://api.example.com', timeout: { total: 10_000, attempt: 3_000 }, retry: 2 })
 * const user = await api.get<User>('/users/1')
 * const result = await api.safe.post<Created, Problem>('/users', { body: { name: 'Ada' } })
 * if (!result.ok) console.error(result.error.message)
 */
export function createClient(options: VolleyOptions = {}): Client {
  return build(mergeOptions(options, rootOptions(NETWORK_FAILURES), 'client'), true)
}

/** What a platform entry injects into its clients (docs/DESIGN.md#classification-per-platform). */
export interface ClientPlatform {
  /** The failures its transports throw that are network failures, and so retried. */
  readonly networkFailures: NetworkFailureTable
}

/**
 * Makes the `createClient` of a platform entry: core's, except that its clients classify
 * failures with `platform.networkFailures`. `@volley/browser` builds its `createClient` this way
 * with the browser engines' table, so a browser bundle carries no Node or undici socket codes.
 *
 * @example
 * import { BROWSER_NETWORK_FAILURES, clientFactory } from '@volley/core'
 * const createClient = clientFactory({ networkFailures: BROWSER_NETWORK_FAILURES })
 * const api = createClient({ baseURL: 'https://api.example.com' })
 */
export function clientFactory(platform: ClientPlatform): (options?: VolleyOptions) => Client {
  return (options = {}) => build(mergeOptions(options, rootOptions(platform.networkFailures), 'client'), true)
}

/** `Symbol.asyncDispose` where the runtime has it (Node 20 does), else the well-known fallback. */
const asyncDispose: typeof Symbol.asyncDispose = (Symbol as { asyncDispose?: typeof Symbol.asyncDispose }).asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose)

function build(defaults: ResolvedOptions, ownsTransport: boolean): Client {
  defaults.metrics?.attach(defaults.pool, defaults.rateLimiter)
  const live = new Set<LiveCall>()
  let closed = false
  const context = {
    track(call: LiveCall) {
      live.add(call)
      return () => live.delete(call)
    },
  }
  // Calls without options reuse one resolved object per method.
  const byMethod = new Map<string, ResolvedOptions>([[defaults.method, defaults]])
  const resolve = (method: string | undefined, options: CallOptions | undefined): ResolvedOptions => {
    if (!options) {
      const key = method ?? defaults.method
      let resolved = byMethod.get(key)
      if (!resolved) byMethod.set(key, (resolved = mergeOptions({ method: key }, defaults, 'call')))
      return resolved
    }
    return mergeOptions(method && options.method === undefined ? { ...options, method } : options, defaults, 'call')
  }
  // A call to an origin the client does not trust resolves over the client's options without
  // its secret headers (origin-guard.ts); the common case, its own origin, costs one lookup.
  const resolveFor = (method: string | undefined, options: CallOptions | undefined, target: string | Request): ResolvedOptions => {
    const resolved = resolve(method, options)
    if (typeof target === 'string') checkBasePath(resolved.baseURL, target)
    const base = defaultsFor(defaults, resolved, target)
    if (base === defaults) return resolved
    const own = options ? (method && options.method === undefined ? { ...options, method } : options) : { method: method ?? defaults.method }
    return mergeOptions(own, base, 'call')
  }

  const raw = <T>(method: string | undefined, url: Input, options?: CallOptions): Promise<VolleyResponse<T>> => {
    try {
      if (closed) throw new ClientClosedError({ request: { method: method ?? options?.method ?? defaults.method, url: redactUrl(isRequest(url) ? url.url : String(url)) } })
      const target = toTarget(url)
      if (typeof target !== 'string') return execute<T>(resolveFor(undefined, fromRequest(target, method, options), target), target, context)
      return execute<T>(resolveFor(method, options, target), target, context)
    } catch (error) {
      return Promise.reject(error)
    }
  }
  const data = <T>(method: string | undefined, url: Input, options?: CallOptions): Promise<T> =>
    raw<T>(method, url, options).then((response) => response.data)
  const safe = async <T, E>(method: string | undefined, url: Input, options?: CallOptions): Promise<SafeResult<T, E>> => {
    try {
      const response = await raw<T>(method, url, options)
      return { ok: true, data: response.data, error: undefined, response, meta: response.meta }
    } catch (thrown) {
      const error = toVolleyError(thrown)
      const meta = (thrown as { meta?: Meta } | null)?.meta ?? emptyMeta(method ?? options?.method ?? defaults.method, defaults.clock)
      return { ok: false, data: undefined, error: error as HTTPError<E> | VolleyError, response: isHTTPError(error) ? error.response : undefined, meta }
    }
  }

  const client = (<T>(url: Input, options?: CallOptions) => data<T>(undefined, url, options)) as Client
  const rawClient = (<T>(url: Input, options?: CallOptions) => raw<T>(undefined, url, options)) as Client['raw']
  const safeClient = (<T, E>(url: Input, options?: CallOptions) => safe<T, E>(undefined, url, options)) as SafeClient
  for (const verb of VERBS) {
    const method = verb.toUpperCase()
    // The overloads only type the result; one implementation serves them all.
    client[verb] = ((url: Input, options?: CallOptions) => data(method, url, options)) as Fetcher
    rawClient[verb] = ((url: Input, options?: CallOptions) => raw(method, url, options)) as RawFetcher
    safeClient[verb] = ((url: Input, options?: CallOptions) => safe(method, url, options)) as SafeFetcher
  }
  const close = async ({ mode = 'drain' }: { mode?: 'drain' | 'abort' } = {}): Promise<void> => {
    closed = true
    const calls = [...live]
    for (const call of calls) {
      if (mode === 'abort' || !call.sent) call.abort(new ClientClosedError())
    }
    await Promise.all(calls.map((call) => call.settled))
    const transport = defaults.transport as { close?: () => Promise<void> | void }
    if (ownsTransport) await transport.close?.()
  }

  // A live getter: Object.assign would copy its value once.
  Object.defineProperty(client, 'closed', { get: () => closed, enumerable: true })
  return Object.assign(client, {
    raw: rawClient,
    safe: safeClient,
    fetch: clientFetch((url, options) => raw(undefined, url, options), defaults.baseURL),
    extend: (options: VolleyOptions) => build(mergeOptions(options, defaults, 'client'), options.transport !== undefined),
    defaults,
    pool: defaults.pool,
    rateLimiter: defaults.rateLimiter,
    metrics: defaults.metrics,
    close,
    [asyncDispose]: () => close(),
  })
}
