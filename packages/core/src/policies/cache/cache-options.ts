/**
 * The options of `cache()` (docs/DESIGN.md#http-cache), validated and defaulted once into a frozen
 * {@link ResolvedCacheOptions}: a wrong value is a TypeError that says what was expected.
 */
import { checkOptions, isPositive, rule, type Rules } from '../../options/option-check.js'
import { createMemoryCacheStore, type CacheStore } from './cache-store.js'

/** Options of {@link cache}. */
export interface CacheOptions {
  /**
   * Where responses are kept: `createMemoryCacheStore()`, `createRedisCacheStore()` from
   * `@volley/redis` (shared by a fleet), or your own {@link CacheStore}.
   * @default createMemoryCacheStore() (16 MiB)
   */
  store?: CacheStore
  /**
   * A shared cache (RFC 9111 §1): honours `s-maxage` and `proxy-revalidate`, never stores
   * `private` answers, answers to authorized requests only when the response allows it (§3.5),
   * and drops `Set-Cookie`. Use it when one store serves several users: a private cache keys
   * answers by URL only, so a server calling on behalf of several users (each with its own
   * `Authorization`) must not share a private one among them.
   * @default false (a private cache, as a browser's)
   */
  shared?: boolean
  /**
   * Largest body kept, in bytes; larger responses go to the caller untouched.
   * @default 1_048_576 (1 MiB)
   */
  maxEntryBytes?: number
  /**
   * Heuristic freshness (§4.2.2) for a response with `Last-Modified` and no explicit lifetime:
   * this fraction of its age when it was sent; `false` for none.
   * @default 0.1
   */
  heuristic?: number | false
  /**
   * How long, in ms, a stale entry with a validator (ETag, Last-Modified) is kept for a
   * conditional request, past its freshness and stale allowances.
   * @default 86_400_000 (a day)
   */
  keepStale?: number
  /**
   * Longest wait for a background revalidation (`stale-while-revalidate`), in ms.
   * @default 30_000
   */
  revalidateTimeout?: number
}

/** {@link CacheOptions} with every default applied. */
export interface ResolvedCacheOptions {
  readonly store: CacheStore
  readonly shared: boolean
  readonly maxEntryBytes: number
  /** The heuristic fraction; 0 for none. */
  readonly fraction: number
  readonly keepStale: number
  readonly revalidateTimeout: number
}

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

const OPTIONS: Rules = {
  store: /* @__PURE__ */ rule(
    (v) => typeof v === 'object' && v !== null && ['get', 'set', 'delete'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
    () => process.env.NODE_ENV !== 'production' && 'a store with get, set and delete methods',
  ),
  shared: /* @__PURE__ */ rule((v) => typeof v === 'boolean', () => process.env.NODE_ENV !== 'production' && 'true or false'),
  maxEntryBytes: /* @__PURE__ */ rule((v) => typeof v === 'number' && v >= 0, () => process.env.NODE_ENV !== 'production' && 'a number of bytes >= 0'),
  heuristic: /* @__PURE__ */ rule((v) => v === false || (typeof v === 'number' && v >= 0 && v <= 1), () => process.env.NODE_ENV !== 'production' && 'a fraction between 0 and 1, or false'),
  keepStale: /* @__PURE__ */ rule((v) => typeof v === 'number' && v >= 0, () => process.env.NODE_ENV !== 'production' && 'a number of ms >= 0'),
  revalidateTimeout: isPositive,
}

/** Validates `options` (docs/DESIGN.md#option-checks) and applies the defaults. */
export function resolveCacheOptions(options: CacheOptions = {}): ResolvedCacheOptions {
  checkOptions('cache()', options, OPTIONS)
  const { shared = false, maxEntryBytes = 1_048_576, heuristic = 0.1, keepStale = 86_400_000, revalidateTimeout = 30_000 } = options
  const store = options.store ?? createMemoryCacheStore()
  return Object.freeze({ store, shared, maxEntryBytes, fraction: heuristic === false ? 0 : heuristic, keepStale, revalidateTimeout })
}
