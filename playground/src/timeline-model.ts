/**
 * The timeline's data: one row per call, built from volley's lifecycle events (`onEvent`). Each
 * event updates one row in O(1); the renderer derives the phases from the timestamps:
 *
 *   queued -> slot    waiting for a pool slot
 *   slot   -> sent    waiting for a rate-limit token (queued -> sent when there is no pool)
 *   sent   -> end     in flight (per attempt; `headers` marks the first byte)
 *   retry  -> queued  retry wait (backoff or Retry-After)
 *   settle            done, coloured by outcome
 *
 * The resilience policies add marks: a hedge is an attempt of its own racing the one in flight
 * (events name their attempt, so concurrent attempts each get theirs), `refused` marks a retry or
 * hedge a budget would not pay for, `offline` spans the wait for the network, `shared` counts the
 * calls sharing a request, `circuit` records the breaker's states over time, per origin, and
 * `cache` says how the HTTP cache served the call (a hit has no attempt at all: it sent nothing).
 */
import { outcomeOfCode, type CacheStatus, type Outcome, type VolleyEvent } from '@volley/browser'

/** How a call or an attempt ended; the same classes as volley's metrics. */
export type { Outcome }

export interface Attempt {
  readonly number: number
  readonly queuedAt: number
  slotAt: number | undefined
  sentAt: number | undefined
  headersAt: number | undefined
  endAt: number | undefined
  /** When the retry after this attempt was decided, and how long it waits. */
  retryAt: number | undefined
  retryDelay: number | undefined
  /** What the server asked for (Retry-After), before `maxRetryAfter` capped it. */
  retryRequested: number | undefined
  retryFromServer: boolean
  status: number | undefined
  outcome: Outcome | undefined
  error: string | undefined
  message: string | undefined
  bytesIn: number
  /** A hedge: sent while an earlier attempt of the call was still out. */
  hedge: boolean
}

/** A retry or hedge that a policy refused (a spent retry budget). */
export interface Refusal {
  readonly at: number
  readonly policy: string
  readonly kind: 'retry' | 'hedge'
}

/** A circuit breaker's change of state. */
export interface CircuitChange {
  readonly at: number
  readonly origin: string
  readonly state: 'closed' | 'open' | 'half-open'
  readonly retryAt: number | undefined
}

export interface Row {
  readonly id: number
  /** Position in the timeline (start order), from 0. */
  readonly index: number
  readonly method: string
  /** The URL as volley reports it: credentials already redacted. */
  readonly url: string
  readonly startAt: number
  readonly attempts: Attempt[]
  settleAt: number | undefined
  outcome: Outcome | undefined
  status: number | undefined
  error: string | undefined
  message: string | undefined
  refusals: Refusal[]
  /** Waits for the network (`offlinePause()`): from, and to once it came back. */
  offline: { from: number; to: number | undefined }[]
  /** The most calls that shared this call's request at once (`dedupe()`), 1 when none did. */
  shared: number
  /** How `cache()` served the call, and when it said so; undefined without a cache. */
  cache: CacheStatus | undefined
  cacheAt: number | undefined
}

/**
 * A pause of the rate limiter that a server asked for: volley pauses the origin's limiter for
 * every call when a 429 or 503 carries Retry-After (or RateLimit-Reset) and a retry follows.
 */
export interface ServerPause {
  readonly from: number
  readonly until: number
  readonly status: number | undefined
  /** What the server asked for, in ms, before `maxRetryAfter` capped it. */
  readonly asked: number
}

export interface TimelineModel {
  readonly rows: readonly Row[]
  /** Every server-asked limiter pause of the run, in time order. */
  readonly pauses: readonly ServerPause[]
  /** Every circuit breaker change of the run, in time order. */
  readonly circuits: readonly CircuitChange[]
  /** Epoch ms of the first event (the time origin of the chart), undefined before it. */
  readonly origin: number | undefined
  /** Epoch ms of the latest event. */
  readonly lastEventAt: number
  readonly settled: number
  /** Bumped on every change, so renderers can skip unchanged frames. */
  readonly version: number
  apply(event: VolleyEvent): void
  clear(): void
}

export function createTimelineModel(): TimelineModel {
  let rows: Row[] = []
  let pauses: ServerPause[] = []
  let circuits: CircuitChange[] = []
  let byId = new Map<number, Row>()
  let origin: number | undefined
  let lastEventAt = 0
  let settled = 0
  let version = 0

  /** The attempt an event names (hedges run side by side), or the latest one. */
  const attemptOf = (row: Row, number: number | undefined): Attempt | undefined =>
    (number === undefined ? undefined : row.attempts.find((a) => a.number === number)) ?? row.attempts[row.attempts.length - 1]

  return {
    get rows() {
      return rows
    },
    get pauses() {
      return pauses
    },
    get circuits() {
      return circuits
    },
    get origin() {
      return origin
    },
    get lastEventAt() {
      return lastEventAt
    },
    get settled() {
      return settled
    },
    get version() {
      return version
    },
    apply(event) {
      version++
      lastEventAt = Math.max(lastEventAt, event.time)
      if (event.type === 'start') {
        origin ??= event.time
        const row: Row = { id: event.id, index: rows.length, method: event.method, url: event.url, startAt: event.time, attempts: [], settleAt: undefined, outcome: undefined, status: undefined, error: undefined, message: undefined, refusals: [], offline: [], shared: 1, cache: undefined, cacheAt: undefined }
        rows.push(row)
        byId.set(event.id, row)
        return
      }
      const row = byId.get(event.id)
      if (!row) return // a call of an earlier run, still settling after a clear
      const attempt = attemptOf(row, 'attempt' in event ? event.attempt : undefined)
      switch (event.type) {
        case 'queued':
          row.attempts.push({ number: event.attempt, queuedAt: event.time, slotAt: undefined, sentAt: undefined, headersAt: undefined, endAt: undefined, retryAt: undefined, retryDelay: undefined, retryRequested: undefined, retryFromServer: false, status: undefined, outcome: undefined, error: undefined, message: undefined, bytesIn: 0, hedge: false })
          break
        case 'hedge':
          if (attempt) attempt.hedge = true
          break
        case 'refused':
          row.refusals.push({ at: event.time, policy: event.policy, kind: event.kind })
          break
        case 'offline':
          if (event.waiting) row.offline.push({ from: event.time, to: undefined })
          else {
            const wait = row.offline[row.offline.length - 1]
            if (wait && wait.to === undefined) wait.to = event.time
          }
          break
        case 'shared':
          row.shared = Math.max(row.shared, event.callers)
          break
        case 'cache':
          Object.assign(row, { cache: event.status, cacheAt: event.time })
          break
        case 'circuit':
          circuits.push({ at: event.time, origin: event.origin, state: event.state, retryAt: event.retryAt })
          break
        case 'slot':
          if (attempt) attempt.slotAt = event.time
          break
        case 'sent':
          if (attempt) attempt.sentAt = event.time
          break
        case 'headers':
          if (attempt) Object.assign(attempt, { headersAt: event.time, status: event.status })
          break
        case 'attempt-end':
          if (attempt) Object.assign(attempt, { endAt: event.time, status: event.status, error: event.error, message: event.message, bytesIn: event.bytesIn, outcome: outcomeOfCode(event.error) })
          break
        case 'retry':
          if (attempt) Object.assign(attempt, { retryAt: event.time, retryDelay: event.delay, retryRequested: event.requested, retryFromServer: event.fromServer })
          if (event.fromServer && (attempt?.status === 429 || attempt?.status === 503)) {
            pauses.push({ from: event.time, until: event.time + event.delay, status: attempt.status, asked: event.requested ?? event.delay })
          }
          break
        case 'settle':
          settled++
          Object.assign(row, { settleAt: event.time, status: event.status, error: event.error, message: event.message, outcome: outcomeOfCode(event.error) })
          break
      }
    },
    clear() {
      rows = []
      pauses = []
      circuits = []
      byId = new Map()
      origin = undefined
      lastEventAt = 0
      settled = 0
      version++
    },
  }
}
