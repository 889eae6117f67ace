import { describe, expect, it } from 'vitest'
import { createClient, isNetworkError } from '@volley/node'
import { failure } from '../../core/test/helpers/failure.js'
import { closedPort, useChaosServer } from './helpers/servers.js'

const server = useChaosServer()

describe('@volley/node: only network failures are retried', () => {
  it('fails a header value with a newline once', async () => {
    const client = createClient({ retry: { limit: 3, delay: 1 } })
    const error = await failure(client.get(`${server().url}/echo`, { headers: { 'x-bad': 'a\nb' } }))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/header/i)
    expect(server().stats.count('echo')).toBe(0)
    await client.close()
  })

  it('fails a redirect loop once with a TypeError', async () => {
    const client = createClient({ retry: { limit: 3, delay: 1 } })
    const error = await failure(client.get(`${server().url}/redirect-loop`))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.code).toBe('ERR_TOO_MANY_REDIRECTS')
    expect(error.meta?.attempts).toBe(1)
    await client.close()
  })

  it('still retries a refused connection as a NetworkError', async () => {
    const client = createClient({ retry: { limit: 2, delay: 1 } })
    const error = await failure(client.get(`http://127.0.0.1:${await closedPort()}/`))
    expect(isNetworkError(error)).toBe(true)
    expect(error.attempts).toBe(3)
    await client.close()
  })

  it('fails an ftp: URL once with a TypeError naming the scheme', async () => {
    const client = createClient({ retry: { limit: 3, delay: 1 } })
    const error = await failure(client.get('ftp://127.0.0.1/file.txt'))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toMatch(/unsupported URL scheme "ftp:"/)
    expect(error.meta?.attempts).toBe(1)
    await client.close()
  })
})
