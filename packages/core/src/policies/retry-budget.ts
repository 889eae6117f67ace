import { systemClock, type Clock } from '../runtime/clock.js'
import { isHTTPError } from '../errors/index.js'
import { ThrottledError } from '../errors/throttled-error.js'
import { checkOptions, isClock, isCount, isFunction, isPositive, rule, type Rules } from '../options/option-check.js'
import { PerOrigin, SlidingCounters } from './per-origin.js'
import type { Admission, AttemptOutcome, Policy } from './policy.js'

/** Options of {@link retryBudget}. */
export interface RetryBudgetOptions {
  /** Retries and hedges stay under this share of an origin's calls in the window. @default 0.1 */
  ratio?: number
  /** Retries allowed per window however few the calls, so a quiet client can still retry. @default 10 */
  min?: number
  /** The sliding window, in ms (counted in 10 buckets). @default 10_000 */
  window?: number
  /**
   * Adaptive client-side throttling (Google SRE book, "Handling Overload"): while an origin
   * rejects requests (5xx, 429, network errors, timeouts), refuse calls locally with probability
   * `max(0, (requests − k·accepts) / (requests + 1))`, failing them with a `ThrottledError`.
   * `true` for `k = 2`. @default false
   */
  adaptive?: boolean | { k?: number }
  /** Time source. @default systemClock */
  clock?: Clock
  /** Random source for adaptive throttling, in [0, 1). @default Math.random */
  random?: () => number
}

/** What a retry budget knows of one origin now (the window's sums). */
export interface RetryBudgetState {
  /** Calls started in the window. */
  readonly calls: number
  /** Retries and hedges spent in the window. */
  readonly retries: number
  /** Retries that may still be spent now. */
  readonly available: number
  /** Attempts sent (adaptive throttling only; 0 otherwise). */
  readonly requests: number
  /** Attempts the origin accepted (adaptive throttling only; 0 otherwise). */
  readonly accepts: number
  /** The probability with which a call is refused locally now (0 without adaptive throttling). */
  readonly rejectProbability: number
}

/** A retry budget: a policy for `use`, and its state per origin. */
export interface RetryBudget extends Policy {
  readonly name: 'retry-budget'
  state(origin: string): RetryBudgetState
}

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

const OPTIONS: Rules = {
  ratio: isPositive,
  min: isCount,
  window: isPositive,
  adaptive: /* @__PURE__ */ rule((v) => typeof v === 'boolean' || (typeof v === 'object' && v !== null), () => process.env.NODE_ENV !== 'production' && 'true, false or { k }'),
  clock: isClock,
  random: isFunction,
}
const CALLS = 0
const RETRIES = 1
const REQUESTS = 2
const ACCEPTS = 3
const COUNTERS = 4


/**
 * Whether an outcome shows the origin accepted the request: any response but a 5xx or a 429 (a
 * body that fails to parse was still served). Network errors and timeouts are rejections; an
 * attempt the call abandoned (a hedge that lost, the caller's abort) says nothing against the
 * origin and counts as accepted.
 */
function accepted(outcome: AttemptOutcome): boolean {
  const { error, status } = outcome
  if (error === undefined || outcome.abandoned) return true
  const code = isHTTPError(error) ? error.status : status
  return code !== undefined && code < 500 && code !== 429
}

/**
 * A retry budget (docs/DESIGN.md#retry-budget): retries, and hedges, stay under `ratio` (10%) of
 * an origin's calls over a sliding window, or within `min` per window when that is more. Once it is
 * spent, a failure is returned at once instead of retried, with a `refused` event and
 * `meta.refused = 'retry-budget'`. Plain retries triple the load on an origin that fails
 * everything (`retry: 2`); under a budget they add a tenth. Share one budget among clients to
 * share it, per origin.
 *
 * @example
 * const budget = retryBudget({ ratio: 0.1 })
 * const api = createClient({ retry: 3, use: [budget] })
 * budget.state('https://api.example.com') // { calls, retries, available, ... }
 */
export function retryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  checkOptions('retryBudget()', options, OPTIONS)
  const { clock = systemClock, random = Math.random, ratio = 0.1, min = 10, window = 10_000, adaptive = false } = options
  if (typeof adaptive === 'object') checkOptions('retryBudget()', adaptive, { k: isPositive }, 'adaptive.')
  const k = (typeof adaptive === 'object' && adaptive.k) || 2
  const origins = new PerOrigin(() => new SlidingCounters(window, COUNTERS))
  const windowOf = (origin: string): SlidingCounters => origins.get(origin).advance(clock.now())
  /**
   * Retries that may still be spent: as many as keep the window's retries under `ratio` of its
   * calls (strictly: a budget of 10% never adds 10%), or up to `min` when that is more.
   */
  const allowance = (w: SlidingCounters): number => {
    const retries = w.sum(RETRIES)
    // Rounded first: 0.07 · 100 is 7.000000000000001 in floating point, which would allow a 7th.
    const share = Math.round(ratio * w.sum(CALLS) * 1e9) / 1e9
    return Math.max(min - retries, Math.ceil(share) - 1 - retries)
  }
  const rejectProbability = (w: SlidingCounters): number => {
    const requests = w.sum(REQUESTS)
    return Math.max(0, (requests - k * w.sum(ACCEPTS)) / (requests + 1))
  }

  const budget: RetryBudget = {
    name: 'retry-budget',
    // A call counts once its first attempt reached the server: a call refused before sending (an
    // open breaker, a full queue) earns no retries for the others.
    attempted(outcome: AttemptOutcome) {
      if (outcome.attempt === 1 && !outcome.hedge) windowOf(outcome.origin).add(CALLS)
    },
    allow(origin) {
      const w = windowOf(origin)
      if (allowance(w) < 1) return false
      w.add(RETRIES)
      return true
    },
    state(origin) {
      const w = windowOf(origin)
      return {
        calls: w.sum(CALLS),
        retries: w.sum(RETRIES),
        available: Math.max(0, allowance(w)),
        requests: w.sum(REQUESTS),
        accepts: w.sum(ACCEPTS),
        rejectProbability: adaptive ? rejectProbability(w) : 0,
      }
    },
  }
  if (!adaptive) return budget
  return Object.assign(budget, {
    admit(admission: Admission): void {
      const w = windowOf(admission.origin)
      const probability = rejectProbability(w)
      w.add(REQUESTS)
      if (probability > 0 && random() < probability) throw new ThrottledError({ origin: admission.origin, probability })
    },
    attempted(outcome: AttemptOutcome): void {
      const w = windowOf(outcome.origin)
      if (outcome.attempt === 1 && !outcome.hedge) w.add(CALLS)
      if (accepted(outcome)) w.add(ACCEPTS)
    },
  })
}
