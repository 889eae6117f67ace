import type { AbortToken } from './abort-token.js'
import type { Attempt } from './attempt.js'
import type { AttemptResult } from './one-attempt.js'
import type { RequestInfo } from '../errors/volley-error.js'
import type { ResolvedOptions } from '../options/resolve-options.js'

/**
 * What the hedged race (race.ts) may do with its call: the narrow recorder through which it
 * admits, launches and lets go of attempts. The call owns its state (meta, earlier errors, the
 * attempt its deadline aborts); the race only reports what happened, through these methods.
 */
export interface RaceScope {
  readonly options: ResolvedOptions
  /** The call's abort: the caller, the total deadline, a close. */
  readonly token: AbortToken
  /** What one attempt sends: the URL, or a fresh clone of the Request given as input. */
  input(): string | Request
  readonly headers: Record<string, string>
  request(): RequestInfo
  /** Whether a hedge may be spent now (a retry budget's veto); the refusal is recorded. */
  allow(kind: 'hedge', attempt: number): boolean
  /** A hedge of `racing`, numbered and admitted (limiter, breaker) under `token`, on `racing`'s pool slot; not sent yet. */
  admitHedge(racing: Attempt, token: AbortToken): Promise<Attempt>
  /** The attempts the call's deadline and abort must reach now. */
  watch(target: { fail(reason: unknown): void }): void
  /** A hedge goes out, `after` ms after the attempt it hedges. */
  hedged(attempt: Attempt, after: number): void
  /** An attempt failed while another is still out: recorded, and the race goes on. */
  dropped(attempt: Attempt, result: AttemptResult): void
  /** An attempt that lost the race, aborted with `reason`: recorded as such, its outcome abandoned. */
  abandoned(attempt: Attempt, reason: unknown): void
  /** An attempt the race no longer wants has ended or was never sent: its slot and body let go. */
  letGo(attempt: Attempt, result: AttemptResult | undefined): void
}
