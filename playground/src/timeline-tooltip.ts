/** The words behind a timeline row: what the tooltip (hover or keyboard) says about an attempt. */
import { ms } from './format.js'
import { waitsForSlot, type Admission } from './timeline-draw.js'
import type { Attempt, Row, ServerPause } from './timeline-model.js'

const OUTCOME_WORDS = { ok: 'ok', http: 'HTTP error', timeout: 'timeout', network: 'network error', aborted: 'aborted', validation: 'invalid body', other: 'error' } as const

const CACHE_WORDS = { hit: 'hit, answered from the store', stale: 'served stale (while revalidating, or for an error)', revalidated: 'revalidated: a 304, the stored body served', miss: 'miss' } as const

/** The URL without the origin: every row has the same one, and the path is what differs. */
function shortUrl(url: string): string {
  try {
    const parsed = new URL(url, location.href)
    return `${parsed.pathname}${parsed.search}`
  } catch {
    return url
  }
}

/** An error message without its "METHOD URL: " prefix: the tooltip's title already names the request. */
function withoutRequest(row: Row, message: string): string {
  const prefix = `${row.method} ${row.url}: `
  return message.startsWith(prefix) ? message.slice(prefix.length) : message
}

/** `3000` -> `'3 s'`, `1500` -> `'1.5 s'`: a Retry-After as the server would have written it. */
function seconds(value: number): string {
  return `${+(value / 1000).toFixed(2)} s`
}

/** "429 Retry-After 3 s": what a server asked for. */
function serverAsked(status: number | undefined, asked: number): string {
  return `${status === undefined ? '' : `${status} `}Retry-After ${seconds(asked)}`
}

/** Why a call waited for a rate-limit token from `from` to `to`: a server's pause, or the rate. */
function tokenReason(admission: Admission, pauses: readonly ServerPause[], from: number, to: number): string | undefined {
  const held = pauses.filter((p) => p.from < to && p.until > from)
  const last = held.at(-1)
  // Several 429s in a row each pause the limiter again: the wait is their sum.
  if (last) return `paused by server: ${serverAsked(last.status, last.asked)}${held.length > 1 ? `, ${held.length} times` : ''}`
  const { rateLimit } = admission
  if (rateLimit) return `rate limit ${rateLimit.limit} per ${rateLimit.interval >= 1000 ? seconds(rateLimit.interval) : ms(rateLimit.interval)}`
  return undefined
}

/** The attempt of `row` under time `time`: the last one that had started by then. */
export function attemptAt(row: Row, time: number): Attempt | undefined {
  let found = row.attempts[0]
  for (const attempt of row.attempts) if (attempt.queuedAt <= time) found = attempt
  return found
}

/** Lines of text describing `row` and one of its attempts. */
export function describeAttempt(row: Row, attempt: Attempt | undefined, admission: Admission, pauses: readonly ServerPause[], now: number): { title: string; lines: string[] } {
  const title = `#${row.index + 1} ${row.method} ${shortUrl(row.url)}`
  const lines: string[] = []
  if (attempt) {
    const sent = attempt.sentAt
    const result = attempt.endAt === undefined ? (sent === undefined ? 'waiting' : 'in flight') : [attempt.status, attempt.error ?? 'ok'].filter((x) => x !== undefined).join(' ')
    lines.push(`Attempt ${attempt.number} of ${row.attempts.length}: ${result}`)
    const waits: string[] = []
    const sentOrNow = sent ?? attempt.endAt ?? row.settleAt ?? now
    // Each wait with its reason: the pool being full, the rate, or a server's pause.
    const slot = waitsForSlot(admission, attempt)
    if (slot) {
      const slotWait = (attempt.slotAt ?? sentOrNow) - attempt.queuedAt
      waits.push(`slot wait ${ms(slotWait)}${admission.concurrency !== undefined && slotWait >= 1 ? ` (pool of ${admission.concurrency} full)` : ''}`)
    }
    if (admission.limiter && (!slot || attempt.slotAt !== undefined)) {
      const from = attempt.slotAt ?? attempt.queuedAt
      const reason = sentOrNow - from >= 1 ? tokenReason(admission, pauses, from, sentOrNow) : undefined
      waits.push(`token wait ${ms(sentOrNow - from)}${reason ? ` (${reason})` : ''}`)
    }
    if (waits.length > 0) lines.push(...waits)
    if (sent !== undefined) {
      const flight = [`in flight ${ms((attempt.endAt ?? row.settleAt ?? now) - sent)}`]
      if (attempt.headersAt !== undefined) flight.unshift(`headers after ${ms(attempt.headersAt - sent)}`)
      lines.push(flight.join(' · '))
    }
    if (attempt.message) lines.push(withoutRequest(row, attempt.message))
    if (attempt.retryDelay !== undefined) {
      const asked = attempt.retryRequested ?? attempt.retryDelay
      const why = !attempt.retryFromServer
        ? 'backoff with jitter'
        : `the server asked: ${serverAsked(attempt.status, asked)}${asked > attempt.retryDelay ? `, capped by maxRetryAfter` : ''}`
      lines.push(`Then a retry wait of ${ms(attempt.retryDelay)} (${why})`)
    }
  } else {
    lines.push(row.cache === 'hit' || row.cache === 'stale' ? 'Nothing sent' : 'No attempt was made')
  }
  if (row.cache !== undefined) lines.push(`Cache: ${CACHE_WORDS[row.cache]}`)
  if (row.settleAt !== undefined && row.outcome) {
    // A timeout mid-body has a status (the headers came): say it is the last one, not the result.
    const status = row.status === undefined ? '' : row.outcome === 'ok' || row.outcome === 'http' ? ` ${row.status}` : ` (last status ${row.status})`
    lines.push(`Result: ${OUTCOME_WORDS[row.outcome]}${status} after ${ms(row.settleAt - row.startAt)}`)
    if (row.outcome !== 'ok' && row.message && row.message !== attempt?.message) lines.push(withoutRequest(row, row.message))
  } else {
    lines.push(`Running for ${ms(now - row.startAt)}`)
  }
  return { title, lines }
}
