/**
 * The chaos-server routes the builder offers, with their parameters and what each demonstrates.
 * Defaults are chosen so that a single click shows the policy at work (see the README of
 * @volley/chaos-server for every route's full contract).
 */

/** One parameter of a route: a query parameter, a path segment, or the size of the upload body. */
export interface ParamSpec {
  readonly name: string
  readonly label: string
  readonly default: string
  readonly type: 'number' | 'text' | 'select'
  readonly options?: readonly string[]
  readonly min?: number
  readonly max?: number
  /** `path`: the `:name` segment of the route; `body`: the size of the generated request body. */
  readonly in?: 'query' | 'path' | 'body'
  readonly hint?: string
}

export type RouteName =
  | 'concurrency' | 'delay' | 'status' | 'flaky' | 'retry-after' | 'rate-limited' | 'stall'
  | 'drip' | 'bytes' | 'upload' | 'reset' | 'sse' | 'ndjson' | 'json' | 'tail' | 'flap' | 'cacheable'

/** A route as the builder shows it. */
export interface RouteSpec {
  readonly name: RouteName
  /** What watching it teaches, shown under the route picker. */
  readonly summary: string
  readonly methods: readonly string[]
  readonly params: readonly ParamSpec[]
  /**
   * How the server's `key` is used: one counter for the whole run (`shared`: the pool's peak in
   * flight, one rate-limit bucket), or one per request (`per-request`: every request fails
   * `fail` times and then succeeds, so each row shows its own retries).
   */
  readonly key: 'shared' | 'per-request' | 'none'
  /** How the body is consumed: volley's parsing, or the streaming helpers. */
  readonly read: 'auto' | 'sse' | 'ndjson'
}

const ANY = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const
const num = (name: string, label: string, value: number | '', extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name, label, default: String(value), type: 'number', min: 0, ...extra,
})
const pick = (name: string, label: string, options: readonly string[], extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name, label, default: options[0] ?? '', type: 'select', options, ...extra,
})

export const ROUTES: readonly RouteSpec[] = [
  { name: 'concurrency', summary: 'Holds each request for ms and counts how many are in flight at once: the server-side proof of the pool cap.', methods: ANY, key: 'shared', read: 'auto', params: [num('ms', 'Hold (ms)', 100, { max: 60_000 })] },
  { name: 'flaky', summary: 'Each request fails `fail` times, then succeeds: watch the retries and their backoff.', methods: ANY, key: 'per-request', read: 'auto', params: [num('fail', 'Failures first', 2, { max: 10 }), num('status', 'Failure status', 503, { min: 400, max: 599 }), num('retryAfter', 'Retry-After (s)', '', { hint: 'blank: none' })] },
  { name: 'retry-after', summary: 'A 429/503 that says when to come back: the retry waits as long as the server asks, up to maxRetryAfter.', methods: ANY, key: 'per-request', read: 'auto', params: [pick('mode', 'Header', ['seconds', 'date', 'ratelimit-reset', 'x-ratelimit-reset']), num('value', 'Wait (s)', 1, { max: 3600 }), num('status', 'Status', 429, { min: 400, max: 599 }), num('fail', 'Failures first', 1, { max: 10 })] },
  { name: 'rate-limited', summary: 'A server-side token bucket; over budget is a 429 with Retry-After, which pauses the client limiter for every request.', methods: ANY, key: 'shared', read: 'auto', params: [num('limit', 'Server limit', 5, { min: 1 }), num('interval', 'Per (ms)', 1000, { min: 1 })] },
  { name: 'delay', summary: 'Nothing, not even headers, for ms: set an attempt or idle timeout below it.', methods: ANY, key: 'none', read: 'auto', params: [num('ms', 'Delay (ms)', 500, { in: 'path', max: 3_600_000 })] },
  { name: 'status', summary: 'Always answers this status: retried when it is retryable (408, 429, 5xx), else an HTTPError at once.', methods: ANY, key: 'none', read: 'auto', params: [num('code', 'Status', 503, { in: 'path', min: 200, max: 599 }), num('retryAfter', 'Retry-After (s)', '', { hint: 'blank: none' })] },
  { name: 'stall', summary: 'Headers and `after` bytes, then silence: only the idle (or attempt) timeout ends it.', methods: ['GET'], key: 'none', read: 'auto', params: [num('after', 'Bytes first', 100), num('length', 'Promised length', 1_000_000)] },
  { name: 'drip', summary: 'Bytes in evenly spaced chunks over `duration`: download progress, and the idle timeout between chunks.', methods: ['GET', 'HEAD'], key: 'none', read: 'auto', params: [num('bytes', 'Bytes', 200_000, { min: 1 }), num('duration', 'Duration (ms)', 2000), num('chunks', 'Chunks', 20, { min: 1 }), num('delay', 'Headers after (ms)', 0), pick('length', 'Content-Length', ['1', '0'], { hint: '0: unknown total' })] },
  { name: 'bytes', summary: 'A large body as fast as it goes: download progress with rate and ETA.', methods: ['GET', 'HEAD'], key: 'none', read: 'auto', params: [num('n', 'Bytes', 8_388_608, { in: 'path', min: 1 }), pick('chunked', 'Chunked', ['0', '1'], { hint: '1: unknown total' }), num('chunkSize', 'Chunk size', 65_536, { min: 1, max: 1_048_576 })] },
  { name: 'upload', summary: 'Reads the body slowly: upload progress (sent through XHR, as fetch cannot report it).', methods: ['POST', 'PUT', 'PATCH'], key: 'none', read: 'auto', params: [num('size', 'Body bytes', 2_097_152, { in: 'body', min: 1, max: 268_435_456 }), num('delayPerChunk', 'Delay per chunk (ms)', 5)] },
  { name: 'reset', summary: 'Breaks the connection mid-body: a NetworkError, retried for idempotent methods.', methods: ['GET'], key: 'none', read: 'auto', params: [num('after', 'Bytes first', 1000), pick('rst', 'TCP RST', ['0', '1'])] },
  { name: 'sse', summary: 'Server-sent events through streamSSE(client, …); `dropAfter` breaks the first connection and volley resumes with Last-Event-ID (a new row).', methods: ['GET'], key: 'per-request', read: 'sse', params: [num('count', 'Events', 10, { min: 1 }), num('interval', 'Interval (ms)', 100), num('dropAfter', 'Drop after', '', { hint: 'blank: never' })] },
  { name: 'ndjson', summary: 'NDJSON lines straddling chunk boundaries, read with streamNdjson(client, …).', methods: ['GET'], key: 'none', read: 'ndjson', params: [num('count', 'Lines', 50, { min: 1 }), num('chunkSize', 'Chunk size', 7, { min: 1 }), num('interval', 'Interval (ms)', 10)] },
  { name: 'tail', summary: 'A latency tail: every n-th request is slow. Turn on hedge() and watch a second attempt race the slow ones.', methods: ANY, key: 'shared', read: 'auto', params: [num('every', 'Slow every n-th', 10, { min: 1 }), num('slow', 'Slow (ms)', 1000, { max: 60_000 }), num('fast', 'Fast (ms)', 20, { max: 60_000 })] },
  { name: 'flap', summary: 'A flapping origin: `up` answers, then `down` failures, round and round. Turn on circuitBreaker() and retryBudget().', methods: ANY, key: 'shared', read: 'auto', params: [num('up', 'Healthy answers', 10), num('down', 'Failures', 10, { min: 1 }), num('status', 'Failure status', 503, { min: 400, max: 599 })] },
  { name: 'cacheable', summary: 'An answer an HTTP cache may keep (ETag, Cache-Control): turn on cache() and run twice; hits send nothing, a stale page comes back as a 304.', methods: ['GET', 'HEAD', 'POST', 'DELETE'], key: 'none', read: 'auto', params: [num('id', 'Page', 1, { in: 'path' }), pick('cc', 'Cache-Control', ['max-age=10', 'max-age=2, stale-while-revalidate=30', 'max-age=0, must-revalidate', 'no-cache', 'no-store']), num('ms', 'Origin latency (ms)', 50, { max: 60_000 })] },
  { name: 'json', summary: 'A small JSON object, at once: the baseline.', methods: ['GET', 'HEAD'], key: 'none', read: 'auto', params: [] },
]

/** The route named `name`, or the first one for an unknown name (a stale link). */
export function routeByName(name: string): RouteSpec {
  return ROUTES.find((route) => route.name === name) ?? (ROUTES[0] as RouteSpec)
}

/** The form-value name of one route parameter: values are kept per route, so switching back restores them. */
export function paramField(route: RouteName, param: string): string {
  return `${route}.${param}`
}
