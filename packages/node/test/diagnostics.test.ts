import { startChaosServer, type ChaosServer } from '@volley/chaos-server'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createPool, channels, createClient, type EventListener, type VolleyEvent } from '@volley/node'

let server: ChaosServer
beforeAll(async () => {
  server = await startChaosServer({ port: 0 })
})
afterAll(() => server?.close())

/** Collects what is published on `name` until the returned `stop()` unsubscribes. */
function record(name: string): { readonly seen: VolleyEvent[]; stop(): void } {
  const seen: VolleyEvent[] = []
  const onMessage = (message: unknown): void => void seen.push(message as VolleyEvent)
  subscribe(name, onMessage)
  return { seen, stop: () => void unsubscribe(name, onMessage) }
}

const TYPES = ['start', 'queued', 'slot', 'sent', 'headers', 'attempt-end', 'retry', 'settle'] as const
const fastRetry = { limit: 2, delay: 1, jitter: 'none' } as const

describe('diagnostics_channel', () => {
  it('names one channel per event type plus volley:event', () => {
    expect(Object.fromEntries(Object.entries(channels).map(([key, channel]) => [key, channel.name]))).toEqual({
      event: 'volley:event',
      start: 'volley:start',
      queued: 'volley:queued',
      slot: 'volley:slot',
      sent: 'volley:sent',
      headers: 'volley:headers',
      'attempt-end': 'volley:attempt-end',
      retry: 'volley:retry',
      hedge: 'volley:hedge',
      refused: 'volley:refused',
      circuit: 'volley:circuit',
      offline: 'volley:offline',
      shared: 'volley:shared',
      cache: 'volley:cache',
      settle: 'volley:settle',
    })
  })

  it('publishes the ordered events of a retried call on volley:event and on each type channel', async () => {
    const all = record('volley:event')
    const typed = TYPES.map((type) => [type, record(`volley:${type}`)] as const)
    const own: VolleyEvent[] = []
    const client = createClient({ pool: createPool({ concurrency: 1 }), retry: fastRetry, onEvent: (event) => own.push(event) })
    try {
      const response = await client.raw.get(`${server.url}/flaky?key=diagnostics-order&fail=1`)
      expect(response.status).toBe(200)
    } finally {
      all.stop()
      for (const [, channel] of typed) channel.stop()
      await client.close()
    }
    expect(all.seen.map((event) => event.type)).toEqual([
      'start',
      'queued', 'slot', 'sent', 'headers', 'attempt-end',
      'retry',
      'queued', 'slot', 'sent', 'headers', 'attempt-end',
      'settle',
    ])
    expect(new Set(all.seen.map((event) => event.id)).size).toBe(1)
    expect(all.seen.find((event) => event.type === 'attempt-end')).toMatchObject({ attempt: 1, status: 503, error: 'ERR_HTTP' })
    expect(all.seen.at(-1)).toMatchObject({ type: 'settle', ok: true, status: 200, meta: { attempts: 2, retries: 1 } })
    // Each type channel carries exactly that type's events, the very objects volley:event carried.
    for (const [type, channel] of typed) expect(channel.seen).toEqual(all.seen.filter((event) => event.type === type))
    expect(typed.find(([type]) => type === 'retry')![1].seen[0]).toBe(all.seen.find((event) => event.type === 'retry'))
    // The client's own onEvent keeps receiving the same stream beside the channels.
    expect(own).toEqual(all.seen)
  })

  it('allocates no events for a call that starts while nobody subscribes', async () => {
    // A listener that asks not to be woken for calls (active: false) is still called with every
    // event of a call that something else made active: it sees exactly the calls that allocated
    // events. Call ids are consumed only by active calls, so consecutive ids across inactive calls
    // prove those calls did nothing either.
    const spy = Object.assign(vi.fn<(event: VolleyEvent) => void>(), { active: () => false }) satisfies EventListener
    const client = createClient({ retry: fastRetry, onEvent: spy })
    const startIds = (): number[] => spy.mock.calls.flatMap(([event]) => (event.type === 'start' ? [event.id] : []))
    try {
      const first = record('volley:settle')
      await client.get(`${server.url}/json`)
      first.stop()
      expect(startIds()).toHaveLength(1)
      const calls = spy.mock.calls.length

      await client.get(`${server.url}/json`)
      await client.get(`${server.url}/flaky?key=diagnostics-silent&fail=1`)
      expect(spy.mock.calls.length).toBe(calls)

      const again = record('volley:settle')
      await client.get(`${server.url}/json`)
      again.stop()
      const [before, after] = startIds()
      expect(after).toBe(before! + 1)
      expect(first.seen).toHaveLength(1)
      expect(again.seen).toHaveLength(1)
    } finally {
      await client.close()
    }
  })

  it('wakes calls for a subscriber on any one channel', async () => {
    const spy = Object.assign(vi.fn<(event: VolleyEvent) => void>(), { active: () => false }) satisfies EventListener
    const client = createClient({ retry: false, onEvent: spy })
    const retries = record('volley:retry')
    try {
      await client.get(`${server.url}/json`)
    } finally {
      retries.stop()
      await client.close()
    }
    // The call was live (the spy saw it) though only volley:retry had a subscriber, which got nothing.
    expect(spy.mock.calls.map(([event]) => event.type)).toEqual(['start', 'queued', 'sent', 'headers', 'attempt-end', 'settle'])
    expect(retries.seen).toEqual([])
  })

  it('stops delivering when the subscriber unsubscribes', async () => {
    const client = createClient({ retry: false })
    const all = record('volley:event')
    try {
      await client.get(`${server.url}/json`)
      const delivered = all.seen.length
      expect(delivered).toBe(6)
      all.stop()
      await client.get(`${server.url}/json`)
      expect(all.seen.length).toBe(delivered)
    } finally {
      all.stop()
      await client.close()
    }
  })

  it('publishes no secrets: URLs are redacted and headers are never part of an event', async () => {
    const all = record('volley:event')
    const client = createClient({ retry: false, headers: { authorization: 'Bearer header-secret', 'x-api-key': 'key-secret' } })
    try {
      const url = new URL(`${server.url}/json?access_token=query-secret&page=2`)
      url.username = 'user'
      url.password = 'userinfo-secret'
      await client.get(url)
    } finally {
      all.stop()
      await client.close()
    }
    expect(all.seen.length).toBeGreaterThan(0)
    const published = JSON.stringify(all.seen)
    for (const secret of ['header-secret', 'key-secret', 'query-secret', 'userinfo-secret']) expect(published).not.toContain(secret)
    expect(all.seen[0]).toMatchObject({ type: 'start', url: expect.stringContaining('page=2') })
  })

  it('keeps publishing for clients made with extend() and for per-call listeners', async () => {
    const all = record('volley:settle')
    const perCall = vi.fn<(event: VolleyEvent) => void>()
    const base = createClient({ retry: false })
    const child = base.extend({ headers: { 'x-child': '1' } })
    try {
      await child.get(`${server.url}/json`, { onEvent: perCall })
    } finally {
      all.stop()
      await base.close()
    }
    expect(all.seen).toHaveLength(1)
    expect(perCall.mock.calls.at(-1)?.[0]).toBe(all.seen[0])
  })
})
