import { type } from 'arktype'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { createClient, streamNdjson, streamSSE, validation, type SSEMessage, type ValidationError, type VolleyError } from '@volley/core'

const api = createClient({ use: [validation()] })
const User = z.object({ id: z.number(), name: z.string() })

describe('schema types', () => {
  it('a call resolves with the schema output, for zod, valibot and arktype', () => {
    expectTypeOf(api.get('/u', { schema: User })).resolves.toEqualTypeOf<{ id: number; name: string }>()
    expectTypeOf(api.post('/u', { schema: v.object({ ok: v.boolean() }) })).resolves.toEqualTypeOf<{ ok: boolean }>()
    expectTypeOf(api('/u', { schema: type({ n: 'number' }) })).resolves.toEqualTypeOf<{ n: number }>()
    // The output, not the input: a transform changes the type.
    expectTypeOf(api.get('/u', { schema: z.string().transform((s) => s.length) })).resolves.toEqualTypeOf<number>()
  })

  it('raw and safe carry the schema output', async () => {
    const raw = await api.raw.get('/u', { schema: User })
    expectTypeOf(raw.data).toEqualTypeOf<{ id: number; name: string }>()
    const safe = await api.safe.get('/u', { schema: User })
    if (safe.ok) expectTypeOf(safe.data).toEqualTypeOf<{ id: number; name: string }>()
    else expectTypeOf(safe.error).toMatchTypeOf<VolleyError>()
  })

  it('without a schema, the caller type and responseType still decide', () => {
    expectTypeOf(api.get<{ a: 1 }>('/u')).resolves.toEqualTypeOf<{ a: 1 }>()
    expectTypeOf(api.get('/u', { responseType: 'text' })).resolves.toEqualTypeOf<string>()
  })

  it('stream helpers yield validated items', () => {
    expectTypeOf(streamNdjson(api, '/rows', { schema: User })).toEqualTypeOf<AsyncIterableIterator<{ id: number; name: string }>>()
    expectTypeOf(streamNdjson<{ i: number }>(api, '/rows')).toEqualTypeOf<AsyncIterableIterator<{ i: number }>>()
    const events = streamSSE(api, '/events', { schema: User })
    expectTypeOf<Awaited<ReturnType<typeof events.next>>['value']>().toMatchTypeOf<{ data: { id: number; name: string }; event: string } | void>()
    expectTypeOf(streamSSE(api, '/events')).toEqualTypeOf<AsyncIterableIterator<SSEMessage>>()
  })

  it('ValidationError is a VolleyError with issues', () => {
    expectTypeOf<ValidationError>().toMatchTypeOf<VolleyError>()
    expectTypeOf<ValidationError['issues'][number]['path']>().toEqualTypeOf<readonly PropertyKey[]>()
  })
})
