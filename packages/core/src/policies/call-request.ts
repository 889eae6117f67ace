/**
 * The answer seam (docs/DESIGN.md#http-cache): what a policy that holds responses (the HTTP cache)
 * sees of a call before it is admitted, so it can answer the call itself: no pool slot, no
 * rate-limit token, nothing sent. Types only, importing nothing but types.
 */
import type { Clock } from '../runtime/clock.js'
import type { PolicyEvent } from '../observe/events.js'
import type { Transport } from '../runtime/transport.js'

export type { CacheStatus } from '../observe/cache-status.js'

/** A call as a policy sees it when it may answer it (`Policy.answer`, `Policy.rescue`). */
export interface CallRequest {
  /** Upper case. */
  readonly method: string
  /** The absolute URL, query included. */
  readonly url: string
  /** The target's origin, as admission sees it. */
  readonly origin: string
  /** The call's headers (the client's, then the call's). */
  readonly headers: Headers
  /** The call sends a body. */
  readonly hasBody: boolean
  /** The client's transport, for work a policy does on its own behalf (a background revalidation). */
  readonly transport: Transport
  /** The client's clock. */
  readonly clock: Clock
  /** Reports a policy's event in the call's timeline; a `cache` event also sets `meta.cache`. */
  emit(event: PolicyEvent): void
}
