/**
 * Strict parsing of the two forms of `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an
 * HTTP-date. `Date.parse` is not used: it accepts almost anything (`-1` is a date in 2001, `1e3`
 * a year), so a hostile or broken server could turn "come back later" into "retry now".
 */

const DELTA_SECONDS = /^\d+$/
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const LONG_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAY = DAYS.join('|')
const MONTH = MONTHS.join('|')
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'
// RFC 9110 §5.6.7: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), and the two obsolete forms a
// recipient must still accept: rfc850-date (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime-date
// (`Sun Nov  6 08:49:37 1994`).
const IMF_FIXDATE = new RegExp(`^(?:${DAY}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`)
const RFC850_DATE = new RegExp(`^(?:${LONG_DAYS.join('|')}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`)
const ASCTIME_DATE = new RegExp(`^(?:${DAY}) (${MONTH}) ([ \\d]\\d) ${TIME} (\\d{4})$`)

function toTime(year: number, month: string, day: number, hour: number, minute: number, second: number): number | undefined {
  const m = MONTHS.indexOf(month)
  if (day < 1 || hour > 23 || minute > 59 || second > 60) return undefined
  const time = Date.UTC(year, m, day, hour, minute, Math.min(second, 59))
  // Reject 31 Feb and friends: Date.UTC would roll them into the next month.
  if (new Date(time).getUTCDate() !== day) return undefined
  return time
}

/**
 * The epoch milliseconds of a strict HTTP-date (RFC 9110 §5.6.7), or undefined for anything else.
 * `now` (epoch ms, the caller's clock) places the two-digit year of an RFC 850 date.
 *
 * @example
 * parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', now) // 784111777000
 * parseHttpDate('-1', now) // undefined
 */
export function parseHttpDate(value: string, now: number): number | undefined {
  let match = IMF_FIXDATE.exec(value)
  if (match) return toTime(Number(match[3]), match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]))
  match = RFC850_DATE.exec(value)
  if (match) {
    // A two-digit year more than 50 years in the future is in the past century (RFC 9110 §5.6.7).
    const yy = Number(match[3])
    const thisYear = new Date(now).getUTCFullYear()
    const century = Math.floor(thisYear / 100) * 100
    const year = century + yy > thisYear + 50 ? century - 100 + yy : century + yy
    return toTime(year, match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]))
  }
  match = ASCTIME_DATE.exec(value)
  if (match) return toTime(Number(match[6]), match[1]!, Number(match[2]!.trim()), Number(match[3]), Number(match[4]), Number(match[5]))
  return undefined
}

/**
 * The wait in ms a `Retry-After` value asks for, from `now`: non-negative delta-seconds, or a
 * strict HTTP-date (a date in the past is a wait of 0). Anything else (`-1`, `1.5`, `soon`, a
 * date in another format) is ignored: undefined.
 *
 * @example
 * retryAfterDelay('120', now) // 120_000
 * retryAfterDelay('-1', now) // undefined
 */
export function retryAfterDelay(value: string, now: number): number | undefined {
  const text = value.trim()
  if (DELTA_SECONDS.test(text)) return Number(text) * 1000
  const date = parseHttpDate(text, now)
  return date === undefined ? undefined : Math.max(0, date - now)
}
