import { AbortToken } from './abort-token.js'
import { TimeoutError, type RequestInfo } from '../errors/index.js'
import type { PolicyEvent } from '../observe/events.js'
import type { Admission, Policy, Release } from '../policies/policy.js'
import type { ResolvedOptions } from '../options/resolve-options.js'

const noRelease: Release = () => {}

/** What admission needs from its call. */
export interface AdmissionScope {
  readonly options: ResolvedOptions
  readonly origin: string
  /** When the call started: its place in line (see `Admission.since`). */
  readonly startedAt: number
  /** The call's abort (caller, total deadline, close). */
  readonly token: AbortToken
  request(): RequestInfo
  /** A policy admitted the attempt (the pool's `'slot'` event). */
  admitted(policy: Policy, attempt: number): void
  /** Reports a policy's event in the call's timeline. */
  readonly emitPolicy: (event: PolicyEvent) => void
}

/** What the policies see of attempt `attempt` while they admit it. */
function admission(scope: AdmissionScope, signal: AbortToken, attempt: number, hedge: boolean): Admission {
  const { options } = scope
  return { origin: scope.origin, priority: options.priority, since: scope.startedAt, cost: options.cost, signal, attempt, hedge, emit: scope.emitPolicy }
}

/**
 * Waits for every admission policy in order (a pool slot, then a rate-limit token) within the
 * `queue` timeout, and returns one release for all of them. Policies that admit at once (a free
 * slot, a token in the bucket) cost no promise.
 *
 * The pool comes before the limiter on purpose: the token is taken right before sending, so the
 * limiter spaces real starts. Taken the other way round, tokens granted while every slot is busy
 * would all start together when slots free, and the server would see bursts above the limit.
 *
 * A hedge takes no slot (`grantsSlot` policies are skipped): it rides on the slot of the attempt it
 * races (`Attempt.lend`), docs/DESIGN.md#hedging. Waiting for a slot of its own, it would wait for
 * slots held by slow attempts that only their own hedges could free.
 */
export function admit(scope: AdmissionScope, attempt: number, hedge: boolean, token: AbortToken = scope.token): Release | Promise<Release> {
  const { options } = scope
  if (options.timeout.queue !== undefined) return admitWithin(scope, options.timeout.queue, attempt, hedge, token)
  const policies = options.policies
  let ask: Admission | undefined
  let release = noRelease
  for (let i = 0; i < policies.length; i++) {
    const policy = policies[i]!
    if (!policy.admit || (hedge && policy.grantsSlot)) continue
    if (token.aborted) return fail(release, token.reason)
    let answer: Release | void | Promise<Release | void>
    try {
      answer = policy.admit((ask ??= admission(scope, token, attempt, hedge)))
    } catch (error) {
      return fail(release, error)
    }
    if (answer instanceof Promise) return rest(scope, ask, i, release, answer)
    release = join(release, answer)
    scope.admitted(policy, attempt)
  }
  for (let i = 0; i < policies.length; i++) {
    if (policies[i]!.gate) return gates(policies, ask ?? admission(scope, token, attempt, hedge), release)
  }
  return release
}

/**
 * The gates, right before sending (`Policy.gate`): a refusal releases what admission took as
 * `'refused'` (nothing was sent) and ends the attempt before it exists.
 */
function gates(policies: readonly Policy[], ask: Admission, held: Release): Release | Promise<Release> {
  let release = held
  for (let i = 0; i < policies.length; i++) {
    const gate = policies[i]!.gate
    if (!gate) continue
    try {
      release = join(release, gate(ask))
    } catch (error) {
      return fail(release, error)
    }
  }
  return release
}

/** {@link admit} under a `queue` deadline: its own token, aborted by the timer or by the call. */
async function admitWithin(scope: AdmissionScope, limit: number, attempt: number, hedge: boolean, token: AbortToken): Promise<Release> {
  const { clock } = scope.options
  const queue = new AbortToken()
  const forward = (): void => queue.abort(token.reason)
  token.addEventListener('abort', forward)
  if (token.aborted) forward()
  const timer = clock.setTimeout(() => queue.abort(new TimeoutError({ phase: 'queue', limit, request: scope.request() })), limit)
  try {
    return await rest(scope, admission(scope, queue, attempt, hedge), -1, noRelease, undefined)
  } finally {
    clock.clearTimeout(timer)
    token.removeEventListener('abort', forward)
  }
}

/** Waits for `pending` (policy `from`), then every admission policy after it, in order. */
async function rest(scope: AdmissionScope, ask: Admission, from: number, held: Release, pending: Promise<Release | void> | undefined): Promise<Release> {
  const policies = scope.options.policies
  const signal = ask.signal as AbortToken
  let release = held
  try {
    if (pending) {
      release = join(release, await pending)
      scope.admitted(policies[from]!, ask.attempt)
    }
    for (let i = from + 1; i < policies.length; i++) {
      const policy = policies[i]!
      if (!policy.admit || (ask.hedge && policy.grantsSlot)) continue
      if (signal.aborted) throw signal.reason
      release = join(release, await policy.admit(ask))
      scope.admitted(policy, ask.attempt)
    }
  } catch (error) {
    release('refused')
    throw signal.aborted ? signal.reason : error
  }
  if (signal.aborted) {
    release('refused')
    throw signal.reason
  }
  return gates(policies, ask, release)
}

function fail(release: Release, error: unknown): Promise<never> {
  release('refused')
  return Promise.reject(error)
}

function join(first: Release, second: Release | void): Release {
  if (!second) return first
  if (first === noRelease) return second
  return (outcome) => {
    first(outcome)
    second(outcome)
  }
}
