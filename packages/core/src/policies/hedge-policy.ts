import { createLatencySketch, type LatencySketch } from './latency-sketch.js'
import { isBrowserLike } from '../runtime/features.js'
import type { Admission, AttemptOutcome, HedgePlan, Policy, Release } from './policy.js'
import { PerOrigin } from './per-origin.js'
import { race, type Racer } from '../call/race.js'
import { checkOptions, isNonNegative, isPositiveInteger, isStrings, rule, type Rules } from '../options/option-check.js'

/** Options of {@link hedge}. */
export interface HedgeOptions {
  /**
   * When a hedge goes out: a fixed delay in ms, or a percentile of the origin's recent attempt
   * latency (`'p95'`, `'p90'`, `'p99'`...), learnt from the calls this policy sees.
   * @default 'p95'
   */
  after?: number | `p${number}`
  /** Hedges per call at most (a call makes at most `1 + max` attempts at once). @default 1 */
  max?: number
  /** Methods that are hedged; hedging sends the request twice, so only idempotent ones. @default ['GET', 'HEAD', 'OPTIONS'] */
  methods?: readonly string[]
  /** Latency samples an origin needs before a percentile is trusted; until then its calls are not hedged. @default 20 */
  minSamples?: number
  /** A lower bound on a learnt delay, in ms (on loopback a p95 of 1 ms would hedge needlessly). @default 0 */
  minDelay?: number
  /**
   * No hedge goes out while this client has this many attempts in flight to the origin. A browser
   * opens 6 connections per host over HTTP/1.1 and queues the rest: a hedge past them would wait in
   * the browser's queue (where a slow answer and a queued request look alike) and could be
   * abandoned before it ever reached the server. The default leaves 1 of the 6 spare: a connection
   * whose request was just aborted (a hedge's loser) is not free the moment its fetch rejects.
   * @default 5 in browsers, Infinity elsewhere
   */
  maxInFlight?: number
}

/** What {@link hedge} returns: a policy, and the delay it currently uses per origin. */
export interface HedgePolicy extends Policy {
  readonly name: 'hedge'
  /** The delay after which a call to `origin` is hedged now, or undefined while it is not. */
  delay(origin: string): number | undefined
}

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

const PERCENTILE = /^p(\d{1,2}(\.\d+)?)$/
const OPTIONS: Rules = {
  after: /* @__PURE__ */ rule(
    (v) => (typeof v === 'number' && v >= 0 && v < Infinity) || (typeof v === 'string' && PERCENTILE.test(v)),
    () => process.env.NODE_ENV !== 'production' && "a delay in ms (>= 0) or a percentile such as 'p95'",
  ),
  max: isPositiveInteger,
  methods: isStrings,
  minSamples: isPositiveInteger,
  minDelay: isNonNegative,
  maxInFlight: /* @__PURE__ */ rule((v) => typeof v === 'number' && v >= 1, () => process.env.NODE_ENV !== 'production' && 'a number >= 1'),
}
/** Samples per generation: the percentile follows the last 1,000–2,000 attempts. */
const GENERATION = 1000
/** The percentile is recomputed every this many samples (a quantile scans the sketch). */
const REFRESH = 16
/** Origins remembered at most; the least recently added is forgotten first. */
const MAX_ORIGINS = 256
/**
 * Attempts in flight per origin past which a browser gets no hedge: 1 below the 6 connections
 * per host it opens over HTTP/1.1 (Chromium, Firefox and WebKit alike), for connections still
 * closing after an abort.
 */
const BROWSER_IN_FLIGHT = 5

interface OriginLatency {
  current: LatencySketch
  previous: LatencySketch | undefined
  delay: number | undefined
  untilRefresh: number
}

/**
 * Hedged requests (docs/DESIGN.md#hedging): when an idempotent call has had no answer after the
 * origin's current p95 latency (or a fixed delay), a second attempt goes out; the first good
 * response wins and the other attempt is aborted and its body cancelled. A hedge rides on its
 * call's pool slot (it never waits in the pool's line); the rate limiter admits it like any
 * attempt, and it spends the retry budget when there is one. Against a latency tail, a few percent more requests cut p99 many times over.
 *
 * @example
 * const api = createClient({ use: [retryBudget(), hedge({ after: 'p95' })] })
 * await api.get('https://search.example.com/q?term=volley')
 */
export function hedge(options: HedgeOptions = {}): HedgePolicy {
  return hedgeWith(options)
}

function hedgeWith(options: HedgeOptions): HedgePolicy & Racer {
  checkOptions('hedge()', options, OPTIONS)
  const { after = 'p95', max = 1, methods = ['GET', 'HEAD', 'OPTIONS'], minSamples = 20, minDelay = 0, maxInFlight = isBrowserLike() ? BROWSER_IN_FLIGHT : Infinity } = options
  const fixed = typeof after === 'number' ? after : undefined
  const percentile = typeof after === 'string' ? Number(after.slice(1)) / 100 : undefined
  const hedged = new Set(methods.map((m) => m.toUpperCase()))
  // A sketch is ~10 KB and an origin keeps two: fewer origins than the other policies remember.
  const origins = new PerOrigin<OriginLatency>(() => ({ current: createLatencySketch(), previous: undefined, delay: undefined, untilRefresh: 0 }), MAX_ORIGINS)

  const learnt = (origin: string): number | undefined => {
    if (fixed !== undefined) return fixed
    return origins.peek(origin)?.delay
  }

  const policy: HedgePolicy & Racer = {
    name: 'hedge',
    delay: learnt,
    race,
    hedgeAfter(origin: string, method: string): HedgePlan | undefined {
      if (!hedged.has(method)) return undefined
      const delay = learnt(origin)
      return delay === undefined ? undefined : { delay, max }
    },
    attempted(outcome: AttemptOutcome): void {
      if (percentile === undefined) return
      const known = origins.peek(outcome.origin)?.delay
      // Good answers count, and so do attempts abandoned after the delay for a faster hedge: they
      // were at least that slow, and leaving them out would hide the very tail the percentile is
      // meant to see. A failure, or an attempt abandoned sooner (a hedge that lost, the caller's
      // abort), says nothing about the latency.
      if (outcome.error !== undefined && !(outcome.abandoned && known !== undefined && outcome.elapsedMs >= known)) return
      const entry = origins.get(outcome.origin)
      entry.current.record(outcome.elapsedMs)
      if (entry.current.count >= GENERATION) {
        entry.previous = entry.current
        entry.current = createLatencySketch()
      }
      if (--entry.untilRefresh > 0 && entry.current.count !== minSamples) return
      entry.untilRefresh = REFRESH
      const sketch = entry.current.count >= minSamples ? entry.current : entry.previous
      const value = sketch && sketch.count >= minSamples ? sketch.quantile(percentile) : undefined
      entry.delay = value === undefined ? undefined : Math.max(minDelay, Math.ceil(value))
    },
  }
  if (maxInFlight === Infinity) return policy
  // Attempts in flight per origin, counted from admission to release, for `maxInFlight`.
  const inFlight = new Map<string, number>()
  const planFor = policy.hedgeAfter!
  return Object.assign(policy, {
    admit({ origin }: Admission): Release {
      inFlight.set(origin, (inFlight.get(origin) ?? 0) + 1)
      let released = false
      return () => {
        if (released) return
        released = true
        const left = (inFlight.get(origin) as number) - 1
        if (left === 0) inFlight.delete(origin)
        else inFlight.set(origin, left)
      }
    },
    hedgeAfter(origin: string, method: string): HedgePlan | undefined {
      const plan = planFor(origin, method)
      return plan && { ...plan, ready: () => (inFlight.get(origin) ?? 0) < maxInFlight }
    },
  })
}
