import type { OfetchRetryDelayContext, RetryOptions, VolleyOptions } from './options.js'
import { invalidOption, isObject, optionError } from './option-check.js'

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

export type { OfetchRetryDelayContext }


/** volley's options, ofetch's names included (they are part of `VolleyOptions`: see options.ts). */
export type OfetchCompatOptions = VolleyOptions

const OFETCH_ONLY = ['params', 'retryDelay', 'retryStatusCodes'] as const

function conflict(ofetchName: string, volleyName: string, detail = ''): TypeError {
  return optionError('', `\`${ofetchName}\` and \`${volleyName}\` both given`, () => process.env.NODE_ENV !== 'production' && `\`${ofetchName}\` and \`${volleyName}\` both given${detail}: they mean the same thing, pass one`)
}

/** ofetch's `retryDelay`: a number of ms from 0, or a function. */
const retryDelayExpects = (): string | false => process.env.NODE_ENV !== 'production' && 'a number of ms >= 0 or a function'


function mergeParams(params: unknown, query: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (params === undefined) return query
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw invalidOption('', 'params', params, isObject.expects)
  }
  if (!query) return { ...(params as Record<string, unknown>) }
  for (const [key, value] of Object.entries(params)) {
    if (key in query && query[key] !== value) throw conflict('params', 'query', ` with different values for "${key}"`)
  }
  return { ...(params as Record<string, unknown>), ...query }
}

function mapRetry(options: OfetchCompatOptions): VolleyOptions['retry'] {
  const { retry, retryDelay, retryStatusCodes } = options
  if (retryDelay === undefined && retryStatusCodes === undefined) return retry
  if (retry === false) return false
  const policy: RetryOptions = typeof retry === 'number' ? { limit: retry } : { ...retry }
  if (retryStatusCodes !== undefined) {
    if (!Array.isArray(retryStatusCodes)) throw invalidOption('', 'retryStatusCodes', retryStatusCodes, () => process.env.NODE_ENV !== 'production' && 'an array of statuses')
    if (policy.statusCodes !== undefined) throw conflict('retryStatusCodes', 'retry.statusCodes')
    policy.statusCodes = retryStatusCodes
  }
  if (typeof retryDelay === 'number') {
    if (!(retryDelay >= 0)) throw invalidOption('', 'retryDelay', retryDelay, retryDelayExpects)
    if (policy.delay !== undefined) throw conflict('retryDelay', 'retry.delay')
    // ofetch waits the same delay before every retry.
    Object.assign(policy, { delay: retryDelay, factor: 1, jitter: 'none' })
  } else if (typeof retryDelay === 'function') {
    if (policy.delay !== undefined) throw conflict('retryDelay', 'retry.delay')
    const decide = policy.shouldRetry
    // The retry decision sees the planned delay and may replace it (volley waits `context.delay`).
    policy.shouldRetry = (context) => {
      const delay = retryDelay({ request: context.error.request?.url ?? '', options, response: context.response, error: context.error })
      if (typeof delay === 'number' && delay >= 0) context.delay = delay
      return decide?.(context)
    }
  } else if (retryDelay !== undefined) {
    throw invalidOption('', 'retryDelay', retryDelay, retryDelayExpects)
  }
  return policy
}

/**
 * Maps ofetch's option names to volley's where the meaning is the same, for code moving from
 * ofetch: `params` (merged into `query`), `retryDelay` (a number, or a function of ofetch's
 * context), `retryStatusCodes` (into `retry.statusCodes`); `ignoreResponseError` is volley's own
 * option too. Pure: returns new options and never touches its input. Everything else passes
 * through as volley options.
 *
 * @throws TypeError when an ofetch name and its volley twin are both given with different
 *   meanings (`params` and `query` with the same key, `retryDelay` and `retry.delay`, ...), or a
 *   value has the wrong type.
 *
 * @example
 * const api = createClient(fromOfetchOptions({ baseURL, params: { lang: 'en' }, retry: 2, retryDelay: 500, retryStatusCodes: [503] }))
 * await api.get('/movies', fromOfetchOptions({ params: { page: 2 }, ignoreResponseError: true }))
 */
export function fromOfetchOptions(options: OfetchCompatOptions): VolleyOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('', 'options', options, isObject.expects)
  const mapped: Record<string, unknown> = { ...options }
  for (const name of OFETCH_ONLY) delete mapped[name]
  const query = mergeParams(options.params, options.query)
  if (query !== undefined) mapped.query = query
  const retry = mapRetry(options)
  if (retry !== undefined) mapped.retry = retry
  return mapped as VolleyOptions
}
