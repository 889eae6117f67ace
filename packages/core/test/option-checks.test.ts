/**
 * Every option path, checked the same way (docs/DESIGN.md#option-checks): a client's and a call's
 * options at every depth, every factory of every package. Each case runs three times: in a
 * development build (the full message: what is wrong, what was expected, the closest name), in a
 * production build (`process.env.NODE_ENV === 'production'`: a short message that still names the
 * option) and where there is no `process` at all (a browser without a bundler: the short message).
 */
import { describe, expect, it } from 'vitest'
import {
  asCompleted,
  cache,
  circuitBreaker,
  createClient,
  createMetrics,
  createPool,
  createRateLimiter,
  dedupe,
  hedge,
  map,
  offlinePause,
  progress,
  retryBudget,
  settle,
  sse,
  validation,
  type VolleyOptions,
} from '@volley/core'
import { resolveOptions } from '@volley/core/internal'
import { createNodeTransport, download as nodeDownload, fileBody } from '@volley/node'
import { createBrowserTransport, createXhrTransport, download as browserDownload, saveFile } from '@volley/browser'
import { createRedisCacheStore, createRedisPool, createRedisStore } from '@volley/redis'

type Mode = 'development' | 'production' | 'no process'

interface Case {
  /** What is called. */
  readonly name: string
  readonly run: () => unknown
  /** The whole development message. */
  readonly dev: string
  /** The whole production message. */
  readonly prod: string
}

/** Runs `run` as a build of `mode` would, and returns the TypeError's message. */
async function messageIn(mode: Mode, run: () => unknown): Promise<string> {
  const env = process.env.NODE_ENV
  const saved = globalThis.process
  if (mode === 'production') process.env.NODE_ENV = 'production'
  if (mode === 'development') process.env.NODE_ENV = 'development'
  let result: unknown
  try {
    if (mode === 'no process') (globalThis as { process?: unknown }).process = undefined
    try {
      // The check runs before the first await of an async factory, so the mode is in force for it.
      result = run()
    } finally {
      globalThis.process = saved
      process.env.NODE_ENV = env
    }
    await result
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError)
    return (error as TypeError).message
  }
  throw new Error('no TypeError')
}

const fn = (): void => {}
const URL_ = 'http://volley.test/'

/** A client's options: each case also runs per call, and through resolveOptions. */
const clientCases: readonly { options: unknown; dev: string; prod: string }[] = [
  { options: { qurey: {} }, dev: 'volley: unknown option `qurey`; did you mean `query`?', prod: 'volley: unknown option `qurey`' },
  { options: { retries: 3 }, dev: 'volley: unknown option `retries`; did you mean `retry`?', prod: 'volley: unknown option `retries`' },
  { options: { timeouts: 5 }, dev: 'volley: unknown option `timeouts`; did you mean `timeout`?', prod: 'volley: unknown option `timeouts`' },
  { options: { baseUrl: '/' }, dev: 'volley: unknown option `baseUrl`; did you mean `baseURL`?', prod: 'volley: unknown option `baseUrl`' },
  { options: { onDownload: fn }, dev: 'volley: unknown option `onDownload`; did you mean `onDownloadProgress`?', prod: 'volley: unknown option `onDownload`' },
  { options: { zzzzzzzz: 1 }, dev: 'volley: unknown option `zzzzzzzz`', prod: 'volley: unknown option `zzzzzzzz`' },
  // Own keys that a plain-object lookup would find on Object.prototype (JSON.parse makes them own).
  { options: JSON.parse('{"__proto__": {"a": 1}}'), dev: 'volley: unknown option `__proto__`', prod: 'volley: unknown option `__proto__`' },
  { options: JSON.parse('{"constructor": 1}'), dev: 'volley: unknown option `constructor`', prod: 'volley: unknown option `constructor`' },
  { options: JSON.parse('{"toString": 1}'), dev: 'volley: unknown option `toString`', prod: 'volley: unknown option `toString`' },
  { options: JSON.parse('{"hasOwnProperty": 1}'), dev: 'volley: unknown option `hasOwnProperty`', prod: 'volley: unknown option `hasOwnProperty`' },
  { options: { concurrency: 4 }, dev: 'volley: `concurrency` is no longer an option: pass `pool: createPool({ concurrency })`', prod: 'volley: unknown option `concurrency`' },
  { options: { logger: console }, dev: 'volley: `logger` is no longer an option: pass `onEvent: logEvents(logger)`', prod: 'volley: unknown option `logger`' },
  { options: { timeout: -1 }, dev: 'volley: `timeout` must be a positive number of milliseconds or false, got -1', prod: 'volley: invalid option `timeout`' },
  { options: { timeout: 'soon' }, dev: 'volley: `timeout` must be a number, an object of phases or false, got "soon"', prod: 'volley: invalid option `timeout`' },
  { options: { maxBodySize: -5 }, dev: 'volley: `maxBodySize` must be a non-negative number of bytes, got -5', prod: 'volley: invalid option `maxBodySize`' },
  { options: { onRequest: 'log' }, dev: 'volley: `onRequest` must be a function or an array of functions, got "log"', prod: 'volley: invalid option `onRequest`' },
  { options: { pool: { concurrency: 2 } }, dev: 'volley: `pool` must be a Pool from createPool() (e.g. `pool: createPool({ concurrency: 8 })`), got an object', prod: 'volley: invalid option `pool`' },
  { options: { headers: { 'bad name': '1' } }, dev: 'volley: invalid header name "bad name": expected a token (letters, digits and !#$%&\'*+.^_`|~-)', prod: 'volley: invalid header name "bad name"' },
  { options: { params: 'a=1' }, dev: 'volley: `params` must be an object, got "a=1"', prod: 'volley: invalid option `params`' },
  // Nested: retry
  { options: { retry: { limt: 3 } }, dev: 'volley: unknown option `retry.limt`; did you mean `retry.limit`?', prod: 'volley: unknown option `retry.limt`' },
  { options: { retry: { statusCode: [500] } }, dev: 'volley: unknown option `retry.statusCode`; did you mean `retry.statusCodes`?', prod: 'volley: unknown option `retry.statusCode`' },
  { options: { retry: { delayMs: 5 } }, dev: 'volley: unknown option `retry.delayMs`; did you mean `retry.delay`?', prod: 'volley: unknown option `retry.delayMs`' },
  { options: { retry: { limit: -1 } }, dev: 'volley: `retry.limit` must be a non-negative integer, got -1', prod: 'volley: invalid option `retry.limit`' },
  { options: { retry: { jitter: 'some' } }, dev: "volley: `retry.jitter` must be 'full', 'equal' or 'none', got \"some\"", prod: 'volley: invalid option `retry.jitter`' },
  { options: { retry: { statusCodes: ['500'] } }, dev: 'volley: `retry.statusCodes` must be an array of status codes, got an array', prod: 'volley: invalid option `retry.statusCodes`' },
  { options: { retry: 1.5 }, dev: 'volley: `retry` must be a non-negative integer, an object or false, got 1.5', prod: 'volley: invalid option `retry`' },
  // Nested: timeout
  { options: { timeout: { totl: 5 } }, dev: 'volley: unknown option `timeout.totl`; did you mean `timeout.total`?', prod: 'volley: unknown option `timeout.totl`' },
  { options: { timeout: { idle: 'x' } }, dev: 'volley: `timeout.idle` must be a positive number of milliseconds or false, got "x"', prod: 'volley: invalid option `timeout.idle`' },
  // `use` entries that are not policies
  { options: { use: [progress] }, dev: 'volley: `use[0]` is the function `progress`, not a policy: call it (`use: [progress()]`)', prod: 'volley: invalid option `use[0]`' },
  { options: { use: [validation(), retryBudget] }, dev: 'volley: `use[1]` is the function `retryBudget`, not a policy: call it (`use: [retryBudget()]`)', prod: 'volley: invalid option `use[1]`' },
  { options: { use: [{}] }, dev: 'volley: `use[0]` must be a policy (an object with a `name`, such as `progress()`), got an object', prod: 'volley: invalid option `use[0]`' },
  { options: { use: progress() }, dev: 'volley: `use` must be an array of policies, such as `[progress()]`, got an object', prod: 'volley: invalid option `use`' },
  // What needs a policy
  { options: { onDownloadProgress: fn }, dev: 'volley: `onDownloadProgress` needs the progress policy: pass `use: [progress()]` to createClient (or to the call)', prod: 'volley: `onDownloadProgress` needs progress()' },
]

/** Every factory's options, in every package. */
const factoryCases: readonly Case[] = [
  { name: 'createPool', run: () => createPool({ concurency: 4 } as never), dev: 'volley: createPool(): unknown option `concurency`; did you mean `concurrency`?', prod: 'volley: createPool(): unknown option `concurency`' },
  { name: 'createPool', run: () => createPool({ concurrency: 0 }), dev: 'volley: createPool(): `concurrency` must be a positive integer or Infinity, got 0', prod: 'volley: createPool(): invalid option `concurrency`' },
  { name: 'createPool', run: () => createPool(null as never), dev: 'volley: createPool(): `options` must be an object, got null', prod: 'volley: createPool(): invalid option `options`' },
  { name: 'createRateLimiter', run: () => createRateLimiter({ limit: 10, intervall: 500 } as never), dev: 'volley: createRateLimiter(): unknown option `intervall`; did you mean `interval`?', prod: 'volley: createRateLimiter(): unknown option `intervall`' },
  { name: 'createRateLimiter', run: () => createRateLimiter({} as never), dev: 'volley: createRateLimiter(): `limit` must be a positive number, got undefined', prod: 'volley: createRateLimiter(): invalid option `limit`' },
  { name: 'createRateLimiter', run: () => createRateLimiter({ limit: 1, limits: { tokens: { limt: 5 } } } as never), dev: 'volley: createRateLimiter(): unknown option `limits.tokens.limt`; did you mean `limits.tokens.limit`?', prod: 'volley: createRateLimiter(): unknown option `limits.tokens.limt`' },
  { name: 'createRateLimiter', run: () => createRateLimiter({ limit: 1, burst: 1.5 }), dev: 'volley: createRateLimiter(): `burst` must be a non-negative integer, got 1.5', prod: 'volley: createRateLimiter(): invalid option `burst`' },
  { name: 'createMetrics', run: () => createMetrics({ pol: createPool() } as never), dev: 'volley: createMetrics(): unknown option `pol`; did you mean `pool`?', prod: 'volley: createMetrics(): unknown option `pol`' },
  { name: 'retryBudget', run: () => retryBudget({ ratios: 0.1 } as never), dev: 'volley: retryBudget(): unknown option `ratios`; did you mean `ratio`?', prod: 'volley: retryBudget(): unknown option `ratios`' },
  { name: 'retryBudget', run: () => retryBudget({ adaptive: { kk: 2 } } as never), dev: 'volley: retryBudget(): unknown option `adaptive.kk`; did you mean `adaptive.k`?', prod: 'volley: retryBudget(): unknown option `adaptive.kk`' },
  { name: 'retryBudget', run: () => retryBudget({ ratio: 0 }), dev: 'volley: retryBudget(): `ratio` must be a positive number, got 0', prod: 'volley: retryBudget(): invalid option `ratio`' },
  { name: 'circuitBreaker', run: () => circuitBreaker({ failure: 3 } as never), dev: 'volley: circuitBreaker(): unknown option `failure`; did you mean `failures`?', prod: 'volley: circuitBreaker(): unknown option `failure`' },
  { name: 'circuitBreaker', run: () => circuitBreaker({ failureRate: { treshold: 0.5 } } as never), dev: 'volley: circuitBreaker(): unknown option `failureRate.treshold`; did you mean `failureRate.threshold`?', prod: 'volley: circuitBreaker(): unknown option `failureRate.treshold`' },
  { name: 'circuitBreaker', run: () => circuitBreaker({ failureRate: { threshold: 2 } }), dev: 'volley: circuitBreaker(): `failureRate.threshold` must be a number in (0, 1], got 2', prod: 'volley: circuitBreaker(): invalid option `failureRate.threshold`' },
  { name: 'hedge', run: () => hedge({ afer: 10 } as never), dev: 'volley: hedge(): unknown option `afer`; did you mean `after`?', prod: 'volley: hedge(): unknown option `afer`' },
  { name: 'hedge', run: () => hedge({ after: 'fast' as never }), dev: 'volley: hedge(): `after` must be a delay in ms (>= 0) or a percentile such as \'p95\', got "fast"', prod: 'volley: hedge(): invalid option `after`' },
  { name: 'cache', run: () => cache({ maxEntrySize: 1 } as never), dev: 'volley: cache(): unknown option `maxEntrySize`; did you mean `maxEntryBytes`?', prod: 'volley: cache(): unknown option `maxEntrySize`' },
  { name: 'cache', run: () => cache({ heuristic: 2 }), dev: 'volley: cache(): `heuristic` must be a fraction between 0 and 1, or false, got 2', prod: 'volley: cache(): invalid option `heuristic`' },
  { name: 'cache', run: () => cache({ store: {} as never }), dev: 'volley: cache(): `store` must be a store with get, set and delete methods, got an object', prod: 'volley: cache(): invalid option `store`' },
  { name: 'dedupe', run: () => dedupe({ header: ['x'] } as never), dev: 'volley: dedupe(): unknown option `header`; did you mean `headers`?', prod: 'volley: dedupe(): unknown option `header`' },
  { name: 'offlinePause', run: () => offlinePause({ wait: 1 } as never), dev: 'volley: offlinePause(): unknown option `wait`', prod: 'volley: offlinePause(): unknown option `wait`' },
  { name: 'progress', run: () => progress({ onDownloadProgress: fn } as never), dev: 'volley: progress(): unknown option `onDownloadProgress`', prod: 'volley: progress(): unknown option `onDownloadProgress`' },
  { name: 'validation', run: () => validation({ schema: {} } as never), dev: 'volley: validation(): unknown option `schema`', prod: 'volley: validation(): unknown option `schema`' },
  { name: 'map', run: () => map([1], fn, { concurency: 2 } as never), dev: 'volley: map(): unknown option `concurency`; did you mean `concurrency`?', prod: 'volley: map(): unknown option `concurency`' },
  { name: 'settle', run: () => settle([1], fn, { stopOnError: true } as never), dev: 'volley: settle(): unknown option `stopOnError`', prod: 'volley: settle(): unknown option `stopOnError`' },
  { name: 'asCompleted', run: () => asCompleted([], { signals: AbortSignal.abort() } as never), dev: 'volley: asCompleted(): unknown option `signals`; did you mean `signal`?', prod: 'volley: asCompleted(): unknown option `signals`' },
  { name: 'sse', run: () => sse({ connect: async () => null, retries: 3 } as never), dev: 'volley: sse(): unknown option `retries`; did you mean `maxRetries`?', prod: 'volley: sse(): unknown option `retries`' },
  // @volley/node
  { name: 'createNodeTransport', run: () => createNodeTransport({ keepAlive: 1000 } as never), dev: 'volley: createNodeTransport(): unknown option `keepAlive`; did you mean `keepAliveTimeout`?', prod: 'volley: createNodeTransport(): unknown option `keepAlive`' },
  { name: 'createNodeTransport', run: () => createNodeTransport({ tls: { rejectUnauthorised: false } } as never), dev: 'volley: createNodeTransport(): unknown option `tls.rejectUnauthorised`; did you mean `tls.rejectUnauthorized`?', prod: 'volley: createNodeTransport(): unknown option `tls.rejectUnauthorised`' },
  { name: 'download (node)', run: () => nodeDownload(URL_, '/nonexistent/file', { resum: false } as never), dev: 'volley: download(): unknown option `resum`; did you mean `resume`?', prod: 'volley: download(): unknown option `resum`' },
  { name: 'download (node)', run: () => nodeDownload(URL_, '/nonexistent/file', { checksum: { algorithim: 'sha256' } } as never), dev: 'volley: download(): unknown option `checksum.algorithim`; did you mean `checksum.algorithm`?', prod: 'volley: download(): unknown option `checksum.algorithim`' },
  { name: 'fileBody', run: () => fileBody('/nonexistent/file', { types: 'x' } as never), dev: 'volley: fileBody(): unknown option `types`; did you mean `type`?', prod: 'volley: fileBody(): unknown option `types`' },
  // @volley/browser
  { name: 'createBrowserTransport', run: () => createBrowserTransport({ createXHR: fn } as never), dev: 'volley: createBrowserTransport(): unknown option `createXHR`; did you mean `createXhr`?', prod: 'volley: createBrowserTransport(): unknown option `createXHR`' },
  { name: 'createXhrTransport', run: () => createXhrTransport({ create: fn } as never), dev: 'volley: createXhrTransport(): unknown option `create`; did you mean `createXhr`?', prod: 'volley: createXhrTransport(): unknown option `create`' },
  { name: 'download (browser)', run: () => browserDownload(URL_, { onprogress: fn } as never), dev: 'volley: download(): unknown option `onprogress`; did you mean `onProgress`?', prod: 'volley: download(): unknown option `onprogress`' },
  { name: 'saveFile', run: () => saveFile(URL_, { suggestedname: 'a.txt' } as never), dev: 'volley: saveFile(): unknown option `suggestedname`; did you mean `suggestedName`?', prod: 'volley: saveFile(): unknown option `suggestedname`' },
  // @volley/redis (names are checked before the client is used)
  { name: 'createRedisCacheStore', run: () => createRedisCacheStore({ client: {}, timeout: 5 } as never), dev: 'volley: createRedisCacheStore(): unknown option `timeout`; did you mean `timeoutMs`?', prod: 'volley: createRedisCacheStore(): unknown option `timeout`' },
  { name: 'createRedisStore', run: () => createRedisStore({ client: {}, timeout: 5 } as never), dev: 'volley: createRedisStore(): unknown option `timeout`; did you mean `timeoutMs`?', prod: 'volley: createRedisStore(): unknown option `timeout`' },
  { name: 'createRedisPool', run: () => createRedisPool({ client: {}, concurrency: 2, lease: 10 } as never), dev: 'volley: createRedisPool(): unknown option `lease`; did you mean `leaseMs`?', prod: 'volley: createRedisPool(): unknown option `lease`' },
]

describe('option checks', () => {
  describe.each(clientCases)('a client given $options', ({ options, dev, prod }) => {
    it('is refused at creation, per call and by resolveOptions with the development message', async () => {
      expect(await messageIn('development', () => createClient(options as VolleyOptions))).toBe(dev)
      expect(await messageIn('development', () => createClient().get(URL_, options as never))).toBe(dev)
      expect(await messageIn('development', () => resolveOptions(options as VolleyOptions, createClient().defaults, 'call'))).toBe(dev)
    })

    it('is refused with a short message naming the option in a production build, and where there is no process', async () => {
      expect(await messageIn('production', () => createClient(options as VolleyOptions))).toBe(prod)
      expect(await messageIn('production', () => createClient().get(URL_, options as never))).toBe(prod)
      expect(await messageIn('no process', () => createClient(options as VolleyOptions))).toBe(prod)
    })
  })

  describe.each(factoryCases)('$name', ({ run, dev, prod }) => {
    it(`says in development: ${dev}`, async () => {
      expect(await messageIn('development', run)).toBe(dev)
    })

    it(`says in production and without process: ${prod}`, async () => {
      expect(await messageIn('production', run)).toBe(prod)
      expect(await messageIn('no process', run)).toBe(prod)
    })
  })

  it('never prints what a prototype lookup would find', async () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'valueOf']) {
      const message = await messageIn('development', () => createClient(JSON.parse(`{"${key}": 1}`)))
      expect(message).toBe(`volley: unknown option \`${key}\``)
      expect(message).not.toMatch(/\[object Object\]|native code/)
    }
  })

  it('accepts every valid nested option and factory option without a word', () => {
    expect(() => createClient({ retry: { limit: 3, statusCodes: [500], methods: ['get'], delay: 0, factor: 1, jitter: 'none' }, timeout: { total: 1000, idle: false } })).not.toThrow()
    expect(() => createPool({ concurrency: 4, perOrigin: 2, maxQueue: 0 })).not.toThrow()
    expect(() => createRateLimiter({ limit: 10, interval: 500, burst: 1, limits: { tokens: { limit: 100 } } })).not.toThrow()
    expect(() => createClient({ use: [progress(), validation(), retryBudget({ min: 0, adaptive: { k: 2 } }), circuitBreaker({ failureRate: false }), hedge({ after: 'p99' }), dedupe(), offlinePause()] })).not.toThrow()
  })
})
