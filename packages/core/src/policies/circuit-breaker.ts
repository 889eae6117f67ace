import { systemClock, type Clock } from '../runtime/clock.js'
import { CircuitOpenError } from '../errors/circuit-open-error.js'
import { isHTTPError, isNetworkError, isTimeoutError } from '../errors/index.js'
import type { PolicyEvent } from '../observe/events.js'
import { checkOptions, invalidOption, isClock, isFunction, isPositive, isPositiveInteger, rule, type Rules } from '../options/option-check.js'
import { PerOrigin, SlidingCounters } from './per-origin.js'
import type { Admission, AttemptOutcome, Policy, Release } from './policy.js'

/** A breaker's state for one origin. */
export type CircuitState = 'closed' | 'open' | 'half-open'

/** Options of {@link circuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failed attempts that open the breaker. @default 5 */
  failures?: number
  /**
   * Also open when the share of failed attempts over a sliding window reaches `threshold`, once
   * the window holds `minimum` attempts; `false` for consecutive failures only.
   * @default { threshold: 0.5, minimum: 20, window: 10_000 }
   */
  failureRate?: { threshold: number; minimum?: number; window?: number } | false
  /** How long an open breaker fails calls fast before it lets probes through, in ms. @default 10_000 */
  cooldown?: number
  /** Attempts let through while half-open; that many successes close the breaker, one failure reopens it. @default 1 */
  probes?: number
  /**
   * Which attempt outcomes count as failures. By default: network errors, timeouts and 5xx
   * statuses. Not 4xx (the request's fault) and not 429 (backpressure, which the rate limiter
   * follows). Attempts the call abandoned (a hedge that lost, the caller's abort) never count.
   */
  isFailure?: (outcome: AttemptOutcome) => boolean
  /** Called on every change of state, for users without an event listener. */
  onStateChange?: (origin: string, state: CircuitState, retryAt: number | undefined) => void
  /** Time source. @default systemClock */
  clock?: Clock
}

/** What a breaker knows of one origin now. */
export interface CircuitBreakerState {
  readonly state: CircuitState
  /** Consecutive failed attempts (while closed). */
  readonly failures: number
  /** While open: when the next probe may go (epoch ms on the breaker's clock). */
  readonly retryAt: number | undefined
}

/** A circuit breaker: a policy for `use`, and its state per origin. */
export interface CircuitBreaker extends Policy {
  readonly name: 'circuit-breaker'
  state(origin: string): CircuitBreakerState
}

/** What `process.env.NODE_ENV` reads in development messages (see option-check.ts). */
declare const process: { readonly env: { readonly NODE_ENV?: string } }

const OPTIONS: Rules = {
  failures: isPositiveInteger,
  failureRate: /* @__PURE__ */ rule((v) => v === false || (typeof v === 'object' && v !== null), () => process.env.NODE_ENV !== 'production' && 'false or { threshold, minimum?, window? }'),
  cooldown: isPositive,
  probes: isPositiveInteger,
  isFailure: isFunction,
  onStateChange: isFunction,
  clock: isClock,
}
const isShare = /* @__PURE__ */ rule((v) => isPositive(v) && (v as number) <= 1, () => process.env.NODE_ENV !== 'production' && 'a number in (0, 1]')
const RATE_OPTIONS: Rules = { threshold: isShare, minimum: isPositiveInteger, window: isPositive }
const ATTEMPTS = 0
const FAILED = 1

interface Circuit {
  state: CircuitState
  consecutive: number
  retryAt: number | undefined
  probing: number
  passed: number
  /** Bumped on every change of state: a probe's release from an earlier half-open frees nothing now. */
  generation: number
  /** Attempts and failed attempts over the rate window. */
  readonly window: SlidingCounters
}

/** The default failure test: network errors, timeouts and 5xx. */
export function isServerFailure(outcome: AttemptOutcome): boolean {
  const { error } = outcome
  if (error === undefined) return false
  if (isHTTPError(error)) return error.status >= 500
  return isNetworkError(error) || isTimeoutError(error)
}


/**
 * A circuit breaker per origin (docs/DESIGN.md#circuit-breaker): closed, open, half-open. It opens
 * after `failures` consecutive failed attempts, or when failures reach `failureRate.threshold` of
 * a sliding window's attempts; while open, calls fail at once with a `CircuitOpenError` (its
 * `retryAt` says when the breaker probes) and the origin sees nothing; after `cooldown` it lets
 * `probes` attempts through: successes close it, a failure reopens it. Every change is a
 * `circuit` event (and `onStateChange`). Share one among clients to share its state.
 *
 * @example
 * const breaker = circuitBreaker({ failures: 5, cooldown: 10_000 })
 * const api = createClient({ use: [breaker] })
 * breaker.state('https://api.example.com') // { state: 'closed', failures: 0, retryAt: undefined }
 */
export function circuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  checkOptions('circuitBreaker()', options, OPTIONS)
  const { clock = systemClock, isFailure = isServerFailure, onStateChange, failures = 5, cooldown = 10_000, probes = 1 } = options
  const rateOption = options.failureRate ?? { threshold: 0.5 }
  if (rateOption !== false) {
    checkOptions('circuitBreaker()', rateOption, RATE_OPTIONS, 'failureRate.')
    if (rateOption.threshold === undefined) throw invalidOption('circuitBreaker()', 'failureRate.threshold', undefined, isShare.expects)
  }
  const threshold = rateOption === false ? Infinity : rateOption.threshold
  const minimum = (rateOption !== false && rateOption.minimum) || 20
  const window = (rateOption !== false && rateOption.window) || 10_000
  const circuits = new PerOrigin<Circuit>(() => ({ state: 'closed', consecutive: 0, retryAt: undefined, probing: 0, passed: 0, generation: 0, window: new SlidingCounters(window, 2) }))

  const move = (origin: string, circuit: Circuit, state: CircuitState, emit: (event: PolicyEvent) => void): void => {
    circuit.state = state
    circuit.generation++
    circuit.probing = 0
    circuit.passed = 0
    circuit.consecutive = 0
    circuit.retryAt = state === 'open' ? clock.now() + cooldown : undefined
    if (state === 'closed') circuit.window.clear()
    emit({ type: 'circuit', origin, state, retryAt: circuit.retryAt })
    try {
      onStateChange?.(origin, state, circuit.retryAt)
    } catch {
      // An observer must never change the outcome of a request.
    }
  }

  return {
    name: 'circuit-breaker',
    /**
     * Fails fast while the breaker is open (or its probes are all out): the call never waits in a
     * pool or for a token only to be refused. Changes nothing: the decision is the gate's.
     */
    admit({ origin }: Admission): void {
      const circuit = circuits.peek(origin)
      if (!circuit || circuit.state === 'closed') return
      if (circuit.state === 'open' && clock.now() < (circuit.retryAt as number)) throw new CircuitOpenError({ origin, retryAt: circuit.retryAt as number })
      if (circuit.state === 'half-open' && circuit.probing >= probes) throw new CircuitOpenError({ origin, retryAt: clock.now() })
    },
    /**
     * The decision, right before sending, after the call's slot and token: a call queued while the
     * breaker was closed is refused if it opened meanwhile, and after the cooldown exactly `probes`
     * attempts go out, however many calls were waiting in line.
     */
    gate(admission: Admission): Release | void {
      const { origin } = admission
      const circuit = circuits.peek(origin)
      if (!circuit || circuit.state === 'closed') return
      if (circuit.state === 'open') {
        if (clock.now() < (circuit.retryAt as number)) throw new CircuitOpenError({ origin, retryAt: circuit.retryAt as number })
        move(origin, circuit, 'half-open', admission.emit)
      }
      if (circuit.probing >= probes) throw new CircuitOpenError({ origin, retryAt: clock.now() })
      circuit.probing++
      // The probe's slot comes back when its attempt ends, however it ends (an abandoned probe
      // says nothing about the server, so the next call probes instead).
      const generation = circuit.generation
      let released = false
      return () => {
        if (released) return
        released = true
        if (circuit.generation === generation) circuit.probing--
      }
    },
    attempted(outcome: AttemptOutcome): void {
      if (outcome.abandoned) return
      const circuit = circuits.get(outcome.origin)
      let failed = false
      try {
        failed = isFailure(outcome) === true
      } catch {
        // A classifier that throws must never fail the request; the outcome counts as a success.
      }
      if (circuit.state === 'half-open') {
        if (failed) move(outcome.origin, circuit, 'open', outcome.emit)
        else if (++circuit.passed >= probes) move(outcome.origin, circuit, 'closed', outcome.emit)
        return
      }
      if (circuit.state === 'open') return
      circuit.consecutive = failed ? circuit.consecutive + 1 : 0
      if (circuit.consecutive >= failures) return move(outcome.origin, circuit, 'open', outcome.emit)
      if (threshold === Infinity) return
      const window = circuit.window.advance(clock.now())
      window.add(ATTEMPTS)
      if (failed) window.add(FAILED)
      const attempts = window.sum(ATTEMPTS)
      if (attempts >= minimum && window.sum(FAILED) / attempts >= threshold) move(outcome.origin, circuit, 'open', outcome.emit)
    },
    state(origin: string): CircuitBreakerState {
      const circuit = circuits.peek(origin)
      return circuit ? { state: circuit.state, failures: circuit.consecutive, retryAt: circuit.retryAt } : { state: 'closed', failures: 0, retryAt: undefined }
    },
  }
}
