/**
 * The builder's state. The form holds flat string values ({@link FormValues}: what inputs hold,
 * what a shareable link and a preset store); {@link parseSettings} turns them into typed
 * {@link Settings} once, and everything downstream (the run, the code panel) reads only those.
 */
import { ROUTES, paramField, routeByName, type RouteSpec } from './routes.js'

/** Field name -> the input's string value (checkbox: `'on'` or `''`; checkbox group: comma-joined). */
export type FormValues = Record<string, string>

/** volley's own defaults, so that a blank field means "not set" and the code panel omits it. */
export const VOLLEY_DEFAULT_RETRY_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'] as const
export const ALL_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE'] as const

/** Typed settings of one run. */
export interface Settings {
  readonly route: RouteSpec
  readonly method: string
  /** 1..200 requests. */
  readonly count: number
  /** The chaos-server key chosen by the user, '' for a fresh one per run. */
  readonly key: string
  /** This route's parameter values, by parameter name (blank ones left out). */
  readonly params: Readonly<Record<string, string>>
  readonly timeout: { readonly total?: number; readonly attempt?: number; readonly idle?: number; readonly queue?: number }
  readonly retry: {
    readonly limit: number
    readonly delay?: number
    readonly maxRetryAfter?: number
    readonly jitter: 'full' | 'equal' | 'none'
    readonly methods: readonly string[]
  }
  readonly concurrency?: number
  readonly rateLimit?: { readonly limit: number; readonly interval: number; readonly burst: number }
  readonly authorization: string
  readonly apiKey: string
  readonly idempotencyKey: boolean
  /** `cache: 'no-store'`: browsers hold identical GETs behind their HTTP-cache lock otherwise. */
  readonly bypassCache: boolean
  /** The resilience policies in `use`, by name (see {@link POLICIES}). */
  readonly policies: readonly PolicyName[]
}

/** The resilience policies the builder offers, in the order they go into `use`. */
export const POLICIES = ['cache', 'retryBudget', 'circuitBreaker', 'hedge', 'dedupe', 'offlinePause'] as const
export type PolicyName = (typeof POLICIES)[number]

function routeDefaults(): FormValues {
  const values: FormValues = {}
  for (const route of ROUTES) for (const param of route.params) values[paramField(route.name, param.name)] = param.default
  return values
}

/** What a fresh page shows: the first question, "what does a pool of 4 do to 40 requests?". */
export const DEFAULT_VALUES: Readonly<FormValues> = Object.freeze({
  route: 'concurrency',
  method: 'GET',
  count: '40',
  key: '',
  'timeout.total': '',
  'timeout.attempt': '',
  'timeout.idle': '',
  'timeout.queue': '',
  'retry.limit': '2',
  'retry.delay': '',
  'retry.maxRetryAfter': '',
  'retry.jitter': 'full',
  'retry.methods': VOLLEY_DEFAULT_RETRY_METHODS.join(','),
  concurrency: '4',
  'rate.limit': '',
  'rate.interval': '1000',
  'rate.burst': '0',
  // Pre-filled so the log shows redaction from the first run; they are not real secrets.
  authorization: 'Bearer playground-secret-token',
  apiKey: 'playground-secret-key',
  idempotencyKey: '',
  cache: 'on',
  policies: '',
  ...routeDefaults(),
})

/** A number field: blank -> undefined; anything else must be a finite number in [min, max]. */
function optionalNumber(values: FormValues, name: string, problems: string[], min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = (values[name] ?? '').trim()
  if (raw === '') return undefined
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min || value > max) {
    problems.push(`${name} must be a number from ${min} to ${max}, got "${raw}"`)
    return undefined
  }
  return value
}

/**
 * Parses the form into settings. Problems (a value out of range) are listed instead of thrown,
 * so the builder can show them next to the Run button and refuse to run.
 */
export function parseSettings(values: FormValues): { settings: Settings; problems: string[] } {
  const problems: string[] = []
  const route = routeByName(values.route ?? '')
  const method = route.methods.includes(values.method ?? '') ? (values.method as string) : (route.methods[0] as string)
  const params: Record<string, string> = {}
  for (const param of route.params) {
    const raw = (values[paramField(route.name, param.name)] ?? '').trim()
    if (raw === '') continue
    if (param.type === 'number') optionalNumber({ [param.name]: raw }, param.name, problems, param.min, param.max)
    params[param.name] = raw
  }
  const rateLimit = optionalNumber(values, 'rate.limit', problems, 0.001)
  const settings: Settings = {
    route,
    method,
    count: Math.round(optionalNumber(values, 'count', problems, 1, 200) ?? 1),
    key: (values.key ?? '').trim(),
    params,
    timeout: {
      total: optionalNumber(values, 'timeout.total', problems, 1),
      attempt: optionalNumber(values, 'timeout.attempt', problems, 1),
      idle: optionalNumber(values, 'timeout.idle', problems, 1),
      queue: optionalNumber(values, 'timeout.queue', problems, 1),
    },
    retry: {
      limit: Math.round(optionalNumber(values, 'retry.limit', problems, 0, 20) ?? 2),
      delay: optionalNumber(values, 'retry.delay', problems),
      maxRetryAfter: optionalNumber(values, 'retry.maxRetryAfter', problems),
      jitter: values['retry.jitter'] === 'equal' || values['retry.jitter'] === 'none' ? values['retry.jitter'] : 'full',
      methods: (values['retry.methods'] ?? '').split(',').filter((m) => m !== ''),
    },
    concurrency: optionalNumber(values, 'concurrency', problems, 1, 1000),
    rateLimit:
      rateLimit === undefined
        ? undefined
        : {
            limit: rateLimit,
            interval: optionalNumber(values, 'rate.interval', problems, 1) ?? 1000,
            burst: Math.round(optionalNumber(values, 'rate.burst', problems, 0, 1000) ?? 0),
          },
    authorization: (values.authorization ?? '').trim(),
    apiKey: (values.apiKey ?? '').trim(),
    idempotencyKey: values.idempotencyKey === 'on',
    bypassCache: values.cache === 'on',
    policies: POLICIES.filter((name) => (values.policies ?? '').split(',').includes(name)),
  }
  return { settings, problems }
}
