/**
 * Bad input at call time, as a production build reports it (docs/DESIGN.md#development-and-production-messages):
 * the same TypeError, naming what was wrong, without the development build's explanation; and the
 * same classification. Option errors have their own file (option-checks.test.ts, all three modes).
 * Here `process.env.NODE_ENV` is "production" for the whole call, as a bundler that folded it
 * would make it; a page without `process` is covered where the message is built synchronously.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BROWSER_NETWORK_FAILURES, asCompleted, clientFactory, createClient, createProgressTracker, createRateLimiter, isNetworkError, lines, logEvents, map, sse } from '@volley/core'
import { transportFailure } from '@volley/core/internal'
import { useChaosServer } from './helpers/chaos.js'
import { coded, failure, resettingTransport, type Failure } from './helpers/failure.js'

const server = useChaosServer()

/** Runs each test of the calling block as a production build: `process.env.NODE_ENV` is "production" throughout. */
function asProductionBuild(): void {
  let saved: string | undefined
  beforeEach(() => {
    saved = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
  })
  afterEach(() => {
    // Assigning undefined would store the string "undefined".
    if (saved === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = saved
  })
}

describe('call-time errors in a production build', () => {
  asProductionBuild()

  it('an unrecognised transport failure is a TypeError with its message and code, without the hint', () => {
    const error = transportFailure(new TypeError('fetch failed', { cause: coded('ERR_TLS_CERT_ALTNAME_INVALID', 'altname mismatch') }), { method: 'GET', url: 'https://api.test/x' })
    expect(error).toBeInstanceOf(TypeError)
    expect(isNetworkError(error)).toBe(false)
    expect(error.message).toBe('volley: GET https://api.test/x: altname mismatch (ERR_TLS_CERT_ALTNAME_INVALID)')
    expect((error as Failure).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
    // Classification is the same in both builds.
    expect(isNetworkError(transportFailure(coded('ECONNRESET'), { method: 'GET', url: 'https://api.test/x' }))).toBe(true)
  })

  it('an ftp: URL fails once with a TypeError naming what failed', async () => {
    const error = await failure(createClient({ retry: { limit: 3, delay: 1 } }).get('ftp://127.0.0.1/file.txt'))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/^volley: GET ftp:\/\/127\.0\.0\.1\/file\.txt: /)
    expect(error.message).not.toMatch(/expected an http: or https: URL/)
    expect(error.meta?.attempts).toBe(1)
  })

  it('a socket code the browser table does not know is not retried, as in development', async () => {
    const transport = resettingTransport()
    const browserLike = clientFactory({ networkFailures: BROWSER_NETWORK_FAILURES })({ transport, retry: { limit: 2, delay: 0 } })
    const error = await failure(browserLike.get('https://api.test/x'))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe('volley: GET https://api.test/x: ECONNRESET')
    expect(transport.calls).toBe(1)
  })

  it('an invalid URL is refused with a TypeError naming it, before anything is sent', async () => {
    const error = await failure(createClient().get('http://127.0.0.1:port/json'))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe('volley: invalid URL "http://127.0.0.1:port/json"')
  })

  it('a path that climbs above the baseURL is refused with a TypeError naming both', async () => {
    const error = await failure(createClient({ baseURL: `${server().url}/v1/`, headers: { authorization: 'Bearer s3cret' } }).get('../admin'))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe('volley: the URL "../admin" climbs above the baseURL\'s path "/v1/"')
  })
})

describe('bad arguments to the helpers in a production build', () => {
  asProductionBuild()

  it.each([
    ['map items', () => map(42 as never, (x) => x), 'volley: map(): invalid `items`'],
    ['map concurrency', () => map([1], (x) => x, { concurrency: 0 }), 'volley: map(): invalid option `concurrency`'],
    ['map stopOnError', () => map([1], (x) => x, { stopOnError: 'yes' as never }), 'volley: map(): invalid option `stopOnError`'],
    ['asCompleted tasks', () => asCompleted(42 as never), 'volley: asCompleted(): invalid `tasks`'],
    ['sse retryDelay', () => sse({ connect: async () => null, retryDelay: -1 }), 'volley: sse(): invalid option `retryDelay`'],
    ['createProgressTracker interval', () => createProgressTracker({ onProgress: () => {}, interval: -1 }), 'volley: createProgressTracker(): invalid option `interval`'],
    ['logEvents logger', () => logEvents(null as never), 'volley: logEvents(): invalid `logger`'],
    ['rateLimiter.take cost', () => createRateLimiter({ limit: 1 }).take({ cost: 5 }), 'volley: rateLimiter.take(): invalid `cost`'],
    ['rateLimiter.take since', () => createRateLimiter({ limit: 1 }).take({ since: 'now' as never }), 'volley: rateLimiter.take(): invalid `since`'],
    ['rateLimiter.pauseUntil until', () => createRateLimiter({ limit: 1 }).pauseUntil('k', 'later' as never), 'volley: rateLimiter.pauseUntil(): invalid `until`'],
    ['lines maxLineLength', () => lines(new Response('a\\n').body!, { maxLineLength: 0 }), 'volley: invalid option `maxLineLength`'],
  ])('%s: a TypeError naming it', async (_name, run, message) => {
    let thrown: unknown
    try {
      const result = run() as unknown
      // Async helpers reject; iterators fail on the first step.
      if (result instanceof Promise) await result
      else if (typeof (result as AsyncIterator<unknown> | null)?.next === 'function') await (result as AsyncIterator<unknown>).next()
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(TypeError)
    expect((thrown as Error).message).toBe(message)
  })
})

describe('call-time errors where there is no `process` (a page without a bundler)', () => {
  it('gives the production message', () => {
    const saved = globalThis.process
    let error: Error
    try {
      ;(globalThis as { process?: unknown }).process = undefined
      error = transportFailure(new TypeError('fetch failed', { cause: new Error('unknown scheme') }), { method: 'GET', url: 'ftp://host/x' })
    } finally {
      globalThis.process = saved
    }
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe('volley: GET ftp://host/x: unknown scheme')
  })

  it('and the development message where NODE_ENV is anything else', () => {
    const error = transportFailure(new TypeError('fetch failed', { cause: new Error('unknown scheme') }), { method: 'GET', url: 'ftp://host/x' })
    expect(error.message).toBe('volley: GET ftp://host/x: unsupported URL scheme "ftp:": expected an http: or https: URL')
  })
})
