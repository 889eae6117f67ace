import { describe, expectTypeOf, it } from 'vitest'
import {
  asCompleted,
  createClient,
  settle,
  type CallOptions,
  type HTTPError,
  type Progress,
  type SafeResult,
  type Settled,
  type VolleyError,
  type VolleyResponse,
} from '@volley/core'

interface User {
  id: number
}

const api = createClient({ baseURL: 'https://api.example.test' })

describe('responseType narrows the result', () => {
  it('gives each non-JSON responseType its own type, on every flavour of the client', () => {
    expectTypeOf(api.get('/f', { responseType: 'blob' })).toEqualTypeOf<Promise<Blob>>()
    expectTypeOf(api.get('/f', { responseType: 'text' })).toEqualTypeOf<Promise<string>>()
    expectTypeOf(api.get('/f', { responseType: 'arrayBuffer' })).toEqualTypeOf<Promise<ArrayBuffer>>()
    expectTypeOf(api.get('/f', { responseType: 'stream' })).toEqualTypeOf<Promise<ReadableStream<Uint8Array>>>()
    expectTypeOf(api('/f', { responseType: 'text' })).toEqualTypeOf<Promise<string>>()
    expectTypeOf(api.post('/f', { body: { a: 1 }, responseType: 'text' })).toEqualTypeOf<Promise<string>>()
    expectTypeOf(api.raw.get('/f', { responseType: 'blob' })).toEqualTypeOf<Promise<VolleyResponse<Blob>>>()
    expectTypeOf(api.safe.get('/f', { responseType: 'arrayBuffer' })).toEqualTypeOf<Promise<SafeResult<ArrayBuffer, unknown>>>()
  })

  it("keeps the caller's type for JSON, no responseType, or options not known literally", () => {
    expectTypeOf(api.get<User>('/u', { responseType: 'json' })).toEqualTypeOf<Promise<User>>()
    expectTypeOf(api.get<User>('/u', { timeout: 1_000 })).toEqualTypeOf<Promise<User>>()
    expectTypeOf(api.get('/u', { responseType: 'json' })).toEqualTypeOf<Promise<unknown>>()
    const options: CallOptions = {}
    expectTypeOf(api.get<User>('/u', options)).toEqualTypeOf<Promise<User>>()
    // An explicit type argument wins (the README's `api.get<Blob>(url, { responseType: 'blob' })`).
    expectTypeOf(api.get<Blob>('/f', { responseType: 'blob' })).toEqualTypeOf<Promise<Blob>>()
  })

  it('never lets a type argument hide what a literal responseType returns', () => {
    // The type argument cannot re-type the body: a blob is a Blob even when asked for as a User.
    expectTypeOf(api.get<User>('/f', { responseType: 'blob' })).toEqualTypeOf<Promise<Blob>>()
    expectTypeOf(api.get<User>('/f', { responseType: 'text' })).toEqualTypeOf<Promise<string>>()
    expectTypeOf(api.post<User>('/f', { body: 'x', responseType: 'arrayBuffer' })).toEqualTypeOf<Promise<ArrayBuffer>>()
    expectTypeOf(api<User>('/f', { responseType: 'stream' })).toEqualTypeOf<Promise<ReadableStream<Uint8Array>>>()
    expectTypeOf(api.raw.get<User>('/f', { responseType: 'blob' })).toEqualTypeOf<Promise<VolleyResponse<Blob>>>()
    expectTypeOf(api.safe.get<User, { title: string }>('/f', { responseType: 'text' })).toEqualTypeOf<
      Promise<SafeResult<string, { title: string }>>
    >()
    // So using the result as the type asked for is the type error.
    const asUser = async (): Promise<User> => {
      // @ts-expect-error a Blob is not a User
      const user: User = await api.get<User>('/f', { responseType: 'blob' })
      return user
    }
    void asUser
  })

  it('gives a responseType only known as a union the union of its results', () => {
    const responseType = 'text' as 'text' | 'blob'
    expectTypeOf(api.get('/f', { responseType })).toEqualTypeOf<Promise<string | Blob>>()
  })

  it('still types callbacks in the options from their context', () => {
    api.get('/f', {
      responseType: 'blob',
      onDownloadProgress: (progress) => expectTypeOf(progress).toEqualTypeOf<Progress>(),
    })
  })

  it('still rejects unknown response types and client-only options', () => {
    // @ts-expect-error unknown response type
    api.get('/x', { responseType: 'xml' })
    // @ts-expect-error concurrency creates a pool: a client option, not a call option
    api.raw.get('/x', { concurrency: 4 })
  })
})

describe('fan-out failures are volley errors', () => {
  it('types settle(), client.settle() and asCompleted() failures as VolleyError', async () => {
    const outcomes = await settle([1, 2], async (n) => n * 2)
    expectTypeOf(outcomes).toEqualTypeOf<Array<Settled<number>>>()
    const outcome = outcomes[0]!
    if (!outcome.ok) {
      expectTypeOf(outcome.error).toEqualTypeOf<VolleyError>()
      expectTypeOf(outcome.error.code).toBeString()
    } else expectTypeOf(outcome.value).toEqualTypeOf<number>()

    const pages = await settle(['/a', '/b'], (url, _, signal) => api.get(url, { signal, responseType: 'text' }), { concurrency: 2 })
    expectTypeOf(pages).toEqualTypeOf<Array<Settled<string>>>()
    for await (const first of asCompleted([Promise.resolve(1)])) {
      if (!first.ok) expectTypeOf(first.error).toEqualTypeOf<VolleyError>()
    }
  })

  it('keeps safe() failures as HTTPError<E> | VolleyError', async () => {
    const result = await api.safe.get<User, { title: string }>('/u')
    if (!result.ok) expectTypeOf(result.error).toEqualTypeOf<HTTPError<{ title: string }> | VolleyError>()
  })
})
