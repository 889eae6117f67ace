import { inspect } from 'node:util'
import { type } from 'arktype'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  createClient,
  createMetrics,
  isValidationError,
  streamNdjson,
  streamSSE,
  validation,
  type StandardSchemaV1,
  type VolleyEvent,
} from '@volley/core'
import { uniqueKey, useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()

// The chaos server's /json: {"hello":"world","n":1,"ok":true,"list":[1,2,3],"nested":{"a":"b"},"text":"volley chaos"}
const schemas = {
  zod: { good: z.object({ hello: z.string(), n: z.number() }), bad: z.object({ hello: z.number() }) },
  valibot: { good: v.object({ hello: v.string(), n: v.number() }), bad: v.object({ hello: v.number() }) },
  arktype: { good: type({ hello: 'string', n: 'number' }), bad: type({ hello: 'number' }) },
} satisfies Record<string, { good: StandardSchemaV1; bad: StandardSchemaV1 }>

describe('schema (Standard Schema v1) with validation()', () => {
  for (const [vendor, { good, bad }] of Object.entries(schemas)) {
    it(`${vendor}: resolves with the schema's output`, async () => {
      const api = createClient({ baseURL: server().url, use: [validation()] })
      const data = await api.get('/json', { schema: good })
      // Unknown keys are stripped by zod and valibot objects; arktype keeps them.
      expect(data).toMatchObject({ hello: 'world', n: 1 })
    })

    it(`${vendor}: a mismatch is a ValidationError with the issues, never retried`, async () => {
      const metrics = createMetrics()
      const api = createClient({ baseURL: server().url, metrics, retry: { limit: 3, delay: 1 }, use: [validation()] })
      const error = await api.get('/json?token=s3cret', { schema: bad }).catch((e: unknown) => e)
      expect(isValidationError(error)).toBe(true)
      if (!isValidationError(error)) return
      expect(error.code).toBe('ERR_VALIDATION')
      expect(error.vendor).toBe(vendor)
      expect(error.issues.length).toBeGreaterThanOrEqual(1)
      expect(error.issues[0]!.path).toEqual(['hello'])
      expect(error.attempts).toBe(1)
      expect(error.request?.url).not.toContain('s3cret')
      expect(`${String(error)} ${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`).not.toContain('s3cret')
      expect(server().stats.count('json')).toBe(1)
      expect(metrics.snapshot().errors).toEqual({ ERR_VALIDATION: 1 })
      expect(metrics.snapshot().outcomes).toMatchObject({ validation: 1, other: 0 })
    })
  }

  it('works through raw and safe, and with async validation', async () => {
    const api = createClient({ baseURL: server().url, use: [validation()] })
    const raw = await api.raw.get('/json', { schema: schemas.zod.good })
    expect(raw.status).toBe(200)
    expect(raw.data).toEqual({ hello: 'world', n: 1 })
    const safe = await api.safe.get('/json', { schema: schemas.valibot.bad })
    expect(safe.ok).toBe(false)
    expect(!safe.ok && isValidationError(safe.error)).toBe(true)
    const later = z.object({ n: z.number() }).refine(async (value) => value.n === 1)
    expect(await api.get('/json', { schema: later })).toEqual({ n: 1 })
    const never = z.object({ n: z.number() }).refine(async (value) => value.n === 2, 'n must be 2')
    const error = await api.get('/json', { schema: never }).catch((e: unknown) => e)
    expect(isValidationError(error) && error.issues[0]!.message).toBe('n must be 2')
  })

  it('leaves error statuses alone: an HTTPError, not a ValidationError', async () => {
    const api = createClient({ baseURL: server().url, retry: 0, use: [validation()] })
    const error = await api.get('/status/404', { schema: schemas.zod.good }).catch((e: unknown) => e)
    expect(isValidationError(error)).toBe(false)
    expect((error as { code: string }).code).toBe('ERR_HTTP')
  })

  it('the attempt records the failure and the pool slot comes back', async () => {
    const events: VolleyEvent[] = []
    const api = createClient({ baseURL: server().url, use: [validation()], onEvent: (e) => events.push(e) })
    await api.get('/json', { schema: schemas.arktype.bad }).catch(() => {})
    expect(events.map((e) => e.type)).toEqual(['start', 'queued', 'sent', 'headers', 'attempt-end', 'settle'])
    expect(events.find((e) => e.type === 'attempt-end')).toMatchObject({ error: 'ERR_VALIDATION', status: 200 })
  })

  it('validates each NDJSON row and each SSE event\'s JSON data', async () => {
    const api = createClient({ baseURL: server().url, use: [validation()] })
    const rows: { i: number }[] = []
    for await (const row of streamNdjson(api, '/ndjson?count=5', { schema: z.object({ i: z.number() }) })) rows.push(row)
    expect(rows).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })))
    const failing = streamNdjson(api, '/ndjson?count=5', { schema: z.object({ i: z.number().max(2) }) })
    const seen: number[] = []
    const error = await (async () => {
      for await (const row of failing) seen.push(row.i)
    })().catch((e: unknown) => e)
    expect(seen).toEqual([0, 1, 2])
    expect(isValidationError(error) && error.issues[0]!.path).toEqual(['i'])

    const events: number[] = []
    for await (const event of streamSSE(api, `/sse?count=3&interval=1&key=${uniqueKey()}`, { schema: v.object({ i: v.number() }) })) events.push(event.data.i)
    expect(events).toEqual([1, 2, 3])
  })

  it('says what to do without validation(), and refuses what is not a schema', async () => {
    const api = createClient({ baseURL: server().url })
    await expect(api.get('/json', { schema: schemas.zod.good })).rejects.toThrow(/`schema` needs the validation policy: pass `use: \[validation\(\)\]`/)
    expect(() => createClient({ schema: schemas.zod.good })).toThrow(/needs the validation policy/)
    const checked = createClient({ baseURL: server().url, use: [validation()] })
    await expect(checked.get('/json', { schema: { parse: () => 1 } as never })).rejects.toThrow(/`schema` must be a Standard Schema v1 validator/)
    await expect(checked.get('/json', { schema: schemas.zod.good, responseType: 'stream' })).rejects.toThrow(/validates a parsed body, not a stream/)
    expect(() => createClient({ schemma: schemas.zod.good } as never)).toThrow(/did you mean `schema`/)
    expect(() => streamNdjson(api, '/ndjson', { schema: schemas.zod.good })).toThrow(/needs the validation policy/)
  })
})
