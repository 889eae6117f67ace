import { AbortToken } from './abort-token.js'
import type { Attempt } from './attempt.js'
import type { TimerHandle } from '../runtime/clock.js'
import { AbortError } from '../errors/index.js'
import { admit } from './admission.js'
import { runAttempt, type AttemptResult } from './one-attempt.js'
import type { HedgePlan } from '../policies/policy.js'
import type { RaceScope } from './race-scope.js'

/** What a hedging policy adds to a call: the race. */
export interface Racer {
  race(call: RaceScope, first: Attempt, plan: HedgePlan): Promise<{ attempt: Attempt; result: AttemptResult }>
}

/**
 * Runs `first` with hedges: while no attempt has answered, another one goes out every
 * `plan.delay` ms, up to `plan.max`, each admitted by the policies (rate-limit token, retry budget)
 * on the pool slot of `first` (docs/DESIGN.md#hedging). Resolves with the first good result, or with the last failure
 * once no attempt is left. The others are aborted: recorded before the call settles, their slots
 * released and their bodies cancelled when their transports let go.
 */
export function race(call: RaceScope, first: Attempt, plan: HedgePlan): Promise<{ attempt: Attempt; result: AttemptResult }> {
  const { clock } = call.options
  return new Promise((resolve) => {
    const running = new Set<Attempt>()
    let hedges = 0
    let timer: TimerHandle | undefined
    /** A hedge waiting for admission, aborted when the race ends first. */
    let admitting: AbortToken | undefined
    let done = false
    call.watch({ fail: (reason) => running.forEach((attempt) => attempt.fail(reason)) })

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
          call.failed(other, { ok: false, error: lost, response: undefined }, 'abandoned')
        }
        running.clear()
      }
      call.watch(attempt)
      resolve({ attempt, result })
    }
    const ended = (attempt: Attempt, result: AttemptResult): void => {
      if (!running.delete(attempt)) return letGo(attempt, result)
      // A failure with nothing else out goes to the retry decision (a hedge still queueing is dropped).
      if (result.ok || running.size === 0) finish(attempt, result)
      else call.failed(attempt, result, 'dropped')
    }
    const launch = (attempt: Attempt): void => {
      running.add(attempt)
      if (attempt.hedge) call.hedged(attempt, clock.now() - first.startedAt)
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
      admitHedge(call, first, token).then(
        (attempt) => {
          call.token.removeEventListener('abort', forward)
          admitting = undefined
          if (!done) return launch(attempt)
          letGo(attempt, undefined)
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

/** A hedge of `racing`: numbered and admitted like any attempt (limiter, breaker) under `token`, but on `racing`'s pool slot. */
async function admitHedge(call: RaceScope, racing: Attempt, token: AbortToken): Promise<Attempt> {
  const queuedAt = call.queue()
  const number = call.started
  const release = await admit(call, number, true, token)
  const slot = racing.lend()
  return call.attempt(number, (outcome) => (release(outcome), slot(outcome)), call.options.clock.now() - queuedAt, true)
}

/** An attempt the race no longer wants has ended, or was never sent: its slot and body let go. */
function letGo(attempt: Attempt, result: AttemptResult | undefined): void {
  attempt.close('completed')
  if (result?.ok && attempt.bodyOpen) void result.response.body?.cancel().catch(() => {})
  attempt.finish()
}
