import type { Attempt } from './attempt.js'
import { isHTTPError, isVolleyError } from '../errors/index.js'
import type { VolleyEvent } from '../observe/events.js'
import type { AttemptMeta, Meta } from './meta.js'

/** The error code an attempt or a call ended with, for meta and events. */
export function codeOf(error: unknown): string | undefined {
  return error === undefined ? undefined : isVolleyError(error) ? error.code : 'ERR_UNKNOWN'
}

function messageOf(error: unknown): string | undefined {
  return error === undefined ? undefined : isVolleyError(error) ? error.message : String(error)
}

/** Adds one attempt's entry to the call's meta (docs/DESIGN.md#observability). */
export function recordAttempt(meta: Meta, attempt: Attempt, queuedMs: number, sentAt: number, error: unknown): AttemptMeta {
  const entry: AttemptMeta = {
    attempt: attempt.number,
    queuedMs,
    startedAt: sentAt - meta.startedAt,
    ttfbMs: attempt.ttfbMs,
    durationMs: attempt.durationMs,
    bytesIn: attempt.bytesIn,
    bytesOut: attempt.bytesOut,
    status: attempt.status,
    error: codeOf(error),
    retryDelayMs: undefined,
    connectMs: attempt.connectMs,
    tlsMs: attempt.tlsMs,
    reusedSocket: attempt.reusedSocket,
  }
  if (attempt.route === 'shared') entry.shared = true
  meta.timings.push(entry)
  if (attempt.route === 'sent') meta.attempts++
  meta.status = attempt.status
  meta.queuedMs += queuedMs
  meta.ttfbMs = attempt.ttfbMs
  meta.bytesOut += attempt.bytesOut
  return entry
}

/** The body of an attempt ended after the headers: its entry gets the final duration and bytes. */
export function finishAttempt(entry: AttemptMeta, attempt: Attempt): void {
  entry.durationMs = attempt.durationMs
  entry.bytesIn = attempt.bytesIn
  if (attempt.bodyError !== undefined) entry.error = codeOf(attempt.bodyError)
}

/** Body bytes over every attempt. */
export function totalBytesIn(meta: Meta): number {
  let total = 0
  for (const timing of meta.timings) total += timing.bytesIn
  return total
}

export function attemptEndEvent(id: number, time: number, entry: AttemptMeta, error: unknown): VolleyEvent {
  return {
    type: 'attempt-end',
    id,
    time,
    attempt: entry.attempt,
    status: entry.status,
    error: entry.error,
    message: messageOf(error),
    durationMs: entry.durationMs ?? 0,
    bytesIn: entry.bytesIn,
    bytesOut: entry.bytesOut,
  }
}

export function settleEvent(id: number, time: number, meta: Meta, error: unknown): VolleyEvent {
  return {
    type: 'settle',
    id,
    time,
    ok: error === undefined,
    status: isHTTPError(error) ? error.status : meta.status,
    error: error === undefined ? undefined : (codeOf(error) as string),
    message: messageOf(error),
    meta,
  }
}
