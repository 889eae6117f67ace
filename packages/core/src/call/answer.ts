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
import type { AbortToken } from './abort-token.js'
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
  /** The call's abort: it reaches the answer's attempt too. */
  readonly token: AbortToken
  emit(event: VolleyEvent): void
  request(): RequestInfo
  /** What the call's deadline and abort reach now. */
  watch(target: { fail(reason: unknown): void }): void
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
 * The first policy's answer, run through ofetch (hooks, parsing, `responseType`): `answer` before
 * admission, or `rescue` when admission refused the call with `refusal`. Undefined when no policy
 * answers; a policy that throws gives no answer (a cache's failure never fails a call).
 *
 * The answer is attempt 0 of the call: no policy prepares it or learns from it, it has no
 * lifecycle event of its own (the call's `start`, `cache` and `settle` tell the story), it is not
 * counted as sent, and it releases nothing.
 */
export async function answer(scope: AnswerScope, refusal?: { error: unknown }): Promise<(AttemptResult & { attempt: Attempt }) | undefined> {
  const request = callRequest(scope)
  let response: Response | undefined
  for (const policy of scope.options.policies) {
    const hook = refusal ? policy.rescue : policy.answer
    if (!hook) continue
    try {
      response = await hook.call(policy, request, refusal?.error)
    } catch {
      // Answering is an optimization; the call goes on as if there were none.
    }
    if (response) break
  }
  if (!response) return undefined
  const answered = response
  const own: CallScope = {
    options: { ...scope.options, policies: [], transport: () => Promise.resolve(answered) },
    id: 0,
    deferValidation: scope.deferValidation,
    origin: scope.origin,
    emitPolicy: scope.emitPolicy,
    request: () => scope.request(),
    emit: (event) => scope.emit(event),
    // An answer is no request: nothing is counted as sent.
    sending: () => {},
  }
  const attempt = new Attempt(own, 0, () => {}, 0, false)
  scope.watch(attempt)
  if (scope.token.aborted) attempt.fail(scope.token.reason)
  return { ...(await runAttempt(attempt, scope.target, scope.headers)), attempt }
}
