import { describe, expectTypeOf, it } from 'vitest'
import {
  createClient,
  HTTPError,
  isHTTPError,
  isTimeoutError,
  type Meta,
  type SafeResult,
  type TimeoutPhase,
  type VolleyError,
  type VolleyResponse,
} from '@volley/core'

interface User {
  id: number
  name: string
}
interface Problem {
  title: string
}

const api = createClient({ baseURL: 'https://api.example.test' })

describe('public types', () => {
  it('types JSON results by the generic', () => {
    expectTypeOf(api.get<User>('/u/1')).toEqualTypeOf<Promise<User>>()
    expectTypeOf(api<User[]>('/u')).toEqualTypeOf<Promise<User[]>>()
    expectTypeOf(api.get('/u/1')).toEqualTypeOf<Promise<unknown>>()
  })

  it('gives raw responses data and meta', () => {
    expectTypeOf(api.raw.get<User>('/u/1')).toEqualTypeOf<Promise<VolleyResponse<User>>>()
    expectTypeOf<VolleyResponse<User>['data']>().toEqualTypeOf<User>()
    expectTypeOf<VolleyResponse<User>['meta']>().toEqualTypeOf<Meta>()
    expectTypeOf<VolleyResponse<User>>().toMatchTypeOf<Response>()
  })

  it('narrows safe results on ok', async () => {
    const result = await api.safe.get<User, Problem>('/u/1')
    expectTypeOf(result).toEqualTypeOf<SafeResult<User, Problem>>()
    if (result.ok) {
      expectTypeOf(result.data).toEqualTypeOf<User>()
      expectTypeOf(result.error).toEqualTypeOf<undefined>()
    } else {
      expectTypeOf(result.data).toEqualTypeOf<undefined>()
      expectTypeOf(result.error).toEqualTypeOf<HTTPError<Problem> | VolleyError>()
      if (isHTTPError<Problem>(result.error)) expectTypeOf(result.error.data).toEqualTypeOf<Problem>()
    }
  })

  it('narrows errors with the guards', () => {
    const error: unknown = new Error('x')
    if (isTimeoutError(error)) expectTypeOf(error.phase).toEqualTypeOf<TimeoutPhase>()
    if (isHTTPError<Problem>(error)) {
      expectTypeOf(error.status).toEqualTypeOf<number>()
      expectTypeOf(error.data).toEqualTypeOf<Problem>()
    }
  })

  it('rejects options of the wrong type at compile time', () => {
    // @ts-expect-error timeout phases are numbers
    createClient({ timeout: { total: '5s' } })
    // @ts-expect-error unknown response type
    api.get('/x', { responseType: 'xml' })
    // @ts-expect-error concurrency creates a pool: a client option, not a call option
    api.get('/x', { concurrency: 4 })
  })
})
