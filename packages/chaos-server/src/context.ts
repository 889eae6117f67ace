import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ChaosState } from './state.js'

/** Everything a route needs for one request. */
export interface RouteContext {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  /** Request method, upper case. */
  readonly method: string
  /** True for HEAD: headers as for GET, no body (Node drops body writes, loops must not run). */
  readonly head: boolean
  /** Path below the handler's basePath, e.g. `/status/503`. */
  readonly path: string
  /** The handler's basePath (`''` or e.g. `/chaos`), for building Location headers. */
  readonly basePath: string
  readonly query: Readonly<Record<string, string>>
  /** Named path segments, e.g. `{ code: '503' }` for `/status/:code`. */
  readonly params: Readonly<Record<string, string>>
  readonly state: ChaosState
  /** True once the response has finished or the connection went away. */
  readonly closed: boolean
  /** Runs `cb` once when the response finishes or the client goes away. */
  onClose(cb: () => void): void
  /**
   * Waits `ms` (0: one event-loop turn). Resolves `true` when the time passed,
   * `false` at once if the connection closed meanwhile; the timer is cleared
   * then, so an aborted client leaves no timer behind.
   */
  sleep(ms: number): Promise<boolean>
}

/** Builds a context and wires its cleanup to the response's 'close' event. */
export function createContext(init: {
  req: IncomingMessage
  res: ServerResponse
  path: string
  basePath: string
  query: Record<string, string>
  params: Record<string, string>
  state: ChaosState
}): RouteContext {
  const { req, res } = init
  let closed = false
  const cleanups = new Set<() => void>()

  // ServerResponse emits 'close' both after a normal finish and when the
  // socket dies first (client abort, server close), so this is the single
  // place timers get cleared.
  res.once('close', () => {
    closed = true
    for (const cb of cleanups) cb()
    cleanups.clear()
  })

  const onClose = (cb: () => void): void => {
    if (closed) cb()
    else cleanups.add(cb)
  }

  const method = req.method ?? 'GET'
  return {
    ...init,
    method,
    head: method === 'HEAD',
    get closed() {
      return closed
    },
    onClose,
    sleep(ms) {
      if (closed) return Promise.resolve(false)
      return new Promise<boolean>((resolve) => {
        const cancel = (): void => {
          if (ms <= 0) clearImmediate(handle as NodeJS.Immediate)
          else clearTimeout(handle as NodeJS.Timeout)
          resolve(false)
        }
        const done = (): void => {
          cleanups.delete(cancel)
          resolve(true)
        }
        const handle = ms <= 0 ? setImmediate(done) : setTimeout(done, ms)
        cleanups.add(cancel)
      })
    },
  }
}
