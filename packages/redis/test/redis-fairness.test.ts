import { createRateLimiter, type Clock, type RateLimiterPolicy } from '@volley/core'
import { describe, expect, it, vi } from 'vitest'
import { createRedisStore } from '../src/index.js'
import { handshake } from '../../core/test/helpers/handshake.js'
import { useRedisClient, useRedisServer } from './helpers/redis-server.js'

const redis = useRedisServer()
const a = useRedisClient('redis', redis)
const b = useRedisClient('ioredis', redis)

const config = { limit: 1000, interval: 1000, capacity: 5 }
let unique = 0
const key = (): string => `https://fair-${++unique}.example`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** A pause no loaded machine outlives: the test ends it (`endPause`) when it is ready, not a timer. */
const LONG = 60_000
/**
 * Where a test is not about lapsing or failing: tickets that outlive any stall of a loaded
 * machine, and no deadline on Redis's answers (at the default 500 ms, one slow answer on a loaded
 * machine would fail a take, and these tests are about order).
 */
const KEEP = { ticketGraceMs: LONG, timeoutMs: LONG }

/** The raw commands the tests use to watch and steer Redis, on the ioredis connection. */
const raw = () => b.client as import('ioredis').Redis
/** Ends the pause of `k` at once, as its running out would: the documented key `volley:{<key>}:p` goes. */
const endPause = async (k: string): Promise<void> => void (await raw().del(`volley:{${k}}:p`))
/** Callers of `k` holding a ticket in Redis (the fair queue). */
const tickets = (k: string): Promise<number> => raw().zcard(`volley:{${k}}:q`)

/**
 * A clock on real time (so the ages the limiter sends Redis are true) whose timers fire only when
 * the test calls `wake()`: a limiter that was told to wait asks Redis again exactly when the test
 * says, which is how the test picks which process asks first.
 */
function createWakeClock(): Clock & { wake(): void; readonly armed: number; readonly pending: number } {
  const timers = new Map<number, () => void>()
  let armed = 0
  return {
    now: () => Date.now(),
    setTimeout(callback) {
      timers.set(++armed, callback)
      return armed
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    wake() {
      const due = [...timers.values()]
      timers.clear()
      for (const callback of due) callback()
    },
    get armed() {
      return armed
    },
    get pending() {
      return timers.size
    },
  }
}

describe('fairQueue: callers of several processes served in the order they first asked', () => {
  it('makes a younger caller of another process wait for an older one after a pause, even with tokens to spare', async () => {
    const older = createRedisStore({ client: a.client, fairQueue: true, ...KEEP })
    const younger = createRedisStore({ client: b.client, fairQueue: true, ...KEEP })
    const k = key()
    await older.pause(k, Date.now() + LONG)
    const now = Date.now()
    expect(await older.take(k, now, config, now - 5000)).toBeGreaterThan(0) // asked 5 s ago: the call that got the 429
    expect(await younger.take(k, now, config, now)).toBeGreaterThan(0)
    await endPause(k)
    // The pause is over and the bucket holds 5 tokens, yet the younger caller goes second.
    expect(await younger.take(k, Date.now(), config, now)).toBeGreaterThan(0)
    expect(await older.take(k, Date.now(), config, now - 5000)).toBe(0)
    expect(await younger.take(k, Date.now(), config, now)).toBe(0)
  })

  it('stops holding others back once a caller that went away lets its ticket lapse', async () => {
    const gone = createRedisStore({ client: a.client, fairQueue: true, ticketGraceMs: 100, timeoutMs: LONG })
    const waiting = createRedisStore({ client: b.client, fairQueue: true, ticketGraceMs: 100, timeoutMs: LONG })
    const k = key()
    await gone.pause(k, Date.now() + 100)
    const now = Date.now()
    await gone.take(k, now, config, now - 1000) // and never asks again
    // Redis keeps real time: the ticket lapses 100 ms after the pause's end. Waiting longer only
    // makes sure (a take after the pause leaves no ticket at all).
    await sleep(300)
    expect(await waiting.take(k, Date.now(), config, now)).toBe(0)
  })

  it('serves the limiters of two processes in first-asked order when the pause ends, whichever asks first', async () => {
    const k = key()
    const clocks = [createWakeClock(), createWakeClock()] as const
    // Room for all four at once when the pause ends: only the fair queue orders them.
    const [first, second] = [a, b].map((c, i) =>
      createRateLimiter({ limit: 5, interval: 1000, burst: 4, clock: clocks[i], store: createRedisStore({ client: c.client, fairQueue: true, ...KEEP }) }),
    ) as [RateLimiterPolicy, RateLimiterPolicy]
    const [firstClock, secondClock] = clocks
    const order: string[] = []
    first.pauseUntil(k, Date.now() + LONG)
    await vi.waitFor(async () => expect(await raw().pttl(`volley:{${k}}:p`)).toBeGreaterThan(0), handshake)

    // Ten seconds apart: Redis places a caller at (its time) - (the caller's age), so a ticket's
    // place is off by the caller's latency to Redis; no loaded machine's latency comes near 10 s.
    const start = Date.now()
    const takes = [
      first.take({ key: k, since: start - 30_000 }).then(() => order.push('first asked at -30 s')),
      first.take({ key: k, since: start - 10_000 }).then(() => order.push('first asked at -10 s')),
    ]
    // The first process's head has its ticket in Redis before the second process asks.
    await vi.waitFor(async () => expect([firstClock.pending, await tickets(k)]).toEqual([1, 1]), handshake)
    takes.push(
      second.take({ key: k, since: start - 20_000 }).then(() => order.push('second asked at -20 s')),
      second.take({ key: k, since: start }).then(() => order.push('second asked at 0 s')),
    )
    await vi.waitFor(async () => expect([secondClock.pending, await tickets(k)]).toEqual([1, 2]), handshake)
    await endPause(k)

    /** Wakes one process's limiter and waits until it has asked Redis and has a waiter sleeping again (or none left). */
    const step = async (clock: (typeof clocks)[number], served: string[], waiting: number): Promise<void> => {
      const armed = clock.armed
      clock.wake()
      await vi.waitFor(() => {
        expect(order).toEqual(served)
        expect(clock.armed - armed).toBe(waiting)
      }, handshake)
    }
    // Each time, the process whose waiter is younger asks first, and is held for the older one.
    await step(secondClock, [], 1)
    await step(firstClock, ['first asked at -30 s'], 1)
    await step(secondClock, ['first asked at -30 s', 'second asked at -20 s'], 1)
    await step(firstClock, ['first asked at -30 s', 'second asked at -20 s', 'first asked at -10 s'], 0)
    await step(secondClock, ['first asked at -30 s', 'second asked at -20 s', 'first asked at -10 s', 'second asked at 0 s'], 0)
    await Promise.all(takes)
    expect(await tickets(k)).toBe(0)
  })
})
