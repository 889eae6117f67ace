import { systemClock, type Clock, type TimerHandle } from '../runtime/clock.js'
import { inputError } from '../runtime/dev-text.js'

/** What `process.env.NODE_ENV` reads (runtime/dev-text.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

// Kept here too because upload progress needs a body's size as its `total`; defined in its own file.
export { bodySize } from './body-size.js'

/** One progress report for a download or an upload. */
export interface Progress {
  /** Bytes transferred so far; never decreases. */
  loaded: number
  /** Expected size in bytes when known (Content-Length or a sized body), else undefined. */
  total: number | undefined
  /**
   * 0..100, undefined while the total is unknown; never above 100, because a gzip body can decode
   * to more bytes than its Content-Length. Always 100 on the done event, known total or not.
   */
  percent: number | undefined
  /** Average rate since the tracker was created, in bytes/s; 0 until time has passed. */
  bytesPerSecond: number
  /**
   * Estimated ms to completion when the total and the rate are known, else undefined; 0 once
   * `loaded` reaches `total`, and 0 on the done event.
   */
  etaMs: number | undefined
  /** true on the final event only. */
  done: boolean
}

/** Receives {@link Progress} events. */
export type ProgressCallback = (progress: Progress) => void

/** Options of {@link createProgressTracker}. */
export interface ProgressTrackerOptions {
  /**
   * Expected size in bytes, when known. Kept as given even if more bytes arrive (a decoded gzip
   * body): `percent` then stays at 100 and `etaMs` at 0.
   * @default undefined
   */
  total?: number
  /** Called with every event, synchronously, from `createProgressTracker()`, `add()` and `finish()`. */
  onProgress: ProgressCallback
  /**
   * Minimum ms between two events; the first and the final event always fire. 0 reports every chunk.
   * @default 50
   */
  interval?: number
  /** Source of time, so tests can drive throttling with a manual clock. @default systemClock */
  clock?: Clock
}

/** Counts bytes as they flow and reports throttled {@link Progress} events. */
export interface ProgressTracker {
  /**
   * Count `n` more bytes; emits at most one event per `interval` ms. Bytes added inside a window
   * are reported when it closes (a trailing event), so a burst followed by silence still shows.
   */
  add(n: number): void
  /** Stop without a final event (the transfer failed or was abandoned); clears the trailing timer. Idempotent. */
  stop(): void
  /** Emit the final event (done: true, loaded = exact count). Idempotent; never emits after done. */
  finish(): void
  /** Bytes counted so far. */
  readonly loaded: number
  /** True once {@link ProgressTracker.finish} was called; later `add()` calls are ignored. */
  readonly done: boolean
}

/**
 * Creates a progress tracker. The first event (loaded 0) fires right away; the transport then calls
 * `add()` per chunk and `finish()` when the body completed. An aborted or failed transfer never calls
 * `finish()`, so `done: true` always means every byte arrived.
 *
 * The rate is measured from creation, so create the tracker when the body starts to flow (download:
 * when the response headers arrived; upload: when the request body starts to be read).
 *
 * Exceptions thrown by `onProgress` are not caught: they propagate to the caller of `add()` or
 * `finish()` (the transport), which fails the request with them. Swallowing them would hide bugs,
 * and rethrowing them from a microtask would crash Node for what is a caller's mistake. The tracker
 * stays consistent when that happens: `finish()` marks it done before calling back.
 *
 * Per chunk, `add()` costs one clock read and a few comparisons; it allocates only when it emits.
 *
 * @example
 * const tracker = createProgressTracker({
 *   total: Number(response.headers.get('content-length')) || undefined,
 *   onProgress: (p) => console.log(`${p.percent?.toFixed(1) ?? '?'}% at ${p.bytesPerSecond} B/s`),
 * })
 * for await (const chunk of body) tracker.add(chunk.byteLength)
 * tracker.finish()
 */
export function createProgressTracker(options: ProgressTrackerOptions): ProgressTracker {
  const { total, onProgress, interval = 50, clock = systemClock } = options
  if (typeof onProgress !== 'function') {
    throw inputError('volley: createProgressTracker(): invalid option `onProgress`', () => process.env.NODE_ENV !== 'production' && `createProgressTracker: expected onProgress to be a function, got ${typeof onProgress}`)
  }
  if (!(interval >= 0) || interval === Infinity) {
    throw inputError('volley: createProgressTracker(): invalid option `interval`', () => process.env.NODE_ENV !== 'production' && `createProgressTracker: expected interval to be a finite number >= 0, got ${String(interval)}`)
  }
  if (total !== undefined && (!(total >= 0) || total === Infinity)) {
    throw inputError('volley: createProgressTracker(): invalid option `total`', () => process.env.NODE_ENV !== 'production' && `createProgressTracker: expected total to be a finite number >= 0 or undefined, got ${String(total)}`)
  }

  const startedAt = clock.now()
  let loaded = 0
  let lastEmitAt = startedAt
  let done = false
  let trailing: TimerHandle | undefined
  const clearTrailing = (): void => {
    if (trailing !== undefined) clock.clearTimeout(trailing)
    trailing = undefined
  }
  /** Ends a window with the bytes that came inside it. */
  const flush = (): void => {
    trailing = undefined
    if (done) return
    const now = clock.now()
    // A timer may fire before its time by the clock: Node counts it from the event loop's cached
    // time, which a long tick leaves behind. The window is the clock's, so wait out the rest.
    if (now - lastEmitAt < interval) {
      trailing = clock.setTimeout(flush, interval - (now - lastEmitAt))
      return
    }
    lastEmitAt = now
    emit(now, false)
  }

  const emit = (now: number, final: boolean): void => {
    const elapsed = now - startedAt
    const bytesPerSecond = elapsed > 0 ? (loaded * 1000) / elapsed : 0
    let percent: number | undefined
    let etaMs: number | undefined
    if (final) {
      percent = 100
      etaMs = 0
    } else if (total !== undefined) {
      // An empty body is complete; a decoded gzip body may pass Content-Length: clamp both.
      const remaining = total - loaded
      percent = total === 0 || remaining <= 0 ? 100 : (loaded * 100) / total
      etaMs = remaining <= 0 ? 0 : bytesPerSecond > 0 ? (remaining * 1000) / bytesPerSecond : undefined
    }
    onProgress({ loaded, total, percent, bytesPerSecond, etaMs, done: final })
  }

  emit(startedAt, false)

  return {
    add(n) {
      if (done) return
      // `!(n >= 0)` also rejects NaN; a negative count would make `loaded` go backwards.
      if (!(n >= 0)) throw inputError('volley: ProgressTracker.add(): invalid byte count', () => process.env.NODE_ENV !== 'production' && `ProgressTracker.add: expected a byte count >= 0, got ${String(n)}`)
      loaded += n
      const now = clock.now()
      if (now - lastEmitAt < interval) {
        trailing ??= clock.setTimeout(flush, interval - (now - lastEmitAt))
        return
      }
      clearTrailing()
      lastEmitAt = now
      emit(now, false)
    },
    stop() {
      clearTrailing()
      done = true
    },
    finish() {
      if (done) return
      clearTrailing()
      done = true
      emit(clock.now(), true)
    },
    get loaded() {
      return loaded
    },
    get done() {
      return done
    },
  }
}
