/**
 * What volley relies on from ofetch, pinned to an exact version in packages/core/package.json
 * (docs/DESIGN.md#transports): an ofetch upgrade that changes any of it fails here before it can
 * quietly change a call. And the case that drifted once: a body read whole is always observed
 * (size limit, idle timer, progress), whatever its Content-Type's spelling, on both entries.
 */
import { createFetch } from 'ofetch'
import { describe, expect, it } from 'vitest'
import { createClient as createCoreClient, isBodyTooLargeError } from '@volley/core'
import { createClient as createNodeClient } from '@volley/node'
import { useChaosServer } from './helpers/chaos.js'

const server = useChaosServer()

/** An ofetch whose fetch answers `response` and lets `spy` see the init it was given. */
function ofetchAnswering(response: () => Response, spy?: (init: Record<string, unknown>) => void) {
  return createFetch({
    fetch: (async (_input: unknown, init: Record<string, unknown>) => {
      spy?.(init)
      return response()
    }) as unknown as typeof fetch,
  })
}

describe('ofetch, as volley relies on it', () => {
  it('reads `parseResponse` from the options object after fetch resolves (send.ts sets a strict JSON parser there)', async () => {
    const $fetch = ofetchAnswering(
      () => new Response('{"a":1}', { headers: { 'content-type': 'application/json' } }),
      (init) => (init.parseResponse = (text: string) => `strict:${text}`),
    )
    expect(await $fetch('http://volley.invalid/')).toBe('strict:{"a":1}')
  })

  it('falls back to `_bodyInit` when `body` is null (send.ts hides a transport body from the probe)', async () => {
    const $fetch = ofetchAnswering(() => {
      const response = new Response('{"a":1}', { headers: { 'content-type': 'application/json' } })
      const text = response.text.bind(response)
      Object.defineProperty(response, 'body', { value: null })
      Object.defineProperty(response, '_bodyInit', { value: true })
      Object.defineProperty(response, 'text', { value: text })
      return response
    })
    expect(await $fetch('http://volley.invalid/')).toEqual({ a: 1 })
  })

  it.each(['Text/HTML', 'Application/JSON', 'text/html; charset=UTF-8', 'image/png', ''])(
    'reads a whole body of type %j through text(), arrayBuffer() or blob() only (the methods body-observer.ts watches)',
    async (type) => {
      const called: string[] = []
      const $fetch = ofetchAnswering(() => {
        const response = new Response('{}', type ? { headers: { 'content-type': type } } : {})
        for (const method of ['text', 'arrayBuffer', 'blob', 'json', 'formData', 'bytes'] as const) {
          const native = (response as unknown as Record<string, () => Promise<unknown>>)[method]?.bind(response)
          if (native) Object.defineProperty(response, method, { value: () => (called.push(method), native()) })
        }
        return response
      })
      await $fetch.raw('http://volley.invalid/')
      expect(called).toHaveLength(1)
      expect(['text', 'arrayBuffer', 'blob']).toContain(called[0])
    },
  )

  it('hands volley the Response its fetch returned (volley watches its body through it)', async () => {
    const answer = new Response('x', { headers: { 'content-type': 'text/plain' } })
    const $fetch = ofetchAnswering(() => answer)
    expect(await $fetch.raw('http://volley.invalid/')).toBe(answer)
  })
})

describe.each([
  ['core over fetch', createCoreClient],
  ['the Node entry', createNodeClient],
] as const)('a body read whole on %s', (_entry, createClient) => {
  it.each(['Text/HTML', 'Application/JSON', 'text/html; charset=UTF-8', ''])('is held to maxBodySize whatever its Content-Type (%j)', async (type) => {
    const api = createClient({ baseURL: server().url, maxBodySize: 1000, retry: 0 })
    const error = await api.get(`/bytes/100000?chunked=1&type=${encodeURIComponent(type)}`).catch((e: unknown) => e)
    expect(isBodyTooLargeError(error)).toBe(true)
    await api.close()
  })
})
