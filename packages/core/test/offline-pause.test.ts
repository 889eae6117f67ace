import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient, createManualClock, offlinePause } from '@volley/core'
import { useChaosServer } from './helpers/chaos.js'
import { handshake } from './helpers/handshake.js'

// The browser's network status, on Node's globals for this file: `navigator.onLine` and the global
// `online` event (an EventTarget). The requests are real, to the chaos server; in happy-dom an
// aborted request prints a stack trace, so the retry case lives here (the rest is in
// offline-pause.dom.test.ts, and real browsers go offline in e2e/specs/offline.spec.ts).
const server = useChaosServer()
const scope = globalThis as unknown as Record<string, unknown>
const saved = { navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator'), add: scope.addEventListener, remove: scope.removeEventListener }
let online = true
const events = new EventTarget()

beforeAll(() => {
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { get onLine() { return online } } })
  scope.addEventListener = events.addEventListener.bind(events)
  scope.removeEventListener = events.removeEventListener.bind(events)
})
afterAll(() => {
  if (saved.navigator) Object.defineProperty(globalThis, 'navigator', saved.navigator)
  else delete scope.navigator
  scope.addEventListener = saved.add
  scope.removeEventListener = saved.remove
})

describe('offlinePause() and retries', () => {
  it('a retry waits for the network instead of failing again', async () => {
    const policy = offlinePause()
    let attempt = 0
    // The manual clock times the first attempt out when the test says so: a 50 ms limit in real
    // time would also cut the second attempt short on a loaded machine.
    const clock = createManualClock()
    const api = createClient({
      baseURL: server().url,
      clock,
      timeout: { attempt: 50 },
      // The first attempt times out; the network goes away before its retry.
      retry: { limit: 1, delay: 1, onRetry: () => void (online = false) },
      use: [policy],
      onRequest: (context) => {
        if (attempt++ === 0) context.request = `${server().url}/delay/1000`
      },
    })
    const call = api.raw.get('/json')
    await vi.waitFor(() => expect(server().stats.count('delay')).toBe(1), handshake)
    await clock.advance(50)
    // The retry's 1 ms wait, then its admission waits for the network.
    await vi.waitFor(async () => {
      await clock.advance(1)
      expect(policy.waiting).toBe(1)
    }, handshake)
    expect(server().stats.count('json')).toBe(0)
    online = true
    events.dispatchEvent(new Event('online'))
    const response = await call
    expect(response.meta.attempts).toBe(2)
    expect(server().stats.count('delay')).toBe(1)
    expect(server().stats.count('json')).toBe(1)
    expect(policy.waiting).toBe(0)
  })
})
