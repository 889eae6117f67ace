/**
 * Where a cache keeps its responses (docs/DESIGN.md#http-cache): three methods over a string key,
 * each sync or async, so an in-memory map, Redis (`@volley/redis`) or IndexedDB (see
 * docs/reference.md#cache-stores) fit the same shape.
 */
import type { StoredResponse } from './stored-response.js'
import { checkOptions, isClock, isPositive } from '../../options/option-check.js'
import { systemClock, type Clock } from '../../runtime/clock.js'
import { entrySize } from './stored-response.js'

/** A cache's storage. A store may drop an entry at any time; it never has to keep one. */
export interface CacheStore {
  /** The entry under `key`, or undefined. */
  get(key: string): StoredResponse | undefined | Promise<StoredResponse | undefined>
  /**
   * Keeps `entry` under `key`. `ttl` (ms, > 0) is how long it stays of any use (fresh, then stale
   * but usable or worth revalidating): a store may drop it sooner and need not keep it longer.
   */
  set(key: string, entry: StoredResponse, ttl: number): void | Promise<void>
  /** Forgets `key` (an unsafe method invalidated it, RFC 9111 §4.4). */
  delete(key: string): void | Promise<void>
}

/** Options of {@link createMemoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /**
   * Bytes of bodies and headers kept at most; past it the least recently used entries go first.
   * @default 16_777_216 (16 MiB)
   */
  maxBytes?: number
  /** Time source for the entries' expiry (a manual clock in tests). @default systemClock */
  clock?: Clock
}

/** The in-memory store: an LRU bounded by bytes. */
export interface MemoryCacheStore extends CacheStore {
  /** Bytes held now. */
  readonly bytes: number
  /** Entries held now. */
  readonly size: number
  /** Forgets everything. */
  clear(): void
}

interface Slot {
  readonly entry: StoredResponse
  readonly size: number
  /** Epoch ms on the store's clock after which the entry is of no use. */
  readonly until: number
}

/**
 * An in-memory LRU store bounded by bytes (a Map keeps insertion order: a read moves the entry to
 * the end, eviction takes from the front). An entry larger than the whole budget is not kept.
 * Expiry is checked on read, so the store needs no timer.
 *
 * @example
 * const api = createClient({ use: [cache({ store: createMemoryCacheStore({ maxBytes: 64 * 1024 * 1024 }) })] })
 */
export function createMemoryCacheStore(options: MemoryCacheStoreOptions = {}): MemoryCacheStore {
  checkOptions('createMemoryCacheStore()', options, { maxBytes: isPositive, clock: isClock })
  const { maxBytes = 16 * 1024 * 1024, clock = systemClock } = options
  const slots = new Map<string, Slot>()
  let bytes = 0
  const drop = (key: string): void => {
    const slot = slots.get(key)
    if (!slot) return
    slots.delete(key)
    bytes -= slot.size
  }
  return {
    get bytes() {
      return bytes
    },
    get size() {
      return slots.size
    },
    get(key) {
      const slot = slots.get(key)
      if (!slot) return undefined
      slots.delete(key)
      if (clock.now() > slot.until) {
        bytes -= slot.size
        return undefined
      }
      slots.set(key, slot)
      return slot.entry
    },
    set(key, entry, ttl) {
      drop(key)
      const size = entrySize(entry)
      if (size > maxBytes || !(ttl > 0)) return
      slots.set(key, { entry, size, until: clock.now() + ttl })
      bytes += size
      for (const [oldest] of slots) {
        if (bytes <= maxBytes) break
        drop(oldest)
      }
    },
    delete(key) {
      drop(key)
    },
    clear() {
      slots.clear()
      bytes = 0
    },
  }
}
