/**
 * The tables of a client's and a call's options: every name with the rule its value must pass
 * (docs/DESIGN.md#option-checks). Apart from resolve-options.ts so that file stays about merging.
 */
import { anything, isClock, isCount, isFunction, isNonNegative, isObject, isString, isStrings, optionError, rule, type Rules } from './option-check.js'
import type { Policy } from '../policies/policy.js'
import type { Pool } from '../limits/pool.js'
import type { RateLimiter } from '../limits/rate-limiter.js'
import type { StandardSchemaV1 } from '../policies/standard-schema.js'

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

const RESPONSE_TYPES: ReadonlySet<unknown> = new Set(['json', 'text', 'blob', 'arrayBuffer', 'stream'])

/** A hook: a function or an array of them (ofetch runs arrays in order). */
const isHook = /* @__PURE__ */ rule(
  (v) => typeof v === 'function' || (Array.isArray(v) && v.every((f) => typeof f === 'function')),
  () => process.env.NODE_ENV !== 'production' && 'a function or an array of functions',
)
/** A phase timeout: ms above 0 (Infinity for none), or false. */
export const isDuration = /* @__PURE__ */ rule(
  (v) => v === false || (typeof v === 'number' && v > 0),
  () => process.env.NODE_ENV !== 'production' && 'a positive number of milliseconds or false',
)
const isStatuses = /* @__PURE__ */ rule(
  (v) => Array.isArray(v) && v.every((s) => Number.isInteger(s)),
  () => process.env.NODE_ENV !== 'production' && 'an array of status codes',
)

function isPool(value: unknown): value is Pool {
  return typeof (value as Pool | undefined)?.acquire === 'function'
}

function isRateLimiter(value: unknown): value is RateLimiter {
  return typeof (value as RateLimiter | undefined)?.take === 'function'
}

/**
 * Every option a client or a call accepts, with the rule its value must pass (fetch pass-through
 * names and ofetch's names included; `anything` where resolveOptions checks the value itself).
 */
export const OPTIONS: Rules = {
  baseURL: isString,
  method: anything,
  headers: anything,
  query: isObject,
  body: anything,
  responseType: /* @__PURE__ */ rule((v) => RESPONSE_TYPES.has(v), () => process.env.NODE_ENV !== 'production' && "'json', 'text', 'blob', 'arrayBuffer' or 'stream'"),
  parseResponse: isFunction,
  signal: /* @__PURE__ */ rule((v) => typeof v === 'object' && v !== null && 'aborted' in v, () => process.env.NODE_ENV !== 'production' && 'an AbortSignal'),
  timeout: anything,
  retry: anything,
  idempotencyKey: /* @__PURE__ */ rule((v) => typeof v === 'boolean' || typeof v === 'string', () => process.env.NODE_ENV !== 'production' && 'true, false or a string'),
  schema: /* @__PURE__ */ rule(
    (v) => typeof (v as Partial<StandardSchemaV1> | null)?.['~standard']?.validate === 'function',
    () => process.env.NODE_ENV !== 'production' && 'a Standard Schema v1 validator (zod, valibot, arktype...)',
  ),
  pool: /* @__PURE__ */ rule(isPool, () => process.env.NODE_ENV !== 'production' && 'a Pool from createPool() (e.g. `pool: createPool({ concurrency: 8 })`)'),
  priority: /* @__PURE__ */ rule((v) => typeof v === 'number' && !Number.isNaN(v), () => process.env.NODE_ENV !== 'production' && 'a number'),
  rateLimit: /* @__PURE__ */ rule(isRateLimiter, () => process.env.NODE_ENV !== 'production' && 'a RateLimiter from createRateLimiter({ limit, interval })'),
  cost: /* @__PURE__ */ rule(
    (v) => (typeof v === 'number' ? v > 0 : typeof v === 'object' && v !== null && Object.values(v).every((c) => typeof c === 'number' && c >= 0)),
    () => process.env.NODE_ENV !== 'production' && 'a positive number, or an object of non-negative numbers per named limit',
  ),
  metrics: /* @__PURE__ */ rule((v) => typeof (v as Partial<Policy> | null)?.settled === 'function', () => process.env.NODE_ENV !== 'production' && 'Metrics from createMetrics()'),
  use: anything,
  onDownloadProgress: isFunction,
  onUploadProgress: isFunction,
  maxBodySize: /* @__PURE__ */ rule(isNonNegative, () => process.env.NODE_ENV !== 'production' && 'a non-negative number of bytes'),
  transport: isFunction,
  clock: isClock,
  onEvent: isFunction,
  onRequest: isHook,
  onRequestError: isHook,
  onResponse: isHook,
  onResponseError: isHook,
  cache: anything,
  credentials: anything,
  integrity: anything,
  keepalive: anything,
  mode: anything,
  redirect: anything,
  referrer: anything,
  referrerPolicy: anything,
  ignoreResponseError: anything,
  params: anything,
  retryDelay: anything,
  retryStatusCodes: anything,
}

export const TIMEOUT_OPTIONS: Rules = { total: isDuration, attempt: isDuration, idle: isDuration, queue: isDuration, connect: isDuration }

export const RETRY_OPTIONS: Rules = {
  limit: isCount,
  methods: isStrings,
  statusCodes: isStatuses,
  afterStatusCodes: isStatuses,
  delay: isNonNegative,
  factor: /* @__PURE__ */ rule((v) => typeof v === 'number' && v >= 1, () => process.env.NODE_ENV !== 'production' && 'a number >= 1'),
  maxDelay: isNonNegative,
  jitter: /* @__PURE__ */ rule((v) => v === 'full' || v === 'equal' || v === 'none', () => process.env.NODE_ENV !== 'production' && "'full', 'equal' or 'none'"),
  maxRetryAfter: isNonNegative,
  shouldRetry: isFunction,
  onRetry: isFunction,
}

/** Options that moved in the lean client, with where they went (docs/MIGRATION.md). */
export const MOVED = ['concurrency', 'logger'] as const

/** A TypeError for an option that moved, naming where it went. */
export function movedOption(name: (typeof MOVED)[number]): TypeError {
  return optionError('', `unknown option \`${name}\``, () =>
    process.env.NODE_ENV !== 'production' &&
    `\`${name}\` is no longer an option: ${name === 'logger' ? 'pass `onEvent: logEvents(logger)`' : 'pass `pool: createPool({ concurrency })`'}`,
  )
}
