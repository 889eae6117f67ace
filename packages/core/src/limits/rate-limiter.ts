import type { AbortSignalLike } from '../runtime/transport.js'
import type { Admission, Policy } from '../policies/policy.js'
import { systemClock, type Clock, type TimerHandle } from '../runtime/clock.js'
import { describe } from '../options/describe.js'
import { createCostResolver, invalidTake, LIMIT, RATE_LIMIT_OPTIONS, resolveLimits, type NamedLimit, type NamedLimitOptions } from './rate-limit-options.js'
import { checkOptions, invalidOption } from '../options/option-check.js'
import { inputError } from '../runtime/dev-text.js'
import { createMemoryStore, type RateLimitConfig, type RateLimitStore, type RateLimitTake } from './rate-limit-store.js'

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

export {
  createMemoryStore,
  type MemoryRateLimitStore,
  type RateLimitConfig,
  type RateLimitStore,
  type RateLimitStoreState,
  type RateLimitTake,
} from './rate-limit-store.js'
export type { NamedLimitOptions } from './rate-limit-options.js'

/** Options of {@link createRateLimiter}. */
export interface RateLimitOptions {
  /** Starts allowed per `interval`: a positive number (fractions allowed, e.g. 0.5 per second). */
  limit: number
  /**
   * Interval length in ms: a positive number.
   * @default 1000
   */
  interval?: number
  /**
   * Extra starts allowed back-to-back after an idle period: a non-negative integer. The bucket
   * holds `1 + burst` tokens.
   * @default 0
   */
  burst?: number
  /**
   * More limits taken together with the main one, by name, all or nothing: a take refused by one
   * limit takes nothing from the others. Names are non-empty; each take costs 1 in each limit
   * unless `take({ cost })` says otherwise. Needs a store with `takeMany` (the memory store and
   * `@volley/redis` have it).
   * @default {} (only the main limit)
   * @example
   * // 500 requests and 90 000 LLM tokens per minute, per origin
   * createRateLimiter({ limit: 500, interval: 60_000, limits: { tokens: { limit: 90_000, interval: 60_000 } } })
   */
  limits?: Readonly<Record<string, NamedLimitOptions>>
  /**
   * Where token state lives; share one store to share one budget (across limiters, or across
   * processes with a networked store).
   * @default createMemoryStore()
   */
  store?: RateLimitStore
  /**
   * Time source for `now` and for the wait timers.
   * @default systemClock
   */
  clock?: Clock
}

/** Options of {@link RateLimiter.take}. */
export interface TakeOptions {
  /**
   * Bucket key; volley passes the request's origin.
   * @default 'default'
   */
  key?: string
  /**
   * Aborting while waiting rejects with `signal.reason` at once and leaves no timer behind; an
   * already aborted signal rejects without taking a token.
   * @default undefined
   */
  signal?: AbortSignalLike
  /**
   * What this take costs. A number is taken from every limit (a weight); a record names the cost
   * per extra limit (see {@link RateLimitOptions.limits}), the main limit then costing 1 and any
   * limit it leaves out costing 1. A cost must be at most the limit's `1 + burst`, since more
   * could never be granted.
   * @default 1
   * @example
   * await limiter.take({ key: origin, cost: { tokens: promptTokens + maxTokens } })
   */
  cost?: number | Readonly<Record<string, number>>
  /**
   * When (epoch ms on the limiter's clock) the caller first asked. Waiters of one key are served
   * oldest `since` first, so a call that already waited (e.g. out a 429, and asks again to retry)
   * goes ahead of calls that first asked after it. Equal values keep arrival order.
   * @default clock.now()
   */
  since?: number
}

/** A snapshot of one key of a {@link RateLimiter}. */
export interface RateLimiterState {
  key: string
  /**
   * Tokens available now (fractional while one refills). `NaN` when the store answers `read`
   * asynchronously, since this snapshot is synchronous.
   */
  tokens: number
  /** Epoch ms (on the limiter's clock) until which the key is paused, 0 if it is not; `NaN` like `tokens`. */
  pausedUntil: number
  /** `take()` calls of this limiter waiting for this key. */
  waiting: number
}

/** A token-bucket rate limiter keyed by origin (docs/DESIGN.md#rate-limiting). */
export interface RateLimiter {
  /** Resolves once a token was taken for the key. Waiters of one key are served FIFO. */
  take(options?: TakeOptions): Promise<void>
  /**
   * Server backpressure: no token is taken for `key` until `until` (epoch ms on the clock), by
   * this limiter or any other sharing its store. Only extends: a later `until` wins, an earlier
   * one is ignored.
   */
  pauseUntil(key: string, until: number): void
  /** The state of `key` (default `'default'`). */
  state(key?: string): RateLimiterState
  /** The resolved options; `limits`, the extra limits resolved the same way, only when there are some. */
  readonly options: Readonly<{
    limit: number
    interval: number
    burst: number
    limits?: Readonly<Record<string, Readonly<{ limit: number; interval: number; burst: number }>>>
  }>
}

/** The limiter {@link createRateLimiter} makes: a {@link RateLimiter}, and a policy a client composes (`rateLimit: createRateLimiter()`). */
export interface RateLimiterPolicy extends RateLimiter, Policy {
  readonly name: 'rate-limit'
  /** A client's admission: a token for the call's origin before each attempt. */
  admit(admission: Admission): Promise<void> | void
  /** Server backpressure: pauses `origin` for every client sharing this limiter. */
  backpressure(origin: string, until: number): void
}

/** One key's FIFO of waiting takes, with at most one timer for its head. */
interface Line {
  readonly key: string
  head: Waiter | undefined
  tail: Waiter | undefined
  size: number
  timer: TimerHandle
  /** A timer is pending (tracked apart from `timer`, whose value is opaque). */
  timing: boolean
  /** An asynchronous `store.take` is in flight. */
  busy: boolean
  /** The timer callback, made once per line. */
  readonly wake: () => void
}

/** A waiting `take()`; its own abort listener, so waiting allocates no closure. */
class Waiter {
  prev: Waiter | undefined
  next: Waiter | undefined
  /** The line it waits in; `undefined` once it left. */
  line: Line | undefined
  resolve: () => void = noop
  reject: (reason: unknown) => void = noop

  constructor(
    line: Line,
    /** The buckets and costs to take, or `undefined` for one token of the main limit. */
    readonly takes: readonly RateLimitTake[] | undefined,
    /** Serving order within the line: oldest first. */
    readonly since: number,
    readonly signal: AbortSignalLike | undefined,
    private readonly onAbort: (waiter: Waiter) => void,
  ) {
    this.line = line
  }

  handleEvent(): void {
    this.onAbort(this)
  }
}

const resolved: Promise<void> = /* @__PURE__ */ Promise.resolve()

/**
 * Creates a token-bucket rate limiter. Each key's bucket holds `1 + burst` tokens, starts full,
 * and refills continuously at `limit` tokens per `interval` ms (one every `interval / limit` ms).
 *
 * The contract: with `burst: 0` starts are at least `interval / limit` ms apart, so no half-open
 * window `[t, t + interval)` holds more than `limit` starts of a key; with `burst: b`, after an
 * idle period up to `1 + b` starts go at once, and no such window holds more than `limit + b`.
 * Timers have millisecond resolution: a wait is rounded up, so rounding only ever delays a start.
 * A paused key (see `pauseUntil`) keeps refilling, so it may start `1 + burst` at once when the
 * pause ends.
 *
 * @example
 * const limiter = createRateLimiter({ limit: 10, interval: 1000, burst: 2 })
 * await limiter.take({ key: 'https://api.a.com', signal })
 * // after a 429 with Retry-After: 5
 * limiter.pauseUntil('https://api.a.com', Date.now() + 5000)
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiterPolicy {
  checkOptions('createRateLimiter()', options ?? null, RATE_LIMIT_OPTIONS)
  const { limit, interval = 1000, burst = 0, store = createMemoryStore(), clock = systemClock } = options
  if (limit === undefined) throw invalidOption('createRateLimiter()', 'limit', limit, LIMIT.limit!.expects)
  const named = resolveLimits(options.limits)
  if (named.length > 0 && typeof store.takeMany !== 'function') {
    throw invalidOption('createRateLimiter()', 'store', store, () => process.env.NODE_ENV !== 'production' && 'a store with a takeMany method when limits are given')
  }

  const config: RateLimitConfig = Object.freeze({ limit, interval, capacity: 1 + burst })
  const all: NamedLimit[] = [{ name: '', config }, ...named]
  const resolveTakes = createCostResolver(all)

  /** One store call for the line's key. */
  const storeTake = (key: string, takes: readonly RateLimitTake[] | undefined, since: number): number | Promise<number> => {
    if (takes === undefined) return store.take(key, clock.now(), config, since)
    if (typeof store.takeMany !== 'function') throw new TypeError('rate limiter: a weighted take needs a store with a takeMany method')
    return store.takeMany(key, clock.now(), takes, since)
  }
  /** Keys with waiters or a store call in flight; the others need no state here. */
  const lines = new Map<string, Line>()
  let readIsAsync = false

  const unlink = (line: Line, waiter: Waiter): void => {
    const { prev, next } = waiter
    if (prev === undefined) line.head = next
    else prev.next = next
    if (next === undefined) line.tail = prev
    else next.prev = prev
    waiter.prev = waiter.next = waiter.line = undefined
    line.size--
    waiter.signal?.removeEventListener('abort', waiter)
  }

  const dropIfIdle = (line: Line): void => {
    if (line.head === undefined && !line.timing && !line.busy) lines.delete(line.key)
  }

  const onAbort = (waiter: Waiter): void => {
    const line = waiter.line
    if (line === undefined) return
    unlink(line, waiter)
    if (line.head === undefined && line.timing) {
      // The timer only ever serves the head; with nobody left it must not outlive the wait.
      clock.clearTimeout(line.timer)
      line.timing = false
    }
    dropIfIdle(line)
    waiter.reject((waiter.signal as AbortSignalLike).reason)
  }

  const enqueue = (line: Line, takes: readonly RateLimitTake[] | undefined, since: number, signal: AbortSignalLike | undefined): Promise<void> => {
    const waiter = new Waiter(line, takes, since, signal, onAbort)
    const promise = new Promise<void>((resolve, reject) => {
      waiter.resolve = resolve
      waiter.reject = reject
    })
    // Oldest first: usually the newest, so the walk from the tail stops at once.
    let before = line.tail
    while (before !== undefined && before.since > since) before = before.prev
    const after = before === undefined ? line.head : before.next
    waiter.prev = before
    waiter.next = after
    if (before === undefined) line.head = waiter
    else before.next = waiter
    if (after === undefined) line.tail = waiter
    else after.prev = waiter
    line.size++
    signal?.addEventListener('abort', waiter)
    return promise
  }

  const failHead = (line: Line, error: unknown): void => {
    const waiter = line.head
    if (waiter === undefined) return
    unlink(line, waiter)
    waiter.reject(error)
  }

  /** Acts on the store's answer for the head; true when the next waiter may ask at once. */
  const apply = (line: Line, answer: unknown): boolean => {
    const waiter = line.head
    // With an async store the head may have aborted meanwhile: a token taken then goes to the
    // next waiter, or is lost when nobody waits (the store has no refund).
    if (waiter === undefined) return true
    if (typeof answer !== 'number' || !(answer >= 0)) {
      failHead(line, inputError('volley: rate limiter: invalid answer of store.take', () => process.env.NODE_ENV !== 'production' && `rate limiter: store.take must return a non-negative number of ms, got ${describe(answer)}`))
      return true
    }
    if (answer > 0) {
      line.timing = true
      line.timer = clock.setTimeout(line.wake, Math.ceil(answer))
      return false
    }
    unlink(line, waiter)
    waiter.resolve()
    return true
  }

  /** Serves the line's head while the store hands out tokens; then sleeps until the next is due. */
  const ask = (line: Line): void => {
    while (line.head !== undefined) {
      let answer: number | Promise<number>
      try {
        answer = storeTake(line.key, line.head.takes, line.head.since)
      } catch (error) {
        failHead(line, error)
        continue
      }
      if (typeof answer === 'object' && answer !== null && typeof answer.then === 'function') {
        awaitAnswer(line, answer)
        return
      }
      if (!apply(line, answer)) return
    }
    dropIfIdle(line)
  }

  const awaitAnswer = (line: Line, answer: Promise<number>): void => {
    line.busy = true
    answer.then(
      (wait) => {
        line.busy = false
        if (apply(line, wait)) ask(line)
      },
      (error: unknown) => {
        line.busy = false
        failHead(line, error)
        ask(line)
      },
    )
  }

  const newLine = (key: string): Line => {
    const line: Line = {
      key,
      head: undefined,
      tail: undefined,
      size: 0,
      timer: undefined,
      timing: false,
      busy: false,
      wake: () => {
        line.timing = false
        ask(line)
      },
    }
    lines.set(key, line)
    return line
  }

  const take = (takeOptions: TakeOptions | undefined): Promise<void> => {
      const key = takeOptions?.key ?? 'default'
      const signal = takeOptions?.signal
      if (signal?.aborted) return Promise.reject(signal.reason)
      let takes: readonly RateLimitTake[] | undefined
      let since: number
      try {
        takes = resolveTakes(takeOptions?.cost)
        since = takeOptions?.since ?? clock.now()
        if (typeof since !== 'number' || Number.isNaN(since)) throw invalidTake('since', since, () => process.env.NODE_ENV !== 'production' && 'a number (epoch ms)')
      } catch (error) {
        return Promise.reject(error)
      }
      const existing = lines.get(key)
      if (existing !== undefined) return enqueue(existing, takes, since, signal)
      // Nobody waits for this key: ask the store now, so a free token costs no timer or hop.
      let answer: number | Promise<number>
      try {
        answer = storeTake(key, takes, since)
      } catch (error) {
        return Promise.reject(error)
      }
      if (typeof answer === 'number' && answer <= 0) return resolved
      const line = newLine(key)
      const promise = enqueue(line, takes, since, signal)
      if (typeof answer === 'number' || typeof answer?.then !== 'function') {
        if (apply(line, answer)) ask(line)
      } else {
        awaitAnswer(line, answer)
      }
      return promise
  }
  const pauseUntil = (key: string, until: number): void => {
      if (typeof until !== 'number' || Number.isNaN(until)) {
        throw inputError('volley: rateLimiter.pauseUntil(): invalid `until`', () => process.env.NODE_ENV !== 'production' && `rateLimiter.pauseUntil: until must be a number (epoch ms), got ${describe(until)}`)
      }
      // Waiting lines need no nudge: their timer fires, the store answers with the rest of the
      // pause, and they sleep again.
      const done = store.pause(key, until)
      // Best effort with an async store: if it fails, the server will answer 429 again.
      if (typeof done === 'object' && done !== null && typeof done.then === 'function') done.then(undefined, noop)
  }

  return {
    name: 'rate-limit',
    take,
    pauseUntil,
    // A free token answers without a promise, so an unthrottled call pays no hop.
    admit: (admission) => {
      const taken = take({ key: admission.origin, signal: admission.signal, since: admission.since, ...(admission.cost !== undefined && { cost: admission.cost }) })
      return taken === resolved ? undefined : taken
    },
    backpressure: pauseUntil,
    state(key = 'default') {
      const waiting = lines.get(key)?.size ?? 0
      if (!readIsAsync) {
        const read = store.read(key, clock.now(), config)
        if (typeof (read as Promise<unknown>).then !== 'function') {
          const { tokens, pausedUntil } = read as { tokens: number; pausedUntil: number }
          return { key, tokens, pausedUntil, waiting }
        }
        readIsAsync = true
        ;(read as Promise<unknown>).then(undefined, noop)
      }
      return { key, tokens: NaN, pausedUntil: NaN, waiting }
    },
    options: Object.freeze({
      limit,
      interval,
      burst,
      ...(named.length > 0 && {
        limits: Object.freeze(
          Object.fromEntries(named.map(({ name, config: c }) => [name, Object.freeze({ limit: c.limit, interval: c.interval, burst: c.capacity - 1 })])),
        ),
      }),
    }),
  }
}

function noop(): void {}


