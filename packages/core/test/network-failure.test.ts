import { describe, expect, it } from 'vitest'
import { BROWSER_NETWORK_FAILURES, NETWORK_FAILURES, clientFactory, createClient, isNetworkError, isNetworkFailure } from '@volley/core'
import { transportFailure } from '@volley/core/internal'
import { closedPort, useChaosServer } from './helpers/chaos.js'
import { coded, failure, resettingTransport } from './helpers/failure.js'

const server = useChaosServer()
const request = { method: 'GET', url: 'https://api.test/x' }

describe('isNetworkFailure', () => {
  it('recognises listed socket and undici codes anywhere on the cause chain', () => {
    expect(isNetworkFailure(coded('ECONNRESET'))).toBe(true)
    expect(isNetworkFailure(new TypeError('fetch failed', { cause: coded('ECONNREFUSED') }))).toBe(true)
    expect(isNetworkFailure(new TypeError('terminated', { cause: coded('UND_ERR_SOCKET') }))).toBe(true)
    expect(isNetworkFailure(Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ENETUNREACH')]), {}))).toBe(true)
  })

  it("recognises the browsers' and Deno's network TypeErrors by message", () => {
    for (const message of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed']) {
      expect(isNetworkFailure(new TypeError(message))).toBe(true)
    }
    expect(isNetworkFailure(new TypeError('error sending request for url (https://x.test/): client error (Connect)'))).toBe(true)
    // The same text on a plain Error is not fetch's.
    expect(isNetworkFailure(new Error('Failed to fetch'))).toBe(false)
  })

  it("recognises Safari's `Load failed (host)` beside `Load failed`, and nothing that only starts alike", () => {
    expect(isNetworkFailure(new TypeError('Load failed (api.example.com)'))).toBe(true)
    expect(isNetworkFailure(new TypeError('Load failed (api.example.com)'), BROWSER_NETWORK_FAILURES)).toBe(true)
    expect(isNetworkFailure(new TypeError('Load failed: bad module'))).toBe(false)
    expect(isNetworkFailure(new TypeError('Load failed ()'))).toBe(false)
  })

  it('does not recognise undici wrappers whose cause is a programmer error', () => {
    expect(isNetworkFailure(new TypeError('fetch failed', { cause: new Error('unknown scheme') }))).toBe(false)
    expect(isNetworkFailure(new TypeError('fetch failed', { cause: new Error('redirect count exceeded') }))).toBe(false)
    expect(isNetworkFailure(coded('UND_ERR_INVALID_ARG', 'invalid header'))).toBe(false)
    expect(isNetworkFailure(coded('UND_ERR_CLOSED'))).toBe(false)
    expect(isNetworkFailure(coded('HPE_INVALID_CONSTANT'))).toBe(false)
    expect(isNetworkFailure(new RangeError('boom'))).toBe(false)
  })

  it('turns an unrecognised failure into a TypeError that says what was expected', () => {
    const error = transportFailure(new TypeError('fetch failed', { cause: new Error('unknown scheme') }), { method: 'GET', url: 'ftp://host/x' })
    expect(error).toBeInstanceOf(TypeError)
    expect(isNetworkError(error)).toBe(false)
    expect(error.message).toBe('volley: GET ftp://host/x: unsupported URL scheme "ftp:": expected an http: or https: URL')
    expect(isNetworkError(transportFailure(coded('ECONNRESET'), request))).toBe(true)
  })
})

/** What each engine threw for a body cut after 16 KiB of 64 KiB (e2e/specs/midbody.spec.ts; docs/DESIGN.md#what-each-engine-throws). */
const ENGINE_MESSAGES = {
  chromium: ['Failed to fetch', 'network error'],
  firefox: ['NetworkError when attempting to fetch resource.', 'Content-Length header of network response exceeds response Body.', 'Error in input stream'],
  webkit: ['Load failed', 'TypeError: Load failed'],
}

describe('classification per platform', () => {
  it("the browser table recognises every message measured in Chromium, Firefox and WebKit, as a TypeError only", () => {
    for (const [engine, messages] of Object.entries(ENGINE_MESSAGES)) {
      for (const message of messages) {
        expect(isNetworkFailure(new TypeError(message), BROWSER_NETWORK_FAILURES), `${engine}: ${message}`).toBe(true)
        expect(isNetworkFailure(new TypeError(message), NETWORK_FAILURES), `${engine}: ${message}`).toBe(true)
        expect(isNetworkFailure(new Error(message), BROWSER_NETWORK_FAILURES), `${engine}: ${message} on a plain Error`).toBe(false)
      }
    }
  })

  it('the browser table holds no socket or undici code; every platform\'s table keeps them', () => {
    expect([...BROWSER_NETWORK_FAILURES.codes]).toEqual([])
    expect(isNetworkFailure(coded('ECONNRESET'), BROWSER_NETWORK_FAILURES)).toBe(false)
    expect(isNetworkFailure(new TypeError('terminated', { cause: coded('UND_ERR_SOCKET') }), BROWSER_NETWORK_FAILURES)).toBe(false)
    expect(isNetworkFailure(new TypeError('terminated', { cause: coded('UND_ERR_SOCKET') }), NETWORK_FAILURES)).toBe(true)
  })

  it("counts Firefox's own AbortError for a reset connection only where volley did not abort", () => {
    const reset = new DOMException('The operation was aborted. ', 'AbortError')
    // isNetworkFailure cannot know who aborted: a caller's abort in Firefox carries the same message.
    expect(isNetworkFailure(reset)).toBe(false)
    // The attempt classifies only what it did not abort itself.
    expect(isNetworkError(transportFailure(reset, request, BROWSER_NETWORK_FAILURES))).toBe(true)
    expect(isNetworkError(transportFailure(new DOMException('signal is aborted without reason', 'AbortError'), request))).toBe(false)
  })

  it('a platform client carries its table through extend and into every call', () => {
    const browserLike = clientFactory({ networkFailures: BROWSER_NETWORK_FAILURES })({ retry: 1 })
    expect(browserLike.defaults.networkFailures).toBe(BROWSER_NETWORK_FAILURES)
    expect(browserLike.extend({ retry: 2 }).defaults.networkFailures).toBe(BROWSER_NETWORK_FAILURES)
    expect(createClient().defaults.networkFailures).toBe(NETWORK_FAILURES)
  })

  it('a client with the browser table does not retry a socket code it does not know', async () => {
    // A transport that fails like Node's would, under a client built with the browsers' table.
    const transport = resettingTransport()
    const browserLike = clientFactory({ networkFailures: BROWSER_NETWORK_FAILURES })({ transport, retry: { limit: 2, delay: 0 } })
    const error = await failure(browserLike.get('https://api.test/x'))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/not a recognised network failure, so it is not retried/)
    expect(transport.calls).toBe(1)
    const core = createClient({ transport, retry: { limit: 2, delay: 0 } })
    expect(isNetworkError(await failure(core.get('https://api.test/x')))).toBe(true)
    expect(transport.calls).toBe(4)
  })
})

describe('classification through a client', () => {
  it('fails an ftp: URL once with a TypeError naming the scheme', async () => {
    const error = await failure(createClient({ retry: { limit: 3, delay: 1 } }).get('ftp://127.0.0.1/file.txt'))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/unsupported URL scheme "ftp:": expected an http: or https: URL/)
    expect(error.meta?.attempts).toBe(1)
  })

  it('fails a header value with a newline once, before anything is sent', async () => {
    const error = await failure(createClient({ retry: { limit: 3, delay: 1 } }).get(`${server().url}/echo`, { headers: { 'x-bad': 'a\nb' } }))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe('volley: header "x-bad" has an invalid value: expected no CR, LF or NUL characters, got "a\\nb"')
    expect(server().stats.count('echo')).toBe(0)
  })

  it('does not quote back the value of a secret header', async () => {
    const error = await failure(createClient().get(`${server().url}/echo`, { headers: { authorization: 'Bearer sk-planted\nx' } }))
    expect(error.message).toBe('volley: header "authorization" has an invalid value: expected no CR, LF or NUL characters')
  })

  it('rejects an invalid header name with what was expected', async () => {
    await expect(createClient().get(`${server().url}/echo`, { headers: { 'bad name': 'x' } })).rejects.toThrow('volley: invalid header name "bad name": expected a token')
  })

  it('fails a redirect loop once with a TypeError on core over fetch', async () => {
    const error = await failure(createClient({ retry: { limit: 3, delay: 1 } }).get(`${server().url}/redirect-loop`))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/too many redirects/)
    expect(error.meta?.attempts).toBe(1)
  })

  it('still retries a refused connection as a NetworkError', async () => {
    const error = await failure(createClient({ retry: { limit: 2, delay: 1 } }).get(`http://127.0.0.1:${await closedPort()}/`))
    expect(isNetworkError(error)).toBe(true)
    expect(error.attempts).toBe(3)
  })
})
