import { describe, expect, it, vi } from 'vitest'
import { createManualClock } from '../src/runtime/manual-clock.js'
import { isAbortError, isQueueFullError } from '../src/errors/index.js'
import { createPool, type Release } from '../src/limits/pool.js'

/** Lets every pending promise callback run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

/** A small deterministic PRNG (mulberry32), so a failing storm can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Acquires and records the order in which slots are granted. */
function track(order: string[], name: string, promise: Promise<Release>): Promise<Release> {
  return promise.then((release) => {
    order.push(name)
    return release
  })
}

describe('createPool', () => {
  it('hands out a slot at once when one is free and nothing waits', async () => {
    const pool = createPool({ concurrency: 2 })
    const acquired = pool.acquire()
    expect(acquired).toBeInstanceOf(Promise)
    expect(pool.stats).toMatchObject({ active: 1, queued: 0 })
    const release = await acquired
    release()
    expect(pool.stats).toMatchObject({ active: 0, completed: 1 })
  })

  it.each([1, 2, 3])('never holds more slots than its caps under a storm of acquires, aborts and releases (seed %i)', async (seed) => {
    const next = random(seed)
    const concurrency = 4
    const perOrigin = 2
    const pool = createPool({ concurrency, perOrigin, maxQueue: 40 })
    const origins = ['https://a.test', 'https://b.test', 'https://c.test', undefined]
    const perOriginActive = new Map<string | undefined, number>()
    const held: Array<{ release: Release; origin: string | undefined }> = []
    const controllers: AbortController[] = []
    const settleCounts: number[] = []
    let inFlight = 0
    let granted = 0
    let released = 0
    let aborted = 0
    let refused = 0

    for (let step = 0; step < 1500; step++) {
      const roll = next()
      if (roll < 0.5) {
        const origin = origins[Math.floor(next() * origins.length)]
        const controller = next() < 0.4 ? new AbortController() : undefined
        if (controller) controllers.push(controller)
        const id = settleCounts.push(0) - 1
        pool.acquire({ origin, priority: Math.floor(next() * 3), signal: controller?.signal }).then(
          (release) => {
            settleCounts[id]!++
            granted++
            inFlight++
            const count = (perOriginActive.get(origin) ?? 0) + 1
            perOriginActive.set(origin, count)
            expect(inFlight).toBeLessThanOrEqual(concurrency)
            if (origin !== undefined) expect(count).toBeLessThanOrEqual(perOrigin)
            held.push({ release, origin })
          },
          (error: unknown) => {
            settleCounts[id]!++
            if (isQueueFullError(error)) refused++
            else if (error === controller?.signal.reason) aborted++
            else throw error
          },
        )
      } else if (roll < 0.65) {
        controllers[Math.floor(next() * controllers.length)]?.abort(new Error(`abort at step ${step}`))
      } else {
        await flush() // every grant so far is observed, so `inFlight` is exact when we release
        const index = Math.floor(next() * held.length)
        const slot = held[index]
        if (slot) {
          held.splice(index, 1)
          inFlight--
          perOriginActive.set(slot.origin, (perOriginActive.get(slot.origin) ?? 0) - 1)
          released++
          slot.release(next() < 0.3 ? 'failed' : 'completed')
          if (next() < 0.2) slot.release() // a second call must change nothing
        }
      }
      expect(pool.stats.active).toBeLessThanOrEqual(concurrency)
    }

    // Drain: release everything held until nobody waits any more.
    for (;;) {
      await flush()
      const slot = held.pop()
      if (!slot) break
      inFlight--
      perOriginActive.set(slot.origin, (perOriginActive.get(slot.origin) ?? 0) - 1)
      released++
      slot.release()
    }
    await pool.onIdle()
    const stats = pool.stats
    expect(stats).toMatchObject({ active: 0, queued: 0 })
    expect(stats.completed + stats.failed).toBe(granted)
    expect(released).toBe(granted)
    expect(stats.maxActive).toBeLessThanOrEqual(concurrency)
    expect(settleCounts.every((count) => count === 1)).toBe(true)
    expect(granted + aborted + refused).toBe(settleCounts.length)
    // The storm really exercised every path.
    expect(Math.min(granted, aborted, refused, stats.failed)).toBeGreaterThan(10)
  })

  it('serves higher priorities first and keeps FIFO order within a priority', async () => {
    const pool = createPool({ concurrency: 1 })
    pool.pause()
    const order: string[] = []
    const waits = [
      track(order, 'low-1', pool.acquire({ priority: -1 })),
      track(order, 'normal-1', pool.acquire()),
      track(order, 'high-1', pool.acquire({ priority: 5 })),
      track(order, 'normal-2', pool.acquire({ priority: 0 })),
      track(order, 'high-2', pool.acquire({ priority: 5 })),
      track(order, 'mid-1', pool.acquire({ priority: 2 })),
      track(order, 'low-2', pool.acquire({ priority: -1 })),
    ]
    expect(pool.stats).toMatchObject({ active: 0, queued: 7, paused: true })
    pool.resume()
    // With one slot, releasing each grant in turn reveals the service order.
    for (let served = 1; served <= waits.length; served++) {
      await flush()
      expect(order).toHaveLength(served)
      expect(pool.stats).toMatchObject({ active: 1, queued: waits.length - served })
      const name = order[served - 1] as string
      const index = ['low-1', 'normal-1', 'high-1', 'normal-2', 'high-2', 'mid-1', 'low-2'].indexOf(name)
      ;(await waits[index]!)()
    }
    expect(order).toEqual(['high-1', 'high-2', 'mid-1', 'normal-1', 'normal-2', 'low-1', 'low-2'])
    expect(pool.stats).toMatchObject({ active: 0, queued: 0, completed: 7 })
  })

  it('caps the slots held by one origin', async () => {
    const pool = createPool({ concurrency: 10, perOrigin: 2 })
    const a = 'https://a.test'
    const first = await pool.acquire({ origin: a })
    await pool.acquire({ origin: a })
    const third = pool.acquire({ origin: a })
    expect(pool.stats).toMatchObject({ active: 2, queued: 1 })
    first()
    expect(pool.stats).toMatchObject({ active: 2, queued: 0 }) // handed over within release()
    await third
  })

  it('lets waiters of other origins pass an origin that is at its cap', async () => {
    const pool = createPool({ concurrency: 2, perOrigin: 1 })
    const order: string[] = []
    const a1 = await pool.acquire({ origin: 'a' })
    const a2 = track(order, 'a2', pool.acquire({ origin: 'a', priority: 9 })) // queued: origin a is at its cap
    const b1 = await pool.acquire({ origin: 'b' }) // a2 does not block b
    const c1 = track(order, 'c1', pool.acquire({ origin: 'c' })) // queued: the pool is full
    const c2 = track(order, 'c2', pool.acquire({ origin: 'c' }))
    expect(pool.stats).toMatchObject({ active: 2, queued: 3 })
    b1() // a2 is older and higher, but a is still at its cap: c1 goes
    await flush()
    expect(order).toEqual(['c1'])
    a1() // now a2 can go; c2 must wait for c1 (origin c at its cap) and for a free slot
    await flush()
    expect(order).toEqual(['c1', 'a2'])
    ;(await c1)()
    await flush()
    expect(order).toEqual(['c1', 'a2', 'c2'])
    ;(await a2)()
    ;(await c2)()
    expect(pool.stats).toMatchObject({ active: 0, queued: 0, maxActive: 2 })
  })

  it('removes a waiter whose signal aborts at once and rejects with the reason', async () => {
    const pool = createPool({ concurrency: 1 })
    const release = await pool.acquire()
    const controller = new AbortController()
    const order: string[] = []
    const aborted = pool.acquire({ signal: controller.signal })
    const after = track(order, 'after', pool.acquire())
    expect(pool.stats.queued).toBe(2)
    const reason = new Error('user cancelled')
    controller.abort(reason)
    expect(pool.stats.queued).toBe(1) // synchronously, not at the next release
    await expect(aborted).rejects.toBe(reason)
    release()
    ;(await after)()
    expect(order).toEqual(['after'])
    expect(pool.stats).toMatchObject({ active: 0, queued: 0, completed: 2 })
  })

  it('rejects an already aborted signal without queueing, even when a slot is free', async () => {
    const pool = createPool({ concurrency: 1 })
    const reason = new Error('too late')
    const free = pool.acquire({ signal: AbortSignal.abort(reason) })
    expect(pool.stats).toMatchObject({ active: 0, queued: 0 })
    await expect(free).rejects.toBe(reason)
    const release = await pool.acquire()
    const busy = pool.acquire({ signal: AbortSignal.abort(reason) })
    expect(pool.stats).toMatchObject({ active: 1, queued: 0 })
    await expect(busy).rejects.toBe(reason)
    release()
  })

  it('removes its abort listener when a waiter is granted, so none outlives the wait', async () => {
    const pool = createPool({ concurrency: 1 })
    const release = await pool.acquire()
    const controller = new AbortController()
    const add = vi.spyOn(controller.signal, 'addEventListener')
    const remove = vi.spyOn(controller.signal, 'removeEventListener')
    const waiting = pool.acquire({ signal: controller.signal })
    expect(add).toHaveBeenCalledTimes(1)
    release()
    expect(remove).toHaveBeenCalledTimes(1)
    expect(remove.mock.calls[0]?.[1]).toBe(add.mock.calls[0]?.[1])
    controller.abort() // after the grant: changes nothing
    const second = await waiting
    expect(pool.stats).toMatchObject({ active: 1, queued: 0 })
    second()
  })

  it('rejects at once with QueueFullError beyond maxQueue', async () => {
    const pool = createPool({ concurrency: 1, maxQueue: 2 })
    const release = await pool.acquire()
    const queued = [pool.acquire(), pool.acquire()]
    const refused = pool.acquire()
    expect(pool.stats.queued).toBe(2)
    const error = await refused.catch((caught: unknown) => caught)
    expect(isQueueFullError(error)).toBe(true)
    expect(error).toMatchObject({ maxQueue: 2 })
    release()
    for (const wait of queued) (await wait)()
  })

  it('rejects every queued waiter on clear(reason) with an AbortError carrying the reason, leaving held slots alone', async () => {
    const pool = createPool({ concurrency: 2, perOrigin: 1 })
    const held = [await pool.acquire({ origin: 'a' }), await pool.acquire({ origin: 'b' })]
    const controller = new AbortController()
    const remove = vi.spyOn(controller.signal, 'removeEventListener')
    const queued = [
      pool.acquire({ origin: 'a' }),
      pool.acquire({ origin: 'c', signal: controller.signal }),
      pool.acquire({ priority: 3 }),
    ]
    const reason = { why: 'shutting down' }
    pool.clear(reason)
    expect(pool.stats).toMatchObject({ active: 2, queued: 0 })
    expect(remove).toHaveBeenCalledTimes(1)
    for (const wait of queued) {
      const error = await wait.catch((caught: unknown) => caught)
      expect(isAbortError(error)).toBe(true)
      expect(error).toMatchObject({ reason })
    }
    for (const release of held) release()
    expect(pool.stats).toMatchObject({ active: 0, completed: 2 })
  })

  it('ignores a second release of the same slot', async () => {
    const pool = createPool({ concurrency: 1 })
    const release = await pool.acquire()
    const next = pool.acquire()
    const other = pool.acquire()
    release()
    release('failed')
    expect(pool.stats).toMatchObject({ active: 1, queued: 1, completed: 1, failed: 0 })
    ;(await next)()
    ;(await other)()
  })

  it('resolves every onIdle and onDrained caller when the pool drains and idles', async () => {
    const pool = createPool({ concurrency: 1 })
    await expect(pool.onIdle()).resolves.toBeUndefined()
    await expect(pool.onDrained()).resolves.toBeUndefined()
    const events: string[] = []
    const first = await pool.acquire()
    const second = pool.acquire()
    void pool.onIdle().then(() => events.push('idle 1'))
    void pool.onIdle().then(() => events.push('idle 2'))
    void pool.onDrained().then(() => events.push('drained 1'))
    void pool.onDrained().then(() => events.push('drained 2'))
    await flush()
    expect(events).toEqual([])
    first()
    await flush()
    expect(events).toEqual(['drained 1', 'drained 2'])
    ;(await second)()
    await flush()
    expect(events).toEqual(['drained 1', 'drained 2', 'idle 1', 'idle 2'])
  })

  it('hands out no slot while paused and resumes in order', async () => {
    const pool = createPool({ concurrency: 2 })
    const running = await pool.acquire()
    pool.pause()
    const waiting = pool.acquire()
    running()
    expect(pool.stats).toMatchObject({ active: 0, queued: 1, paused: true })
    pool.resume()
    expect(pool.stats).toMatchObject({ active: 1, queued: 0, paused: false })
    ;(await waiting)()
  })

  it('runs tasks, releasing as completed or failed, and tracks maxActive', async () => {
    const pool = createPool({ concurrency: 3, clock: createManualClock() })
    let running = 0
    const task = (fail: boolean) => async () => {
      running++
      await flush()
      running--
      if (fail) throw new Error('task failed')
      return 'ok'
    }
    const results = await Promise.allSettled([
      ...Array.from({ length: 7 }, () => pool.run(task(false))),
      pool.run(task(true)),
      pool.run(() => {
        throw new Error('sync throw')
      }),
      pool.run(() => 42),
    ])
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(8)
    expect(results[9]).toEqual({ status: 'fulfilled', value: 42 })
    expect(running).toBe(0)
    expect(pool.stats).toEqual({ active: 0, queued: 0, completed: 8, failed: 2, maxActive: 3, paused: false, concurrency: 3 })
  })

  it('settles a queued run with the signal reason when aborted, without running the task', async () => {
    const pool = createPool({ concurrency: 1 })
    const release = await pool.acquire()
    const controller = new AbortController()
    const task = vi.fn(() => 'never')
    const run = pool.run(task, { signal: controller.signal })
    controller.abort('stop')
    await expect(run).rejects.toBe('stop')
    release()
    expect(task).not.toHaveBeenCalled()
    expect(pool.stats).toMatchObject({ active: 0, queued: 0, completed: 1 })
  })

  it('rejects invalid options with a TypeError naming the option, the expectation and the value', () => {
    expect(() => createPool({ concurrency: -1 })).toThrow(
      new TypeError('volley: createPool(): `concurrency` must be a positive integer or Infinity, got -1'),
    )
    expect(() => createPool({ concurrency: 1.5 })).toThrow(/`concurrency` must be a positive integer or Infinity, got 1.5/)
    expect(() => createPool({ perOrigin: 0 })).toThrow(/`perOrigin` must be a positive integer or Infinity, got 0/)
    expect(() => createPool({ maxQueue: -2 })).toThrow(/`maxQueue` must be a non-negative integer or Infinity, got -2/)
    expect(() => createPool({ clock: {} as never })).toThrow(/`clock` must be a Clock \(\{ now, setTimeout, clearTimeout \}\), got an object/)
    expect(() => createPool({ concurrency: Infinity, maxQueue: 0 })).not.toThrow()
  })
})
