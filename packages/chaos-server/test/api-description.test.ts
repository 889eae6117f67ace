import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OPENAPI_DOCUMENT, startChaosServer, type ChaosServer } from '../src/index.js'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer()
})
afterAll(() => server.close())

const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document whose paths are routes of the server', async () => {
    const response = await fetch(`${server.url}/openapi.json`)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const document = (await response.json()) as typeof OPENAPI_DOCUMENT
    expect(document).toEqual(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)))
    expect(document.openapi).toBe('3.1.0')
    for (const path of Object.keys(document.paths)) {
      const concrete = path.replace('{code}', '200').replace('{ms}', '0') + (path === '/flaky' ? '?fail=0' : '')
      const method = path === '/echo' ? 'POST' : 'GET'
      expect((await fetch(`${server.url}${concrete}`, { method, body: method === 'POST' ? '{}' : undefined })).status, path).toBe(200)
    }
  })
})

describe('POST /graphql', () => {
  it('answers any operation with data, and its variables', async () => {
    const response = await post('/graphql', { query: '{ hello }', variables: { a: 1 } })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ data: { hello: 'world', attempt: 1, variables: { a: 1 } } })
  })

  it('reports an `error` variable as GraphQL errors with a 200', async () => {
    const response = await post('/graphql', { query: '{ hello }', variables: { error: 'no hello for you' } })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ data: null, errors: [{ message: 'no hello for you', path: ['hello'] }] })
  })

  it('fails the first calls per key like /flaky, and counts held requests like /concurrency', async () => {
    const first = await post('/graphql?key=g1&fail=1&status=429&retryAfter=0', { query: '{ hello }' })
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).toBe('0')
    expect(await first.json()).toEqual({ errors: [{ message: 'Too Many Requests' }] })
    expect((await post('/graphql?key=g1&fail=1', { query: '{ hello }' })).status).toBe(200)
    await Promise.all([1, 2, 3].map(() => post('/graphql?key=g2&ms=30', { query: '{ hello }' })))
    expect(server.stats.concurrency('g2').max).toBeGreaterThanOrEqual(1)
    expect(server.stats.concurrency('g2').current).toBe(0)
  })

  it('answers 400 to a body that is not a GraphQL request', async () => {
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', body: 'hello' })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { message: string }).message).toContain('must be JSON')
    expect((await post('/graphql', { variables: {} })).status).toBe(400)
  })
})
