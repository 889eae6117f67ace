import { describe, expect, it } from 'vitest'
import { createClient, isNetworkError, isNetworkFailure, type Meta } from '@volley/core'
import { transportFailure } from '@volley/core/internal'
import { closedPort, useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()
const request = { method: 'GET', url: 'https://api.test/x' }

type Failure = Error & { code?: string; meta?: Meta; attempts?: number }

function failure(promise: Promise<unknown>): Promise<Failure> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (error: Failure) => error,
  )
}

const coded = (code: string, message = code): Error => Object.assign(new Error(message), { code })

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
