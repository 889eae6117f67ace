import { checkOptions } from '../options/option-check.js'
import type { Admission, Policy } from './policy.js'

/** A global scope with the browser's network status (a page or a worker). */
interface NetworkScope {
  navigator?: { onLine?: boolean }
  addEventListener?(type: 'online', listener: () => void): void
  removeEventListener?(type: 'online', listener: () => void): void
}

/** The offline pause: a policy for `use`, and how many calls wait for the network now. */
export interface OfflinePause extends Policy {
  readonly name: 'offline'
  /** Calls waiting for the `online` event now. */
  readonly waiting: number
}

/**
 * Offline pause (docs/DESIGN.md#offline-pause), for browsers: while `navigator.onLine` is false,
 * a call's next attempt (the first one, or a retry) waits for the `online` event instead of
 * failing and spending a retry; the call's deadlines still run (a total or queue timeout, the
 * caller's abort end the wait). While online it admits at once and costs nothing. Runtimes
 * without `navigator.onLine` (Node, Deno) are always online. The wait is an `offline` event
 * (`waiting: true`, then `false`).
 *
 * @example
 * import { createClient, offlinePause } from 'volley'
 * const api = createClient({ retry: 3, use: [offlinePause()] })
 */
export function offlinePause(options: Record<string, never> = {}): OfflinePause {
  checkOptions('offlinePause()', options, {})
  const scope = globalThis as NetworkScope
  /** Wakes every waiting call: one `online` listener for all of them, there only while one waits. */
  const waiters = new Set<() => void>()
  const onOnline = (): void => {
    scope.removeEventListener?.('online', onOnline)
    const woken = [...waiters]
    waiters.clear()
    for (const wake of woken) wake()
  }

  const wait = (admission: Admission): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const { signal } = admission
      const done = (): void => {
        waiters.delete(wake)
        signal.removeEventListener('abort', abort)
        if (waiters.size === 0) scope.removeEventListener?.('online', onOnline)
      }
      const wake = (): void => {
        done()
        admission.emit({ type: 'offline', attempt: admission.attempt, waiting: false })
        resolve()
      }
      const abort = (): void => {
        done()
        reject(signal.reason)
      }
      if (signal.aborted) return reject(signal.reason)
      if (waiters.size === 0) scope.addEventListener?.('online', onOnline)
      waiters.add(wake)
      signal.addEventListener('abort', abort)
      admission.emit({ type: 'offline', attempt: admission.attempt, waiting: true })
    })

  return {
    name: 'offline',
    get waiting() {
      return waiters.size
    },
    admit(admission: Admission): Promise<void> | void {
      if (scope.navigator?.onLine !== false || typeof scope.addEventListener !== 'function') return
      return wait(admission)
    },
  }
}
