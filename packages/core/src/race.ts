/**
 * The hedged race (docs/DESIGN.md#hedging), reached only through `hedge()`: a client without it
 * never bundles this module. The call loop hands the race its first attempt; the race sends
 * hedges, picks the winner and lets the losers go, then hands the winner back to the loop.
 */
import { AbortToken } from './abort-token.js'
import { admit } from './admission.js'
import type { Attempt } from './attempt.js'
import type { Call } from './call.js'
import type { TimerHandle } from './clock.js'
import { AbortError, isVolleyError } from './errors/index.js'
import { runAttempt, type AttemptResult } from './one-attempt.js'
import type { HedgePlan } from './policy.js'
import { attemptEndEvent, finishAttempt } from './report.js'

/** What a hedging policy adds to a call: the race. */
export interface Racer {
  race(call: Call, first: Attempt, plan: HedgePlan): Promise<{ attempt: Attempt; result: AttemptResult }>
}

/** A hedge, admitted like any attempt (pool, limiter, breaker) under `token`; not sent yet. */
async function admitHedge(call: Call, number: number, token: AbortToken): Promise<Attempt> {
  const { clock } = call.options
  const queuedAt = clock.now()
  if (call.id) call.emit({ type: 'queued', id: call.id, time: queuedAt, attempt: number })
  const release = await admit(call, number, true, token)
  return call.attempt(number, release, clock.now() - queuedAt, true)
}

/** A hedge goes out, `after` ms after the attempt it hedges. */
function hedged(call: Call, attempt: Attempt, after: number): void {
  call.meta.hedges++
  if (call.id) {
    const { id } = call
    call.emit({ type: 'hedge', id, time: attempt.startedAt, attempt: attempt.number, after })
  }
}

/** An attempt failed while another is still out: recorded, and the race goes on. */
function dropped(call: Call, attempt: Attempt, result: AttemptResult): void {
  const entry = call.record(attempt, result, false)
  attempt.release(attempt.handedOver ? 'failed' : 'refused')
  if (!result.ok && isVolleyError(result.error)) call.previous.push(result.error)
  if (call.id && entry) call.emit(attemptEndEvent(call.id, call.options.clock.now(), entry, result.ok ? undefined : result.error))
}

/** An attempt that lost the race, aborted with `reason`: recorded as such, its outcome abandoned. */
function abandoned(call: Call, attempt: Attempt, reason: unknown): void {
  const entry = call.record(attempt, { ok: false, error: reason, response: undefined }, true)
  if (!entry) return
  if (call.id) call.emit(attemptEndEvent(call.id, call.options.clock.now(), entry, reason))
  attempt.onEnd(() => finishAttempt(entry, attempt))
}

/** The transport of an abandoned attempt let go: a response that came anyway is cancelled, the slot released. */
function letGo(attempt: Attempt, result: AttemptResult): void {
  attempt.onEnd(() => attempt.release('completed'))
  if (result.ok && attempt.bodyOpen) void result.response.body?.cancel().catch(() => {})
  attempt.finish()
}

/**
 * Runs `first` with hedges: while no attempt has answered, another one goes out every
 * `plan.delay` ms, up to `plan.max`, each admitted by the policies like any attempt (pool slot,
 * rate-limit token, retry budget). Resolves with the first good result, or with the last failure
 * once no attempt is left. The others are aborted: recorded before the call settles, their slots
 * released and their bodies cancelled when their transports let go.
 */
export function race(call: Call, first: Attempt, plan: HedgePlan): Promise<{ attempt: Attempt; result: AttemptResult }> {
  const { clock } = call.options
  return new Promise((resolve) => {
    const running = new Set<Attempt>()
    let hedges = 0
    let timer: TimerHandle | undefined
    /** A hedge waiting for admission, aborted when the race ends first. */
    let admitting: AbortToken | undefined
    let done = false
    call.deadline.current = { fail: (reason) => running.forEach((attempt) => attempt.fail(reason)) }

    const finish = (attempt: Attempt, result: AttemptResult): void => {
      done = true
      if (timer !== undefined) clock.clearTimeout(timer)
      if (running.size > 0 || admitting) {
        const lost = new AbortError({ reason: 'another attempt of the call answered first', request: call.request() })
        admitting?.abort(lost)
        // The losers are recorded now, so the call's timeline ends before its `settle`; their
        // slots come back when their transports have let go (`ended` below).
        for (const other of running) {
          other.fail(lost)
          abandoned(call, other, lost)
        }
        running.clear()
      }
      call.deadline.current = attempt
      resolve({ attempt, result })
    }
    const ended = (attempt: Attempt, result: AttemptResult): void => {
      if (!running.delete(attempt)) return letGo(attempt, result)
      // A failure with nothing else out goes to the retry decision (a hedge still queueing is dropped).
      if (result.ok || running.size === 0) finish(attempt, result)
      else dropped(call, attempt, result)
    }
    const launch = (attempt: Attempt): void => {
      running.add(attempt)
      if (attempt.hedge) hedged(call, attempt, clock.now() - first.startedAt)
      void runAttempt(attempt, call.input(), call.headers).then((result) => ended(attempt, result))
      if (hedges < plan.max) timer = clock.setTimeout(hedge, plan.delay)
    }
    const hedge = (): void => {
      timer = undefined
      if (done || call.token.aborted || (plan.ready && !plan.ready()) || !call.allow('hedge', first.number)) return
      hedges++
      const token = (admitting = new AbortToken())
      const forward = (): void => token.abort(call.token.reason)
      call.token.addEventListener('abort', forward)
      admitHedge(call, ++call.started, token).then(
        (attempt) => {
          call.token.removeEventListener('abort', forward)
          admitting = undefined
          if (!done) return launch(attempt)
          attempt.finish()
          attempt.release('completed')
        },
        () => {
          // Not admitted (a queue timeout, an open breaker, the race ended): the call goes on without it.
          call.token.removeEventListener('abort', forward)
          admitting = undefined
        },
      )
    }
    launch(first)
  })
}
