/**
 * The call side of the answer seam (call-request.ts, docs/DESIGN.md#http-cache): asks the
 * policies for an answer, and runs an answer through ofetch like a response from the network
 * (hooks, parsing, `responseType`), as an attempt that took no admission, sent nothing, and that
 * no other policy prepares or learns from (a breaker must not count a cache hit as the origin's
 * health).
 */
import { Attempt, type CallScope } from './attempt.js'
import type { CallRequest } from '../policies/call-request.js'
import type { RequestInfo } from '../errors/index.js'
import type { PolicyEvent, VolleyEvent } from '../observe/events.js'
import { runAttempt, type AttemptResult } from './one-attempt.js'
import type { Policy } from '../policies/policy.js'
import type { ResolvedOptions } from '../options/resolve-options.js'
import type { Transport } from '../runtime/transport.js'
import { withQuery } from '../options/url.js'

/** What the seam needs from its call. */
export interface AnswerScope {
  readonly options: ResolvedOptions
  readonly target: string
  readonly origin: string
  readonly headers: Record<string, string>
  readonly deferValidation: boolean
  readonly emitPolicy: (event: PolicyEvent) => void
  emit(event: VolleyEvent): void
  request(): RequestInfo
}

/** Whether any policy may answer calls (so a client without a cache pays one flag check). */
export function answers(policies: readonly Policy[]): boolean {
  return policies.some((policy) => policy.answer !== undefined || policy.rescue !== undefined)
}

/** The call as the policies see it. */
export function callRequest(scope: AnswerScope): CallRequest {
  const { options } = scope
  return {
    method: options.method,
    url: withQuery(scope.target, options.query),
    origin: scope.origin,
    headers: new Headers(scope.headers),
    hasBody: options.body !== undefined && options.body !== null,
    transport: options.transport,
    clock: options.clock,
    emit: scope.emitPolicy,
  }
}

/**
 * The first policy's answer: `answer` before admission, or `rescue` when admission refused the
 * call with `refusal`. A policy that throws gives no answer: a cache's failure never fails a call.
 */
export async function askPolicies(policies: readonly Policy[], request: CallRequest, refusal?: { error: unknown }): Promise<Response | undefined> {
  for (const policy of policies) {
    const hook = refusal ? policy.rescue : policy.answer
    if (!hook) continue
    try {
      const response = await (refusal ? hook.call(policy, request, refusal.error) : (hook as NonNullable<Policy['answer']>).call(policy, request))
      if (response) return response
    } catch {
      // Answering is an optimization; the call goes on as if there were none.
    }
  }
  return undefined
}

/**
 * `response` as attempt 0 of the call, to run with {@link runAnswer}: no policy prepares it, it
 * has no lifecycle event of its own (the call's `start`, `cache` and `settle` tell the story), and
 * it releases nothing.
 */
export function answerAttempt(scope: AnswerScope, response: Response): Attempt {
  const answer: Transport = () => Promise.resolve(response)
  const own: CallScope = {
    options: { ...scope.options, policies: [], transport: answer },
    id: 0,
    deferValidation: scope.deferValidation,
    origin: scope.origin,
    emitPolicy: scope.emitPolicy,
    request: () => scope.request(),
    emit: (event) => scope.emit(event),
    // An answer is no request: nothing is counted as sent.
    sending: () => {},
  }
  return new Attempt(own, 0, () => {}, 0, false)
}

/** Runs an answer's attempt through ofetch (hooks, parsing, `responseType`). */
export function runAnswer(scope: AnswerScope, attempt: Attempt): Promise<AttemptResult> {
  return runAttempt(attempt, scope.target, scope.headers)
}
