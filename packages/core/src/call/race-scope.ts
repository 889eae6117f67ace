import type { AdmissionScope } from './admission.js'
import type { Attempt } from './attempt.js'
import type { AttemptResult } from './one-attempt.js'
import type { Release } from '../policies/policy.js'

/**
 * What the hedged race (race.ts) may do with its call: the narrow recorder through which it
 * numbers, admits, reports and lets go of attempts. The call owns its state (meta, earlier errors,
 * the attempts its deadline aborts) and writes it only in these methods, which its own loop uses
 * too; the race keeps the hedges' admission and their end (docs/DESIGN.md#hedging), so a client
 * without `hedge()` carries none of it.
 */
export interface RaceScope extends AdmissionScope {
  /** What one attempt sends: the URL, or a fresh clone of the Request given as input. */
  input(): string | Request
  readonly headers: Record<string, string>
  /** Attempts started so far: the one {@link queue} just numbered. */
  readonly started: number
  /** Whether a hedge may be spent now (a retry budget's veto); the refusal is recorded. */
  allow(kind: 'hedge', attempt: number): boolean
  /** The next attempt takes its number and its place in line now; returns when (the client's clock). */
  queue(): number
  /** A new attempt, admitted with `release` after `queuedMs` in line: it is sent now. */
  attempt(number: number, release: Release, queuedMs: number, hedge: boolean): Attempt
  /** The attempts the call's deadline and abort must reach now. */
  watch(target: { fail(reason: unknown): void }): void
  /** A hedge goes out, `after` ms after the attempt it hedges. */
  hedged(attempt: Attempt, after: number): void
  /**
   * An attempt that failed while another is still out (`'dropped'`: recorded, the race goes on), or
   * that lost the race (`'abandoned'`: aborted, recorded as such).
   */
  failed(attempt: Attempt, result: AttemptResult, how: 'dropped' | 'abandoned'): unknown
}
