/**
 * The lifecycle of a call as a stream of events (docs/DESIGN.md#observability): what the playground's
 * timeline draws, what metrics count, what @volley/node publishes on diagnostics_channel and what
 * an OpenTelemetry span wraps. Nothing is allocated when nobody listens.
 *
 * Per call, in order: `start`, then per attempt `queued` → (`slot` when a pool is used) → `sent`
 * → `headers`? → `attempt-end`, then `retry` before each further attempt, and `settle` last.
 * Resilience policies add their own (each only when it acts): `hedge` (a parallel attempt sent),
 * `refused` (a retry or hedge a policy would not pay for), `circuit` (a breaker changed state),
 * `offline` (the call waits for the network to come back), `shared` (the call joined an
 * identical request in flight), `cache` (how the HTTP cache served the call; also `meta.cache`).
 */
import type { CacheStatus } from './cache-status.js'
import type { Meta } from '../call/meta.js'

interface Base {
  /** Call id, unique per process. */
  readonly id: number
  /** Epoch ms (the client's clock). */
  readonly time: number
}

/** One lifecycle event; narrow on `type`. */
export type VolleyEvent =
  | (Base & { readonly type: 'start'; readonly method: string; readonly url: string })
  | (Base & { readonly type: 'queued'; readonly attempt: number })
  | (Base & { readonly type: 'slot'; readonly attempt: number })
  | (Base & { readonly type: 'sent'; readonly attempt: number; readonly queuedMs: number })
  | (Base & { readonly type: 'headers'; readonly attempt: number; readonly status: number; readonly ttfbMs: number })
  | (Base & {
      readonly type: 'attempt-end'
      readonly attempt: number
      readonly status: number | undefined
      /** Error code when the attempt failed. */
      readonly error: string | undefined
      readonly message: string | undefined
      readonly durationMs: number
      readonly bytesIn: number
      readonly bytesOut: number
    })
  | (Base & {
      readonly type: 'retry'
      readonly attempt: number
      readonly delay: number
      readonly error: string
      readonly message: string
      /** The delay came from Retry-After / RateLimit-Reset. */
      readonly fromServer: boolean
      /** What the server asked for before `maxRetryAfter` capped it, when it asked. */
      readonly requested: number | undefined
    })
  | (Base & {
      readonly type: 'hedge'
      /** The hedge's own attempt number. */
      readonly attempt: number
      /** How long the attempt it hedges had been out. */
      readonly after: number
    })
  | (Base & {
      readonly type: 'refused'
      /** The attempt whose retry (or hedge) was refused. */
      readonly attempt: number
      /** The policy that refused it (`'retry-budget'`). */
      readonly policy: string
      readonly kind: 'retry' | 'hedge'
    })
  | (Base & PolicyEvent)
  | (Base & {
      readonly type: 'settle'
      readonly ok: boolean
      readonly status: number | undefined
      readonly error: string | undefined
      readonly message: string | undefined
      readonly meta: Meta
    })

/**
 * An event a policy reports in the timeline of the call it acts in; the call adds `id` and `time`.
 */
export type PolicyEvent =
  | {
      readonly type: 'circuit'
      readonly origin: string
      readonly state: 'closed' | 'open' | 'half-open'
      /** When an open breaker lets the next probe through (epoch ms on the client's clock). */
      readonly retryAt: number | undefined
    }
  | {
      readonly type: 'offline'
      readonly attempt: number
      /** True when the wait begins, false when the network is back. */
      readonly waiting: boolean
    }
  | {
      readonly type: 'shared'
      readonly attempt: number
      /** How many calls share the request now, this one included. */
      readonly callers: number
    }
  | {
      readonly type: 'cache'
      /** `hit` (fresh, nothing sent), `stale` (served stale: while revalidating, or for an error), `revalidated` (a 304 confirmed it), `miss`. */
      readonly status: CacheStatus
    }

/**
 * Receives every event of the calls it is attached to. Must not throw (exceptions are swallowed).
 * A listener may carry `active()`: when every listener of a call says false at its start, the
 * call emits nothing and allocates no events (how diagnostics_channel publishing stays free
 * while nobody subscribes).
 */
export type EventListener = ((event: VolleyEvent) => void) & { active?: () => boolean }

/** Whether any of `listeners` wants the events of a call starting now. */
export function listening(listeners: readonly EventListener[]): boolean {
  for (const listener of listeners) if (listener.active?.() ?? true) return true
  return false
}

let nextId = 1

/** A process-unique call id. */
export function nextCallId(): number {
  return nextId++
}

/** Calls every listener, isolating the call from a listener's exception. */
export function emitTo(listeners: readonly EventListener[], event: VolleyEvent): void {
  for (const listener of listeners) {
    try {
      listener(event)
    } catch {
      // An observer must never change the outcome of a request.
    }
  }
}
