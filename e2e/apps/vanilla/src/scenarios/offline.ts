import { createClient, offlinePause, type VolleyEvent } from 'volley'
import { chaosUrl } from '../../../shared/chaos.js'
import { reportError, type ErrorReport } from '../../../shared/report.js'

/** What each held call reported once it settled. */
export interface OfflineReport {
  /** navigator.onLine when the calls started. */
  onLineAtStart: boolean
  /** Calls the policy held before the network came back. */
  waitingAtStart: number
  results: ({ attempts: number } | { error: ErrorReport })[]
  /** The `offline` events, in order: true when a wait began, false when it ended. */
  offlineEvents: boolean[]
}

let pending: { report: Omit<OfflineReport, 'results' | 'offlineEvents'>; calls: Promise<{ attempts: number } | { error: ErrorReport }>[]; events: VolleyEvent[] } | undefined

/**
 * Starts `count` GETs (and one with a `total` deadline of `deadlineMs`, when given) through a client
 * with `offlinePause()` while the page is offline; the spec brings the network back, then calls
 * {@link offlineFinish}.
 */
export async function offlineStart(args: { key: string; count: number; deadlineMs?: number }): Promise<{ onLine: boolean; waiting: number }> {
  const events: VolleyEvent[] = []
  const policy = offlinePause()
  const api = createClient({ baseURL: chaosUrl(), retry: 0, timeout: 20_000, use: [policy], onEvent: (e) => events.push(e) })
  const settle = (call: Promise<{ meta: { attempts: number } }>) => call.then((r) => ({ attempts: r.meta.attempts }), (error: unknown) => ({ error: reportError(error) }))
  const calls = Array.from({ length: args.count }, (_, i) => settle(api.raw.get(`/json?key=${args.key}&i=${i}`)))
  if (args.deadlineMs !== undefined) calls.push(settle(api.raw.get(`/json?key=${args.key}&deadline=1`, { timeout: args.deadlineMs })))
  // Let every call reach the policy.
  for (let i = 0; i < 50 && policy.waiting < calls.length; i++) await new Promise((resolve) => setTimeout(resolve, 10))
  pending = { report: { onLineAtStart: navigator.onLine, waitingAtStart: policy.waiting }, calls, events }
  return { onLine: navigator.onLine, waiting: policy.waiting }
}

/** Waits for the calls of {@link offlineStart} to settle and reports them. */
export async function offlineFinish(): Promise<OfflineReport> {
  if (!pending) throw new Error('offlineStart first')
  const { report, calls, events } = pending
  pending = undefined
  const results = await Promise.all(calls)
  return { ...report, results, offlineEvents: events.filter((e) => e.type === 'offline').map((e) => (e as { waiting: boolean }).waiting) }
}
