/**
 * Where a rate limiter keeps its token state. The in-memory store serves one process; the shape
 * (one atomic `take` per key, returning how long to wait) is what a Redis store needs to share one
 * budget among processes with a single Lua script (docs/DESIGN.md#rate-limiting).
 */

/** The bucket parameters a limiter passes to its store on every call. */
export interface RateLimitConfig {
  /** Tokens refilled per `interval`. */
  readonly limit: number
  /** Refill interval in ms. */
  readonly interval: number
  /** Most tokens the bucket holds: `1 + burst`. */
  readonly capacity: number
}

/**
 * One limit of a weighted or multi-limit take ({@link RateLimitStore.takeMany}): which bucket of the
 * key, its parameters, and how many tokens this call costs in it.
 */
export interface RateLimitTake {
  /**
   * The limit's name within the key: `''` is the limiter's main limit (the same bucket that
   * {@link RateLimitStore.take} uses), any other name a limit of its own (e.g. `'tokens'`).
   */
  readonly name: string
  readonly config: RateLimitConfig
  /** Tokens this call takes from the bucket: a finite number from 0 to `config.capacity`. */
  readonly cost: number
}

/** What {@link RateLimitStore.read} reports for a key. */
export interface RateLimitStoreState {
  /** Tokens available at `now`, between 0 and `capacity`; fractional while one is refilling. */
  tokens: number
  /** Epoch ms until which the key is paused, 0 when it is not. */
  pausedUntil: number
}

/**
 * Token state of many keys. Share one store among limiters (or, with a networked store, among
 * processes) to share one budget. Every method may answer synchronously or with a promise; a
 * synchronous answer lets a limiter grant a token without waiting a microtask.
 */
export interface RateLimitStore {
  /**
   * Tries to take one token for `key` at time `now`. Returns 0 when it was taken, otherwise the
   * ms to wait before trying again (including any pause). Must be atomic per key. `since` (epoch
   * ms on the same clock as `now`) is when the asking call first asked: a shared store may use it
   * to serve the callers of several processes in that order; the memory store ignores it.
   */
  take(key: string, now: number, config: RateLimitConfig, since?: number): number | Promise<number>
  /**
   * Optional: takes `cost` tokens from every bucket of `takes` for `key`, all or nothing. Returns 0
   * when all were taken, otherwise the ms to wait before trying again (the longest wait of the
   * buckets that refused, and any pause), having taken nothing from any bucket. Must be atomic
   * per key. A limiter needs it for weighted takes and for several limits.
   */
  takeMany?(key: string, now: number, takes: readonly RateLimitTake[], since?: number): number | Promise<number>
  /** Pauses `key` until `until` (epoch ms), keeping the later of the existing and the new value. */
  pause(key: string, until: number): void | Promise<void>
  /** Reads the state of `key` at `now` without taking a token. */
  read(key: string, now: number, config: RateLimitConfig): RateLimitStoreState | Promise<RateLimitStoreState>
}

/** The in-memory {@link RateLimitStore}, which also tells how many keys it holds. */
export interface MemoryRateLimitStore extends RateLimitStore {
  take(key: string, now: number, config: RateLimitConfig): number
  takeMany(key: string, now: number, takes: readonly RateLimitTake[]): number
  pause(key: string, until: number): void
  read(key: string, now: number, config: RateLimitConfig): RateLimitStoreState
  /** Keys currently held (see {@link createMemoryStore} on when they are dropped). */
  readonly size: number
}

/** Per-key state: GCRA's theoretical arrival time plus the pause. */
interface Entry {
  /** When the bucket will be full again, if nothing else is taken (GCRA's "TAT"), epoch ms. */
  tat: number
  pausedUntil: number
}

/** A sweep runs after this many takes at least (and at least as many takes as there are keys). */
const MIN_SWEEP_INTERVAL = 1024

/**
 * Creates the default, in-process store. It runs the token bucket as GCRA (the generic cell rate
 * algorithm): one number per key, the time at which the bucket will be full again, so a take is a
 * comparison and an addition, with no refill timer.
 *
 * Memory: a key whose bucket has refilled and whose pause is over reads exactly like a key never
 * seen, so it is dropped. Drops happen in a sweep over all keys once every `max(1024, keys)`
 * takes, which keeps a take amortized O(1). The store thus holds the keys taken from within
 * about the last `capacity × interval / limit` ms, the paused ones, and at most as many stale ones
 * again between sweeps; a crawl over a million origins does not grow it forever.
 *
 * @example
 * const store = createMemoryStore()
 * const a = createRateLimiter({ limit: 10, store })
 * const b = createRateLimiter({ limit: 10, store }) // a and b share one budget per key
 */
export function createMemoryStore(): MemoryRateLimitStore {
  const entries = new Map<string, Entry>()
  let takesSinceSweep = 0

  const sweep = (now: number): void => {
    takesSinceSweep = 0
    for (const [key, entry] of entries) {
      if (entry.tat <= now && entry.pausedUntil <= now) entries.delete(key)
    }
  }

  return {
    get size() {
      return entries.size
    },
    take(key, now, { limit, interval, capacity }) {
      if (++takesSinceSweep >= MIN_SWEEP_INTERVAL && takesSinceSweep >= entries.size) sweep(now)
      const step = interval / limit
      const entry = entries.get(key)
      const tat = entry !== undefined && entry.tat > now ? entry.tat : now
      // A token is available when the bucket is at most `capacity - 1` steps from full.
      const wait = Math.max(tat - (capacity - 1) * step - now, entry === undefined ? 0 : entry.pausedUntil - now)
      if (wait > 0) return wait
      if (entry === undefined) entries.set(key, { tat: tat + step, pausedUntil: 0 })
      else entry.tat = tat + step
      return 0
    },
    takeMany(key, now, takes) {
      takesSinceSweep += takes.length
      if (takesSinceSweep >= MIN_SWEEP_INTERVAL && takesSinceSweep >= entries.size) sweep(now)
      // Check every bucket first, then take from all: a refusal by one takes nothing from the others.
      let wait = (entries.get(key)?.pausedUntil ?? 0) - now
      const next: number[] = []
      for (const { name, config, cost } of takes) {
        const step = config.interval / config.limit
        const entry = entries.get(entryKey(key, name))
        const tat = entry !== undefined && entry.tat > now ? entry.tat : now
        // `cost` tokens are available when the bucket is at most `capacity - cost` steps from full.
        wait = Math.max(wait, tat - (config.capacity - cost) * step - now)
        next.push(tat + cost * step)
      }
      if (wait > 0) return wait
      takes.forEach(({ name }, i) => {
        const id = entryKey(key, name)
        const entry = entries.get(id)
        if (entry === undefined) entries.set(id, { tat: next[i] as number, pausedUntil: 0 })
        else entry.tat = next[i] as number
      })
      return 0
    },
    pause(key, until) {
      const entry = entries.get(key)
      if (entry === undefined) entries.set(key, { tat: 0, pausedUntil: until })
      else if (until > entry.pausedUntil) entry.pausedUntil = until
    },
    read(key, now, { limit, interval, capacity }) {
      const entry = entries.get(key)
      if (entry === undefined) return { tokens: capacity, pausedUntil: 0 }
      const missing = Math.max(0, entry.tat - now) / (interval / limit)
      return {
        tokens: Math.min(capacity, Math.max(0, capacity - missing)),
        pausedUntil: entry.pausedUntil > now ? entry.pausedUntil : 0,
      }
    },
  }
}

/** The map key of a named limit: the main limit (`''`) shares the key's own entry, and its pause. */
function entryKey(key: string, name: string): string {
  return name === '' ? key : `${key}\u0000${name}`
}
