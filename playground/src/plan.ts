/**
 * What a run does, as data: the options given to `createClient` and the calls made with it. The
 * run executes a plan and the code panel prints the same plan, so the code shown is the code run.
 */
import type { RetryOptions, TimeoutOptions, RateLimitOptions } from '@volley/browser'
import { VOLLEY_DEFAULT_RETRY_METHODS, type PolicyName, type Settings } from './settings.js'

/** The client options of a plan: plain data only (the run adds its listeners on top). */
export interface PlanOptions {
  baseURL: string
  headers?: Record<string, string>
  query?: Record<string, string>
  timeout?: TimeoutOptions
  retry?: RetryOptions | false
  concurrency?: number
  rateLimit?: RateLimitOptions
  idempotencyKey?: true
  cache?: 'no-store'
  /** Resilience policies for `use`, by factory name. */
  policies?: readonly PolicyName[]
}

export interface Plan {
  readonly options: PlanOptions
  readonly method: string
  /** Path below `baseURL`, path parameters filled in. */
  readonly path: string
  /** Query of every call, without the key. */
  readonly query: Readonly<Record<string, string>>
  /** The chaos-server key: the same for every call, or `${value}-${i + 1}` for call `i`. */
  readonly key: { readonly mode: 'shared' | 'per-request' | 'none'; readonly value: string }
  /** Size of the generated request body, for uploads. */
  readonly uploadSize: number | undefined
  readonly read: 'auto' | 'sse' | 'ndjson'
  readonly count: number
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item))
}

/** Only what differs from volley's defaults, so the generated code stays short and honest. */
function retryOptions(retry: Settings['retry']): RetryOptions | false | undefined {
  if (retry.limit === 0) return false
  const options: RetryOptions = {}
  if (retry.limit !== 2) options.limit = retry.limit
  if (retry.delay !== undefined) options.delay = retry.delay
  if (retry.maxRetryAfter !== undefined) options.maxRetryAfter = retry.maxRetryAfter
  if (retry.jitter !== 'full') options.jitter = retry.jitter
  if (!sameSet(retry.methods, VOLLEY_DEFAULT_RETRY_METHODS)) options.methods = [...retry.methods]
  return Object.keys(options).length === 0 ? undefined : options
}

function timeoutOptions(timeout: Settings['timeout']): TimeoutOptions | undefined {
  const options: TimeoutOptions = {}
  for (const phase of ['total', 'attempt', 'idle', 'queue'] as const) {
    const value = timeout[phase]
    if (value !== undefined) options[phase] = value
  }
  return Object.keys(options).length === 0 ? undefined : options
}

/**
 * Builds the plan of one run.
 *
 * @param baseURL the chaos server, absolute (`http://localhost:5173/chaos`), so the code pastes anywhere
 * @param runKey the chaos-server key of this run
 */
export function buildPlan(settings: Settings, baseURL: string, runKey: string): Plan {
  const { route } = settings
  const options: PlanOptions = { baseURL }
  if (settings.authorization) options.headers = { Authorization: settings.authorization }
  if (settings.apiKey) options.query = { api_key: settings.apiKey }
  const timeout = timeoutOptions(settings.timeout)
  if (timeout) options.timeout = timeout
  const retry = retryOptions(settings.retry)
  if (retry !== undefined) options.retry = retry
  if (settings.concurrency !== undefined) options.concurrency = settings.concurrency
  if (settings.rateLimit) {
    const { limit, interval, burst } = settings.rateLimit
    options.rateLimit = { limit, ...(interval !== 1000 && { interval }), ...(burst !== 0 && { burst }) }
  }
  if (settings.idempotencyKey) options.idempotencyKey = true
  if (settings.bypassCache) options.cache = 'no-store'
  if (settings.policies.length > 0) options.policies = settings.policies

  let path = `/${route.name}`
  const query: Record<string, string> = {}
  let uploadSize: number | undefined
  for (const param of route.params) {
    const value = settings.params[param.name]
    if (value === undefined) continue
    if (param.in === 'path') path += `/${encodeURIComponent(value)}`
    else if (param.in === 'body') uploadSize = Number(value)
    else query[param.name] = value
  }
  return {
    options,
    method: settings.method,
    path,
    query,
    key: { mode: route.key, value: runKey },
    uploadSize,
    read: route.read,
    count: settings.count,
  }
}

/**
 * Options of every `streamSSE(client, …)` call. The chaos stream ends once every event is sent; with
 * volley's default `reconnectOnEnd: true` it would reconnect with the last id, and the server
 * answers that with a 204 ("nothing left"), as it would tell an EventSource to stop.
 */
export const SSE_OPTIONS = { reconnectOnEnd: false } as const

/** The query of call `i` (0-based): the plan's query plus its key. */
export function callQuery(plan: Plan, i: number): Record<string, string> {
  const { mode, value } = plan.key
  if (mode === 'none') return { ...plan.query }
  return { ...plan.query, key: mode === 'shared' ? value : `${value}-${i + 1}` }
}
