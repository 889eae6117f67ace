import type { Clock, TimerHandle } from './clock.js'

/** A {@link Clock} whose time only moves when a test says so. */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, firing due timers in order. Between timers it lets pending
   * promise callbacks run, so code awaiting a timer observes the time at which it fired.
   */
  advance(ms: number): Promise<void>
  /** Number of timers waiting to fire. */
  readonly pending: number
}

interface Timer {
  id: number
  at: number
  callback: () => void
}

/**
 * Creates a manual clock for tests: pass it as `clock` to a client, pool or rate limiter and drive
 * time with `advance()`.
 *
 * @example
 * const clock = createManualClock()
 * const limiter = createRateLimiter({ limit: 1, interval: 1000, clock })
 * await limiter.take()
 * const second = limiter.take()
 * await clock.advance(1000) // second resolves now, without waiting a real second
 */
export function createManualClock(start = 0): ManualClock {
  let now = start
  let nextId = 1
  let timers: Timer[] = []

  const flushMicrotasks = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await Promise.resolve()
  }

  return {
    now: () => now,
    setTimeout(callback, ms): TimerHandle {
      const timer = { id: nextId++, at: now + Math.max(0, ms), callback }
      timers.push(timer)
      return timer.id
    },
    clearTimeout(handle) {
      timers = timers.filter((t) => t.id !== handle)
    },
    get pending() {
      return timers.length
    },
    async advance(ms) {
      const end = now + ms
      await flushMicrotasks()
      for (;;) {
        // Earliest first; equal times fire in the order they were set.
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0]
        if (!due) break
        timers = timers.filter((t) => t !== due)
        now = Math.max(now, due.at)
        due.callback()
        await flushMicrotasks()
      }
      now = end
      await flushMicrotasks()
    },
  }
}
