import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, isAbortError, isTimeoutError, offlinePause, type VolleyEvent } from '@volley/core'
import { uniqueKey, useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

// DOM glue only: navigator.onLine and the window's `online` event (happy-dom). The same policy is
// proven in real Chromium and Firefox, offline for real, by e2e/specs/offline.spec.ts.
const server = useChaosServer()
let online = true
Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => online })

function goOnline(): void {
  online = true
  window.dispatchEvent(new Event('online'))
}

afterEach(() => goOnline())

describe('offlinePause()', () => {
  it('admits at once while online', async () => {
    const policy = offlinePause()
    const events: VolleyEvent[] = []
    const api = createClient({ baseURL: server().url, use: [policy], onEvent: (e) => events.push(e) })
    await api.get('/json')
    expect(events.some((e) => e.type === 'offline')).toBe(false)
    expect(server().stats.count('json')).toBe(1)
  })

  it('holds calls while offline and sends each once when the network is back', async () => {
    const policy = offlinePause()
    const events: VolleyEvent[] = []
    const api = createClient({ baseURL: server().url, use: [policy], onEvent: (e) => events.push(e) })
    online = false
    const key = uniqueKey('off')
    const calls = [0, 1, 2].map(() => api.raw.get(`/json?key=${key}`))
    await vi.waitFor(() => expect(policy.waiting).toBe(3), handshake)
    expect(server().stats.count('json')).toBe(0)
    goOnline()
    const responses = await Promise.all(calls)
    expect(responses.map((r) => r.meta.attempts)).toEqual([1, 1, 1])
    expect(server().stats.count('json')).toBe(3)
    expect(policy.waiting).toBe(0)
    const offline = events.filter((e) => e.type === 'offline') as { waiting: boolean }[]
    expect(offline.map((e) => e.waiting)).toEqual([true, true, true, false, false, false])
  })

  it('still ends the wait at the total deadline, and leaves nothing waiting', async () => {
    const policy = offlinePause()
    const api = createClient({ baseURL: server().url, timeout: { total: 50 }, use: [policy] })
    online = false
    const error = await api.get('/json').catch((e: unknown) => e)
    expect(isTimeoutError(error) && error.phase).toBe('total')
    expect(policy.waiting).toBe(0)
    expect(server().stats.count('json')).toBe(0)
  })

  it("ends the wait on the caller's abort", async () => {
    const policy = offlinePause()
    const api = createClient({ baseURL: server().url, use: [policy] })
    online = false
    const controller = new AbortController()
    const call = api.get('/json', { signal: controller.signal })
    await vi.waitFor(() => expect(policy.waiting).toBe(1), handshake)
    controller.abort()
    expect(isAbortError(await call.catch((e: unknown) => e))).toBe(true)
    expect(policy.waiting).toBe(0)
  })

  it('takes no options', () => {
    expect(() => offlinePause({ wait: 1 } as never)).toThrow(/^volley: offlinePause\(\): unknown option `wait`$/)
  })
})
